/**
 * The Reporting API, paced. Every report operation (`query_campaign_values`, `query_flow_series`…)
 * allows 1 request a second, 2 a minute and 225 a day per account, so a guide must wait about 30
 * seconds between two reports of one kind, and must never let a loop spend the day's quota. The
 * pacer sends one report at a time and, per operation:
 *
 * - waits for the operation's next slot (60 s ÷ its per-minute limit after the last answer, so
 *   latency can never squeeze three requests into one minute), printing a countdown;
 * - answers a request it already answered from its cache, sending nothing;
 * - retries a 429 after its `Retry-After` (and a 503, 504 or 524 after a backoff), with the retry
 *   engine (src/retry/); a wait over two minutes (a daily limit spent) ends the tries;
 * - refuses to send more than its budget (a tenth of the daily limit by default).
 *
 * All waiting is on the connection's clock (src/clock.ts), and each request is dated from it (the
 * standard `Date` request header). Live, the clock runs: the pacer sleeps and sends the real time.
 * In replay and in a recording with KLAVIYO_CLOCK the clock is frozen: a wait moves it on at once,
 * and the stand-in, which counts its limits on the time a request is dated with, serves the request
 * as the live API serves one that waited. So the countdown reads the same in every mode, and no run
 * against the recording or the stand-in waits for real.
 */
import type { ReportingApi } from "klaviyo-api";
import { isAxiosLike } from "../api-errors";
import type { Clock } from "../clock";
import { GuideError } from "../errors";
import { RATE_LIMITS, type GuideOperation } from "../rate-limits";
import { MAX_ATTEMPTS, RETRY_STATUSES, retryCall, type CallReader } from "../retry";
import { failureOf } from "../server-side/retry";

/** The SDK's report methods, with the operation each one calls. */
export const REPORT_OPERATIONS = {
  queryCampaignValues: "query_campaign_values",
  queryFlowValues: "query_flow_values",
  queryFlowSeries: "query_flow_series",
  querySegmentValues: "query_segment_values",
  querySegmentSeries: "query_segment_series",
  queryFormValues: "query_form_values",
  queryFormSeries: "query_form_series",
} as const satisfies Record<string, GuideOperation>;

export type ReportMethod = keyof typeof REPORT_OPERATIONS;
export type ReportOperation = (typeof REPORT_OPERATIONS)[ReportMethod];

/** Longest `Retry-After` the pacer waits out; a longer one means a daily limit is spent. */
export const MAX_RETRY_AFTER_MS = 120_000;
/** The share of an operation's daily limit one pacer may spend, when no budget is given. */
export const DEFAULT_BUDGET_SHARE = 0.1;

/** Options of `createReportPacer`. */
export interface ReportPacerOptions {
  /** The connection's clock: the pacer waits on it and dates its requests from it. */
  clock: Clock;
  /** Requests per operation this pacer sends at most (default: a tenth of the operation's daily limit, rounded up). */
  budget?: number;
  /** Where the countdowns go, a piece at a time (default: stdout, so a cell shows them as they come). */
  print?: (text: string) => void;
}

/** What the pacer did for one operation. */
export interface OperationLog {
  operation: ReportOperation;
  /** Requests sent, retries included. */
  sent: number;
  /** Requests answered from the cache: nothing sent. */
  fromCache: number;
  /** Seconds spent waiting for slots and retries. */
  waitedSeconds: number;
  /** The most requests this pacer sends for the operation. */
  budget: number;
}

/** Sends report requests one at a time, each at its operation's next slot. */
export interface ReportPacer {
  /**
   * Sends `request` at the next slot of `operation`, dated `sentAt` (the clock's time then), or
   * answers it from the cache when a request with the same `key` was answered before.
   */
  send<T>(operation: ReportOperation, key: string, request: (sentAt: Date) => Promise<T>): Promise<T>;
  /** What was done so far, one entry per operation used, in the order first used. */
  log(): OperationLog[];
}

/** A report the pacer did not send because its operation's budget is spent. */
export class ReportBudgetError extends GuideError {
  constructor(readonly operation: ReportOperation, readonly budget: number) {
    const { perDay } = RATE_LIMITS[operation];
    super(
      `Not sent: this connection already sent ${budget} ${operation} requests, its budget (Klaviyo allows ${perDay ?? "a limited number"} a day per account, ` +
        "shared with its other apps). Look for a loop that asks for one report per item and ask for all of them in one request (group_by), " +
        "or run the set-up cell again to start a new budget.",
    );
  }
}

/** Per operation: the pacer's memory. */
interface OperationState extends OperationLog {
  /** Clock time (ms) of the last answer or failure. */
  lastAt?: number;
}

/**
 * A pacer for the report operations, waiting on `clock`.
 *
 * @example
 * const pacer = createReportPacer({ clock: kv.clock });
 * const { body } = await pacer.send("query_flow_values", JSON.stringify(query), () => reporting.queryFlowValues(query));
 */
export function createReportPacer(options: ReportPacerOptions): ReportPacer {
  const { clock } = options;
  const print = options.print ?? ((text: string) => void process.stdout.write(text));
  const states = new Map<ReportOperation, OperationState>();
  const cache = new Map<string, unknown>();
  let queue: Promise<unknown> = Promise.resolve();

  const stateOf = (operation: ReportOperation): OperationState => {
    let state = states.get(operation);
    if (!state) {
      const budget = options.budget ?? Math.ceil((RATE_LIMITS[operation].perDay ?? Number.POSITIVE_INFINITY) * DEFAULT_BUDGET_SHARE);
      states.set(operation, (state = { operation, sent: 0, fromCache: 0, waitedSeconds: 0, budget }));
    }
    return state;
  };

  /** Waits `ms` on the clock, printing what it waits for, then the seconds left at every ten, then "go". */
  const countdown = async (state: OperationState, ms: number, waitingFor: (seconds: number) => string): Promise<void> => {
    let left = Math.ceil(ms / 1000);
    print(`${waitingFor(left)}: ${left}`);
    let remaining = ms;
    while (left > 0) {
      const next = Math.ceil(left / 10) * 10 - 10;
      const step = remaining - next * 1000;
      await clock.sleep(step);
      remaining -= step;
      left = next;
      if (left > 0) print(` … ${left}`);
    }
    print(" … go\n");
    state.waitedSeconds += ms / 1000;
  };

  const sendNow = async <T>(operation: ReportOperation, key: string, request: (sentAt: Date) => Promise<T>): Promise<T> => {
    const state = stateOf(operation);
    if (cache.has(key)) {
      state.fromCache += 1;
      print(`${operation}: answered from this connection's cache, no request sent\n`);
      return cache.get(key) as T;
    }
    if (state.sent >= state.budget) throw new ReportBudgetError(operation, state.budget);
    const limit = RATE_LIMITS[operation];
    const spacingMs = Math.max(60_000 / limit.steadyPerMinute, 1000 / limit.burstPerSecond);
    if (state.lastAt !== undefined) {
      const wait = state.lastAt + spacingMs - clock.now().getTime();
      if (wait > 0) await countdown(state, wait, (s) => `Waiting ${s} s for the next ${operation} slot (${limit.steadyPerMinute} a minute)`);
    }
    let status: number | undefined;
    let retryAfter: string | null | undefined;
    const reader: CallReader<T> = {
      maxAttempts: MAX_ATTEMPTS,
      retryOn: RETRY_STATUSES,
      answered: () => ({ status: 200 }),
      // Only an HTTP answer is retried here: a dropped connection is the cell's to report.
      failed: (error) => {
        const failure = failureOf(error);
        status = typeof failure === "number" ? failure : undefined;
        return status;
      },
      retryAfterOf: (error) => {
        const header = isAxiosLike(error) ? error.response?.headers?.["retry-after"] : undefined;
        retryAfter = typeof header === "string" || typeof header === "number" ? String(header) : undefined;
        return retryAfter;
      },
    };
    try {
      const { result } = await retryCall(
        () => {
          state.sent += 1;
          return request(clock.now());
        },
        reader,
        {
          sleep: (ms) => countdown(state, ms, (s) => `${operation} answered ${status ?? "an error"}; waiting ${s} s ${retryAfter ? "as Retry-After asks" : "before trying again"}`),
          now: () => clock.now().getTime(),
          maxRetryAfterMs: MAX_RETRY_AFTER_MS,
        },
      );
      cache.set(key, result);
      return result;
    } finally {
      state.lastAt = clock.now().getTime();
    }
  };

  return {
    send(operation, key, request) {
      const turn = queue.then(() => sendNow(operation, key, request));
      // One report at a time, whatever became of the one before.
      queue = turn.catch(() => undefined);
      return turn;
    },
    log: () => [...states.values()].map(({ operation, sent, fromCache, waitedSeconds, budget }) => ({ operation, sent, fromCache, waitedSeconds, budget })),
  };
}

/** The SDK's report methods, paced; `pacer` says what was sent, cached and waited. */
export type PacedReporting = Pick<ReportingApi, ReportMethod> & { readonly pacer: ReportPacer };

/**
 * The SDK's `ReportingApi` with every report method sent through `pacer`, each request dated with
 * the standard `Date` header from the pacer's clock. Give `api` a session that does not retry
 * (`singleAttemptPolicy()`): the pacer retries on the connection's clock, the SDK would sleep.
 *
 * @example
 * const reporting = pacedReporting(new ReportingApi(new ApiKeySession(key, singleAttemptPolicy())), createReportPacer({ clock }));
 * const { body } = await reporting.queryFlowValues(query); // waits for its slot first
 */
export function pacedReporting(api: ReportingApi, pacer: ReportPacer): PacedReporting {
  const headers: Record<string, string> = { ...(api.defaultHeaders as Record<string, string>) };
  const paced = <M extends ReportMethod>(method: M): ReportingApi[M] => {
    const call = api[method] as (this: ReportingApi, body: unknown, options?: unknown) => Promise<unknown>;
    const send = (body: unknown, options?: unknown): Promise<unknown> =>
      pacer.send(REPORT_OPERATIONS[method], JSON.stringify([method, body, options ?? {}]), (sentAt) => {
        // One report at a time (the pacer's queue), so setting the header for this call is safe.
        api.defaultHeaders = { ...headers, Date: sentAt.toUTCString() };
        return call.call(api, body, options);
      });
    return send as ReportingApi[M];
  };
  return {
    pacer,
    queryCampaignValues: paced("queryCampaignValues"),
    queryFlowValues: paced("queryFlowValues"),
    queryFlowSeries: paced("queryFlowSeries"),
    querySegmentValues: paced("querySegmentValues"),
    querySegmentSeries: paced("querySegmentSeries"),
    queryFormValues: paced("queryFormValues"),
    queryFormSeries: paced("queryFormSeries"),
  };
}

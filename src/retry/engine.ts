/**
 * The helpers' one retry loop, for raw `fetch` and SDK calls alike. What differs between the two is
 * how a try is read, and that is a `CallReader`: a fetch resolves with a `Response` whose status may
 * be worth another try, an SDK call throws an AxiosError or a network error. The loop decides for
 * both how long to wait (the server's `Retry-After` when the reader passes it on, else exponential
 * backoff with jitter), when to give up, and reports every try as an `Attempt` for a guide to show.
 */
import { waitingClock } from "../clock";
import { GuideError } from "../errors";
import { MAX_BACKOFF_MS } from "./policy";

/** One try, and what happened before the next. */
export interface Attempt {
  /** The HTTP status answered, or the network error's code (e.g. "ECONNRESET") when no answer came. */
  status: number | string;
  /** Milliseconds waited after this try before the next (absent on the last). */
  waitedMs?: number;
  /** Why that long: the server's `Retry-After`, or our own backoff. */
  reason?: "retry-after" | "backoff";
}

/** Options of a retried call; the defaults suit a guide cell. */
export interface RetryOptions {
  /** Total tries including the first (default: the call's own, 3 for `fetchWithRetry`, 4 for `withRetry`). */
  maxAttempts?: number;
  /**
   * HTTP statuses to retry (default: the call's own, `RETRY_STATUSES` for `fetchWithRetry`,
   * `SERVER_RETRY_STATUSES` for `withRetry`). A network error the call reports is always retried.
   */
  retryOn?: readonly number[];
  /** First backoff step when there is no `Retry-After` (default 500 ms), doubled each retry. */
  baseDelayMs?: number;
  /** Cap for one backoff step (default 10 000 ms). */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured; a longer one ends the retries (default 60 000 ms). */
  maxRetryAfterMs?: number;
  /** How to wait, and the time a `Retry-After` date is read against (default: the connection's clock, `waitingClock`); tests inject their own. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** What the last try resolved with, and every try made. */
export interface RetryResult<T> {
  result: T;
  attempts: Attempt[];
}

/** How the loop reads one kind of call: the only part that differs between fetch and the SDK. */
export interface CallReader<T> {
  /** This kind of call's default `maxAttempts`. */
  maxAttempts: number;
  /** This kind of call's default `retryOn`. */
  retryOn: readonly number[];
  /** The status of what a try resolved with, and its `Retry-After` when that is to be honoured. */
  answered(value: T): { status: number; retryAfter?: string | null };
  /** The status or network error code of what a try threw; `undefined` rethrows it at once. */
  failed(error: unknown): number | string | undefined;
  /** The `Retry-After` of what a try threw, when that is to be honoured (an SDK call throws its 429). */
  retryAfterOf?(error: unknown): string | null | undefined;
  /** Frees what an answer about to be retried still holds (a fetch body) before the wait. */
  discard?(value: T): Promise<void>;
}

/** The last error once the tries ran out, with every try made. */
export class RetriesExhaustedError extends GuideError {
  constructor(readonly attempts: Attempt[], override readonly cause: unknown) {
    super(`Gave up after ${attempts.length} tries (${describeAttempts(attempts, { waits: false })}). The last error is in \`cause\`; if it keeps failing, check Klaviyo's status page and retry later with the same unique_id.`);
  }
}

/** A try as the loop sees it: resolved with `value`, or threw a failure the reader knows. */
type Tried<T> = { value: T; status: number; retryAfter?: string | null } | { error: unknown; status: number | string; retryAfter?: string | null };

/** How long to wait before the next try, and why. */
type Wait = { ms: number; reason: NonNullable<Attempt["reason"]> };

/**
 * Runs `send` until a try is not worth repeating, the tries run out or the server asks for a longer
 * wait than `maxRetryAfterMs`. A resolved answer ends it as the result, even a retryable status
 * once the tries ran out (the caller reads that status); a thrown failure the reader does not know
 * is rethrown at once, a known one that may not be retried too, and one still failing at the end
 * becomes a `RetriesExhaustedError` carrying every try.
 *
 * @example
 * const reader: CallReader<Response> = { maxAttempts: 3, retryOn: [429], answered: (r) => ({ status: r.status }), failed: () => undefined };
 * const { result, attempts } = await retryCall(() => fetch(url), reader);
 */
export async function retryCall<T>(send: () => Promise<T>, reader: CallReader<T>, options: RetryOptions = {}): Promise<RetryResult<T>> {
  const maxAttempts = options.maxAttempts ?? reader.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer ≥ 1, got ${maxAttempts}.`);
  const retryOn = options.retryOn ?? reader.retryOn;
  const sleep = options.sleep ?? ((ms: number) => waitingClock().sleep(ms));

  const attempts: Attempt[] = [];
  for (let i = 0; ; i++) {
    // Through a promise so that a `send` throwing before it returns one is read like a rejection.
    const tried = await new Promise<T>((resolve) => resolve(send())).then(
      (value): Tried<T> => ({ value, ...reader.answered(value) }),
      (error: unknown): Tried<T> => {
        const status = reader.failed(error);
        if (status === undefined) throw error;
        return { error, status, retryAfter: reader.retryAfterOf?.(error) };
      },
    );
    const { status } = tried;
    const attempt: Attempt = { status };
    attempts.push(attempt);
    const retryable = typeof status === "string" || retryOn.includes(status);
    const wait = retryable && i + 1 < maxAttempts ? waitBefore(i, tried.retryAfter, options) : undefined;
    if (wait === undefined) {
      if ("value" in tried) return { result: tried.value, attempts };
      throw retryable ? new RetriesExhaustedError(attempts, tried.error) : tried.error;
    }
    attempt.waitedMs = wait.ms;
    attempt.reason = wait.reason;
    if ("value" in tried) await reader.discard?.(tried.value);
    await sleep(wait.ms);
  }
}

/**
 * The wait after try `i` (0 for the first): `Retry-After` when given, else backoff; `undefined`
 * when the server asks for longer than `maxRetryAfterMs`, which ends the retries.
 */
function waitBefore(i: number, retryAfter: string | null | undefined, options: RetryOptions): Wait | undefined {
  const asked = parseRetryAfter(retryAfter, (options.now ?? (() => waitingClock().now().getTime()))());
  if (asked === undefined) return { ms: backoffMs(i, options), reason: "backoff" };
  return asked > (options.maxRetryAfterMs ?? 60_000) ? undefined : { ms: asked, reason: "retry-after" };
}

/**
 * Backoff after try `i` (0 for the first): `baseDelayMs` doubled each try, capped at
 * `maxDelayMs`, of which a random upper half is taken.
 */
function backoffMs(i: number, options: RetryOptions): number {
  const step = Math.min(options.maxDelayMs ?? MAX_BACKOFF_MS, (options.baseDelayMs ?? 500) * 2 ** i);
  // Full jitter on the upper half keeps parallel cells from retrying in lockstep.
  return Math.round(step / 2 + ((options.random ?? Math.random)() * step) / 2);
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP-date (relative to `nowMs`); `undefined`
 * when absent or unreadable.
 *
 * @example
 * parseRetryAfter("1", Date.now()) // 1000
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * The tries in one line: `429 → waited 1 s (Retry-After) → 202`. With `{ waits: false }` the waits
 * are left out (`500 → ECONNRESET → 202`), for output that must not change from run to run when
 * they are random backoff.
 *
 * @example
 * describeAttempts([{ status: 429, waitedMs: 1000, reason: "retry-after" }, { status: 202 }])
 */
export function describeAttempts(attempts: readonly Attempt[], { waits = true }: { waits?: boolean } = {}): string {
  return attempts
    .map((a) => (!waits || a.waitedMs === undefined ? `${a.status}` : `${a.status} → waited ${formatSeconds(a.waitedMs)} (${a.reason === "retry-after" ? "Retry-After" : "backoff"})`))
    .join(" → ");
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

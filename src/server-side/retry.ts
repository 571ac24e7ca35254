/**
 * Retrying what the SDK does not. klaviyo-api retries 429, 503 and 504 (and 524) itself; a 500, a
 * 502 or a dropped connection reaches your code as a thrown error. Those are worth another try
 * when the request is idempotent, which an event with a `unique_id` is: Klaviyo keeps the first
 * event per profile, metric and unique_id, so a retry of one that did arrive changes nothing.
 */
import { GuideError } from "../errors";

/** Statuses `withRetry` retries by default: the transient server errors the SDK leaves to you. */
export const SERVER_RETRY_STATUSES: readonly number[] = [500, 502];

/** Error codes of a connection that failed or dropped before an answer (Node, axios, undici). */
export const NETWORK_ERROR_CODES: readonly string[] = ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"];

/** One try and what came of it: an HTTP status, or the network error's code. */
export interface RetryAttempt {
  outcome: number | string;
  /** Milliseconds waited before the next try (absent on the last). */
  waitedMs?: number;
}

/** Options for `withRetry`. */
export interface RetryOptions {
  /** Total tries including the first (default 4). */
  maxAttempts?: number;
  /** HTTP statuses to retry (default `SERVER_RETRY_STATUSES`). */
  retryOn?: readonly number[];
  /** First wait (default 500 ms), doubled each retry, with jitter. */
  baseDelayMs?: number;
  /** Cap for one wait (default 10 000 ms). */
  maxDelayMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** The result of the try that succeeded, and every try made. */
export interface RetryResult<T> {
  result: T;
  attempts: RetryAttempt[];
}

/** The last error once the tries ran out, with every try made. */
export class RetriesExhaustedError extends GuideError {
  constructor(readonly attempts: RetryAttempt[], override readonly cause: unknown) {
    super(`Gave up after ${attempts.length} tries (${describeRetries(attempts)}). The last error is in \`cause\`; if it keeps failing, check Klaviyo's status page and retry later with the same unique_id.`);
  }
}

/**
 * The HTTP status of a failed SDK call (an AxiosError) or the code of a network error; `undefined`
 * for anything else (a bug, a replay miss, a write the guard stopped), which must not be retried.
 */
export function failureOf(error: unknown): number | string | undefined {
  const e = error as { response?: { status?: unknown }; code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.response?.status === "number") return e.response.status;
  const code = typeof e?.code === "string" ? e.code : typeof e?.cause?.code === "string" ? e.cause.code : undefined;
  return code !== undefined && NETWORK_ERROR_CODES.includes(code) ? code : undefined;
}

/**
 * Runs `send` and retries it on a 500, a 502 or a network error, with exponential backoff and
 * jitter. Only wrap requests that are safe to repeat (events with a `unique_id`, profile imports).
 *
 * @example
 * const { result, attempts } = await withRetry(() => kv.events.createEvent(body));
 * describeRetries(attempts); // "500 → 202"
 */
export async function withRetry<T extends { response: { status: number } }>(send: () => Promise<T>, options: RetryOptions = {}): Promise<RetryResult<T>> {
  const maxAttempts = options.maxAttempts ?? 4;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer ≥ 1, got ${maxAttempts}.`);
  const retryOn = options.retryOn ?? SERVER_RETRY_STATUSES;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const attempts: RetryAttempt[] = [];
  for (let i = 0; ; i++) {
    try {
      const result = await send();
      attempts.push({ outcome: result.response.status });
      return { result, attempts };
    } catch (error) {
      const outcome = failureOf(error);
      if (outcome === undefined) throw error;
      const attempt: RetryAttempt = { outcome };
      attempts.push(attempt);
      const retryable = typeof outcome === "string" || retryOn.includes(outcome);
      if (!retryable) throw error;
      if (i + 1 >= maxAttempts) throw new RetriesExhaustedError(attempts, error);
      const step = Math.min(cap, base * 2 ** i);
      attempt.waitedMs = Math.round(step / 2 + (random() * step) / 2);
      await sleep(attempt.waitedMs);
    }
  }
}

/**
 * The tries in one line, without the waits (they are random): `500 → 202`, `ECONNRESET → 202`.
 *
 * @example describeRetries([{ outcome: 502, waitedMs: 400 }, { outcome: 202 }]) // "502 → 202"
 */
export function describeRetries(attempts: readonly RetryAttempt[]): string {
  return attempts.map((a) => String(a.outcome)).join(" → ");
}

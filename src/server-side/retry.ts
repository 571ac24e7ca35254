/**
 * Retrying what the SDK does not. klaviyo-api retries 429, 503 and 504 (and 524) itself; a 500, a
 * 502 or a dropped connection reaches your code as a thrown error. Those are worth another try
 * when the request is idempotent, which an event with a `unique_id` is: Klaviyo keeps the first
 * event per profile, metric and unique_id, so a retry of one that did arrive changes nothing.
 * The loop is the retry engine's (src/retry/); this module says how an SDK call fails.
 */
import { describeAttempts, retryCall, type Attempt, type CallReader, type RetryOptions, type RetryResult } from "../retry";

/** Statuses `withRetry` retries by default: the transient server errors the SDK leaves to you. */
export const SERVER_RETRY_STATUSES: readonly number[] = [500, 502];

/** Error codes of a connection that failed or dropped before an answer (Node, axios, undici). */
export const NETWORK_ERROR_CODES: readonly string[] = ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"];

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

/** What an SDK call resolves with: its answer, whose status is a success (axios throws the rest). */
type SdkResult = { response: { status: number } };

/**
 * An SDK call resolves only on success, so only what it throws is retried; `Retry-After` is not
 * read (a 500 or 502 carries none, and the SDK itself honours it on the statuses it retries).
 */
const sdkReader: CallReader<SdkResult> = {
  maxAttempts: 4,
  retryOn: SERVER_RETRY_STATUSES,
  answered: (result) => ({ status: result.response.status }),
  failed: failureOf,
};

/**
 * Runs `send` and retries it on a 500, a 502 or a network error, with exponential backoff and
 * jitter; once the tries run out it throws `RetriesExhaustedError`. Only wrap requests that are
 * safe to repeat (events with a `unique_id`, profile imports).
 *
 * @example
 * const { result, attempts } = await withRetry(() => kv.events.createEvent(body));
 * describeRetries(attempts); // "500 → 202"
 */
export async function withRetry<T extends SdkResult>(send: () => Promise<T>, options: RetryOptions = {}): Promise<RetryResult<T>> {
  return retryCall<T>(send, sdkReader, options);
}

/**
 * The tries in one line, without the waits (they are random): `500 → 202`, `ECONNRESET → 202`.
 *
 * @example describeRetries([{ status: 502, waitedMs: 400, reason: "backoff" }, { status: 202 }]) // "502 → 202"
 */
export function describeRetries(attempts: readonly Attempt[]): string {
  return describeAttempts(attempts, { waits: false });
}

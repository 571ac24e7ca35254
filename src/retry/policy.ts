/**
 * The guides' retry limits, shared by the SDK's own retry (`guideRetryPolicy`, which `connect()`
 * installs) and by the retry engine's calls, so a cell never waits longer than these allow.
 */
import { RetryWithExponentialBackoff } from "klaviyo-api";

/** Statuses worth retrying: rate limited, and the gateway errors the SDK also retries (500 is not: it may not be transient). */
export const RETRY_STATUSES: readonly number[] = [429, 503, 504, 524];

/** Requests per call, the first included, for the SDK and `fetchWithRetry` alike. */
export const MAX_ATTEMPTS = 3;
/** Longest single backoff sleep, so a guide cell never hangs for the SDK's default minute. */
export const MAX_BACKOFF_MS = 10_000;

/**
 * The SDK retry policy `connect()` uses. `numRetries` is the SDK's *total attempts* (3 = one
 * request + two retries); `maxInterval` (seconds) caps a single backoff sleep at 10 s. The SDK
 * itself holds the next attempt until an integer `Retry-After` has passed.
 *
 * @example
 * const session = new ApiKeySession(key, guideRetryPolicy());
 */
export function guideRetryPolicy(): RetryWithExponentialBackoff {
  return new RetryWithExponentialBackoff({ retryCodes: [...RETRY_STATUSES], numRetries: MAX_ATTEMPTS, maxInterval: MAX_BACKOFF_MS / 1000 });
}

/**
 * An SDK retry policy that never retries: for API objects whose calls are retried by a helper that
 * waits on the connection's clock (the reporting pacer, src/reporting/pacer.ts). The SDK's own retry
 * sleeps for real, which would make a recording against the stand-in wait.
 *
 * @example
 * const session = new ApiKeySession(key, singleAttemptPolicy());
 */
export function singleAttemptPolicy(): RetryWithExponentialBackoff {
  return new RetryWithExponentialBackoff({ numRetries: 1 });
}

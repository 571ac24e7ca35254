/**
 * Raw `fetch` with retries. Klaviyo answers 429 with `Retry-After` when an account exceeds an
 * endpoint's burst or steady window; the SDK retries on its own, raw `fetch` does not, so
 * `fetchWithRetry` runs it through the retry engine and reports each attempt for a guide to show.
 */
import { retryCall, type Attempt, type CallReader, type RetryOptions } from "./engine";
import { MAX_ATTEMPTS, RETRY_STATUSES } from "./policy";

/** Options of `fetchWithRetry`: the engine's, and the transport. */
export interface FetchRetryOptions extends RetryOptions {
  /** Injected for tests. */
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

/** The final response (possibly still a 429 when attempts ran out) and every attempt made. */
export interface FetchRetryResult {
  response: Response;
  attempts: Attempt[];
}

/**
 * A fetch resolves with every status, so the answer's status decides and its `Retry-After` is
 * honoured; a network error is rethrown, not retried (rarely transient in a notebook).
 */
const fetchReader: CallReader<Response> = {
  maxAttempts: MAX_ATTEMPTS,
  retryOn: RETRY_STATUSES,
  answered: (response) => ({ status: response.status, retryAfter: response.headers.get("retry-after") }),
  failed: () => undefined,
  // Reading the body to its end frees the connection before the wait.
  discard: (response) => response.arrayBuffer().then(() => undefined, () => undefined),
};

/**
 * `fetch` that retries 429/503/504/524, honouring `Retry-After` (seconds or HTTP-date) and otherwise
 * backing off exponentially with jitter. Network errors are not retried (they are rarely transient
 * in a notebook). The request body must be re-sendable (a string, as JSON:API bodies are).
 *
 * @example
 * const { response, attempts } = await fetchWithRetry(url, { method: "POST", headers, body });
 * console.log(describeAttempts(attempts)); // "429 → waited 1 s (Retry-After) → 202"
 */
export async function fetchWithRetry(input: string | URL, init: RequestInit = {}, options: FetchRetryOptions = {}): Promise<FetchRetryResult> {
  const send = options.fetch ?? ((i: string | URL, r?: RequestInit) => globalThis.fetch(i, r));
  const { result, attempts } = await retryCall(() => send(input, init), fetchReader, options);
  return { response: result, attempts };
}

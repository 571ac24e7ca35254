/**
 * Rate limits: Klaviyo answers 429 with `Retry-After` when an account exceeds an endpoint's burst
 * (per second) or steady (per minute) window. The SDK retries on its own; raw `fetch` does not,
 * so `fetchWithRetry` does it and reports each attempt for a guide to show.
 */
import { RetryWithExponentialBackoff } from "klaviyo-api";
import { GUIDE_OPERATIONS, type GuideOperation } from "./guide-operations";
import { OPERATIONS, type OperationFacts } from "./operations";

export type { GuideOperation } from "./guide-operations";

/** Statuses worth retrying: rate limited, and the gateway errors the SDK also retries (500 is not: it may not be transient). */
export const RETRY_STATUSES: readonly number[] = [429, 503, 504, 524];

/** Requests per call, the first included, for the SDK and `fetchWithRetry` alike. */
const MAX_ATTEMPTS = 3;
/** Longest single backoff sleep, so a guide cell never hangs for the SDK's default minute. */
const MAX_BACKOFF_MS = 10_000;

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

/** One request made by `fetchWithRetry`, and what happened before the next. */
export interface Attempt {
  status: number;
  /** Milliseconds waited after this answer before the next attempt (absent on the last). */
  waitedMs?: number;
  /** Why that long: the server's `Retry-After`, or our own backoff. */
  reason?: "retry-after" | "backoff";
}

/** Options for `fetchWithRetry`; defaults suit a guide cell. */
export interface FetchRetryOptions {
  /** Total requests including the first (default 3). */
  maxAttempts?: number;
  /** Statuses to retry (default `RETRY_STATUSES`). */
  retryOn?: readonly number[];
  /** First backoff step when there is no `Retry-After` (default 500 ms), doubled each retry. */
  baseDelayMs?: number;
  /** Cap for one backoff step (default 10 000 ms). */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured; a longer one ends the retries and returns the 429 (default 60 000 ms). */
  maxRetryAfterMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

/** The final response (possibly still a 429 when attempts ran out) and every attempt made. */
export interface FetchRetryResult {
  response: Response;
  attempts: Attempt[];
}

/**
 * `fetch` that retries 429/503/504/524, honouring `Retry-After` (seconds or HTTP-date) and otherwise
 * backing off exponentially with jitter. Network errors are not retried (they are rarely transient
 * in a notebook). The request body must be re-sendable (a string, as JSON:API bodies are).
 *
 * @example
 * const { response, attempts } = await fetchWithRetry(url, { method: "POST", headers, body });
 * console.log(describeAttempts(attempts)); // "429 → waited 1 s (Retry-After) → 202"
 */
export async function fetchWithRetry(input: string | URL, init: RequestInit = {}, opts: FetchRetryOptions = {}): Promise<FetchRetryResult> {
  const maxAttempts = opts.maxAttempts ?? MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer ≥ 1, got ${maxAttempts}.`);
  const retryOn = opts.retryOn ?? RETRY_STATUSES;
  const base = opts.baseDelayMs ?? 500;
  const cap = opts.maxDelayMs ?? MAX_BACKOFF_MS;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 60_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const send = opts.fetch ?? ((i: string | URL, r?: RequestInit) => globalThis.fetch(i, r));

  const attempts: Attempt[] = [];
  for (let i = 0; ; i++) {
    const response = await send(input, init);
    const attempt: Attempt = { status: response.status };
    attempts.push(attempt);
    if (!retryOn.includes(response.status) || i + 1 >= maxAttempts) return { response, attempts };

    const retryAfter = parseRetryAfter(response.headers.get("retry-after"), now());
    if (retryAfter !== undefined && retryAfter > maxRetryAfter) return { response, attempts };
    // Full jitter on the upper half keeps parallel cells from retrying in lockstep.
    const step = Math.min(cap, base * 2 ** i);
    const backoff = Math.round(step / 2 + (random() * step) / 2);
    attempt.waitedMs = retryAfter ?? backoff;
    attempt.reason = retryAfter !== undefined ? "retry-after" : "backoff";
    await response.arrayBuffer().catch(() => undefined); // free the connection before waiting
    await sleep(attempt.waitedMs);
  }
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
 * One line for a guide: `429 → waited 1 s (Retry-After) → 202`.
 *
 * @example
 * describeAttempts([{ status: 429, waitedMs: 1000, reason: "retry-after" }, { status: 202 }])
 */
export function describeAttempts(attempts: readonly Attempt[]): string {
  return attempts
    .map((a) => (a.waitedMs === undefined ? `${a.status}` : `${a.status} → waited ${formatSeconds(a.waitedMs)} (${a.reason === "retry-after" ? "Retry-After" : "backoff"})`))
    .join(" → ");
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** An operation's limits per account, as the spec's `x-klaviyo-ratelimit` gives them. */
export interface RateLimit {
  method: OperationFacts["method"];
  path: string;
  burstPerSecond: number;
  steadyPerMinute: number;
  perDay?: number;
  /** Stricter limits the spec states only in the operation's description. */
  note?: string;
}

/** What the spec says only in an operation's description; the numbers come from its prose. */
const NOTES: Partial<Record<GuideOperation, string>> = {
  get_profiles: "with additional-fields[profile]=predictive_analytics: 10/s, 150/m",
  get_profile: "with include=lists or segments: 1/s, 15/m",
  get_profiles_for_list: "with additional-fields[profile]=predictive_analytics: 10/s, 150/m",
  get_list: "with additional-fields[list]=profile_count: 1/s, 15/m",
};

function rateLimit(operation: GuideOperation): RateLimit {
  // Possible while src/guide-operations.ts names an operation that `npm run spec` has not derived yet.
  if (!(operation in OPERATIONS)) throw new Error(`${operation} has no facts in src/operations.generated.ts: run npm run spec (it derives them from Klaviyo's OpenAPI document).`);
  const { method, path, rateLimit: { burstPerSecond, steadyPerMinute, perDay } } = OPERATIONS[operation];
  const note = NOTES[operation];
  return { method, path, burstPerSecond, steadyPerMinute, ...(perDay === undefined ? {} : { perDay }), ...(note === undefined ? {} : { note }) };
}

/**
 * Rate limits of revision 2026-07-15 for the guides' operations: the spec's `x-klaviyo-ratelimit`
 * (src/operations.ts, derived from the spec by `npm run spec`) and the notes above.
 *
 * @example
 * RATE_LIMITS.get_events.steadyPerMinute // 3500
 */
export const RATE_LIMITS: Readonly<Record<GuideOperation, RateLimit>> = Object.fromEntries(
  GUIDE_OPERATIONS.map((operation) => [operation, rateLimit(operation)]),
) as Record<GuideOperation, RateLimit>;

/**
 * Least wall time `requests` calls can take under a limit (fixed 1-s and 1-min windows): every
 * full minute window is used up, the rest goes at the burst rate. A floor, ignoring latency.
 *
 * @example
 * minimumSeconds(100_000, RATE_LIMITS.get_events) // ≈ 1686 (28 minutes)
 */
export function minimumSeconds(requests: number, limit: Pick<RateLimit, "burstPerSecond" | "steadyPerMinute">): number {
  if (requests <= 0) return 0;
  const fullMinutes = Math.floor((requests - 1) / limit.steadyPerMinute);
  return fullMinutes * 60 + (requests - fullMinutes * limit.steadyPerMinute) / limit.burstPerSecond;
}

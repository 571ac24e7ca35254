/**
 * Rate limits: each operation's burst (per second) and steady (per minute) window, and the least
 * time a number of requests takes under them. Over a limit Klaviyo answers 429 with `Retry-After`;
 * retrying that is the retry engine's job (src/retry/).
 */
import { GUIDE_OPERATIONS, type GuideOperation } from "./guide-operations";
import { OPERATIONS, type OperationFacts } from "./operations";

export type { GuideOperation } from "./guide-operations";

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

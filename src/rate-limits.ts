/**
 * Rate limits: each operation's burst (per second) and steady (per minute) window, and the least
 * time a number of requests takes under them. Over a limit Klaviyo answers 429 with `Retry-After`;
 * retrying that is the retry engine's job (src/retry/).
 */

/** Operations the guides call. */
export type GuideOperation =
  | "get_profiles" | "get_profile" | "get_profiles_for_list" | "get_lists" | "get_list" | "get_segments" | "get_metrics"
  | "get_mapped_metric" | "query_metric_aggregates" | "get_events" | "create_list" | "add_profiles_to_list"
  | "create_client_event" | "bulk_create_client_events" | "create_client_subscription" | "create_client_profile"
  | "create_client_review"
  | "create_event" | "bulk_create_events" | "create_or_update_profile" | "update_profile" | "bulk_import_profiles"
  | "get_bulk_import_profiles_job" | "get_errors_for_bulk_import_profiles_job" | "bulk_subscribe_profiles" | "bulk_unsubscribe_profiles"
  | "bulk_suppress_profiles" | "get_bulk_suppress_profiles_job" | "bulk_unsuppress_profiles" | "get_bulk_unsuppress_profiles_job";

/** An operation's limits per account, as the spec's `x-klaviyo-ratelimit` gives them. */
export interface RateLimit {
  method: "GET" | "POST" | "PATCH";
  path: string;
  burstPerSecond: number;
  steadyPerMinute: number;
  perDay?: number;
  /** Stricter limits the spec states only in the operation's description. */
  note?: string;
}

/**
 * Rate limits of revision 2026-07-15 for the guides' operations, from the spec's
 * `x-klaviyo-ratelimit` (a test checks them against the spec when `KLAVIYO_OPENAPI_SPEC` is set).
 *
 * @example
 * RATE_LIMITS.get_events.steadyPerMinute // 3500
 */
export const RATE_LIMITS: Readonly<Record<GuideOperation, RateLimit>> = {
  get_profiles: { method: "GET", path: "/api/profiles", burstPerSecond: 75, steadyPerMinute: 750, note: "with additional-fields[profile]=predictive_analytics: 10/s, 150/m" },
  get_profile: { method: "GET", path: "/api/profiles/{id}", burstPerSecond: 75, steadyPerMinute: 750, note: "with include=lists or segments: 1/s, 15/m" },
  get_profiles_for_list: { method: "GET", path: "/api/lists/{id}/profiles", burstPerSecond: 75, steadyPerMinute: 750, note: "with additional-fields[profile]=predictive_analytics: 10/s, 150/m" },
  get_lists: { method: "GET", path: "/api/lists", burstPerSecond: 75, steadyPerMinute: 750 },
  get_list: { method: "GET", path: "/api/lists/{id}", burstPerSecond: 75, steadyPerMinute: 750, note: "with additional-fields[list]=profile_count: 1/s, 15/m" },
  get_segments: { method: "GET", path: "/api/segments", burstPerSecond: 75, steadyPerMinute: 750 },
  get_metrics: { method: "GET", path: "/api/metrics", burstPerSecond: 10, steadyPerMinute: 150 },
  get_mapped_metric: { method: "GET", path: "/api/mapped-metrics/{id}", burstPerSecond: 3, steadyPerMinute: 60 },
  query_metric_aggregates: { method: "POST", path: "/api/metric-aggregates", burstPerSecond: 3, steadyPerMinute: 60 },
  get_events: { method: "GET", path: "/api/events", burstPerSecond: 350, steadyPerMinute: 3500 },
  create_list: { method: "POST", path: "/api/lists", burstPerSecond: 10, steadyPerMinute: 150, perDay: 150 },
  add_profiles_to_list: { method: "POST", path: "/api/lists/{id}/relationships/profiles", burstPerSecond: 10, steadyPerMinute: 150 },
  create_client_event: { method: "POST", path: "/client/events", burstPerSecond: 350, steadyPerMinute: 3500 },
  bulk_create_client_events: { method: "POST", path: "/client/event-bulk-create", burstPerSecond: 10, steadyPerMinute: 150 },
  create_client_subscription: { method: "POST", path: "/client/subscriptions", burstPerSecond: 350, steadyPerMinute: 750 },
  create_client_profile: { method: "POST", path: "/client/profiles", burstPerSecond: 350, steadyPerMinute: 3500 },
  create_client_review: { method: "POST", path: "/client/reviews", burstPerSecond: 10, steadyPerMinute: 150 },
  create_event: { method: "POST", path: "/api/events", burstPerSecond: 350, steadyPerMinute: 3500 },
  bulk_create_events: { method: "POST", path: "/api/event-bulk-create-jobs", burstPerSecond: 10, steadyPerMinute: 150 },
  create_or_update_profile: { method: "POST", path: "/api/profile-import", burstPerSecond: 75, steadyPerMinute: 750 },
  update_profile: { method: "PATCH", path: "/api/profiles/{id}", burstPerSecond: 75, steadyPerMinute: 750 },
  bulk_import_profiles: { method: "POST", path: "/api/profile-bulk-import-jobs", burstPerSecond: 10, steadyPerMinute: 150 },
  get_bulk_import_profiles_job: { method: "GET", path: "/api/profile-bulk-import-jobs/{job_id}", burstPerSecond: 10, steadyPerMinute: 150 },
  get_errors_for_bulk_import_profiles_job: { method: "GET", path: "/api/profile-bulk-import-jobs/{id}/import-errors", burstPerSecond: 10, steadyPerMinute: 150 },
  bulk_subscribe_profiles: { method: "POST", path: "/api/profile-subscription-bulk-create-jobs", burstPerSecond: 75, steadyPerMinute: 750 },
  bulk_unsubscribe_profiles: { method: "POST", path: "/api/profile-subscription-bulk-delete-jobs", burstPerSecond: 75, steadyPerMinute: 750 },
  bulk_suppress_profiles: { method: "POST", path: "/api/profile-suppression-bulk-create-jobs", burstPerSecond: 75, steadyPerMinute: 750 },
  get_bulk_suppress_profiles_job: { method: "GET", path: "/api/profile-suppression-bulk-create-jobs/{job_id}", burstPerSecond: 75, steadyPerMinute: 750 },
  bulk_unsuppress_profiles: { method: "POST", path: "/api/profile-suppression-bulk-delete-jobs", burstPerSecond: 75, steadyPerMinute: 750 },
  get_bulk_unsuppress_profiles_job: { method: "GET", path: "/api/profile-suppression-bulk-delete-jobs/{job_id}", burstPerSecond: 75, steadyPerMinute: 750 },
};

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

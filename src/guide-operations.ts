/**
 * The Klaviyo operations the guides call, by the operationId of Klaviyo's OpenAPI document.
 * `RATE_LIMITS` has an entry for each; `npm run spec` (tools/spec) derives their facts into
 * src/operations.generated.ts. Kept apart from both so the derivation can read the list even
 * while the generated facts lack a newly added operation.
 */
export const GUIDE_OPERATIONS = [
  "get_profiles", "get_profile", "get_profiles_for_list", "get_lists", "get_list", "get_segments", "get_metrics",
  "get_mapped_metric", "update_mapped_metric", "query_metric_aggregates", "get_events", "create_list", "add_profiles_to_list",
  "create_client_event", "bulk_create_client_events", "create_client_subscription", "create_client_profile",
  "create_client_review",
  "create_event", "bulk_create_events", "create_or_update_profile", "update_profile", "bulk_import_profiles",
  "get_bulk_import_profiles_job", "get_errors_for_bulk_import_profiles_job", "bulk_subscribe_profiles", "bulk_unsubscribe_profiles",
  "bulk_suppress_profiles", "get_bulk_suppress_profiles_job", "bulk_unsuppress_profiles", "get_bulk_unsuppress_profiles_job",
  "request_profile_deletion",
  "get_campaigns", "query_campaign_values", "query_flow_values", "query_flow_series", "query_segment_values", "query_segment_series",
  "query_form_values", "query_form_series",
] as const;

/** An operation the guides call. */
export type GuideOperation = (typeof GUIDE_OPERATIONS)[number];

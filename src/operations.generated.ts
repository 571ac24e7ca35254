// Derived by `npm run spec` (tools/spec) from Klaviyo's OpenAPI document (Copyright (c) 2022 Klaviyo, MIT License, notice in tools/spec/README.md), revision 2026-07-15.
// Do not edit: run npm run spec. Typed and documented in src/operations.ts and src/consent-channels.ts.
export const OPERATION_FACTS = {
  "add_profiles_to_list": {"method":"POST","path":"/api/lists/{id}/relationships/profiles","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["lists:write","profiles:write"]},
  "bulk_create_client_events": {"method":"POST","path":"/client/event-bulk-create","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["events:write"]},
  "bulk_create_events": {"method":"POST","path":"/api/event-bulk-create-jobs","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["events:write"]},
  "bulk_import_profiles": {"method":"POST","path":"/api/profile-bulk-import-jobs","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["lists:write","profiles:write"]},
  "bulk_subscribe_profiles": {"method":"POST","path":"/api/profile-subscription-bulk-create-jobs","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["lists:write","profiles:write","subscriptions:write"]},
  "bulk_suppress_profiles": {"method":"POST","path":"/api/profile-suppression-bulk-create-jobs","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["profiles:write","subscriptions:write"]},
  "bulk_unsubscribe_profiles": {"method":"POST","path":"/api/profile-subscription-bulk-delete-jobs","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["lists:write","profiles:write","subscriptions:write"]},
  "bulk_unsuppress_profiles": {"method":"POST","path":"/api/profile-suppression-bulk-delete-jobs","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["subscriptions:write"]},
  "create_client_event": {"method":"POST","path":"/client/events","rateLimit":{"burstPerSecond":350,"steadyPerMinute":3500},"scopes":["events:write"]},
  "create_client_profile": {"method":"POST","path":"/client/profiles","rateLimit":{"burstPerSecond":350,"steadyPerMinute":3500},"scopes":["profiles:write"]},
  "create_client_review": {"method":"POST","path":"/client/reviews","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":[]},
  "create_client_subscription": {"method":"POST","path":"/client/subscriptions","rateLimit":{"burstPerSecond":350,"steadyPerMinute":750},"scopes":["subscriptions:write"]},
  "create_event": {"method":"POST","path":"/api/events","rateLimit":{"burstPerSecond":350,"steadyPerMinute":3500},"scopes":["events:write"]},
  "create_list": {"method":"POST","path":"/api/lists","rateLimit":{"burstPerSecond":10,"perDay":150,"steadyPerMinute":150},"scopes":["lists:write"]},
  "create_or_update_profile": {"method":"POST","path":"/api/profile-import","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["profiles:write"]},
  "get_actions_for_flow": {"method":"GET","path":"/api/flows/{id}/flow-actions","rateLimit":{"burstPerSecond":3,"steadyPerMinute":60},"scopes":["flows:read"]},
  "get_bulk_import_profiles_job": {"method":"GET","path":"/api/profile-bulk-import-jobs/{job_id}","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["lists:read","profiles:read"]},
  "get_bulk_suppress_profiles_job": {"method":"GET","path":"/api/profile-suppression-bulk-create-jobs/{job_id}","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["subscriptions:read"]},
  "get_bulk_unsuppress_profiles_job": {"method":"GET","path":"/api/profile-suppression-bulk-delete-jobs/{job_id}","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["subscriptions:read"]},
  "get_campaign": {"method":"GET","path":"/api/campaigns/{id}","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["campaigns:read"]},
  "get_campaigns": {"method":"GET","path":"/api/campaigns","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["campaigns:read"]},
  "get_client_ip_allowlist": {"method":"GET","path":"/client/ip-allowlists/{id}","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":[]},
  "get_errors_for_bulk_import_profiles_job": {"method":"GET","path":"/api/profile-bulk-import-jobs/{id}/import-errors","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["profiles:read"]},
  "get_event": {"method":"GET","path":"/api/events/{id}","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["events:read"]},
  "get_events": {"method":"GET","path":"/api/events","rateLimit":{"burstPerSecond":350,"steadyPerMinute":3500},"scopes":["events:read"]},
  "get_flow": {"method":"GET","path":"/api/flows/{id}","rateLimit":{"burstPerSecond":3,"steadyPerMinute":60},"scopes":["flows:read"]},
  "get_flow_action_messages": {"method":"GET","path":"/api/flow-actions/{id}/flow-messages","rateLimit":{"burstPerSecond":3,"steadyPerMinute":60},"scopes":["flows:read"]},
  "get_flow_message": {"method":"GET","path":"/api/flow-messages/{id}","rateLimit":{"burstPerSecond":3,"steadyPerMinute":60},"scopes":["flows:read"]},
  "get_flows": {"method":"GET","path":"/api/flows","rateLimit":{"burstPerSecond":3,"steadyPerMinute":60},"scopes":["flows:read"]},
  "get_list": {"method":"GET","path":"/api/lists/{id}","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["lists:read"]},
  "get_lists": {"method":"GET","path":"/api/lists","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["lists:read"]},
  "get_mapped_metric": {"method":"GET","path":"/api/mapped-metrics/{id}","rateLimit":{"burstPerSecond":3,"steadyPerMinute":60},"scopes":["metrics:read"]},
  "get_metric": {"method":"GET","path":"/api/metrics/{id}","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["metrics:read"]},
  "get_metrics": {"method":"GET","path":"/api/metrics","rateLimit":{"burstPerSecond":10,"steadyPerMinute":150},"scopes":["metrics:read"]},
  "get_profile": {"method":"GET","path":"/api/profiles/{id}","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["profiles:read"]},
  "get_profile_ids_for_list": {"method":"GET","path":"/api/lists/{id}/relationships/profiles","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["lists:read","profiles:read"]},
  "get_profiles": {"method":"GET","path":"/api/profiles","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["profiles:read"]},
  "get_profiles_for_list": {"method":"GET","path":"/api/lists/{id}/profiles","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["lists:read","profiles:read"]},
  "get_profiles_for_segment": {"method":"GET","path":"/api/segments/{id}/profiles","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["profiles:read","segments:read"]},
  "get_segment": {"method":"GET","path":"/api/segments/{id}","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["segments:read"]},
  "get_segments": {"method":"GET","path":"/api/segments","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["segments:read"]},
  "query_campaign_values": {"method":"POST","path":"/api/campaign-values-reports","rateLimit":{"burstPerSecond":1,"perDay":225,"steadyPerMinute":2},"scopes":["campaigns:read"]},
  "query_flow_series": {"method":"POST","path":"/api/flow-series-reports","rateLimit":{"burstPerSecond":1,"perDay":225,"steadyPerMinute":2},"scopes":["flows:read"]},
  "query_flow_values": {"method":"POST","path":"/api/flow-values-reports","rateLimit":{"burstPerSecond":1,"perDay":225,"steadyPerMinute":2},"scopes":["flows:read"]},
  "query_form_series": {"method":"POST","path":"/api/form-series-reports","rateLimit":{"burstPerSecond":1,"perDay":225,"steadyPerMinute":2},"scopes":["forms:read"]},
  "query_form_values": {"method":"POST","path":"/api/form-values-reports","rateLimit":{"burstPerSecond":1,"perDay":225,"steadyPerMinute":2},"scopes":["forms:read"]},
  "query_metric_aggregates": {"method":"POST","path":"/api/metric-aggregates","rateLimit":{"burstPerSecond":3,"steadyPerMinute":60},"scopes":["metrics:read"]},
  "query_segment_series": {"method":"POST","path":"/api/segment-series-reports","rateLimit":{"burstPerSecond":1,"perDay":225,"steadyPerMinute":2},"scopes":["segments:read"]},
  "query_segment_values": {"method":"POST","path":"/api/segment-values-reports","rateLimit":{"burstPerSecond":1,"perDay":225,"steadyPerMinute":2},"scopes":["segments:read"]},
  "request_profile_deletion": {"method":"POST","path":"/api/data-privacy-deletion-jobs","rateLimit":{"burstPerSecond":3,"steadyPerMinute":60},"scopes":["data-privacy:write"]},
  "update_mapped_metric": {"method":"PATCH","path":"/api/mapped-metrics/{id}","rateLimit":{"burstPerSecond":1,"perDay":30,"steadyPerMinute":15},"scopes":["metrics:write"]},
  "update_profile": {"method":"PATCH","path":"/api/profiles/{id}","rateLimit":{"burstPerSecond":75,"steadyPerMinute":750},"scopes":["profiles:write"]}
} as const;

export const CONSENT_CHANNELS = {
  "bulk_subscribe_profiles": {
    "email": {"consent":["marketing","open_tracking"],"other":[],"required":[]},
    "push": {"consent":["marketing"],"other":["tokens","anonymous_id"],"required":["marketing"]},
    "sms": {"consent":["marketing","transactional"],"other":[],"required":[]},
    "whatsapp": {"consent":["marketing","transactional"],"other":[],"required":[]}
  },
  "bulk_unsubscribe_profiles": {
    "email": {"consent":["marketing","open_tracking"],"other":[],"required":[]},
    "push": {"consent":["marketing"],"other":["tokens"],"required":["marketing","tokens"]},
    "sms": {"consent":["marketing","transactional"],"other":[],"required":[]},
    "whatsapp": {"consent":["marketing","transactional","conversational"],"other":[],"required":[]}
  },
  "create_client_subscription": {
    "email": {"consent":["marketing","open_tracking"],"other":[],"required":[]},
    "push": {"consent":["marketing"],"other":["tokens","anonymous_id"],"required":["marketing"]},
    "sms": {"consent":["marketing","transactional"],"other":[],"required":[]},
    "whatsapp": {"consent":["marketing","transactional"],"other":[],"required":[]}
  }
} as const;

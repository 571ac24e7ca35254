/**
 * The attributes each resource type can be asked for (sparse fieldsets, `fields[type]`), as the
 * spec lists them, and how a request's fieldset and `additional-fields[profile]` shape a profile.
 */
import { fields } from "../http/query";
import type { QueryRules } from "../http/query";
import { listParam } from "../http/request";
import type { Request } from "../http/request";
import type { ProfileOptions } from "../resources";

const PROFILE = [
  "created", "email", "external_id", "first_name", "id", "image", "last_event_date", "last_name", "locale", "location",
  "organization", "phone_number", "predictive_analytics", "properties", "subscriptions", "title", "updated",
];
const PROFILE_PREFIXES = ["location.", "subscriptions.", "predictive_analytics."];
export const LIST_FIELDS = ["created", "id", "name", "opt_in_process", "updated"];
export const SEGMENT_FIELDS = [
  "created", "definition", "definition.condition_groups", "id", "is_active", "is_processing", "is_starred", "name", "updated",
];
export const METRIC_FIELDS = ["created", "id", "integration", "name", "updated"];
export const FLOW_FIELDS = ["archived", "created", "name", "status", "trigger_type", "updated"];
export const EVENT_FIELDS = ["datetime", "event_properties", "id", "timestamp", "uuid"];

/** `fields[profile]`. */
export const PROFILE_FIELDS: QueryRules = fields("profile", PROFILE, PROFILE_PREFIXES);
/** `fields[profile]` of a list's or segment's members, who also have `joined_group_at`. */
export const MEMBER_FIELDS: QueryRules = fields("profile", [...PROFILE, "joined_group_at"], PROFILE_PREFIXES);
/** `additional-fields[profile]`: what a profile leaves out unless asked. */
export const ADDITIONAL_PROFILE: QueryRules = {
  "additional-fields[profile]": { kind: "list", values: ["subscriptions", "predictive_analytics"] },
};

/** How the request asks for profiles to be shown: its fieldset and additional fields. */
export function profileView(request: Request): ProfileOptions {
  return { fields: listParam(request, "fields[profile]"), additional: listParam(request, "additional-fields[profile]") };
}

/**
 * JSON:API renderings of demo-account records, shaped like revision 2026-07-15 responses
 * (attribute names, relationship blocks with `links`, resource `links.self` with a trailing slash).
 * Every link uses Klaviyo's own origin: the SDK only follows `https` next links, so the stand-in
 * must hand out the same URLs the real API would.
 */
import { API_ORIGIN } from "../../src/api-origin";
import type { DemoAccount, DemoCustomMetric, DemoEvent, DemoGroup, DemoList, DemoMetric, DemoProfile, DemoSegment } from "./account";
import type { Json, JsonObject, Membership } from "./account";

export type ResourceType = "profile" | "list" | "segment" | "metric" | "event" | "custom-metric";

const PATHS: Record<ResourceType, string> = { profile: "profiles", list: "lists", segment: "segments", metric: "metrics", event: "events", "custom-metric": "custom-metrics" };

export function selfLink(type: ResourceType | "mapped-metric", id: string): { self: string } {
  const path = type === "mapped-metric" ? "mapped-metrics" : PATHS[type];
  return { self: `${API_ORIGIN}/api/${path}/${id}/` };
}

function relationshipLinks(type: ResourceType | "mapped-metric", id: string, name: string): { self: string; related: string } {
  const base = selfLink(type, id).self;
  return { self: `${base}relationships/${name}/`, related: `${base}${name}/` };
}

/** Keeps only the requested attributes; dotted names select inside objects ("location.city"). */
export function sparse(attributes: JsonObject, fields: string[] | undefined): JsonObject {
  if (!fields) return attributes;
  const out: JsonObject = {};
  for (const field of fields) {
    const path = field.split(".");
    let source: Json | undefined = attributes;
    for (const key of path) source = source !== null && typeof source === "object" && !Array.isArray(source) ? source[key] : undefined;
    if (source === undefined) continue;
    let target = out;
    path.slice(0, -1).forEach((key) => {
      const next = target[key];
      target = next !== null && typeof next === "object" && !Array.isArray(next) ? next : (target[key] = {});
    });
    target[path[path.length - 1]] = source;
  }
  return out;
}

export interface ProfileOptions {
  fields?: string[];
  additional?: string[];
  membership?: Membership;
  /** Relationship data to embed (include=lists / include=segments on GET /api/profiles/{id}). */
  relatedData?: { lists?: { type: "list"; id: string }[]; segments?: { type: "segment"; id: string }[] };
}

export function renderProfile(profile: DemoProfile, options: ProfileOptions = {}): JsonObject {
  const attributes: JsonObject = { ...profile.attributes };
  if (options.additional?.includes("subscriptions")) attributes.subscriptions = profile.subscriptions;
  if (options.additional?.includes("predictive_analytics")) attributes.predictive_analytics = profile.predictive_analytics;
  if (options.membership) attributes.joined_group_at = options.membership.joinedAt;
  const relationships: JsonObject = {};
  for (const name of ["lists", "segments", "push-tokens", "conversations"] as const) {
    const block: JsonObject = { links: relationshipLinks("profile", profile.id, name) };
    const data = name === "lists" || name === "segments" ? options.relatedData?.[name] : undefined;
    if (data) block.data = data;
    relationships[name] = block;
  }
  return {
    type: "profile",
    id: profile.id,
    attributes: sparse(attributes, options.fields),
    relationships,
    links: selfLink("profile", profile.id),
  };
}

/** A list or segment with `attributes` (its profile count added on request), its profiles, tags and flow triggers related. */
function renderGroup(type: "list" | "segment", group: DemoGroup, attributes: JsonObject, fields?: string[], withCount = false): JsonObject {
  if (withCount) attributes.profile_count = group.members.length;
  const relationships: JsonObject = {};
  for (const name of ["profiles", "tags", "flow-triggers"]) relationships[name] = { links: relationshipLinks(type, group.id, name) };
  return { type, id: group.id, attributes: sparse(attributes, fields), relationships, links: selfLink(type, group.id) };
}

export function renderList(list: DemoList, fields?: string[], withProfileCount = false): JsonObject {
  const attributes: JsonObject = { name: list.name, created: list.created, updated: list.updated, opt_in_process: list.opt_in_process };
  return renderGroup("list", list, attributes, fields, withProfileCount);
}

export function renderSegment(segment: DemoSegment, fields?: string[], withProfileCount = false): JsonObject {
  const attributes: JsonObject = {
    name: segment.name,
    created: segment.created,
    updated: segment.updated,
    is_active: segment.is_active,
    is_processing: segment.is_processing,
    is_starred: segment.is_starred,
  };
  return renderGroup("segment", segment, attributes, fields, withProfileCount);
}

export function renderMetric(metric: DemoMetric, fields?: string[]): JsonObject {
  const attributes: JsonObject = {
    name: metric.name,
    created: metric.created,
    updated: metric.updated,
    integration: { ...metric.integration },
  };
  return {
    type: "metric",
    id: metric.id,
    attributes: sparse(attributes, fields),
    relationships: { "flow-triggers": { links: relationshipLinks("metric", metric.id, "flow-triggers") } },
    links: selfLink("metric", metric.id),
  };
}

/** A custom metric, as included with the purpose it is mapped to. */
export function renderCustomMetric(custom: DemoCustomMetric, fields?: string[]): JsonObject {
  const attributes: JsonObject = { name: custom.name, created: custom.created, updated: custom.updated, definition: custom.definition };
  return { type: "custom-metric", id: custom.id, attributes: sparse(attributes, fields), links: selfLink("custom-metric", custom.id) };
}

/** An event; `metricResolves` false for an event of a metric deleted from the account (its relationship has no data). */
export function renderEvent(event: DemoEvent, fields?: string[], metricResolves = true): JsonObject {
  const attributes: JsonObject = {
    timestamp: event.timestamp,
    event_properties: event.event_properties,
    datetime: event.datetime,
    uuid: event.uuid,
  };
  return {
    type: "event",
    id: event.id,
    attributes: sparse(attributes, fields),
    relationships: {
      profile: { data: { type: "profile", id: event.profileId }, links: relationshipLinks("event", event.id, "profile") },
      metric: {
        ...(metricResolves ? { data: { type: "metric", id: event.metricId } } : {}),
        links: relationshipLinks("event", event.id, "metric"),
      },
      attributions: { links: relationshipLinks("event", event.id, "attributions") },
    },
    links: selfLink("event", event.id),
  };
}

export function renderMappedMetric(account: DemoAccount, id: string): JsonObject {
  const mapped = account.mappedMetrics[id as keyof DemoAccount["mappedMetrics"]];
  const metric: JsonObject = { links: relationshipLinks("mapped-metric", id, "metric") };
  if (mapped?.metricId) metric.data = { type: "metric", id: mapped.metricId };
  const customMetric: JsonObject = { links: relationshipLinks("mapped-metric", id, "custom-metric") };
  if (mapped?.customMetricId) customMetric.data = { type: "custom-metric", id: mapped.customMetricId };
  return {
    type: "mapped-metric",
    id,
    attributes: { updated: mapped?.updated ?? account.now.replace("Z", "+00:00") },
    relationships: { metric, "custom-metric": customMetric },
    links: selfLink("mapped-metric", id),
  };
}

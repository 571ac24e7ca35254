/**
 * Events: reading them (GET /api/events, /api/events/{id}, with the metric and profile included
 * on request) and the server-side guide's writes, one event at a time or in bulk. Since revision
 * 2026-07-15 the events of a metric deleted from the account come back too, with no metric in their
 * relationship; `has(metric)` leaves them out.
 *
 * Written events are applied at once (Klaviyo is asynchronous; the guide says so) and
 * de-duplicated on profile + metric + `unique_id`, so re-sending is harmless. `backfill` is
 * accepted and checked; the stand-in runs no flows, so it changes nothing else.
 *
 * Retry demo (deterministic, so a guide can show a retry that is safe): the FIRST `POST /api/events`
 * whose `unique_id` is `SERVER_ERROR_DEMO_UNIQUE_ID` is stored and then answered `500`, as when a
 * gateway fails after the event arrived; the retry gets its 202 and adds nothing.
 */
import { API_ORIGIN } from "../../../src/api-origin";
import type { DemoAccount, DemoEvent, JsonObject } from "../account";
import { addEvent, upsertProfile } from "../account-writes";
import { checkClientBody } from "../client-bodies";
import { CMP, datetimeField, EQ, parseFilter, relationField, stringField } from "../filter";
import type { FieldRule } from "../filter";
import { checkBoolean, isObj, need, needType } from "../http/body";
import type { Obj } from "../http/body";
import { applyFilter, paginate, recordById, sortBy } from "../http/collections";
import { fields, FILTER, include, page, sort } from "../http/query";
import type { QueryRules } from "../http/query";
import { invalid, invalidBody, refuse, serverError } from "../http/reply";
import type { Reply } from "../http/reply";
import { jsonBody, listParam } from "../http/request";
import type { Request } from "../http/request";
import type { Route } from "../http/route";
import { renderEvent, renderMetric, renderProfile } from "../resources";
import type { StandInState } from "../state";
import { EVENT_FIELDS, METRIC_FIELDS, PROFILE_FIELDS } from "./fields";

export const SERVER_ERROR_DEMO_UNIQUE_ID = "retry-demo-1";

/** The filters of `GET /api/events`: `has(metric)` leaves out the events of metrics deleted from the account. */
function eventFilters(account: DemoAccount): Record<string, FieldRule<DemoEvent>> {
  const deleted = new Set(account.deletedMetricIds);
  return {
    metric_id: stringField((e) => e.metricId, EQ),
    profile_id: stringField((e) => e.profileId, EQ),
    metric: relationField((e) => (deleted.has(e.metricId) ? null : e.metricId)),
    profile: relationField((e) => e.profileId),
    datetime: datetimeField((e) => e.datetime, CMP),
    timestamp: { ops: CMP, type: "number", get: (e) => e.timestamp },
  };
}

/** An event's fieldset and what can be included with it. */
const EVENT_QUERY: QueryRules = {
  ...fields("event", EVENT_FIELDS),
  ...fields("metric", METRIC_FIELDS),
  ...PROFILE_FIELDS,
  ...fields("attribution", ["id"]),
  ...include(["attributions", "metric", "profile"]),
};

export const EVENT_ROUTES: Route[] = [
  {
    operation: "get_events",
    method: "GET",
    path: "/api/events",
    query: { ...EVENT_QUERY, ...FILTER, ...page(1000), ...sort(["datetime", "timestamp"]) },
    handle({ request, state }) {
      let rows = applyFilter(request, eventCandidates(request, state.account.events), eventFilters(state.account));
      rows = sortBy(rows, request.query.get("sort"), { datetime: (e) => e.timestamp, timestamp: (e) => e.timestamp });
      const { page: slice, links } = paginate(request, rows, 200);
      return { status: 200, body: eventDocument(request, state, slice, links) };
    },
  },
  {
    operation: "get_event",
    method: "GET",
    path: "/api/events/{id}",
    query: EVENT_QUERY,
    handle({ request, params, state }) {
      const event = recordById(state.account.events, params.id, "An event");
      const doc = eventDocument(request, state, [event], { self: `${API_ORIGIN}/api/events/${event.id}/` });
      return { status: 200, body: { ...doc, data: (doc.data as JsonObject[])[0] } };
    },
  },
  {
    operation: "create_event",
    method: "POST",
    path: "/api/events",
    query: {},
    rateLimitWindow: "running",
    handle: ({ request, state }) => createEvent(state, jsonBody(request)),
  },
  {
    operation: "bulk_create_events",
    method: "POST",
    path: "/api/event-bulk-create-jobs",
    query: {},
    rateLimitWindow: "running",
    handle: ({ request, state }) => bulkCreateEvents(state, jsonBody(request)),
  },
];

/** Events by profile, for each events array, rebuilt when a write has added one. */
const eventIndex = new WeakMap<DemoEvent[], { size: number; byProfile: Map<string, DemoEvent[]> }>();

/**
 * The events a filter can match: only the profile's own when it says `equals(profile_id,…)`, as the
 * API's index would (a benchmark sends thousands of such requests to a large account). The same
 * events in the same order as a scan of all of them, so answers do not change.
 */
function eventCandidates(request: Request, events: DemoEvent[]): DemoEvent[] {
  const text = request.query.get("filter");
  const profile = text === undefined ? undefined : parseFilter(text).find((c) => c.op === "equals" && c.field === "profile_id");
  if (profile?.value.kind !== "string") return events;
  let index = eventIndex.get(events);
  if (index?.size !== events.length) {
    const byProfile = new Map<string, DemoEvent[]>();
    for (const e of events) {
      const own = byProfile.get(e.profileId);
      if (own) own.push(e);
      else byProfile.set(e.profileId, [e]);
    }
    index = { size: events.length, byProfile };
    eventIndex.set(events, index);
  }
  return index.byProfile.get(profile.value.value) ?? [];
}

/** Events as a document with `links`, and `included` metrics and profiles when asked for. */
function eventDocument(request: Request, state: StandInState, events: DemoEvent[], links: JsonObject): JsonObject {
  const { account } = state;
  const includes = listParam(request, "include") ?? [];
  const deleted = new Set(account.deletedMetricIds);
  const data = events.map((e) => {
    const resource = renderEvent(e, listParam(request, "fields[event]"), !deleted.has(e.metricId));
    if (includes.includes("attributions")) ((resource.relationships as JsonObject).attributions as JsonObject).data = [];
    return resource;
  });
  const body: JsonObject = { data, links };
  if (includes.length > 0) {
    const included: JsonObject[] = [];
    if (includes.includes("metric")) {
      for (const id of new Set(events.map((e) => e.metricId))) {
        const metric = account.metrics.find((m) => m.id === id);
        if (metric) included.push(renderMetric(metric, listParam(request, "fields[metric]")));
      }
    }
    if (includes.includes("profile")) {
      const byId = new Map(account.profiles.map((p) => [p.id, p]));
      for (const id of new Set(events.map((e) => e.profileId))) {
        const profile = byId.get(id);
        if (profile) included.push(renderProfile(profile, { fields: listParam(request, "fields[profile]") }));
      }
    }
    body.included = included;
  }
  return body;
}

/** POST /api/events: the client endpoint's checks, the server side's extras, then the event. */
function createEvent(state: StandInState, body: unknown): Reply {
  const { problem } = checkClientBody("/client/events", body);
  if (problem) return invalidBody(problem);
  const attrs = (body as { data: { attributes: Obj } }).data.attributes;
  checkEventExtras(state, attrs, "/data/attributes");
  const rng = state.rng();
  const profile = upsertProfile(state.account, rng, (attrs.profile as { data: Obj }).data);
  addEvent(state.account, rng, profile, attrs);
  if (!state.failedOnce && attrs.unique_id === SERVER_ERROR_DEMO_UNIQUE_ID) {
    state.failedOnce = true;
    const detail = "Internal error (the demo stand-in fails this request once, after storing the event).";
    return serverError(detail, "5e7e0500-0000-4000-a000-000000000500");
  }
  return { status: 202 };
}

/** POST /api/event-bulk-create-jobs: up to 1,000 events of several profiles, all or none. */
function bulkCreateEvents(state: StandInState, body: unknown): Reply {
  const data = need(body, "data", "");
  needType(data, "event-bulk-create-job");
  const attrs = need(data, "attributes", "/data");
  const entries = need(attrs, "events-bulk-create", "/data/attributes").data;
  const at = "/data/attributes/events-bulk-create/data";
  if (!Array.isArray(entries) || entries.length === 0) {
    return invalid("'data' must be a list of event-bulk-create objects", { pointer: at });
  }
  let total = 0;
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) total += checkBulkEntry(state, entry, `${at}/${i}`, seen);
  if (total > 1000) return invalid(`At most 1,000 events per request; this one has ${total}.`, { pointer: at });
  const rng = state.rng();
  for (const entry of entries as Obj[]) {
    const eAttrs = entry.attributes as Obj;
    const profile = upsertProfile(state.account, rng, (eAttrs.profile as { data: Obj }).data);
    for (const ev of (eAttrs.events as { data: Obj[] }).data) addEvent(state.account, rng, profile, ev.attributes as Obj);
  }
  return { status: 202 };
}

/**
 * Checks one profile's entry of a bulk create (at `at`) and returns how many events it has. The
 * spec: a unique_id repeated for the same profile and metric fails the whole request (`seen`
 * collects them across entries).
 */
function checkBulkEntry(state: StandInState, entry: unknown, at: string, seen: Set<string>): number {
  if (!isObj(entry) || entry.type !== "event-bulk-create") refuse(invalid("'type' must be 'event-bulk-create'", { pointer: `${at}/type` }));
  const eAttrs = need(entry, "attributes", at);
  checkBoolean(eAttrs.backfill, `${at}/attributes/backfill`);
  const events = need(eAttrs, "events", `${at}/attributes`).data;
  // The client endpoint's checks cover one profile with its events, which is exactly an entry.
  const asClient = { data: { type: "event-bulk-create", attributes: { profile: eAttrs.profile, events: { data: events } } } };
  const { problem } = checkClientBody("/client/event-bulk-create", asClient);
  if (problem) refuse(invalid(problem.detail, { pointer: problem.pointer.replace("/data", at) }));
  const profile = (eAttrs.profile as { data: Obj }).data;
  const pAttrs = profile.attributes as Obj;
  const who = JSON.stringify([profile.id ?? null, pAttrs.email ?? null, pAttrs.phone_number ?? null, pAttrs.external_id ?? null]);
  for (const [j, ev] of (events as Obj[]).entries()) {
    const evAttrs = ev.attributes as Obj;
    const pointer = `${at}/attributes/events/data/${j}/attributes`;
    checkEventExtras(state, evAttrs, pointer);
    if (typeof evAttrs.unique_id !== "string") continue;
    const metric = String((evAttrs.metric as { data: { attributes: Obj } }).data.attributes.name);
    const key = `${who}|${metric}|${evAttrs.unique_id}`;
    if (seen.has(key)) {
      const detail = `unique_id '${evAttrs.unique_id}' appears twice for the same profile and metric; no events were processed.`;
      refuse(invalid(detail, { pointer: `${pointer}/unique_id` }));
    }
    seen.add(key);
  }
  return (events as unknown[]).length;
}

/** What the server-side event endpoints check beyond the client's: backfill, value, currency, time. */
function checkEventExtras(state: StandInState, attrs: Obj, pointer: string): void {
  checkBoolean(attrs.backfill, `${pointer}/backfill`);
  const sent = (value: unknown): boolean => value !== undefined && value !== null;
  if (sent(attrs.value) && typeof attrs.value !== "number") refuse(invalid("'value' must be a number", { pointer: `${pointer}/value` }));
  if (sent(attrs.value_currency) && (typeof attrs.value_currency !== "string" || !/^[A-Z]{3}$/.test(attrs.value_currency))) {
    refuse(invalid("'value_currency' must be an ISO 4217 code such as 'USD'", { pointer: `${pointer}/value_currency` }));
  }
  if (typeof attrs.time === "string") {
    const at = Date.parse(attrs.time);
    if (at < Date.parse("1990-01-01T00:00:00Z") || at > Date.parse(state.account.now) + 365 * 86_400_000) {
      refuse(invalid("'time' must be after 1990 and at most one year in the future", { pointer: `${pointer}/time` }));
    }
  }
}

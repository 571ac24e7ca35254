/**
 * Changes the write routes make to the in-memory account, shared by the client and server sides:
 * finding or creating a profile, changing its attributes, and adding an event.
 */
import { apiDatetime, byTimeThenId, emailMarketing, smsMarketing } from "./account";
import type { DemoAccount, DemoProfile, Json, JsonObject } from "./account";
import { INTEGRATIONS } from "./catalog";
import { isObj } from "./http/body";
import type { Obj } from "./http/body";
import { invalid, refuse } from "./http/reply";
import { shortId, ulid, uuid } from "./random";
import type { Random } from "./random";

/** Identifiers a profile can be found by. */
const IDENTIFIERS = ["email", "phone_number", "external_id"];

/** Whether the profile has one of the identifiers among `attrs`. */
function sharesIdentifier(profile: DemoProfile, attrs: Obj): boolean {
  return IDENTIFIERS.some((k) => typeof attrs[k] === "string" && profile.attributes[k] === attrs[k]);
}

/** The first profile that has one of the identifiers among `attrs`. */
export function findByIdentifier(account: DemoAccount, attrs: Obj): DemoProfile | undefined {
  return account.profiles.find((p) => sharesIdentifier(p, attrs));
}

/** Finds the profile by id or identifier, or creates it; fills in identifiers it lacks, never changes one it has. */
export function upsertProfile(account: DemoAccount, rng: Random, data: Obj): DemoProfile {
  const attrs = (data.attributes ?? {}) as Obj;
  const now = apiDatetime(Date.parse(account.now));
  const existing = account.profiles.find((p) => (typeof data.id === "string" && p.id === data.id) || sharesIdentifier(p, attrs));
  const incoming: JsonObject = {};
  for (const key of ["first_name", "last_name", "organization", "locale", "title", "image"]) {
    if (typeof attrs[key] === "string") incoming[key] = attrs[key] as string;
  }
  if (existing) {
    // Client endpoints never change an identifier that is already set; they fill in empty ones.
    for (const key of IDENTIFIERS) {
      if (existing.attributes[key] === null && typeof attrs[key] === "string") incoming[key] = attrs[key] as string;
    }
    Object.assign(existing.attributes, incoming, { updated: now });
    if (isObj(attrs.properties)) {
      existing.attributes.properties = { ...(existing.attributes.properties as JsonObject), ...(attrs.properties as JsonObject) };
    }
    return existing;
  }
  const text = (key: string): string | null => (typeof attrs[key] === "string" ? (attrs[key] as string) : null);
  const nowhere = { address1: null, address2: null, city: null, country: null, latitude: null, longitude: null, region: null, zip: null };
  const created: DemoProfile = {
    id: ulid(rng, Date.parse(account.now)),
    attributes: {
      email: text("email"),
      phone_number: text("phone_number"),
      external_id: text("external_id"),
      first_name: null,
      last_name: null,
      organization: null,
      locale: null,
      title: null,
      image: null,
      created: now,
      updated: now,
      last_event_date: null,
      location: { ...nowhere, timezone: null, ip: null },
      properties: isObj(attrs.properties) ? (attrs.properties as JsonObject) : {},
      ...incoming,
    },
    subscriptions: {
      email: { marketing: emailMarketing("NEVER_SUBSCRIBED", null) },
      sms: { marketing: smsMarketing("NEVER_SUBSCRIBED", null) },
    },
    predictive_analytics: {},
  };
  account.profiles.push(created);
  return created;
}

/**
 * Sets the attributes the server-side profile endpoints were sent: a field sent as null is
 * cleared, a field left out is left alone. Identifiers may change here (unlike on /client/*),
 * unless another profile already has the new value (a 400 pointing under `pointer`).
 */
export function applyAttributes(account: DemoAccount, profile: DemoProfile, attrs: Obj, pointer: string): void {
  for (const key of IDENTIFIERS) {
    const value = attrs[key];
    if (typeof value !== "string" || value === profile.attributes[key]) continue;
    const other = account.profiles.find((p) => p !== profile && p.attributes[key] === value);
    if (other) refuse(invalid(`Another profile (${other.id}) already has ${key} '${value}'.`, { pointer: `${pointer}/${key}` }));
  }
  for (const key of [...IDENTIFIERS, "first_name", "last_name", "organization", "locale", "title", "image"]) {
    if (attrs[key] === null || typeof attrs[key] === "string") profile.attributes[key] = attrs[key] as string | null;
  }
  if (isObj(attrs.location)) {
    profile.attributes.location = { ...(profile.attributes.location as JsonObject), ...(attrs.location as JsonObject) };
  }
  if (attrs.properties === null) profile.attributes.properties = {};
  else if (isObj(attrs.properties)) {
    profile.attributes.properties = { ...(profile.attributes.properties as JsonObject), ...(attrs.properties as JsonObject) };
  }
  profile.attributes.updated = apiDatetime(Date.parse(account.now));
}

/** Adds an event unless one with the same profile, metric and unique_id exists (Klaviyo keeps the first). */
export function addEvent(account: DemoAccount, rng: Random, profile: DemoProfile, attrs: Obj): void {
  const name = (((attrs.metric as Obj).data as Obj).attributes as Obj).name as string;
  let metric = account.metrics.find((m) => m.name === name && m.integration.key === "api");
  if (!metric) {
    const stamp = apiDatetime(Date.parse(account.now));
    metric = { id: shortId(rng), name, created: stamp, updated: stamp, integration: INTEGRATIONS.api };
    account.metrics.push(metric);
  }
  const at = typeof attrs.time === "string" ? Date.parse(attrs.time) : Date.parse(account.now);
  const properties = { ...(attrs.properties as JsonObject) };
  if (typeof attrs.value === "number") properties["$value"] = attrs.value;
  const seconds = Math.floor(at / 1000);
  const uniqueId: Json = typeof attrs.unique_id === "string" ? attrs.unique_id : String(seconds);
  const metricId = metric.id;
  const sameKey = (e: DemoAccount["events"][number]): boolean =>
    e.profileId === profile.id && e.metricId === metricId && (e.event_properties["$event_id"] ?? String(e.timestamp)) === uniqueId;
  if (account.events.some(sameKey)) return;
  properties["$event_id"] = uniqueId;
  const event = {
    id: shortId(rng, 12),
    metricId,
    profileId: profile.id,
    timestamp: seconds,
    datetime: apiDatetime(at),
    uuid: uuid(rng),
    event_properties: properties,
  };
  account.events.push(event);
  account.events.sort(byTimeThenId);
  profile.attributes.last_event_date = account.events.filter((e) => e.profileId === profile.id).slice(-1)[0].datetime;
}

/**
 * The client-side write endpoints (/client/events, /client/event-bulk-create, /client/subscriptions,
 * /client/profiles, /client/reviews): body checks that mirror Klaviyo's 400s, and the effect of an
 * accepted request on the in-memory account. Klaviyo processes these asynchronously; the stand-in
 * applies them at once so a later read in the same run can see them.
 *
 * Phone numbers follow Klaviyo's announcement "API validation improvements for phone number
 * handling": on Subscribe, Create Profile and Create Event an impossible phone number sent with
 * another identifier is dropped and the request processed on the rest, flagged by the answer's
 * `X-Klaviyo-Partial-Failure: phone_number`; only a request whose sole identifier is an invalid
 * phone number gets 400. Since revision 2024-05-15, SMS consent for a region the account has no
 * sending number for is refused with 400.
 */
import { isValidPhoneNumber, parsePhoneNumberFromString } from "libphonenumber-js";
import { apiDatetime } from "./account";
import type { DemoAccount, DemoProfile, Json, JsonObject } from "./account";
import { INTEGRATIONS } from "./catalog";
import { Random, shortId, ulid, uuid } from "./random";

/** One JSON:API error item before its id is assigned. */
export interface Problem {
  detail: string;
  pointer: string;
}

export const PHONE_DETAIL = "Invalid phone number format (Example of a valid format: +12015550123)";
export const EMAIL_DETAIL = "Invalid email address";
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Regions the demo account has an SMS sending number for (a US toll-free number). */
export const SMS_SENDING_REGIONS: readonly string[] = ["US"];

/** What the body checks found: the 400 to answer, or the fields dropped (for the partial-failure header). */
export interface ClientCheck {
  problem: Problem | null;
  ignored: string[];
}

type Obj = { [key: string]: unknown };
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Walks a body, collecting the first problem: Klaviyo reports one error per 400. */
class Checker {
  problem: Problem | null = null;
  /** Fields dropped from the body (deleted in place) while the rest is processed. */
  ignored: string[] = [];

  /** Invalid phone numbers are forgiven on these endpoints when another identifier is present. */
  constructor(readonly forgivesPhone: boolean) {}

  object(parent: unknown, key: string, pointer: string): Obj | null {
    if (this.problem) return null;
    const v = isObj(parent) ? parent[key] : undefined;
    if (!isObj(v)) {
      this.problem = { detail: v === undefined ? `'${key}' is a required property` : `'${key}' must be an object`, pointer: `${pointer}/${key}` };
      return null;
    }
    return v;
  }

  type(data: Obj | null, expected: string, pointer: string): void {
    if (this.problem || !data) return;
    if (data.type !== expected) this.problem = { detail: `'type' must be '${expected}'`, pointer: `${pointer}/type` };
  }

  /** Identifiers and contact details of a profile object (`{type:'profile', id?, attributes}`). */
  profile(data: Obj | null, pointer: string, requireIdentifier: boolean): void {
    if (this.problem || !data) return;
    this.type(data, "profile", pointer);
    const attrs = this.object(data, "attributes", pointer);
    if (!attrs) return;
    const at = `${pointer}/attributes`;
    if (attrs.email !== undefined && attrs.email !== null && (typeof attrs.email !== "string" || !EMAIL.test(attrs.email))) {
      this.problem = { detail: EMAIL_DETAIL, pointer: `${at}/email` };
    } else if (attrs.phone_number !== undefined && attrs.phone_number !== null && (typeof attrs.phone_number !== "string" || !isValidPhoneNumber(attrs.phone_number))) {
      const others = ["email", "external_id", "anonymous_id", "_kx"].some((k) => typeof attrs[k] === "string") || typeof data.id === "string";
      if (this.forgivesPhone && others) {
        delete attrs.phone_number;
        this.ignored.push("phone_number");
      } else {
        this.problem = { detail: PHONE_DETAIL, pointer: `${at}/phone_number` };
      }
    } else if (requireIdentifier && !["email", "phone_number", "external_id", "anonymous_id", "_kx"].some((k) => typeof attrs[k] === "string") && typeof data.id !== "string") {
      this.problem = { detail: "A profile identifier is required: one of id, email, phone_number, external_id, anonymous_id or _kx.", pointer: at };
    }
  }

  metric(attrs: Obj | null, pointer: string): void {
    const metric = this.object(this.object(attrs, "metric", pointer), "data", `${pointer}/metric`);
    this.type(metric, "metric", `${pointer}/metric/data`);
    const mAttrs = this.object(metric, "attributes", `${pointer}/metric/data`);
    if (this.problem || !mAttrs) return;
    const name = mAttrs.name;
    if (typeof name !== "string" || name.length === 0) this.problem = { detail: "'name' is a required property", pointer: `${pointer}/metric/data/attributes/name` };
    else if (name.length >= 128) this.problem = { detail: "Metric name must be shorter than 128 characters.", pointer: `${pointer}/metric/data/attributes/name` };
  }

  /** `ReviewCreateDTO`: type "review"; review_type, email, author and content required; rating 1–5. */
  review(data: Obj | null): void {
    this.type(data, "review", "/data");
    const attrs = this.object(data, "attributes", "/data");
    if (this.problem || !attrs) return;
    const missing = ["review_type", "email", "author", "content"].find((k) => typeof attrs[k] !== "string");
    if (missing) this.problem = { detail: `'${missing}' is a required property`, pointer: `/data/attributes/${missing}` };
    else if (!["question", "rating", "review", "store"].includes(attrs.review_type as string)) this.problem = { detail: "'review_type' must be one of question, rating, review, store", pointer: "/data/attributes/review_type" };
    else if (!EMAIL.test(attrs.email as string)) this.problem = { detail: EMAIL_DETAIL, pointer: "/data/attributes/email" };
    else if (attrs.rating !== undefined && attrs.rating !== null && ![1, 2, 3, 4, 5].includes(attrs.rating as number)) this.problem = { detail: "'rating' must be an integer from 1 to 5", pointer: "/data/attributes/rating" };
    else if (isObj(attrs.product) && !["shopify", "woocommerce"].includes(attrs.product.integration_key as string)) {
      this.problem = { detail: "'integration_key' must be one of shopify, woocommerce", pointer: "/data/attributes/product/integration_key" };
    }
  }

  eventAttributes(attrs: Obj | null, pointer: string): void {
    if (this.problem || !attrs) return;
    if (!isObj(attrs.properties)) this.problem = { detail: "'properties' is a required property", pointer: `${pointer}/properties` };
    else if (attrs.time !== undefined && attrs.time !== null && (typeof attrs.time !== "string" || Number.isNaN(Date.parse(attrs.time)))) {
      this.problem = { detail: "'time' must be an ISO 8601 datetime", pointer: `${pointer}/time` };
    } else this.metric(attrs, pointer);
  }
}

export type ClientPath = "/client/events" | "/client/event-bulk-create" | "/client/subscriptions" | "/client/profiles" | "/client/reviews";

/**
 * Checks a client-endpoint body: the first problem (null when Klaviyo would accept it), and the
 * fields dropped from `body` in place because the rest of the request stands without them.
 */
export function checkClientBody(path: ClientPath, body: unknown): ClientCheck {
  if (!isObj(body)) return { problem: { detail: "The request body must be a JSON:API document (a JSON object with 'data').", pointer: "/" }, ignored: [] };
  const c = new Checker(path !== "/client/event-bulk-create");
  const data = c.object(body, "data", "");
  if (path === "/client/events") {
    c.type(data, "event", "/data");
    const attrs = c.object(data, "attributes", "/data");
    c.eventAttributes(attrs, "/data/attributes");
    c.profile(c.object(c.object(attrs, "profile", "/data/attributes"), "data", "/data/attributes/profile"), "/data/attributes/profile/data", true);
  } else if (path === "/client/event-bulk-create") {
    c.type(data, "event-bulk-create", "/data");
    const attrs = c.object(data, "attributes", "/data");
    c.profile(c.object(c.object(attrs, "profile", "/data/attributes"), "data", "/data/attributes/profile"), "/data/attributes/profile/data", true);
    const events = c.object(attrs, "events", "/data/attributes");
    if (!c.problem) {
      const list = events?.data;
      if (!Array.isArray(list) || list.length === 0 || list.length > 1000) {
        c.problem = { detail: "'data' must be a list of 1 to 1000 events", pointer: "/data/attributes/events/data" };
      } else {
        list.forEach((ev, i) => {
          const p = `/data/attributes/events/data/${i}`;
          c.type(isObj(ev) ? ev : null, "event", p);
          c.eventAttributes(c.object(ev, "attributes", p), `${p}/attributes`);
        });
      }
    }
  } else if (path === "/client/subscriptions") {
    c.type(data, "subscription", "/data");
    const attrs = c.object(data, "attributes", "/data");
    const profile = c.object(c.object(attrs, "profile", "/data/attributes"), "data", "/data/attributes/profile");
    c.profile(profile, "/data/attributes/profile/data", false);
    const pAttrs = profile && isObj(profile.attributes) ? profile.attributes : {};
    if (!c.problem && typeof pAttrs.email !== "string" && typeof pAttrs.phone_number !== "string") {
      c.problem = { detail: "An email or phone_number is required to subscribe a profile.", pointer: "/data/attributes/profile/data/attributes" };
    }
    const sms = isObj(pAttrs.subscriptions) ? pAttrs.subscriptions.sms : undefined;
    if (!c.problem && isObj(sms) && typeof pAttrs.phone_number === "string") {
      const region = parsePhoneNumberFromString(pAttrs.phone_number)?.country ?? "unknown";
      if (!SMS_SENDING_REGIONS.includes(region)) {
        c.problem = { detail: `SMS consent cannot be collected for ${pAttrs.phone_number}: this account has no sending number for region ${region}.`, pointer: "/data/attributes/profile/data/attributes/subscriptions/sms" };
      }
    }
    const list = c.object(c.object(c.object(data, "relationships", "/data"), "list", "/data/relationships"), "data", "/data/relationships/list");
    c.type(list, "list", "/data/relationships/list/data");
    if (!c.problem && typeof list?.id !== "string") c.problem = { detail: "'id' is a required property", pointer: "/data/relationships/list/data/id" };
  } else if (path === "/client/reviews") {
    c.review(data);
  } else {
    c.profile(data, "/data", true);
  }
  return { problem: c.problem, ignored: c.ignored };
}

/** Applies an accepted client request to the account. Returns a problem for a list that does not exist. */
export function applyClientBody(account: DemoAccount, path: ClientPath, body: Obj, seq: number): Problem | null {
  const rng = new Random(0x5eed + seq);
  const data = body.data as Obj;
  const attrs = (data.attributes ?? {}) as Obj;
  if (path === "/client/profiles") {
    upsertProfile(account, rng, data);
    return null;
  }
  // Reviews go to Klaviyo Reviews' moderation queue, which the demo account does not model.
  if (path === "/client/reviews") return null;
  if (path === "/client/subscriptions") {
    const listId = ((data.relationships as Obj).list as { data: { id: string } }).data.id;
    const list = account.lists.find((l) => l.id === listId);
    if (!list) return { detail: `List '${listId}' does not exist in this account.`, pointer: "/data/relationships/list/data/id" };
    const profile = upsertProfile(account, rng, (attrs.profile as Obj).data as Obj);
    // A double opt-in list only gains the member after the confirmation e-mail is clicked.
    if (list.opt_in_process === "single_opt_in" && !list.members.some((m) => m.profileId === profile.id)) {
      list.members.push({ profileId: profile.id, joinedAt: apiDatetime(Date.parse(account.now)) });
    }
    return null;
  }
  const profile = upsertProfile(account, rng, (attrs.profile as Obj).data as Obj);
  const events = path === "/client/events" ? [attrs] : ((attrs.events as Obj).data as Obj[]).map((e) => e.attributes as Obj);
  for (const ev of events) addEvent(account, rng, profile, ev);
  return null;
}

/** Finds the profile by id or identifier, or creates it; fills in identifiers it lacks, never changes one it has. */
export function upsertProfile(account: DemoAccount, rng: Random, data: Obj): DemoProfile {
  const attrs = (data.attributes ?? {}) as Obj;
  const now = apiDatetime(Date.parse(account.now));
  const existing = account.profiles.find(
    (p) =>
      (typeof data.id === "string" && p.id === data.id) ||
      (typeof attrs.email === "string" && p.attributes.email === attrs.email) ||
      (typeof attrs.phone_number === "string" && p.attributes.phone_number === attrs.phone_number) ||
      (typeof attrs.external_id === "string" && p.attributes.external_id === attrs.external_id),
  );
  const incoming: JsonObject = {};
  for (const key of ["first_name", "last_name", "organization", "locale", "title", "image"]) if (typeof attrs[key] === "string") incoming[key] = attrs[key] as string;
  if (existing) {
    // Client endpoints never change an identifier that is already set; they fill in empty ones.
    for (const key of ["email", "phone_number", "external_id"]) if (existing.attributes[key] === null && typeof attrs[key] === "string") incoming[key] = attrs[key] as string;
    Object.assign(existing.attributes, incoming, { updated: now });
    if (isObj(attrs.properties)) existing.attributes.properties = { ...(existing.attributes.properties as JsonObject), ...(attrs.properties as JsonObject) };
    return existing;
  }
  const created: DemoProfile = {
    id: ulid(rng, Date.parse(account.now)),
    attributes: {
      email: typeof attrs.email === "string" ? attrs.email : null,
      phone_number: typeof attrs.phone_number === "string" ? attrs.phone_number : null,
      external_id: typeof attrs.external_id === "string" ? attrs.external_id : null,
      first_name: null,
      last_name: null,
      organization: null,
      locale: null,
      title: null,
      image: null,
      created: now,
      updated: now,
      last_event_date: null,
      location: { address1: null, address2: null, city: null, country: null, latitude: null, longitude: null, region: null, zip: null, timezone: null, ip: null },
      properties: isObj(attrs.properties) ? (attrs.properties as JsonObject) : {},
      ...incoming,
    },
    subscriptions: {
      email: { marketing: { can_receive_email_marketing: false, consent: "NEVER_SUBSCRIBED", consent_timestamp: null, last_updated: null, method: null, method_detail: "", custom_method_detail: null, double_optin: null, suppression: [], list_suppressions: [] } },
      sms: { marketing: { can_receive_sms_marketing: false, consent: "NEVER_SUBSCRIBED", consent_timestamp: null, method: null, method_detail: "", last_updated: null } },
    },
    predictive_analytics: {},
  };
  account.profiles.push(created);
  return created;
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
  // Klaviyo keeps only the first event per profile, metric and unique_id.
  const duplicate = account.events.some((e) => e.profileId === profile.id && e.metricId === metric.id && (e.event_properties["$event_id"] ?? String(e.timestamp)) === uniqueId);
  if (duplicate) return;
  properties["$event_id"] = uniqueId;
  account.events.push({ id: rng.chars("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 12), metricId: metric.id, profileId: profile.id, timestamp: seconds, datetime: apiDatetime(at), uuid: uuid(rng), event_properties: properties });
  account.events.sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : 1));
  profile.attributes.last_event_date = account.events.filter((e) => e.profileId === profile.id).slice(-1)[0].datetime;
}

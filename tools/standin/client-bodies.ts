/**
 * The body checks of the client-side endpoints (/client/events, /client/event-bulk-create,
 * /client/subscriptions, /client/profiles, /client/reviews), mirroring Klaviyo's 400s: one error
 * per 400, the first problem found. The server-side event endpoints reuse them (routes/events.ts).
 *
 * Phone numbers follow Klaviyo's announcement "API validation improvements for phone number
 * handling": on Subscribe, Create Profile and Create Event an impossible phone number sent with
 * another identifier is dropped and the request processed on the rest, flagged by the answer's
 * `X-Klaviyo-Partial-Failure: phone_number`; only a request whose sole identifier is an invalid
 * phone number gets 400. Since revision 2024-05-15, SMS consent for a region the account has no
 * sending number for is refused with 400.
 */
import { badEmail, badPhone, EMAIL_DETAIL, PHONE_DETAIL, smsRegionProblem } from "./contacts";
import { isObj, objectProblem, typeProblem } from "./http/body";
import type { Obj } from "./http/body";
import type { Problem } from "./http/reply";

export type ClientPath = "/client/events" | "/client/event-bulk-create" | "/client/subscriptions" | "/client/profiles" | "/client/reviews";

/** What the body checks found: the 400 to answer, or the fields dropped (for the partial-failure header). */
export interface ClientCheck {
  problem: Problem | null;
  ignored: string[];
}

/** Identifiers a client request may name a profile by, besides its id. */
const IDENTIFIERS = ["email", "phone_number", "external_id", "anonymous_id", "_kx"];

/** Walks a body, collecting the first problem: Klaviyo reports one error per 400. */
class Checker {
  problem: Problem | null = null;
  /** Fields dropped from the body (deleted in place) while the rest is processed. */
  ignored: string[] = [];

  /** Invalid phone numbers are forgiven on these endpoints when another identifier is present. */
  constructor(readonly forgivesPhone: boolean) {}

  object(parent: unknown, key: string, pointer: string): Obj | null {
    if (this.problem) return null;
    this.problem = objectProblem(parent, key, pointer);
    return this.problem ? null : ((parent as Obj)[key] as Obj);
  }

  type(data: Obj | null, expected: string, pointer: string): void {
    if (this.problem || !data) return;
    this.problem = typeProblem(data, expected, pointer);
  }

  /** Identifiers and contact details of a profile object (`{type:'profile', id?, attributes}`). */
  profile(data: Obj | null, pointer: string, requireIdentifier: boolean): void {
    if (this.problem || !data) return;
    this.type(data, "profile", pointer);
    const attrs = this.object(data, "attributes", pointer);
    if (!attrs) return;
    const at = `${pointer}/attributes`;
    const identified = (names: string[]): boolean => names.some((k) => typeof attrs[k] === "string") || typeof data.id === "string";
    if (badEmail(attrs.email)) {
      this.problem = { detail: EMAIL_DETAIL, pointer: `${at}/email` };
    } else if (badPhone(attrs.phone_number)) {
      if (this.forgivesPhone && identified(IDENTIFIERS.filter((k) => k !== "phone_number"))) {
        delete attrs.phone_number;
        this.ignored.push("phone_number");
      } else {
        this.problem = { detail: PHONE_DETAIL, pointer: `${at}/phone_number` };
      }
    } else if (requireIdentifier && !identified(IDENTIFIERS)) {
      const detail = "A profile identifier is required: one of id, email, phone_number, external_id, anonymous_id or _kx.";
      this.problem = { detail, pointer: at };
    }
  }

  metric(attrs: Obj | null, pointer: string): void {
    const metric = this.object(this.object(attrs, "metric", pointer), "data", `${pointer}/metric`);
    this.type(metric, "metric", `${pointer}/metric/data`);
    const mAttrs = this.object(metric, "attributes", `${pointer}/metric/data`);
    if (this.problem || !mAttrs) return;
    const name = mAttrs.name;
    const at = `${pointer}/metric/data/attributes/name`;
    if (typeof name !== "string" || name.length === 0) this.problem = { detail: "'name' is a required property", pointer: at };
    else if (name.length >= 128) this.problem = { detail: "Metric name must be shorter than 128 characters.", pointer: at };
  }

  /** `ReviewCreateDTO`: type "review"; review_type, email, author and content required; rating 1–5. */
  review(data: Obj | null): void {
    this.type(data, "review", "/data");
    const attrs = this.object(data, "attributes", "/data");
    if (this.problem || !attrs) return;
    const missing = ["review_type", "email", "author", "content"].find((k) => typeof attrs[k] !== "string");
    const problem = (detail: string, name: string): Problem => ({ detail, pointer: `/data/attributes/${name}` });
    if (missing) this.problem = problem(`'${missing}' is a required property`, missing);
    else if (!["question", "rating", "review", "store"].includes(attrs.review_type as string)) {
      this.problem = problem("'review_type' must be one of question, rating, review, store", "review_type");
    } else if (badEmail(attrs.email)) this.problem = problem(EMAIL_DETAIL, "email");
    else if (attrs.rating !== undefined && attrs.rating !== null && ![1, 2, 3, 4, 5].includes(attrs.rating as number)) {
      this.problem = problem("'rating' must be an integer from 1 to 5", "rating");
    } else if (isObj(attrs.product) && !["shopify", "woocommerce"].includes(attrs.product.integration_key as string)) {
      this.problem = problem("'integration_key' must be one of shopify, woocommerce", "product/integration_key");
    }
  }

  eventAttributes(attrs: Obj | null, pointer: string): void {
    if (this.problem || !attrs) return;
    if (!isObj(attrs.properties)) this.problem = { detail: "'properties' is a required property", pointer: `${pointer}/properties` };
    else if (attrs.time !== undefined && attrs.time !== null && (typeof attrs.time !== "string" || Number.isNaN(Date.parse(attrs.time)))) {
      this.problem = { detail: "'time' must be an ISO 8601 datetime", pointer: `${pointer}/time` };
    } else this.metric(attrs, pointer);
  }

  /** `{profile: {data: {...}}}` inside `attrs`, checked as a profile. */
  profileOf(attrs: Obj | null, requireIdentifier: boolean): Obj | null {
    const profile = this.object(this.object(attrs, "profile", "/data/attributes"), "data", "/data/attributes/profile");
    this.profile(profile, "/data/attributes/profile/data", requireIdentifier);
    return profile;
  }

  /** A subscription: a profile with an e-mail or phone number, SMS consent only where the account sends, and a list. */
  subscription(data: Obj | null): void {
    this.type(data, "subscription", "/data");
    const profile = this.profileOf(this.object(data, "attributes", "/data"), false);
    const pAttrs = profile && isObj(profile.attributes) ? profile.attributes : {};
    const at = "/data/attributes/profile/data/attributes";
    if (!this.problem && typeof pAttrs.email !== "string" && typeof pAttrs.phone_number !== "string") {
      this.problem = { detail: "An email or phone_number is required to subscribe a profile.", pointer: at };
    }
    const sms = isObj(pAttrs.subscriptions) ? pAttrs.subscriptions.sms : undefined;
    if (!this.problem && isObj(sms) && typeof pAttrs.phone_number === "string") {
      this.problem = smsRegionProblem(pAttrs.phone_number, at);
    }
    const relationship = this.object(this.object(data, "relationships", "/data"), "list", "/data/relationships");
    const list = this.object(relationship, "data", "/data/relationships/list");
    this.type(list, "list", "/data/relationships/list/data");
    if (!this.problem && typeof list?.id !== "string") {
      this.problem = { detail: "'id' is a required property", pointer: "/data/relationships/list/data/id" };
    }
  }

  /** One profile's events for /client/event-bulk-create: 1 to 1000 of them. */
  bulkEvents(data: Obj | null): void {
    this.type(data, "event-bulk-create", "/data");
    const attrs = this.object(data, "attributes", "/data");
    this.profileOf(attrs, true);
    const events = this.object(attrs, "events", "/data/attributes");
    if (this.problem) return;
    const list = events?.data;
    if (!Array.isArray(list) || list.length === 0 || list.length > 1000) {
      this.problem = { detail: "'data' must be a list of 1 to 1000 events", pointer: "/data/attributes/events/data" };
      return;
    }
    list.forEach((ev, i) => {
      const p = `/data/attributes/events/data/${i}`;
      this.type(isObj(ev) ? ev : null, "event", p);
      this.eventAttributes(this.object(ev, "attributes", p), `${p}/attributes`);
    });
  }
}

/**
 * Checks a client-endpoint body: the first problem (null when Klaviyo would accept it), and the
 * fields dropped from `body` in place because the rest of the request stands without them.
 */
export function checkClientBody(path: ClientPath, body: unknown): ClientCheck {
  if (!isObj(body)) {
    const detail = "The request body must be a JSON:API document (a JSON object with 'data').";
    return { problem: { detail, pointer: "/" }, ignored: [] };
  }
  const c = new Checker(path !== "/client/event-bulk-create");
  const data = c.object(body, "data", "");
  if (path === "/client/events") {
    c.type(data, "event", "/data");
    const attrs = c.object(data, "attributes", "/data");
    c.eventAttributes(attrs, "/data/attributes");
    c.profileOf(attrs, true);
  } else if (path === "/client/event-bulk-create") c.bulkEvents(data);
  else if (path === "/client/subscriptions") c.subscription(data);
  else if (path === "/client/reviews") c.review(data);
  else c.profile(data, "/data", true);
  return { problem: c.problem, ignored: c.ignored };
}

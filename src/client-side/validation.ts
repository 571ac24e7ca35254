/**
 * Checks made before a client-side request is sent. The client endpoints answer 202 quickly and
 * process later, or answer 400 with a terse `errors[]`; catching a bad phone number or e-mail here
 * says which field is wrong, why, and what to write instead, before anything leaves the process.
 *
 * Field paths use the wire names (`profile.phone_number`), the same names the server's
 * `source.pointer` uses when it refuses the request.
 */
import { GuideError } from "../errors";
import { parsePhoneNumberWithError, ParseError, validatePhoneNumberLength } from "libphonenumber-js";
import type {
  ClientBulkEventInput,
  ClientEventInput,
  ClientProfileInput,
  ClientSubscriptionInput,
} from "./bodies";

/** One problem found in a request's input. `value` is what was given, so the message can show it. */
export interface ValidationIssue {
  /** Wire path relative to `data.attributes`, e.g. "profile.phone_number" or "events[2].unique_id". */
  field: string;
  value: unknown;
  /** Why the value is refused. */
  reason: string;
  /** What to do instead. */
  fix: string;
}

/**
 * Thrown before sending when input would be refused by Klaviyo (or silently lose data).
 * `field`, `value` and `reason` are those of the first issue; `issues` holds them all.
 *
 * @example
 * try { validateClientProfile({ phoneNumber: "+11234567890" }); }
 * catch (e) { if (e instanceof ValidationError) console.log(e.field, "—", e.reason); }
 */
export class ValidationError extends GuideError {
  readonly issues: readonly ValidationIssue[];

  constructor(what: string, issues: readonly ValidationIssue[]) {
    const lines = issues.map((i) => `  - ${i.field} = ${i.value === undefined ? "(not set)" : JSON.stringify(i.value)}: ${i.reason}. ${i.fix}`);
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super(`Not sent: the ${what} has ${count}:\n${lines.join("\n")}`);
    this.issues = issues;
  }

  get field(): string {
    return this.issues[0]?.field ?? "";
  }

  get value(): unknown {
    return this.issues[0]?.value;
  }

  get reason(): string {
    return this.issues[0]?.reason ?? "";
  }
}

/** Outcome of `validatePhoneNumber`. `e164` is the normalised form whenever the digits make a valid number. */
export type PhoneCheck = { ok: true; e164: string; country?: string } | { ok: false; reason: string; e164?: string };

/** Outcome of `validateEmail`. */
export type EmailCheck = { ok: true } | { ok: false; reason: string };

const PHONE_EXAMPLE = "+12015550123";

const PARSE_REASONS: Record<string, string> = {
  INVALID_COUNTRY: "does not start with a country calling code that exists",
  NOT_A_NUMBER: "is not a phone number",
  TOO_SHORT: "is too short to be a phone number",
  TOO_LONG: "is too long to be a phone number",
};

const LENGTH_REASONS: Record<string, string> = {
  TOO_SHORT: "too few",
  TOO_LONG: "too many",
  INVALID_LENGTH: "a wrong number of",
  NOT_A_NUMBER: "no",
};

/**
 * Checks that a phone number is a real number written in E.164 (`+`, country code, digits, nothing
 * else), as Klaviyo requires, using libphonenumber-js's metadata. Returns a result; never throws.
 *
 * `+11234567890` has the right length but is refused: +1 numbers follow the North American plan,
 * whose area codes never start with 0 or 1, so area code 123 does not exist.
 *
 * @example
 * validatePhoneNumber("+11234567890") // { ok: false, reason: "cannot be a real number: … so there is no area code 123" }
 * validatePhoneNumber("+1 201 555 0123") // { ok: false, reason: "…not written in E.164…", e164: "+12015550123" }
 * validatePhoneNumber("+12015550123") // { ok: true, e164: "+12015550123", country: "US" }
 */
export function validatePhoneNumber(value: string): PhoneCheck {
  const text = value.trim();
  if (text === "") return { ok: false, reason: "is empty" };
  if (!text.startsWith("+")) {
    return { ok: false, reason: 'does not start with "+" and a country calling code, so it is not E.164' };
  }
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(text);
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, reason: PARSE_REASONS[err.message] ?? `cannot be parsed (${err.message})` };
    throw err;
  }
  const cc = parsed.countryCallingCode;
  const national = parsed.nationalNumber;
  const lengthProblem = validatePhoneNumberLength(text);
  if (lengthProblem !== undefined) {
    const how = LENGTH_REASONS[lengthProblem] ?? "a wrong number of";
    return { ok: false, reason: `has ${how} digits for a +${cc} number (${national.length} after +${cc})` };
  }
  if (!parsed.isValid()) {
    return { ok: false, reason: `cannot be a real number: ${whyInvalid(cc, national)}` };
  }
  if (parsed.number !== value) {
    return { ok: false, reason: "is a real number but not written in E.164 (no spaces, dashes or brackets)", e164: parsed.number };
  }
  return { ok: true, e164: parsed.number, country: parsed.country };
}

/** libphonenumber-js only says "not valid"; for the common North American case we can say why. */
function whyInvalid(cc: string, national: string): string {
  if (cc === "1" && national.length === 10) {
    const area = national.slice(0, 3);
    const exchange = national.slice(3, 6);
    if (/^[01]/.test(area)) {
      return `+1 numbers follow the North American plan, whose area codes never start with 0 or 1, so there is no area code ${area}`;
    }
    if (/^[01]/.test(exchange)) {
      return `+1 numbers follow the North American plan, where the 3 digits after the area code never start with 0 or 1 (here ${exchange})`;
    }
    return `area code ${area} with exchange ${exchange} is not assigned anywhere in the North American plan`;
  }
  return `its length is possible for +${cc}, but no numbering plan behind +${cc} assigns these digits (${national})`;
}

/**
 * Pragmatic e-mail syntax check (not full RFC 5322): catches the mistakes that reach forms —
 * spaces, a missing or doubled @, a domain without a dot. Returns a result; never throws.
 *
 * @example
 * validateEmail("ana @example.com") // { ok: false, reason: "contains whitespace" }
 */
export function validateEmail(value: string): EmailCheck {
  if (value === "") return { ok: false, reason: "is empty" };
  if (/\s/.test(value)) return { ok: false, reason: "contains whitespace" };
  const parts = value.split("@");
  if (parts.length === 1) return { ok: false, reason: "has no @" };
  if (parts.length > 2) return { ok: false, reason: "has more than one @" };
  const [local, domain] = parts as [string, string];
  if (local === "") return { ok: false, reason: "has nothing before the @" };
  if (domain === "") return { ok: false, reason: "has nothing after the @" };
  if (!domain.includes(".")) return { ok: false, reason: `has a domain without a dot ("${domain}")` };
  if (domain.split(".").some((label) => label === "")) return { ok: false, reason: `has an empty part in its domain ("${domain}")` };
  if (/[(),:;<>[\]\\"]/.test(value)) return { ok: false, reason: "contains a character not allowed unquoted in an address ( ) , : ; < > [ ] \\ \"" };
  const tld = domain.slice(domain.lastIndexOf(".") + 1);
  if (!/^[\p{L}\p{N}-]{2,}$/u.test(tld) || /^\d+$/.test(tld)) return { ok: false, reason: `has no valid top-level domain ("${tld}")` };
  if (value.length > MAX_EMAIL_LENGTH) return { ok: false, reason: `is ${value.length} characters long; addresses stop at ${MAX_EMAIL_LENGTH}` };
  return { ok: true };
}

// The spec's limits for client-side requests. This is the only place that states them: the body
// builders do not check them, and messages and docs derive from these constants.
/** Spec: metric name "Must be less than 128 characters". */
export const MAX_METRIC_NAME_LENGTH = 127;
/** Spec (bulk create client events): "Accepts a maximum of `1000` events per request". */
export const MAX_BULK_EVENTS = 1000;
/** Spec: event properties "must not exceed 400 properties". */
export const MAX_EVENT_PROPERTIES = 400;
/** Event times the API accepts: after this year, at most `MAX_EVENT_TIME_AHEAD_MS` ahead of now. */
const EVENT_TIME_AFTER_YEAR = 1990;
const MAX_EVENT_TIME_AHEAD_MS = 366 * 24 * 3600 * 1000;
/** RFC 5321's limit on a whole address (a forward path of 256 minus the angle brackets). */
const MAX_EMAIL_LENGTH = 254;

type Issues = ValidationIssue[];

function checkProfileFields(p: Omit<ClientProfileInput, "anonymousId">, at: string, issues: Issues): void {
  if (p.email !== undefined) {
    const r = validateEmail(p.email);
    if (!r.ok) issues.push({ field: `${at}email`, value: p.email, reason: r.reason, fix: 'Write it as name@domain.tld, e.g. "ana@example.com".' });
  }
  if (p.phoneNumber !== undefined) {
    const r = validatePhoneNumber(p.phoneNumber);
    if (!r.ok) {
      const fix = r.e164 !== undefined ? `Send "${r.e164}".` : `Use a real number in E.164, e.g. "${PHONE_EXAMPLE}" (555-01xx numbers are reserved for examples).`;
      issues.push({ field: `${at}phone_number`, value: p.phoneNumber, reason: r.reason, fix });
    }
  }
  if (p.properties !== undefined && (p.properties === null || typeof p.properties !== "object" || Array.isArray(p.properties))) {
    issues.push({ field: `${at}properties`, value: p.properties, reason: "is not an object", fix: 'Pass key/value pairs, e.g. { favorite_color: "blue" }.' });
  }
}

const IDENTIFIERS = ["email", "phoneNumber", "externalId", "anonymousId", "kx", "id"] as const;

function checkIdentified(p: ClientProfileInput, field: string, issues: Issues): void {
  const has = IDENTIFIERS.some((k) => typeof p[k] === "string" && p[k] !== "");
  if (!has) {
    issues.push({
      field,
      value: p,
      reason: "has no identifier, so Klaviyo cannot tell whose profile it is",
      fix: "Give at least one of email, phoneNumber, externalId, anonymousId, kx or id.",
    });
  }
}

function checkEvent(e: ClientBulkEventInput<object>, at: string, issues: Issues): void {
  if (typeof e.metric !== "string" || e.metric.trim() === "") {
    issues.push({ field: `${at}metric.name`, value: e.metric, reason: "is empty", fix: 'Name the metric, e.g. "Customer Review".' });
  } else if (e.metric.length > MAX_METRIC_NAME_LENGTH) {
    issues.push({ field: `${at}metric.name`, value: e.metric, reason: `has ${e.metric.length} characters; the API takes fewer than ${MAX_METRIC_NAME_LENGTH + 1}`, fix: "Shorten the name; put details in properties." });
  }
  const props: unknown = e.properties;
  if (props === null || typeof props !== "object" || Array.isArray(props)) {
    issues.push({ field: `${at}properties`, value: props, reason: "is required and must be an object", fix: "Pass key/value pairs; {} if the event has none." });
  } else if (Object.keys(props).length > MAX_EVENT_PROPERTIES) {
    issues.push({ field: `${at}properties`, value: `{ ${Object.keys(props).length} keys }`, reason: `has ${Object.keys(props).length} keys; the API takes at most ${MAX_EVENT_PROPERTIES}`, fix: "Nest related values in objects or drop unused keys." });
  }
  if (e.time !== undefined) {
    const t = e.time instanceof Date ? e.time : new Date(e.time);
    if (Number.isNaN(t.getTime())) {
      issues.push({ field: `${at}time`, value: e.time, reason: "is not a date", fix: 'Pass a Date or an ISO 8601 string such as "2026-11-20T12:00:00Z".' });
    } else if (t.getUTCFullYear() <= EVENT_TIME_AFTER_YEAR || t.getTime() > Date.now() + MAX_EVENT_TIME_AHEAD_MS) {
      issues.push({ field: `${at}time`, value: e.time, reason: `is outside the range the API accepts (after ${EVENT_TIME_AFTER_YEAR}, at most one year ahead)`, fix: "Check the date's year and time zone." });
    }
  }
  if (e.value !== undefined && !Number.isFinite(e.value)) {
    issues.push({ field: `${at}value`, value: e.value, reason: "is not a finite number", fix: "Send the amount as a number, e.g. 19.99." });
  }
  if (e.valueCurrency !== undefined && !/^[A-Z]{3}$/.test(e.valueCurrency)) {
    issues.push({ field: `${at}value_currency`, value: e.valueCurrency, reason: "is not an ISO 4217 code", fix: 'Use three capital letters, e.g. "USD".' });
  }
  if (e.uniqueId !== undefined && e.uniqueId === "") {
    issues.push({ field: `${at}unique_id`, value: e.uniqueId, reason: "is empty", fix: "Leave it out or give a stable id such as the review's id." });
  }
}

function throwIfAny(what: string, issues: Issues): void {
  if (issues.length > 0) throw new ValidationError(what, issues);
}

/** Throws `ValidationError` if the event would be refused: metric name, properties, time, value, profile. */
export function validateClientEvent(e: ClientEventInput<object>): void {
  const issues: Issues = [];
  checkEvent(e, "", issues);
  checkIdentified(e.profile, "profile", issues);
  checkProfileFields(e.profile, "profile.", issues);
  throwIfAny("client event", issues);
}

/**
 * Throws `ValidationError` for a bulk request that would fail: 1 to `MAX_BULK_EVENTS` events, each valid, and no
 * two events of the same metric sharing a `unique_id`. Without one, the id defaults to the event's
 * time to the second, and for this endpoint a repeat makes the whole request fail.
 */
export function validateClientEventsBulk(profile: ClientProfileInput, events: readonly ClientBulkEventInput<object>[]): void {
  const issues: Issues = [];
  checkIdentified(profile, "profile", issues);
  checkProfileFields(profile, "profile.", issues);
  if (events.length === 0 || events.length > MAX_BULK_EVENTS) {
    issues.push({ field: "events", value: events.length, reason: `holds ${events.length} events; a request takes 1 to ${MAX_BULK_EVENTS}`, fix: events.length === 0 ? "Send at least one event." : `Split them into batches of at most ${MAX_BULK_EVENTS} and send one request per batch.` });
  }
  const seen = new Map<string, number>();
  events.forEach((e, i) => {
    checkEvent(e, `events[${i}].`, issues);
    const time = e.time instanceof Date ? e.time.toISOString() : e.time;
    const key = e.uniqueId ?? (time === undefined ? "(time of receipt)" : time.slice(0, 19));
    const first = seen.get(`${e.metric}\u0000${key}`);
    if (first === undefined) {
      seen.set(`${e.metric}\u0000${key}`, i);
    } else {
      issues.push({
        field: `events[${i}].unique_id`,
        value: e.uniqueId,
        reason: `repeats the dedup key of events[${first}] (same metric, ${e.uniqueId === undefined ? "same second" : "same unique_id"}); the API then refuses the whole request`,
        fix: "Give each event its own uniqueId.",
      });
    }
  });
  throwIfAny("bulk event request", issues);
}

/** Throws `ValidationError` unless the subscription names a list and the channel(s) it subscribes. */
export function validateClientSubscription(s: ClientSubscriptionInput): void {
  const issues: Issues = [];
  if (typeof s.listId !== "string" || s.listId.trim() === "") {
    issues.push({ field: "list.id", value: s.listId, reason: "is empty", fix: "Pass the id of the list to join (Lists → list settings in the app, or GET /api/lists)." });
  }
  const hasEmail = typeof s.profile.email === "string" && s.profile.email !== "";
  const hasPhone = typeof s.profile.phoneNumber === "string" && s.profile.phoneNumber !== "";
  if (!hasEmail && !hasPhone) {
    issues.push({ field: "profile", value: s.profile, reason: "has neither email nor phone_number, so there is no channel to subscribe", fix: "Give email (for email consent) and/or phoneNumber (for SMS or WhatsApp)." });
  }
  if (s.consent?.email !== undefined && !hasEmail) {
    issues.push({ field: "profile.subscriptions.email", value: s.consent.email, reason: "asks for email consent but the profile has no email", fix: "Add profile.email or drop consent.email." });
  }
  for (const channel of ["sms", "whatsapp"] as const) {
    if (s.consent?.[channel] !== undefined && !hasPhone) {
      issues.push({ field: `profile.subscriptions.${channel}`, value: s.consent[channel], reason: `asks for ${channel} consent but the profile has no phone_number`, fix: `Add profile.phoneNumber or drop consent.${channel}.` });
    }
  }
  checkProfileFields(s.profile, "profile.", issues);
  throwIfAny("subscription", issues);
}

/** Throws `ValidationError` unless the profile has an identifier and its email / phone number are valid. */
export function validateClientProfile(p: ClientProfileInput): void {
  const issues: Issues = [];
  checkIdentified(p, "profile", issues);
  checkProfileFields(p, "", issues);
  throwIfAny("profile", issues);
}

/**
 * The server-side write endpoints of the stand-in (private key, `/api/*`), for the server-side
 * guide: events one at a time and in bulk, profile create-or-update and PATCH, bulk profile import
 * jobs with their import errors, and the subscribe / unsubscribe / suppress / unsuppress bulk jobs.
 * Shapes follow revision 2026-07-15 of Klaviyo's OpenAPI document (spec-conformance.test.ts checks
 * them); 4xx answers are JSON:API `errors[]` made by the server's own reply helpers (`ReplyKit`).
 *
 * Behaviour kept per stand-in instance, so a recording is reproducible:
 * - Events are applied at once (Klaviyo is asynchronous; the guide says so) and de-duplicated on
 *   profile + metric + `unique_id`, so re-sending is harmless. `backfill` is accepted and checked;
 *   the stand-in runs no flows, so it changes nothing else.
 * - A job resource advances one step per GET: queued (the 202), processing, then complete, when
 *   its effect is applied. A bulk import row with an invalid email or phone becomes an import error.
 * - Retry demo (deterministic, so a guide can show a retry that is safe): the FIRST `POST /api/events`
 *   whose `unique_id` is `SERVER_ERROR_DEMO_UNIQUE_ID` is stored and then answered `500`, as when a
 *   gateway fails after the event arrived; the retry gets its 202 and adds nothing.
 * - `RateLimit-Limit` / `-Remaining` / `-Reset` describe the steady (per-minute) window of each
 *   operation. The stand-in's clock is frozen at the demo "now", so its window never rolls over:
 *   `Remaining` only counts down and `Reset` is always the full window.
 */
import { isValidPhoneNumber, parsePhoneNumberFromString } from "libphonenumber-js";
import { apiDatetime } from "./account";
import type { DemoAccount, DemoProfile, Json, JsonObject } from "./account";
import { addEvent, checkClientBody, EMAIL_DETAIL, PHONE_DETAIL, upsertProfile } from "./client-endpoints";
import { Random, shortId } from "./random";
import { API_ORIGIN } from "../../src/api-origin";
import { renderList, renderProfile } from "./resources";
import { RATE_LIMITS } from "../../src/rate-limits";
import type { GuideOperation } from "../../src/rate-limits";
import { rateLimitHeaders } from "./rate-limit-headers";

export interface ServerReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The server's error replies, handed in so every `errors[]` item is made (and its id derived) in one place. */
export interface ReplyKit {
  invalid(detail: string, source: { pointer?: string; parameter?: string }): ServerReply;
  notFound(detail: string): ServerReply;
}

export interface ServerSideRequest {
  method: string;
  pathname: string;
  query: Map<string, string>;
  rawBody: string;
}

type Obj = { [key: string]: unknown };
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The demo account's SMS sending number is American: it can collect SMS consent for +1 numbers only. */
const SMS_REGIONS = ["+1"];

export const SERVER_ERROR_DEMO_UNIQUE_ID = "retry-demo-1";

/** Thrown inside a handler to answer with a reply at once. */
class Refusal extends Error {
  constructor(readonly reply: ServerReply) {
    super("refusal");
  }
}

type JobKind = "profile-bulk-import-job" | "profile-suppression-bulk-create-job" | "profile-suppression-bulk-delete-job";
const JOB_PATHS: Record<JobKind, string> = {
  "profile-bulk-import-job": "profile-bulk-import-jobs",
  "profile-suppression-bulk-create-job": "profile-suppression-bulk-create-jobs",
  "profile-suppression-bulk-delete-job": "profile-suppression-bulk-delete-jobs",
};

interface ImportError {
  id: string;
  detail: string;
  pointer: string;
  original: Obj;
}

interface Job {
  kind: JobKind;
  id: string;
  status: "queued" | "processing" | "complete";
  created: string;
  started: string | null;
  completed: string | null;
  total: number;
  done: number;
  failed: number;
  listIds: string[];
  segmentIds: string[];
  errors: ImportError[];
  /** Profile ids the job touched, once complete. */
  profileIds: string[];
  /** Applies the job's effect; returns the ids of profiles it touched. */
  apply(): string[];
}

interface Operation {
  method: string;
  pattern: RegExp;
  /** Query parameters the operation declares (besides none at all). */
  params: readonly string[];
  /** Its entry in RATE_LIMITS (the spec's x-klaviyo-ratelimit), for the RateLimit-* headers. */
  limit: GuideOperation;
  run(params: string[], request: ServerSideRequest): ServerReply;
}

const PROFILE_QUERY = ["fields[profile]", "additional-fields[profile]"] as const;

/**
 * The server-side endpoints over one demo account. `handle` answers the requests it owns and
 * returns `undefined` for any other path, which the server then routes as before.
 */
export class ServerSideEndpoints {
  private readonly jobs = new Map<string, Job>();
  private failedOnce = false;
  private readonly used = new Map<string, number>();
  private seq = 0;
  private readonly operations: Operation[];

  constructor(private readonly account: DemoAccount, private readonly kit: ReplyKit) {
    const op = (limit: GuideOperation, params: readonly string[], run: Operation["run"]): Operation => ({
      method: RATE_LIMITS[limit].method,
      pattern: new RegExp(`^${RATE_LIMITS[limit].path.replace(/\{(id|job_id)\}/g, "([^/]+)")}/?$`),
      params,
      limit,
      run,
    });
    this.operations = [
      op("create_event", [], (_p, r) => this.createEvent(r)),
      op("bulk_create_events", [], (_p, r) => this.bulkCreateEvents(r)),
      op("create_or_update_profile", PROFILE_QUERY, (_p, r) => this.importProfile(r)),
      op("update_profile", PROFILE_QUERY, (p, r) => this.updateProfile(p[0], r)),
      op("bulk_import_profiles", ["fields[profile-bulk-import-job]"], (_p, r) => this.bulkImport(r)),
      op("get_bulk_import_profiles_job", ["fields[profile-bulk-import-job]", "fields[list]", "include"], (p, r) => this.getJob("profile-bulk-import-job", p[0], r)),
      op("get_errors_for_bulk_import_profiles_job", ["fields[import-error]", "page[size]", "page[cursor]"], (p, r) => this.importErrors(p[0], r)),
      op("bulk_subscribe_profiles", [], (_p, r) => this.subscribe(r)),
      op("bulk_unsubscribe_profiles", [], (_p, r) => this.unsubscribe(r)),
      op("bulk_suppress_profiles", ["fields[profile-suppression-bulk-create-job]"], (_p, r) => this.suppression("profile-suppression-bulk-create-job", r)),
      op("bulk_unsuppress_profiles", ["fields[profile-suppression-bulk-delete-job]"], (_p, r) => this.suppression("profile-suppression-bulk-delete-job", r)),
      op("get_bulk_suppress_profiles_job", ["fields[profile-suppression-bulk-create-job]"], (p, r) => this.getJob("profile-suppression-bulk-create-job", p[0], r)),
      op("get_bulk_unsuppress_profiles_job", ["fields[profile-suppression-bulk-delete-job]"], (p, r) => this.getJob("profile-suppression-bulk-delete-job", p[0], r)),
    ];
  }

  /** Whether `method path` is one of these endpoints (the server checks auth and revision first). */
  owns(method: string, pathname: string): boolean {
    return this.operations.some((o) => o.method === method && o.pattern.test(pathname));
  }

  /** Answers a request this module owns; `undefined` when it does not own it. */
  handle(request: ServerSideRequest): ServerReply | undefined {
    const operation = this.operations.find((o) => o.method === request.method && o.pattern.test(request.pathname));
    if (!operation) return undefined;
    let reply: ServerReply;
    try {
      for (const name of request.query.keys()) {
        if (!operation.params.includes(name)) throw new Refusal(this.kit.invalid(`'${name}' is not a valid query parameter for ${request.method} ${request.pathname}.`, { parameter: name }));
      }
      reply = operation.run((operation.pattern.exec(request.pathname) as RegExpExecArray).slice(1), request);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      reply = err.reply;
    }
    const used = (this.used.get(operation.limit) ?? 0) + 1;
    this.used.set(operation.limit, used);
    const limit = RATE_LIMITS[operation.limit].steadyPerMinute;
    return { ...reply, headers: { ...rateLimitHeaders(limit, used), ...reply.headers } };
  }

  // -------------------------------------------------------------------------------------------
  // Events

  private createEvent(request: ServerSideRequest): ServerReply {
    const body = this.json(request);
    const { problem } = checkClientBody("/client/events", body);
    if (problem) return this.kit.invalid(problem.detail, { pointer: problem.pointer });
    const attrs = (body as { data: { attributes: Obj } }).data.attributes;
    this.checkEventExtras(attrs, "/data/attributes");
    const rng = this.rng();
    const profile = upsertProfile(this.account, rng, (attrs.profile as { data: Obj }).data);
    addEvent(this.account, rng, profile, attrs);
    if (!this.failedOnce && attrs.unique_id === SERVER_ERROR_DEMO_UNIQUE_ID) {
      this.failedOnce = true;
      return { status: 500, body: { errors: [{ id: "5e7e0500-0000-4000-a000-000000000500", code: "error", title: "A server error occurred.", detail: "Internal error (the demo stand-in fails this request once, after storing the event)." }] } };
    }
    return { status: 202 };
  }

  private bulkCreateEvents(request: ServerSideRequest): ServerReply {
    const body = this.json(request);
    const data = this.need(body, "data", "");
    if (data.type !== "event-bulk-create-job") return this.kit.invalid("'type' must be 'event-bulk-create-job'", { pointer: "/data/type" });
    const attrs = this.need(data, "attributes", "/data");
    const entries = this.need(attrs, "events-bulk-create", "/data/attributes").data;
    if (!Array.isArray(entries) || entries.length === 0) return this.kit.invalid("'data' must be a list of event-bulk-create objects", { pointer: "/data/attributes/events-bulk-create/data" });
    let total = 0;
    const seen = new Set<string>();
    for (const [i, entry] of entries.entries()) {
      const at = `/data/attributes/events-bulk-create/data/${i}`;
      if (!isObj(entry) || entry.type !== "event-bulk-create") return this.kit.invalid("'type' must be 'event-bulk-create'", { pointer: `${at}/type` });
      const eAttrs = this.need(entry, "attributes", at);
      this.checkBoolean(eAttrs.backfill, `${at}/attributes/backfill`);
      const events = this.need(eAttrs, "events", `${at}/attributes`).data;
      // The client endpoint's checks cover one profile with its events, which is exactly an entry.
      const { problem } = checkClientBody("/client/event-bulk-create", { data: { type: "event-bulk-create", attributes: { profile: eAttrs.profile, events: { data: events } } } });
      if (problem) return this.kit.invalid(problem.detail, { pointer: problem.pointer.replace("/data", at) });
      const profileData = (eAttrs.profile as { data: Obj }).data;
      const who = JSON.stringify([profileData.id ?? null, (profileData.attributes as Obj).email ?? null, (profileData.attributes as Obj).phone_number ?? null, (profileData.attributes as Obj).external_id ?? null]);
      for (const [j, ev] of (events as Obj[]).entries()) {
        const evAttrs = ev.attributes as Obj;
        this.checkEventExtras(evAttrs, `${at}/attributes/events/data/${j}/attributes`);
        if (typeof evAttrs.unique_id === "string") {
          // The spec: a unique_id repeated for the same profile and metric fails the whole request.
          const key = `${who}|${String(((evAttrs.metric as { data: { attributes: Obj } }).data.attributes).name)}|${evAttrs.unique_id}`;
          if (seen.has(key)) return this.kit.invalid(`unique_id '${evAttrs.unique_id}' appears twice for the same profile and metric; no events were processed.`, { pointer: `${at}/attributes/events/data/${j}/attributes/unique_id` });
          seen.add(key);
        }
      }
      total += (events as unknown[]).length;
    }
    if (total > 1000) return this.kit.invalid(`At most 1,000 events per request; this one has ${total}.`, { pointer: "/data/attributes/events-bulk-create/data" });
    const rng = this.rng();
    for (const entry of entries as Obj[]) {
      const eAttrs = entry.attributes as Obj;
      const profile = upsertProfile(this.account, rng, (eAttrs.profile as { data: Obj }).data);
      for (const ev of (eAttrs.events as { data: Obj[] }).data) addEvent(this.account, rng, profile, ev.attributes as Obj);
    }
    return { status: 202 };
  }

  private checkEventExtras(attrs: Obj, pointer: string): void {
    this.checkBoolean(attrs.backfill, `${pointer}/backfill`);
    if (attrs.value !== undefined && attrs.value !== null && typeof attrs.value !== "number") throw new Refusal(this.kit.invalid("'value' must be a number", { pointer: `${pointer}/value` }));
    if (attrs.value_currency !== undefined && attrs.value_currency !== null && (typeof attrs.value_currency !== "string" || !/^[A-Z]{3}$/.test(attrs.value_currency))) {
      throw new Refusal(this.kit.invalid("'value_currency' must be an ISO 4217 code such as 'USD'", { pointer: `${pointer}/value_currency` }));
    }
    if (typeof attrs.time === "string") {
      const at = Date.parse(attrs.time);
      if (at < Date.parse("1990-01-01T00:00:00Z") || at > Date.parse(this.account.now) + 365 * 86_400_000) {
        throw new Refusal(this.kit.invalid("'time' must be after 1990 and at most one year in the future", { pointer: `${pointer}/time` }));
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Profiles

  private importProfile(request: ServerSideRequest): ServerReply {
    const data = this.need(this.json(request), "data", "");
    if (data.type !== "profile") return this.kit.invalid("'type' must be 'profile'", { pointer: "/data/type" });
    const attrs = this.need(data, "attributes", "/data");
    const problem = contactProblem(attrs, "/data/attributes");
    if (problem) return this.kit.invalid(problem.detail, { pointer: problem.pointer });
    const byId = typeof data.id === "string" ? this.account.profiles.find((p) => p.id === data.id) : undefined;
    if (typeof data.id === "string" && !byId) return this.kit.notFound(`A profile with id '${data.id}' does not exist in this account.`);
    const existing = byId ?? this.findByIdentifier(attrs);
    if (!existing && !["email", "phone_number", "external_id", "_kx"].some((k) => typeof attrs[k] === "string")) {
      return this.kit.invalid("A profile identifier is required: one of id, email, phone_number, external_id or _kx.", { pointer: "/data/attributes" });
    }
    const profile = existing ?? upsertProfile(this.account, this.rng(), { type: "profile", attributes: {} });
    this.applyAttributes(profile, attrs, "/data/attributes");
    return { status: existing ? 200 : 201, body: { data: this.renderProfile(profile, request), links: { self: `${API_ORIGIN}/api/profile-import/` } } };
  }

  private updateProfile(id: string, request: ServerSideRequest): ServerReply {
    const profile = this.account.profiles.find((p) => p.id === id);
    if (!profile) return this.kit.notFound(`A profile with id '${id}' does not exist in this account.`);
    const data = this.need(this.json(request), "data", "");
    if (data.type !== "profile") return this.kit.invalid("'type' must be 'profile'", { pointer: "/data/type" });
    if (data.id !== id) return this.kit.invalid(`'id' must be the profile id of the URL ('${id}').`, { pointer: "/data/id" });
    const attrs = this.need(data, "attributes", "/data");
    const problem = contactProblem(attrs, "/data/attributes");
    if (problem) return this.kit.invalid(problem.detail, { pointer: problem.pointer });
    this.applyAttributes(profile, attrs, "/data/attributes");
    return { status: 200, body: { data: this.renderProfile(profile, request), links: { self: `${API_ORIGIN}/api/profiles/${id}/` } } };
  }

  private findByIdentifier(attrs: Obj): DemoProfile | undefined {
    return this.account.profiles.find((p) => ["email", "phone_number", "external_id"].some((k) => typeof attrs[k] === "string" && p.attributes[k] === attrs[k]));
  }

  /**
   * A field sent as null is cleared; a field left out is left alone. Identifiers may change here
   * (unlike on /client/*), unless another profile already has the new value.
   */
  private applyAttributes(profile: DemoProfile, attrs: Obj, pointer: string): void {
    for (const key of ["email", "phone_number", "external_id"]) {
      const value = attrs[key];
      if (typeof value !== "string" || value === profile.attributes[key]) continue;
      const other = this.account.profiles.find((p) => p !== profile && p.attributes[key] === value);
      if (other) throw new Refusal(this.kit.invalid(`Another profile (${other.id}) already has ${key} '${value}'.`, { pointer: `${pointer}/${key}` }));
    }
    for (const key of ["email", "phone_number", "external_id", "first_name", "last_name", "organization", "locale", "title", "image"]) {
      if (attrs[key] === null || typeof attrs[key] === "string") profile.attributes[key] = attrs[key] as string | null;
    }
    if (isObj(attrs.location)) profile.attributes.location = { ...(profile.attributes.location as JsonObject), ...(attrs.location as JsonObject) };
    if (attrs.properties === null) profile.attributes.properties = {};
    else if (isObj(attrs.properties)) profile.attributes.properties = { ...(profile.attributes.properties as JsonObject), ...(attrs.properties as JsonObject) };
    profile.attributes.updated = this.stamp();
  }

  private renderProfile(profile: DemoProfile, request: ServerSideRequest): JsonObject {
    const list = (name: string): string[] | undefined => request.query.get(name)?.split(",");
    return renderProfile(profile, { fields: list("fields[profile]"), additional: list("additional-fields[profile]") });
  }

  // -------------------------------------------------------------------------------------------
  // Bulk profile import

  private bulkImport(request: ServerSideRequest): ServerReply {
    const data = this.need(this.json(request), "data", "");
    if (data.type !== "profile-bulk-import-job") return this.kit.invalid("'type' must be 'profile-bulk-import-job'", { pointer: "/data/type" });
    const rows = this.need(this.need(data, "attributes", "/data"), "profiles", "/data/attributes").data;
    if (!Array.isArray(rows) || rows.length === 0 || rows.length > 10_000) return this.kit.invalid("'data' must be a list of 1 to 10,000 profiles", { pointer: "/data/attributes/profiles/data" });
    const listIds = this.relatedIds(data, "lists", "list");
    const errors: ImportError[] = [];
    const good: Obj[] = [];
    for (const [i, row] of rows.entries()) {
      const at = `/data/attributes/profiles/data/${i}`;
      if (!isObj(row) || row.type !== "profile" || !isObj(row.attributes)) return this.kit.invalid("Each profile must be {type: 'profile', attributes: {...}}", { pointer: at });
      // Row problems do not fail the request: they become the job's import errors.
      const problem = contactProblem(row.attributes, `${at}/attributes`) ?? (["email", "phone_number", "external_id", "_kx"].some((k) => typeof (row.attributes as Obj)[k] === "string") ? null : { detail: "A profile identifier is required.", pointer: `${at}/attributes` });
      if (problem) errors.push({ id: this.newId(), detail: problem.detail, pointer: problem.pointer, original: row.attributes });
      else good.push(row.attributes);
    }
    const job = this.newJob("profile-bulk-import-job", rows.length, listIds, [], () => {
      const ids: string[] = [];
      for (const attrs of good) {
        const existing = this.findByIdentifier(attrs);
        const profile = existing ?? upsertProfile(this.account, this.rng(), { type: "profile", attributes: {} });
        this.applyAttributes(profile, attrs, "/data/attributes");
        ids.push(profile.id);
        for (const listId of listIds) {
          const target = this.account.lists.find((l) => l.id === listId);
          if (target && !target.members.some((m) => m.profileId === profile.id)) target.members.push({ profileId: profile.id, joinedAt: this.stamp() });
        }
      }
      return ids;
    });
    job.errors = errors;
    return { status: 202, body: { data: this.renderJob(job), links: { self: `${API_ORIGIN}/api/profile-bulk-import-jobs/` } } };
  }

  private importErrors(id: string, request: ServerSideRequest): ServerReply {
    const job = this.jobs.get(id);
    if (!job || job.kind !== "profile-bulk-import-job") return this.kit.notFound(`A profile bulk import job with id '${id}' does not exist in this account.`);
    const size = request.query.has("page[size]") ? Number(request.query.get("page[size]")) : 20;
    if (!Number.isInteger(size) || size < 1 || size > 100) return this.kit.invalid("page[size] must be an integer between 1 and 100.", { parameter: "page[size]" });
    // Errors are known once the job has run.
    const errors = job.status === "complete" ? job.errors.slice(0, size) : [];
    const data = errors.map((e) => ({
      type: "import-error",
      id: e.id,
      attributes: { code: "invalid", title: "Invalid input.", detail: e.detail, source: { pointer: e.pointer }, original_payload: e.original as JsonObject },
    }));
    return { status: 200, body: { data, links: { self: `${API_ORIGIN}/api/profile-bulk-import-jobs/${id}/import-errors/` } } };
  }

  // -------------------------------------------------------------------------------------------
  // Consent and suppression

  private subscribe(request: ServerSideRequest): ServerReply {
    const data = this.need(this.json(request), "data", "");
    if (data.type !== "profile-subscription-bulk-create-job") return this.kit.invalid("'type' must be 'profile-subscription-bulk-create-job'", { pointer: "/data/type" });
    const attrs = this.need(data, "attributes", "/data");
    this.checkBoolean(attrs.historical_import, "/data/attributes/historical_import");
    const historical = attrs.historical_import === true;
    const rows = this.need(attrs, "profiles", "/data/attributes").data;
    if (!Array.isArray(rows) || rows.length === 0 || rows.length > 1000) return this.kit.invalid("'data' must be a list of 1 to 1,000 profiles", { pointer: "/data/attributes/profiles/data" });
    const list = this.listOf(data);
    const now = Date.parse(this.account.now);
    const plan: { attrs: Obj; channels: { email?: string; sms?: string } }[] = [];
    for (const [i, row] of rows.entries()) {
      const at = `/data/attributes/profiles/data/${i}/attributes`;
      const pAttrs = isObj(row) && isObj(row.attributes) ? row.attributes : undefined;
      if (!pAttrs || !isObj(pAttrs.subscriptions)) return this.kit.invalid("'subscriptions' is a required property", { pointer: `${at}/subscriptions` });
      const problem = contactProblem(pAttrs, at);
      if (problem) return this.kit.invalid(problem.detail, { pointer: problem.pointer });
      const channels: { email?: string; sms?: string } = {};
      for (const channel of ["email", "sms"] as const) {
        const marketing = (pAttrs.subscriptions as Obj)[channel];
        const m = isObj(marketing) && isObj(marketing.marketing) ? marketing.marketing : undefined;
        if (!m) continue;
        const pointer = `${at}/subscriptions/${channel}/marketing`;
        if (m.consent !== "SUBSCRIBED") return this.kit.invalid("'consent' must be 'SUBSCRIBED'", { pointer: `${pointer}/consent` });
        const identifier = channel === "email" ? "email" : "phone_number";
        if (typeof pAttrs[identifier] !== "string") return this.kit.invalid(`${channel} consent needs the profile's ${identifier}.`, { pointer: `${at}/${identifier}` });
        if (channel === "sms" && !SMS_REGIONS.some((prefix) => (pAttrs.phone_number as string).startsWith(prefix))) {
          // The detail names the region, not the number: a number in an error text would be personal data in a recording.
          const region = parsePhoneNumberFromString(pAttrs.phone_number as string)?.country ?? "unknown";
          return this.kit.invalid(`This account has no SMS sending number for region ${region}; SMS consent can only be collected where the account can send.`, { pointer: `${at}/phone_number` });
        }
        if (m.consented_at !== undefined && m.consented_at !== null) {
          if (!historical) return this.kit.invalid("'consented_at' is only allowed with historical_import: true.", { pointer: `${pointer}/consented_at` });
          const at2 = typeof m.consented_at === "string" ? Date.parse(m.consented_at) : NaN;
          if (Number.isNaN(at2) || at2 >= now) return this.kit.invalid("'consented_at' must be a datetime in the past.", { pointer: `${pointer}/consented_at` });
          channels[channel] = apiDatetime(at2);
        } else if (historical) {
          return this.kit.invalid("'consented_at' is required for every profile when historical_import is true.", { pointer: `${pointer}/consented_at` });
        } else {
          channels[channel] = this.stamp();
        }
      }
      if (!channels.email && !channels.sms) return this.kit.invalid("Name at least one channel to subscribe (email or sms marketing).", { pointer: `${at}/subscriptions` });
      plan.push({ attrs: pAttrs, channels });
    }
    // A double opt-in list only gains the member once the confirmation is clicked; a historical import skips it.
    const pending = list?.opt_in_process === "double_opt_in" && !historical;
    for (const { attrs: pAttrs, channels } of plan) {
      const profile = this.findByIdentifier(pAttrs) ?? upsertProfile(this.account, this.rng(), { type: "profile", attributes: { email: pAttrs.email, phone_number: pAttrs.phone_number } });
      if (pending) continue;
      const subs = profile.subscriptions as { email: { marketing: JsonObject }; sms: { marketing: JsonObject } };
      if (channels.email) {
        const kept = ((subs.email.marketing.suppression as JsonObject[] | undefined) ?? []).filter((s) => !["UNSUBSCRIBE", "SPAM_REPORT", "USER_SUPPRESSED"].includes(String(s.reason)));
        Object.assign(subs.email.marketing, { consent: "SUBSCRIBED", consent_timestamp: channels.email, last_updated: this.stamp(), method: "API", method_detail: typeof attrs.custom_source === "string" ? attrs.custom_source : "", suppression: kept, can_receive_email_marketing: kept.length === 0 });
      }
      if (channels.sms) Object.assign(subs.sms.marketing, { consent: "SUBSCRIBED", consent_timestamp: channels.sms, last_updated: this.stamp(), method: "API", method_detail: "", can_receive_sms_marketing: true });
      if (list && !list.members.some((m) => m.profileId === profile.id)) list.members.push({ profileId: profile.id, joinedAt: this.stamp() });
    }
    return { status: 202 };
  }

  private unsubscribe(request: ServerSideRequest): ServerReply {
    const data = this.need(this.json(request), "data", "");
    if (data.type !== "profile-subscription-bulk-delete-job") return this.kit.invalid("'type' must be 'profile-subscription-bulk-delete-job'", { pointer: "/data/type" });
    const rows = this.need(this.need(data, "attributes", "/data"), "profiles", "/data/attributes").data;
    if (!Array.isArray(rows) || rows.length === 0 || rows.length > 100) return this.kit.invalid("'data' must be a list of 1 to 100 profiles", { pointer: "/data/attributes/profiles/data" });
    const list = this.listOf(data);
    for (const [i, row] of rows.entries()) {
      const at = `/data/attributes/profiles/data/${i}/attributes`;
      const pAttrs = isObj(row) && isObj(row.attributes) ? row.attributes : undefined;
      if (!pAttrs || !isObj(pAttrs.subscriptions)) return this.kit.invalid("'subscriptions' is a required property", { pointer: `${at}/subscriptions` });
      const subsIn = pAttrs.subscriptions as Obj;
      const profile = this.findByIdentifier(pAttrs);
      if (!profile) continue;
      const subs = profile.subscriptions as { email: { marketing: JsonObject }; sms: { marketing: JsonObject } };
      if (isObj(subsIn.email)) {
        const suppression = [...((subs.email.marketing.suppression as JsonObject[] | undefined) ?? []).filter((s) => s.reason !== "UNSUBSCRIBE"), { reason: "UNSUBSCRIBE", timestamp: this.stamp() }];
        Object.assign(subs.email.marketing, { consent: "UNSUBSCRIBED", consent_timestamp: this.stamp(), last_updated: this.stamp(), method: "API", can_receive_email_marketing: false, suppression });
      }
      if (isObj(subsIn.sms)) Object.assign(subs.sms.marketing, { consent: "UNSUBSCRIBED", consent_timestamp: this.stamp(), last_updated: this.stamp(), method: "API", can_receive_sms_marketing: false });
      if (list) list.members = list.members.filter((m) => m.profileId !== profile.id);
    }
    return { status: 202 };
  }

  private suppression(kind: "profile-suppression-bulk-create-job" | "profile-suppression-bulk-delete-job", request: ServerSideRequest): ServerReply {
    const data = this.need(this.json(request), "data", "");
    if (data.type !== kind) return this.kit.invalid(`'type' must be '${kind}'`, { pointer: "/data/type" });
    const attrs = this.need(data, "attributes", "/data");
    const rows = isObj(attrs.profiles) ? attrs.profiles.data : undefined;
    const list = this.listOf(data);
    const segmentId = this.oneRelated(data, "segment");
    const segment = segmentId === undefined ? undefined : this.account.segments.find((s) => s.id === segmentId);
    if (segmentId !== undefined && !segment) return this.kit.notFound(`A segment with id '${segmentId}' does not exist in this account.`);
    let targets: DemoProfile[];
    if (Array.isArray(rows)) {
      if (rows.length === 0 || rows.length > 100) return this.kit.invalid("'data' must be a list of 1 to 100 profiles", { pointer: "/data/attributes/profiles/data" });
      const emails: string[] = [];
      for (const [i, row] of rows.entries()) {
        const email = isObj(row) && isObj(row.attributes) ? row.attributes.email : undefined;
        if (typeof email !== "string" || !EMAIL.test(email)) return this.kit.invalid(EMAIL_DETAIL, { pointer: `/data/attributes/profiles/data/${i}/attributes/email` });
        emails.push(email);
      }
      targets = emails.map((email) => this.findByIdentifier({ email }) ?? upsertProfile(this.account, this.rng(), { type: "profile", attributes: { email } }));
    } else {
      const group = list ?? segment;
      if (!group) return this.kit.invalid("Name the profiles to change: attributes.profiles, or a list or segment in relationships.", { pointer: "/data/attributes/profiles" });
      targets = group.members.map((m) => this.account.profiles.find((p) => p.id === m.profileId) as DemoProfile);
    }
    const job = this.newJob(kind, targets.length, list ? [list.id] : [], segment ? [segment.id] : [], () => {
      for (const profile of targets) {
        const marketing = (profile.subscriptions as { email: { marketing: JsonObject } }).email.marketing;
        const others = ((marketing.suppression as JsonObject[] | undefined) ?? []).filter((s) => s.reason !== "USER_SUPPRESSED");
        // Unsuppressing removes only USER_SUPPRESSED; an unsubscribe or a bounce stays.
        const suppression: Json[] = kind === "profile-suppression-bulk-create-job" ? [...others, { reason: "USER_SUPPRESSED", timestamp: this.stamp() }] : others;
        Object.assign(marketing, { suppression, can_receive_email_marketing: suppression.length === 0 && marketing.consent === "SUBSCRIBED", last_updated: this.stamp() });
      }
      return targets.map((p) => p.id);
    });
    return { status: 202, body: { data: this.renderJob(job), links: { self: `${API_ORIGIN}/api/${JOB_PATHS[kind]}/` } } };
  }

  // -------------------------------------------------------------------------------------------
  // Jobs

  private newJob(kind: JobKind, total: number, listIds: string[], segmentIds: string[], apply: () => string[]): Job {
    const job: Job = { kind, id: this.newId(), status: "queued", created: this.stamp(), started: null, completed: null, total, done: 0, failed: 0, listIds, segmentIds, errors: [], profileIds: [], apply };
    this.jobs.set(job.id, job);
    return job;
  }

  /** Each GET moves a job one step: queued → processing (about half done) → complete (applied). */
  private getJob(kind: JobKind, id: string, request: ServerSideRequest): ServerReply {
    const job = this.jobs.get(id);
    if (!job || job.kind !== kind) return this.kit.notFound(`A ${kind.replace(/-/g, " ")} with id '${id}' does not exist in this account.`);
    if (job.status === "queued") {
      job.status = "processing";
      job.started = this.stamp();
      job.done = Math.floor((job.total - job.errors.length) / 2);
    } else if (job.status === "processing") {
      job.profileIds = job.apply();
      job.status = "complete";
      job.completed = this.stamp();
      job.done = job.total - job.errors.length;
      job.failed = job.errors.length;
    }
    const body: JsonObject = { data: this.renderJob(job), links: { self: `${API_ORIGIN}/api/${JOB_PATHS[kind]}/${id}/` } };
    if (request.query.get("include")?.split(",").includes("lists")) {
      const fields = request.query.get("fields[list]")?.split(",");
      body.included = job.listIds.flatMap((listId) => {
        const list = this.account.lists.find((l) => l.id === listId);
        return list ? [renderList(list, fields)] : [];
      });
    }
    return { status: 200, body };
  }

  private renderJob(job: Job): JsonObject {
    const base = `${API_ORIGIN}/api/${JOB_PATHS[job.kind]}/${job.id}/`;
    const rel = (name: string, type: string, ids: string[]): JsonObject => ({ data: ids.map((id) => ({ type, id })), links: { self: `${base}relationships/${name}/`, related: `${base}${name}/` } });
    if (job.kind === "profile-bulk-import-job") {
      return {
        type: job.kind,
        id: job.id,
        attributes: { status: job.status, created_at: job.created, total_count: job.total, completed_count: job.done, failed_count: job.failed, completed_at: job.completed, expires_at: null, started_at: job.started },
        relationships: {
          lists: rel("lists", "list", job.listIds),
          profiles: rel("profiles", "profile", job.profileIds),
          "import-errors": { data: job.status === "complete" ? job.errors.map((e) => ({ type: "import-error", id: e.id })) : [], links: { related: `${base}import-errors/` } },
        },
        links: { self: base },
      };
    }
    return {
      type: job.kind,
      id: job.id,
      attributes: { status: job.status, created_at: job.created, total_count: job.total, completed_count: job.done, completed_at: job.completed, skipped_count: 0 },
      relationships: { lists: rel("lists", "list", job.listIds), segments: rel("segments", "segment", job.segmentIds) },
      links: { self: base },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Small parts

  private json(request: ServerSideRequest): unknown {
    try {
      return JSON.parse(request.rawBody) as unknown;
    } catch (err) {
      throw new Refusal(this.kit.invalid(`The request body is not valid JSON (${(err as Error).message}). Send a JSON:API document.`, { pointer: "/" }));
    }
  }

  /** `parent[key]` as an object, or a 400 naming where it is missing. */
  private need(parent: unknown, key: string, pointer: string): Obj {
    const value = isObj(parent) ? parent[key] : undefined;
    if (!isObj(value)) throw new Refusal(this.kit.invalid(value === undefined ? `'${key}' is a required property` : `'${key}' must be an object`, { pointer: `${pointer}/${key}` }));
    return value;
  }

  private checkBoolean(value: unknown, pointer: string): void {
    if (value !== undefined && value !== null && typeof value !== "boolean") throw new Refusal(this.kit.invalid(`'${pointer.split("/").pop() as string}' must be true or false`, { pointer }));
  }

  private oneRelated(data: Obj, name: string): string | undefined {
    const rel = isObj(data.relationships) ? data.relationships[name] : undefined;
    const id = isObj(rel) && isObj(rel.data) ? rel.data.id : undefined;
    return typeof id === "string" ? id : undefined;
  }

  private listOf(data: Obj): DemoAccount["lists"][number] | undefined {
    const id = this.oneRelated(data, "list");
    if (id === undefined) return undefined;
    const list = this.account.lists.find((l) => l.id === id);
    if (!list) throw new Refusal(this.kit.notFound(`A list with id '${id}' does not exist in this account.`));
    return list;
  }

  private relatedIds(data: Obj, name: string, type: string): string[] {
    const rel = isObj(data.relationships) ? data.relationships[name] : undefined;
    const items = isObj(rel) && Array.isArray(rel.data) ? rel.data : [];
    return items.map((item, i) => {
      if (!isObj(item) || item.type !== type || typeof item.id !== "string") throw new Refusal(this.kit.invalid(`Each ${name} entry must be {type: '${type}', id}`, { pointer: `/data/relationships/${name}/data/${i}` }));
      if (type === "list" && !this.account.lists.some((l) => l.id === item.id)) throw new Refusal(this.kit.notFound(`A list with id '${item.id}' does not exist in this account.`));
      return item.id;
    });
  }

  private rng(): Random {
    return new Random(0x5e7e0000 + ++this.seq);
  }

  private newId(): string {
    return shortId(this.rng(), 12);
  }

  private stamp(): string {
    return apiDatetime(Date.parse(this.account.now));
  }
}

/** The first problem with the email or phone number of a profile's attributes, as Klaviyo reports it. */
function contactProblem(attrs: Obj, pointer: string): { detail: string; pointer: string } | null {
  if (attrs.email !== undefined && attrs.email !== null && (typeof attrs.email !== "string" || !EMAIL.test(attrs.email))) return { detail: EMAIL_DETAIL, pointer: `${pointer}/email` };
  if (attrs.phone_number !== undefined && attrs.phone_number !== null && (typeof attrs.phone_number !== "string" || !isValidPhoneNumber(attrs.phone_number))) return { detail: PHONE_DETAIL, pointer: `${pointer}/phone_number` };
  return null;
}

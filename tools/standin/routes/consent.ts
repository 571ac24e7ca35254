/**
 * Marketing consent from the server side: bulk subscribe and unsubscribe (answered 202 at once),
 * and bulk suppress and unsuppress, which are job resources that complete over later GETs
 * (routes/jobs.ts polls them).
 */
import { API_ORIGIN } from "../../../src/api-origin";
import type { DemoAccount, DemoList, DemoProfile, DemoSegment, Json, JsonObject } from "../account";
import { findByIdentifier, upsertProfile } from "../account-writes";
import { recordConsent, requestedConsents } from "../channel-consent";
import { contactProblem, EMAIL_DETAIL, isEmail } from "../contacts";
import { checkBoolean, isObj, need, needType, oneRelated } from "../http/body";
import type { Obj } from "../http/body";
import { recordById } from "../http/collections";
import { declared } from "../http/query";
import { invalid, invalidBody, refuse } from "../http/reply";
import type { Reply } from "../http/reply";
import { jsonBody } from "../http/request";
import type { Route } from "../http/route";
import { JOB_PATHS, renderJob } from "../jobs";
import type { JobKind } from "../jobs";
import type { StandInState } from "../state";

type SuppressionKind = Exclude<JobKind, "profile-bulk-import-job">;

/** A profile's marketing consent blocks, as the account stores them. */
type Marketing = { email: { marketing: JsonObject }; sms: { marketing: JsonObject } };

/** The e-mail suppressions (reason and time) of a profile's e-mail marketing block, but those for `dropped` reasons. */
function suppressionsBut(marketing: JsonObject, dropped: readonly string[]): JsonObject[] {
  return ((marketing.suppression as JsonObject[] | undefined) ?? []).filter((s) => !dropped.includes(String(s.reason)));
}

export const CONSENT_ROUTES: Route[] = [
  {
    operation: "bulk_subscribe_profiles",
    method: "POST",
    path: "/api/profile-subscription-bulk-create-jobs",
    query: {},
    rateLimitWindow: "running",
    handle: ({ request, state }) => subscribe(state, jsonBody(request)),
  },
  {
    operation: "bulk_unsubscribe_profiles",
    method: "POST",
    path: "/api/profile-subscription-bulk-delete-jobs",
    query: {},
    rateLimitWindow: "running",
    handle: ({ request, state }) => unsubscribe(state, jsonBody(request)),
  },
  suppressionRoute("bulk_suppress_profiles", "profile-suppression-bulk-create-job"),
  suppressionRoute("bulk_unsuppress_profiles", "profile-suppression-bulk-delete-job"),
];

/** POST of a suppression (or unsuppression) job of `kind`, by the spec's `operation`. */
function suppressionRoute(operation: string, kind: SuppressionKind): Route {
  return {
    operation,
    method: "POST",
    path: `/api/${JOB_PATHS[kind]}`,
    query: declared(`fields[${kind}]`),
    rateLimitWindow: "running",
    handle: ({ request, state }) => suppression(state, kind, jsonBody(request)),
  };
}

/** The list named in `data.relationships.list`, if any (404 when the account has none by that id). */
function listOf(account: DemoAccount, data: Obj): DemoList | undefined {
  const id = oneRelated(data, "list");
  if (id === undefined) return undefined;
  return recordById(account.lists, id, "A list");
}

/** The profiles of a bulk consent request (at `/data/attributes/profiles/data`): 1 to `max` of them. */
function profileRows(attrs: Obj, max: number, maxText: string): unknown[] {
  const rows = need(attrs, "profiles", "/data/attributes").data;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > max) {
    refuse(invalid(`'data' must be a list of 1 to ${maxText} profiles`, { pointer: "/data/attributes/profiles/data" }));
  }
  return rows;
}

/** A row's attributes with the `subscriptions` it must have (at `at`). */
function withSubscriptions(row: unknown, at: string): Obj {
  const pAttrs = isObj(row) && isObj(row.attributes) ? row.attributes : undefined;
  if (!pAttrs || !isObj(pAttrs.subscriptions)) {
    refuse(invalid("'subscriptions' is a required property", { pointer: `${at}/subscriptions` }));
  }
  return pAttrs;
}

/** Bulk subscribe: checks every row first, then subscribes them all (and adds them to the list, if any). */
function subscribe(state: StandInState, body: unknown): Reply {
  const { account } = state;
  const data = need(body, "data", "");
  needType(data, "profile-subscription-bulk-create-job");
  const attrs = need(data, "attributes", "/data");
  checkBoolean(attrs.historical_import, "/data/attributes/historical_import");
  const historical = attrs.historical_import === true;
  const rows = profileRows(attrs, 1000, "1,000");
  const list = listOf(account, data);
  const plan = rows.map((row, i) => {
    const at = `/data/attributes/profiles/data/${i}/attributes`;
    const pAttrs = withSubscriptions(row, at);
    const problem = contactProblem(pAttrs, at);
    if (problem) refuse(invalidBody(problem));
    return { attrs: pAttrs, channels: requestedConsents("bulk_subscribe_profiles", pAttrs, at, { now: account.now, stamp: () => state.stamp(), historical }) };
  });
  // A double opt-in list only gains the member once the confirmation is clicked; a historical import skips it.
  const pending = list?.opt_in_process === "double_opt_in" && !historical;
  for (const { attrs: pAttrs, channels } of plan) {
    const contact = { email: pAttrs.email, phone_number: pAttrs.phone_number };
    const profile = findByIdentifier(account, pAttrs) ?? upsertProfile(account, state.rng(), { type: "profile", attributes: contact });
    // An e-mail address or phone number sent with the consent is set on a profile that has none.
    for (const key of ["email", "phone_number"] as const) {
      if (profile.attributes[key] === null && typeof contact[key] === "string") profile.attributes[key] = contact[key];
    }
    if (pending) continue;
    const subs = profile.subscriptions as Marketing;
    const detail = typeof attrs.custom_source === "string" ? attrs.custom_source : "";
    const emailConsentAt = channels.get("email.marketing");
    if (emailConsentAt) {
      const kept = suppressionsBut(subs.email.marketing, ["UNSUBSCRIBE", "SPAM_REPORT", "USER_SUPPRESSED"]);
      Object.assign(subs.email.marketing, {
        consent: "SUBSCRIBED",
        consent_timestamp: emailConsentAt,
        last_updated: state.stamp(),
        method: "API",
        method_detail: detail,
        suppression: kept,
        can_receive_email_marketing: kept.length === 0,
        // Subscribing to a list again lifts an unsubscribe from that list.
        list_suppressions: (subs.email.marketing.list_suppressions as Json[]).filter((l) => !list || !isObj(l) || l.list_id !== list.id),
      });
    }
    for (const [key, at] of channels) if (key !== "email.marketing") recordConsent(profile, key, "SUBSCRIBED", at, state.stamp(), key === "sms.marketing" ? "" : detail);
    if (list && !list.members.some((m) => m.profileId === profile.id)) {
      list.members.push({ profileId: profile.id, joinedAt: state.stamp() });
    }
  }
  return { status: 202 };
}

/**
 * Bulk unsubscribe: each known profile loses consent on the channels named. With a list, a member
 * unsubscribed from email leaves that list only (a list suppression, global consent kept); anyone not
 * in the list is unsubscribed globally, as Klaviyo's reference warns.
 */
function unsubscribe(state: StandInState, body: unknown): Reply {
  const data = need(body, "data", "");
  needType(data, "profile-subscription-bulk-delete-job");
  const rows = profileRows(need(data, "attributes", "/data"), 100, "100");
  const list = listOf(state.account, data);
  for (const [i, row] of rows.entries()) {
    const at = `/data/attributes/profiles/data/${i}/attributes`;
    const pAttrs = withSubscriptions(row, at);
    const asked = requestedConsents("bulk_unsubscribe_profiles", pAttrs, at, { now: state.account.now, stamp: () => state.stamp(), historical: false });
    const profile = findByIdentifier(state.account, pAttrs);
    if (!profile) continue;
    const subs = profile.subscriptions as Marketing;
    const unsubscribed = { consent: "UNSUBSCRIBED", consent_timestamp: state.stamp(), last_updated: state.stamp(), method: "API" };
    const member = list?.members.some((m) => m.profileId === profile.id) ?? false;
    if (list && member && asked.has("email.marketing")) {
      const listSuppression = { list_id: list.id, reason: "UNSUBSCRIBE", timestamp: state.stamp() };
      const others = (subs.email.marketing.list_suppressions as Json[]).filter((l) => !isObj(l) || l.list_id !== list.id);
      Object.assign(subs.email.marketing, { list_suppressions: [...others, listSuppression], last_updated: state.stamp() });
    } else if (asked.has("email.marketing")) {
      const suppression = [...suppressionsBut(subs.email.marketing, ["UNSUBSCRIBE"]), { reason: "UNSUBSCRIBE", timestamp: state.stamp() }];
      Object.assign(subs.email.marketing, { ...unsubscribed, can_receive_email_marketing: false, suppression });
    }
    for (const key of asked.keys()) if (key !== "email.marketing") recordConsent(profile, key, "UNSUBSCRIBED", state.stamp(), state.stamp());
    if (list) list.members = list.members.filter((m) => m.profileId !== profile.id);
  }
  return { status: 202 };
}

/** The profiles a suppression names: e-mail addresses in attributes.profiles, or a list's or segment's members. */
function suppressionTargets(state: StandInState, data: Obj, group: DemoList | DemoSegment | undefined): DemoProfile[] {
  const { account } = state;
  const rows = isObj(data.attributes) && isObj(data.attributes.profiles) ? data.attributes.profiles.data : undefined;
  if (Array.isArray(rows)) {
    if (rows.length === 0 || rows.length > 100) {
      refuse(invalid("'data' must be a list of 1 to 100 profiles", { pointer: "/data/attributes/profiles/data" }));
    }
    const emails = rows.map((row, i) => {
      const email = isObj(row) && isObj(row.attributes) ? row.attributes.email : undefined;
      if (!isEmail(email)) refuse(invalid(EMAIL_DETAIL, { pointer: `/data/attributes/profiles/data/${i}/attributes/email` }));
      return email;
    });
    const newProfile = (email: string): DemoProfile => upsertProfile(account, state.rng(), { type: "profile", attributes: { email } });
    return emails.map((email) => findByIdentifier(account, { email }) ?? newProfile(email));
  }
  const unnamed = "Name the profiles to change: attributes.profiles, or a list or segment in relationships.";
  if (!group) refuse(invalid(unnamed, { pointer: "/data/attributes/profiles" }));
  return group.members.map((m) => account.profiles.find((p) => p.id === m.profileId) as DemoProfile);
}

/** Bulk suppress or unsuppress: a job that changes the profiles' e-mail suppressions when it completes. */
function suppression(state: StandInState, kind: SuppressionKind, body: unknown): Reply {
  const data = need(body, "data", "");
  needType(data, kind);
  need(data, "attributes", "/data");
  const list = listOf(state.account, data);
  const segmentId = oneRelated(data, "segment");
  const segment = segmentId === undefined ? undefined : recordById(state.account.segments, segmentId, "A segment");
  const targets = suppressionTargets(state, data, list ?? segment);
  const apply = (): string[] => {
    for (const profile of targets) {
      const marketing = (profile.subscriptions as Marketing).email.marketing;
      // Unsuppressing removes only USER_SUPPRESSED; an unsubscribe or a bounce stays.
      const others: Json[] = suppressionsBut(marketing, ["USER_SUPPRESSED"]);
      const suppressing = kind === "profile-suppression-bulk-create-job";
      const suppression = suppressing ? [...others, { reason: "USER_SUPPRESSED", timestamp: state.stamp() }] : others;
      const canReceive = suppression.length === 0 && marketing.consent === "SUBSCRIBED";
      Object.assign(marketing, { suppression, can_receive_email_marketing: canReceive, last_updated: state.stamp() });
    }
    return targets.map((p) => p.id);
  };
  const job = state.jobs.open({
    kind,
    id: state.newId(),
    created: state.stamp(),
    total: targets.length,
    listIds: list ? [list.id] : [],
    segmentIds: segment ? [segment.id] : [],
    apply,
  });
  return { status: 202, body: { data: renderJob(job), links: { self: `${API_ORIGIN}/api/${JOB_PATHS[kind]}/` } } };
}

/**
 * The client-side endpoints (public key as `company_id`, no private key): the IP allow list read,
 * and the writes a browser or app sends (events, bulk events, subscriptions, profiles, reviews).
 * Klaviyo processes the writes asynchronously; the stand-in applies them at once so a later read
 * in the same run can see them. Body checks: client-bodies.ts.
 *
 * Rate limit demo (deterministic, so a guide can show a 429 and its retry): the FIRST request to
 * /client/events or /client/event-bulk-create carrying an event whose metric name is
 * `RATE_LIMIT_DEMO_METRIC` gets `429` with `Retry-After: 1`; the same request sent again is
 * accepted (202). Each stand-in instance throttles once.
 */
import { API_ORIGIN } from "../../../src/api-origin";
import { PARTIAL_FAILURE_HEADER } from "../../../src/client-side/send";
import { apiDatetime } from "../account";
import type { DemoAccount } from "../account";
import { addEvent, upsertProfile } from "../account-writes";
import { recordConsent, requestedConsents } from "../channel-consent";
import { checkClientBody } from "../client-bodies";
import type { ClientPath } from "../client-bodies";
import { isObj } from "../http/body";
import type { Obj } from "../http/body";
import { declared, fields } from "../http/query";
import { invalid, invalidBody, notFound, throttled } from "../http/reply";
import type { Problem, Reply } from "../http/reply";
import { jsonBody } from "../http/request";
import type { Context, Route } from "../http/route";
import type { StandInState } from "../state";
import { Random } from "../random";

export const RATE_LIMIT_DEMO_METRIC = "Rate Limit Demo";

/** The client writes by path, with the spec's operationId of each. */
const CLIENT_WRITES: Record<ClientPath, string> = {
  "/client/events": "create_client_event",
  "/client/event-bulk-create": "bulk_create_client_events",
  "/client/subscriptions": "create_client_subscription",
  "/client/profiles": "create_client_profile",
  "/client/reviews": "create_client_review",
};

export const CLIENT_ROUTES: Route[] = [
  {
    // The one client read the SDK still has (ClientApi.getClientIpAllowlist); the spec: "Any other id returns 404".
    // The prefixes are documentation ranges (RFC 5737), not Klaviyo's.
    operation: "get_client_ip_allowlist",
    method: "GET",
    path: "/client/ip-allowlists/{id}",
    query: { ...declared("company_id"), ...fields("ip-allowlist", ["created", "id", "prefixes", "sync_token"]) },
    handle({ params }) {
      if (params.id !== "integration-egress") {
        return notFound(`There is no IP allow list '${params.id}'. The only one is 'integration-egress'.`);
      }
      const self = `${API_ORIGIN}/client/ip-allowlists/integration-egress/`;
      const attributes = {
        prefixes: ["192.0.2.0/24", "198.51.100.0/24"],
        sync_token: "5d41402abc4b2a76",
        created: "2026-01-15T00:00:00+00:00",
      };
      return {
        status: 200,
        body: { data: { type: "ip-allowlist", id: "integration-egress", attributes, links: { self } }, links: { self } },
      };
    },
  },
  ...Object.entries(CLIENT_WRITES).map(([path, operation]): Route => ({
    operation,
    method: "POST",
    path,
    query: declared("company_id"),
    handle: (ctx) => clientWrite(ctx, path as ClientPath),
  })),
];

/** The metric names of the events a client write carries. */
function metricNames(path: ClientPath, body: unknown): string[] {
  const attrs = (body as { data?: { attributes?: Record<string, unknown> } })?.data?.attributes;
  const nameOf = (a: unknown): unknown =>
    (a as { metric?: { data?: { attributes?: { name?: unknown } } } })?.metric?.data?.attributes?.name;
  if (path === "/client/events") return [String(nameOf(attrs))];
  if (path === "/client/event-bulk-create") {
    const list = (attrs?.events as { data?: { attributes?: unknown }[] })?.data ?? [];
    return list.map((e) => String(nameOf(e.attributes)));
  }
  return [];
}

/** A client write: the account's public key, a body Klaviyo accepts, then its effect (202). */
function clientWrite({ request, state }: Context, path: ClientPath): Reply {
  const companyId = request.query.get("company_id");
  if (companyId === undefined) {
    return invalid("The 'company_id' query parameter (your public API key / site ID) is required.", { parameter: "company_id" });
  }
  if (companyId !== state.account.companyId) {
    return invalid(`'${companyId}' is not a valid company_id (public API key) for this account.`, { parameter: "company_id" });
  }
  const body = jsonBody(request);
  const { problem, ignored } = checkClientBody(path, body);
  if (problem) return invalidBody(problem);
  const consents = path === "/client/subscriptions" ? clientConsents(body as Obj, state) : new Map<string, string>();
  if (!state.throttled && metricNames(path, body).includes(RATE_LIMIT_DEMO_METRIC)) {
    state.throttled = true;
    return throttled();
  }
  const applied = applyClientBody(state.account, path, body as Obj, ++state.writes, consents);
  if (applied) return invalidBody(applied);
  return ignored.length > 0 ? { status: 202, headers: { [PARTIAL_FAILURE_HEADER]: ignored.join(",") } } : { status: 202 };
}

/**
 * The consents a browser's subscription asks for (`"channel.sub-channel"` → when), its channels
 * checked against what the spec says `POST /client/subscriptions` takes (refused otherwise, as the
 * bulk jobs are); none when the profile names no `subscriptions`.
 */
function clientConsents(body: Obj, state: StandInState): Map<string, string> {
  const at = "/data/attributes/profile/data/attributes";
  const pAttrs = (((body.data as Obj).attributes as Obj).profile as Obj).data as Obj;
  const attributes = pAttrs.attributes as Obj;
  if (!isObj(attributes.subscriptions)) return new Map();
  return requestedConsents("create_client_subscription", attributes, at, { now: state.account.now, stamp: () => state.stamp(), historical: false });
}

/** Applies an accepted client request to the account. Returns a problem for a list that does not exist. */
function applyClientBody(account: DemoAccount, path: ClientPath, body: Obj, seq: number, consents: ReadonlyMap<string, string>): Problem | null {
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
    // A double opt-in list only gains the member, and the consent, after the confirmation is clicked.
    if (list.opt_in_process !== "single_opt_in") return null;
    const now = apiDatetime(Date.parse(account.now));
    if (!list.members.some((m) => m.profileId === profile.id)) list.members.push({ profileId: profile.id, joinedAt: now });
    // Consent beyond e-mail and SMS marketing (which follow the list's membership) is kept on the profile.
    for (const [key, given] of consents) {
      if (key !== "email.marketing" && key !== "sms.marketing") recordConsent(profile, key, "SUBSCRIBED", given, now);
    }
    return null;
  }
  const profile = upsertProfile(account, rng, (attrs.profile as Obj).data as Obj);
  const events = path === "/client/events" ? [attrs] : ((attrs.events as Obj).data as Obj[]).map((e) => e.attributes as Obj);
  for (const ev of events) addEvent(account, rng, profile, ev);
  return null;
}

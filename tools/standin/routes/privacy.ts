/**
 * Data privacy: a deletion request (GDPR/CCPA) for the profiles matching one identifier (`email`,
 * `phone_number` or `id`; more than one is refused). Klaviyo deletes asynchronously; the stand-in
 * deletes at once: the profiles, their events and their list and segment memberships, and answers
 * 202 with no body as Klaviyo does.
 */
import type { DemoAccount, DemoProfile } from "../account";
import { need, needType } from "../http/body";
import { invalid } from "../http/reply";
import type { Reply } from "../http/reply";
import { jsonBody } from "../http/request";
import type { Route } from "../http/route";

const IDENTIFIERS = ["email", "phone_number", "id"] as const;

/** Removes `doomed` profiles and everything that points to them. */
function deleteProfiles(account: DemoAccount, doomed: DemoProfile[]): void {
  const ids = new Set(doomed.map((p) => p.id));
  account.profiles = account.profiles.filter((p) => !ids.has(p.id));
  account.events = account.events.filter((e) => !ids.has(e.profileId));
  for (const group of [...account.lists, ...account.segments]) group.members = group.members.filter((m) => !ids.has(m.profileId));
}

/** The deletion request in `body`: a 400 naming the rule it breaks, or 202 once its profiles are gone. */
function requestDeletion(account: DemoAccount, body: unknown): Reply {
  const data = need(body, "data", "");
  needType(data, "data-privacy-deletion-job");
  const profile = need(need(need(data, "attributes", "/data"), "profile", "/data/attributes"), "data", "/data/attributes/profile");
  needType(profile, "profile", "/data/attributes/profile/data");
  const attrs = (profile.attributes ?? {}) as Record<string, unknown>;
  const given = IDENTIFIERS.filter((k) => typeof (k === "id" ? profile.id : attrs[k]) === "string");
  if (given.length !== 1) {
    return invalid(`Exactly one identifier is required: one of ${IDENTIFIERS.join(", ")} (${given.length} given).`, { pointer: "/data/attributes/profile/data" });
  }
  const [key] = given;
  const value = key === "id" ? profile.id : attrs[key];
  deleteProfiles(account, account.profiles.filter((p) => (key === "id" ? p.id : p.attributes[key]) === value));
  return { status: 202 };
}

export const PRIVACY_ROUTES: Route[] = [
  {
    operation: "request_profile_deletion",
    method: "POST",
    path: "/api/data-privacy-deletion-jobs",
    query: {},
    handle: ({ request, state }) => requestDeletion(state.account, jsonBody(request)),
  },
];

/**
 * Profiles: reading them (GET /api/profiles, /api/profiles/{id}) and the server-side guide's
 * writes (create-or-update through /api/profile-import, PATCH /api/profiles/{id}).
 */
import { API_ORIGIN } from "../../../src/api-origin";
import type { DemoProfile } from "../account";
import { applyAttributes, findByIdentifier, upsertProfile } from "../account-writes";
import { contactProblem } from "../contacts";
import { ANY_EQ, datetimeField, stringField } from "../filter";
import type { FieldRule } from "../filter";
import { need, needType } from "../http/body";
import { applyFilter, paginate, pageReply, recordById, resourceReply, sortBy } from "../http/collections";
import { declared, FILTER, fields, include, page, sort } from "../http/query";
import { invalid, invalidBody } from "../http/reply";
import type { Reply } from "../http/reply";
import { jsonBody, listParam } from "../http/request";
import type { Request } from "../http/request";
import type { Route } from "../http/route";
import { renderList, renderProfile, renderSegment } from "../resources";
import type { StandInState } from "../state";
import { ADDITIONAL_PROFILE, LIST_FIELDS, PROFILE_FIELDS, profileView, SEGMENT_FIELDS } from "./fields";

const attribute =
  (key: string) =>
  (p: DemoProfile): string | null =>
    p.attributes[key] as string | null;

const PROFILE_FILTERS: Record<string, FieldRule<DemoProfile>> = {
  id: stringField((p) => p.id, ANY_EQ),
  email: stringField(attribute("email"), ANY_EQ),
  phone_number: stringField(attribute("phone_number"), ANY_EQ),
  external_id: stringField(attribute("external_id"), ANY_EQ),
  created: datetimeField(attribute("created"), ["greater-than", "less-than"]),
  updated: datetimeField(attribute("updated"), ["greater-than", "less-than"]),
};

const PROFILE_SORTS: Record<string, (p: DemoProfile) => string> = {
  created: (p) => p.attributes.created as string,
  email: (p) => (p.attributes.email as string) ?? "",
  id: (p) => p.id,
  updated: (p) => p.attributes.updated as string,
};

/** The profile-writing operations declare these and answer with the profile they wrote. */
const PROFILE_WRITE_QUERY = declared("fields[profile]", "additional-fields[profile]");

export const PROFILE_ROUTES: Route[] = [
  {
    operation: "get_profiles",
    method: "GET",
    path: "/api/profiles",
    query: {
      ...PROFILE_FIELDS,
      ...fields("push-token", ["created", "token", "enablement_status", "platform", "vendor", "background", "recorded_date", "metadata"]),
      ...fields("conversation", ["channel"]),
      ...ADDITIONAL_PROFILE,
      ...FILTER,
      ...include(["conversations", "push-tokens"]),
      ...page(100),
      ...sort(Object.keys(PROFILE_SORTS)),
    },
    handle({ request, state }) {
      const rows = sortBy(applyFilter(request, state.account.profiles, PROFILE_FILTERS), request.query.get("sort"), PROFILE_SORTS);
      const { page: slice, links } = paginate(request, rows, 20);
      return pageReply(
        request,
        slice.map((p) => renderProfile(p, profileView(request))),
        links,
      );
    },
  },
  {
    operation: "get_profile",
    method: "GET",
    path: "/api/profiles/{id}",
    query: {
      ...PROFILE_FIELDS,
      ...fields("list", LIST_FIELDS),
      ...fields("segment", SEGMENT_FIELDS),
      ...fields("push-token", ["created", "token"]),
      ...fields("conversation", ["channel"]),
      ...ADDITIONAL_PROFILE,
      ...include(["conversations", "lists", "push-tokens", "segments"]),
    },
    handle: ({ request, params, state }) => oneProfile(request, state, params.id),
  },
  {
    operation: "create_or_update_profile",
    method: "POST",
    path: "/api/profile-import",
    query: PROFILE_WRITE_QUERY,
    rateLimitWindow: "running",
    handle({ request, state }) {
      const { account } = state;
      const data = need(jsonBody(request), "data", "");
      needType(data, "profile");
      const attrs = need(data, "attributes", "/data");
      const problem = contactProblem(attrs, "/data/attributes");
      if (problem) return invalidBody(problem);
      const byId = typeof data.id === "string" ? recordById(account.profiles, data.id, "A profile") : undefined;
      const existing = byId ?? findByIdentifier(account, attrs);
      if (!existing && !["email", "phone_number", "external_id", "_kx"].some((k) => typeof attrs[k] === "string")) {
        return invalid("A profile identifier is required: one of id, email, phone_number, external_id or _kx.", {
          pointer: "/data/attributes",
        });
      }
      const profile = existing ?? upsertProfile(account, state.rng(), { type: "profile", attributes: {} });
      applyAttributes(account, profile, attrs, "/data/attributes");
      return {
        status: existing ? 200 : 201,
        body: { data: renderProfile(profile, profileView(request)), links: { self: `${API_ORIGIN}/api/profile-import/` } },
      };
    },
  },
  {
    operation: "update_profile",
    method: "PATCH",
    path: "/api/profiles/{id}",
    query: PROFILE_WRITE_QUERY,
    rateLimitWindow: "running",
    handle({ request, params, state }) {
      const { account } = state;
      const profile = recordById(account.profiles, params.id, "A profile");
      const data = need(jsonBody(request), "data", "");
      needType(data, "profile");
      if (data.id !== params.id) return invalid(`'id' must be the profile id of the URL ('${params.id}').`, { pointer: "/data/id" });
      const attrs = need(data, "attributes", "/data");
      const problem = contactProblem(attrs, "/data/attributes");
      if (problem) return invalidBody(problem);
      applyAttributes(account, profile, attrs, "/data/attributes");
      return {
        status: 200,
        body: { data: renderProfile(profile, profileView(request)), links: { self: `${API_ORIGIN}/api/profiles/${params.id}/` } },
      };
    },
  },
];

/** GET /api/profiles/{id}: with `include=lists,segments`, the groups it belongs to, related and included. */
function oneProfile(request: Request, state: StandInState, id: string): Reply {
  const { account } = state;
  const profile = recordById(account.profiles, id, "A profile");
  const includes = listParam(request, "include") ?? [];
  const lists = account.lists.filter((l) => l.members.some((m) => m.profileId === profile.id));
  const segments = account.segments.filter((s) => s.members.some((m) => m.profileId === profile.id));
  const resource = renderProfile(profile, {
    ...profileView(request),
    relatedData: {
      lists: includes.includes("lists") ? lists.map((l) => ({ type: "list" as const, id: l.id })) : undefined,
      segments: includes.includes("segments") ? segments.map((s) => ({ type: "segment" as const, id: s.id })) : undefined,
    },
  });
  const included = [
    ...(includes.includes("lists") ? lists.map((l) => renderList(l, listParam(request, "fields[list]"))) : []),
    ...(includes.includes("segments") ? segments.map((s) => renderSegment(s, listParam(request, "fields[segment]"))) : []),
  ];
  return resourceReply(request, resource, `/api/profiles/${profile.id}/`, includes.length > 0 ? included : undefined);
}

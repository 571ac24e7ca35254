/**
 * What lists and segments (Klaviyo's groups of profiles) share: the three reads both have (a page
 * of groups, one group, its members with the time each joined), made for either kind, and the
 * reading of a group's members that lists also offer as bare ids.
 */
import type { DemoAccount, DemoList, DemoProfile, DemoSegment, JsonObject, Membership } from "../account";
import { ANY_EQ, CMP, datetimeField, stringField } from "../filter";
import type { FieldRule } from "../filter";
import { applyFilter, emptyIncludes, paginate, pageReply, recordById, resourceReply, sortBy } from "../http/collections";
import { fields, FILTER, include, page, sort } from "../http/query";
import type { QueryRules } from "../http/query";
import type { Reply } from "../http/reply";
import { listParam } from "../http/request";
import type { Context, Route } from "../http/route";
import { renderProfile } from "../resources";
import { ADDITIONAL_PROFILE, FLOW_FIELDS, MEMBER_FIELDS, profileView } from "./fields";

type Group = DemoList | DemoSegment;

/** How one kind of group is read: where the account keeps them, its fieldset, filters and rendering. */
export interface GroupKind<G extends Group> {
  kind: "list" | "segment";
  groups: (account: DemoAccount) => G[];
  /** The attributes `fields[list]` / `fields[segment]` may name. */
  fields: string[];
  /** Filters of its own, besides those every group has. */
  filters: Record<string, FieldRule<G>>;
  /** The resource, with a sparse fieldset and, when asked, its profile count. */
  render: (group: G, fields?: string[], withProfileCount?: boolean) => JsonObject;
}

const GROUP_SORTS: Record<string, (g: Group) => string> = {
  created: (g) => g.created,
  id: (g) => g.id,
  name: (g) => g.name,
  updated: (g) => g.updated,
};

/** GET /api/lists, /api/lists/{id} and /api/lists/{id}/profiles, or the same of segments. */
export function groupReadRoutes<G extends Group>(kind: GroupKind<G>): Route[] {
  const { kind: name } = kind;
  const filters: Record<string, FieldRule<G>> = {
    id: stringField((g) => g.id, ANY_EQ),
    name: stringField((g) => g.name, ANY_EQ),
    created: datetimeField((g) => g.created, ["greater-than"]),
    updated: datetimeField((g) => g.updated, ["greater-than"]),
    ...kind.filters,
  };
  const related = { ...fields("flow", FLOW_FIELDS), ...fields("tag", ["name"]), ...include(["flow-triggers", "tags"]) };
  const query = { ...fields(name, kind.fields), ...related };
  return [
    {
      operation: `get_${name}s`,
      method: "GET",
      path: `/api/${name}s`,
      query: { ...query, ...FILTER, ...page(10), ...sort(Object.keys(GROUP_SORTS)) },
      handle({ request, state }) {
        const rows = sortBy(applyFilter(request, kind.groups(state.account), filters), request.query.get("sort"), GROUP_SORTS);
        const { page: slice, links } = paginate(request, rows, 10);
        return pageReply(request, slice.map((g) => emptyIncludes(kind.render(g, listParam(request, `fields[${name}]`)), request)), links);
      },
    },
    {
      operation: `get_${name}`,
      method: "GET",
      path: `/api/${name}s/{id}`,
      query: { ...query, [`additional-fields[${name}]`]: { kind: "list", values: ["profile_count"] } },
      handle({ request, params, state }) {
        const group = recordById(kind.groups(state.account), params.id, `A ${name}`);
        const withCount = listParam(request, `additional-fields[${name}]`)?.includes("profile_count");
        const data = emptyIncludes(kind.render(group, listParam(request, `fields[${name}]`), withCount), request);
        return resourceReply(request, data, `/api/${name}s/${group.id}/`);
      },
    },
    {
      operation: `get_profiles_for_${name}`,
      method: "GET",
      path: `/api/${name}s/{id}/profiles`,
      query: membersQuery(false),
      handle: (ctx) => members(ctx, kind, false),
    },
  ];
}

/** A member as the member endpoints filter and sort it. */
interface Member {
  profile: DemoProfile;
  membership: Membership;
}

const MEMBER_FILTERS: Record<string, FieldRule<Member>> = {
  email: stringField((m) => m.profile.attributes.email as string | null, ANY_EQ),
  phone_number: stringField((m) => m.profile.attributes.phone_number as string | null, ANY_EQ),
  joined_group_at: datetimeField((m) => m.membership.joinedAt, CMP),
};
const SEGMENT_MEMBER_FILTERS: Record<string, FieldRule<Member>> = {
  ...MEMBER_FILTERS,
  profile_id: stringField((m) => m.profile.id, ANY_EQ),
};

/** The parameters of reading a group's members (`idsOnly`: the relationship endpoint, ids alone). */
export function membersQuery(idsOnly: boolean): QueryRules {
  const shown = idsOnly ? {} : { ...MEMBER_FIELDS, ...ADDITIONAL_PROFILE };
  return { ...shown, ...FILTER, ...page(100), ...sort(["joined_group_at"]) };
}

/** A page of the members of the group `params.id`, each with `joined_group_at`, or only their ids. */
export function members<G extends Group>(ctx: Context, kind: GroupKind<G>, idsOnly: boolean): Reply {
  const { request, params, state } = ctx;
  const group = recordById(kind.groups(state.account), params.id, `A ${kind.kind}`);
  const byId = new Map(state.account.profiles.map((p) => [p.id, p]));
  let rows: Member[] = group.members.map((m) => ({ profile: byId.get(m.profileId) as DemoProfile, membership: m }));
  rows = applyFilter(request, rows, kind.kind === "segment" ? SEGMENT_MEMBER_FILTERS : MEMBER_FILTERS);
  rows = sortBy(rows, request.query.get("sort"), { joined_group_at: (m) => m.membership.joinedAt });
  const { page: slice, links } = paginate(request, rows, 20);
  const data = idsOnly
    ? slice.map((m) => ({ type: "profile", id: m.profile.id }))
    : slice.map((m) => renderProfile(m.profile, { ...profileView(request), membership: m.membership }));
  return { status: 200, body: { data, links } };
}

/**
 * What lists and segments (Klaviyo's groups of profiles) share when read: their filters, their
 * query parameters, one group by id, and their members with the time each joined.
 */
import type { DemoList, DemoProfile, DemoSegment, JsonObject, Membership } from "../account";
import { ANY_EQ, CMP, datetimeField, stringField } from "../filter";
import type { FieldRule } from "../filter";
import { applyFilter, emptyIncludes, paginate, pageReply, resourceReply, sortBy } from "../http/collections";
import { fields, FILTER, include, page, sort } from "../http/query";
import type { QueryRules } from "../http/query";
import { notFound } from "../http/reply";
import type { Reply } from "../http/reply";
import { listParam } from "../http/request";
import type { Context } from "../http/route";
import { renderProfile } from "../resources";
import { ADDITIONAL_PROFILE, FLOW_FIELDS, MEMBER_FIELDS, profileView } from "./fields";

type Group = DemoList | DemoSegment;
type GroupKind = "list" | "segment";
/** How a group is rendered: with a sparse fieldset and, when asked, its profile count. */
type RenderGroup<G> = (group: G, fields?: string[], withProfileCount?: boolean) => JsonObject;

/** Filters every group allows, and `extra` ones of its kind. */
export function groupFilters<G extends Group>(extra: Record<string, FieldRule<G>>): Record<string, FieldRule<G>> {
  return {
    id: stringField((g) => g.id, ANY_EQ),
    name: stringField((g) => g.name, ANY_EQ),
    created: datetimeField((g) => g.created, ["greater-than"]),
    updated: datetimeField((g) => g.updated, ["greater-than"]),
    ...extra,
  };
}

const GROUP_SORTS = { created: (g: Group) => g.created, id: (g: Group) => g.id, name: (g: Group) => g.name, updated: (g: Group) => g.updated };

/** The parameters of reading groups: their fieldset, related flows and tags. */
export function groupQuery(kind: GroupKind, values: string[]): QueryRules {
  return { ...fields(kind, values), ...fields("flow", FLOW_FIELDS), ...fields("tag", ["name"]), ...include(["flow-triggers", "tags"]) };
}

/** The parameters of reading a page of groups. */
export function groupsQuery(kind: GroupKind, values: string[]): QueryRules {
  return { ...groupQuery(kind, values), ...FILTER, ...page(10), ...sort(Object.keys(GROUP_SORTS)) };
}

/** GET /api/lists and /api/segments: a page of groups, filtered and sorted. */
export function groupPage<G extends Group>(ctx: Context, kind: GroupKind, groups: G[], filters: Record<string, FieldRule<G>>, render: RenderGroup<G>): Reply {
  const { request } = ctx;
  const rows = sortBy(applyFilter(request, groups, filters), request.query.get("sort"), GROUP_SORTS);
  const { page: slice, links } = paginate(request, rows, 10);
  return pageReply(request, slice.map((g) => emptyIncludes(render(g, listParam(request, `fields[${kind}]`)), request)), links);
}

/** GET /api/lists/{id} and /api/segments/{id}: one group, with sparse fields and its profile count on request. */
export function oneGroup<G extends Group>(ctx: Context, kind: GroupKind, groups: readonly G[], render: RenderGroup<G>): Reply {
  const { request, params } = ctx;
  const group = groups.find((g) => g.id === params.id);
  if (!group) return notFound(`A ${kind} with id '${params.id}' does not exist in this account.`);
  const withCount = listParam(request, `additional-fields[${kind}]`)?.includes("profile_count");
  const data = emptyIncludes(render(group, listParam(request, `fields[${kind}]`), withCount), request);
  return resourceReply(request, data, `/api/${kind}s/${group.id}/`);
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
const SEGMENT_MEMBER_FILTERS: Record<string, FieldRule<Member>> = { ...MEMBER_FILTERS, profile_id: stringField((m) => m.profile.id, ANY_EQ) };

/** The parameters of reading a group's members (`idsOnly`: the relationship endpoint, ids alone). */
export function membersQuery(idsOnly: boolean): QueryRules {
  const shown = idsOnly ? {} : { ...MEMBER_FIELDS, ...ADDITIONAL_PROFILE };
  return { ...shown, ...FILTER, ...page(100), ...sort(["joined_group_at"]) };
}

/** A page of the group's members, each with `joined_group_at`, or only their ids. */
export function members(ctx: Context, kind: GroupKind, group: Group | undefined, idsOnly: boolean): Reply {
  const { request, params, state } = ctx;
  if (!group) return notFound(`A ${kind} with id '${params.id}' does not exist in this account.`);
  const byId = new Map(state.account.profiles.map((p) => [p.id, p]));
  let rows: Member[] = group.members.map((m) => ({ profile: byId.get(m.profileId) as DemoProfile, membership: m }));
  rows = applyFilter(request, rows, kind === "segment" ? SEGMENT_MEMBER_FILTERS : MEMBER_FILTERS);
  rows = sortBy(rows, request.query.get("sort"), { joined_group_at: (m) => m.membership.joinedAt });
  const { page: slice, links } = paginate(request, rows, 20);
  const data = idsOnly
    ? slice.map((m) => ({ type: "profile", id: m.profile.id }))
    : slice.map((m) => renderProfile(m.profile, { ...profileView(request), membership: m.membership }));
  return { status: 200, body: { data, links } };
}

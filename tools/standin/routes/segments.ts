/** Segments: reading them and their members (the demo's are fixed: nothing writes a segment). */
import type { DemoSegment } from "../account";
import { ANY_EQ, EQ } from "../filter";
import type { Route } from "../http/route";
import { renderSegment } from "../resources";
import { SEGMENT_FIELDS } from "./fields";
import { groupFilters, groupPage, groupQuery, groupsQuery, members, membersQuery, oneGroup } from "./groups";

const SEGMENT_FILTERS = groupFilters<DemoSegment>({
  is_active: { ops: ANY_EQ, type: "boolean", get: (s) => s.is_active },
  is_starred: { ops: EQ, type: "boolean", get: (s) => s.is_starred },
});

export const SEGMENT_ROUTES: Route[] = [
  {
    operation: "get_segments",
    method: "GET",
    path: "/api/segments",
    query: groupsQuery("segment", SEGMENT_FIELDS),
    handle: (ctx) => groupPage(ctx, "segment", ctx.state.account.segments, SEGMENT_FILTERS, renderSegment),
  },
  {
    operation: "get_segment",
    method: "GET",
    path: "/api/segments/{id}",
    query: { ...groupQuery("segment", SEGMENT_FIELDS), "additional-fields[segment]": { kind: "list", values: ["profile_count"] } },
    handle: (ctx) => oneGroup(ctx, "segment", ctx.state.account.segments, renderSegment),
  },
  {
    operation: "get_profiles_for_segment",
    method: "GET",
    path: "/api/segments/{id}/profiles",
    query: membersQuery(false),
    handle: (ctx) => members(ctx, "segment", ctx.state.account.segments.find((s) => s.id === ctx.params.id), false),
  },
];

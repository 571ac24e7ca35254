/** Segments: reading them and their members (the demo's are fixed: nothing writes a segment). */
import type { DemoSegment } from "../account";
import { ANY_EQ, EQ } from "../filter";
import type { Route } from "../http/route";
import { renderSegment } from "../resources";
import { SEGMENT_FIELDS } from "./fields";
import { groupReadRoutes } from "./groups";

export const SEGMENT_ROUTES: Route[] = groupReadRoutes<DemoSegment>({
  kind: "segment",
  groups: (account) => account.segments,
  fields: SEGMENT_FIELDS,
  filters: {
    is_active: { ops: ANY_EQ, type: "boolean", get: (s) => s.is_active },
    is_starred: { ops: EQ, type: "boolean", get: (s) => s.is_starred },
  },
  render: renderSegment,
});

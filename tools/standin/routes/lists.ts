/**
 * Lists: reading them and their members, creating one, and adding profiles to one (the
 * customer-data guide builds a list of BFCM first-time buyers).
 */
import { API_ORIGIN } from "../../../src/api-origin";
import type { DemoList } from "../account";
import { fields } from "../http/query";
import { invalid } from "../http/reply";
import { recordById } from "../http/collections";
import { jsonBody, listParam } from "../http/request";
import type { Route } from "../http/route";
import { Random, shortId } from "../random";
import { renderList } from "../resources";
import { LIST_FIELDS } from "./fields";
import { groupReadRoutes, members, membersQuery } from "./groups";
import type { GroupKind } from "./groups";

/** Lists as the reads lists and segments share see them. */
const LISTS: GroupKind<DemoList> = {
  kind: "list",
  groups: (account) => account.lists,
  fields: LIST_FIELDS,
  filters: {},
  render: renderList,
};

/** The body of POST /api/lists, as far as it is read. */
type NewList = { data?: { type?: unknown; attributes?: { name?: unknown; opt_in_process?: unknown } } } | null;

export const LIST_ROUTES: Route[] = [
  ...groupReadRoutes(LISTS),
  {
    operation: "create_list",
    method: "POST",
    path: "/api/lists",
    query: fields("list", LIST_FIELDS),
    handle({ request, state }) {
      const body = jsonBody(request) as NewList;
      if (body?.data?.type !== "list") return invalid("'type' must be 'list'", { pointer: "/data/type" });
      const name = body.data.attributes?.name;
      if (typeof name !== "string" || name.trim() === "") {
        return invalid("'name' is a required property", { pointer: "/data/attributes/name" });
      }
      const optIn = body.data.attributes?.opt_in_process ?? "double_opt_in";
      if (optIn !== "double_opt_in" && optIn !== "single_opt_in") {
        return invalid("'opt_in_process' must be 'double_opt_in' or 'single_opt_in'", { pointer: "/data/attributes/opt_in_process" });
      }
      const { account } = state;
      const stamp = state.stamp();
      const id = shortId(new Random(0x11570000 + account.lists.length + ++state.writes));
      const list: DemoList = { id, name, created: stamp, updated: stamp, opt_in_process: optIn, members: [] };
      account.lists.push(list);
      return {
        status: 201,
        body: { data: renderList(list, listParam(request, "fields[list]")), links: { self: `${API_ORIGIN}/api/lists/` } },
      };
    },
  },
  {
    operation: "get_profile_ids_for_list",
    method: "GET",
    path: "/api/lists/{id}/relationships/profiles",
    query: membersQuery(true),
    handle: (ctx) => members(ctx, LISTS, true),
  },
  {
    operation: "add_profiles_to_list",
    method: "POST",
    path: "/api/lists/{id}/relationships/profiles",
    query: {},
    handle({ request, params, state }) {
      const { account } = state;
      const list = recordById(account.lists, params.id, "A list");
      const body = jsonBody(request) as { data?: unknown } | null;
      if (!Array.isArray(body?.data)) return invalid("'data' must be a list of {type: 'profile', id} objects", { pointer: "/data" });
      if (body.data.length > 1000) return invalid("At most 1000 profiles can be added per request.", { pointer: "/data" });
      const items = body.data as { type?: unknown; id?: unknown }[];
      for (const [i, item] of items.entries()) {
        if (item?.type !== "profile") return invalid("'type' must be 'profile'", { pointer: `/data/${i}/type` });
        if (typeof item.id !== "string" || !account.profiles.some((p) => p.id === item.id)) {
          return invalid(`Profile '${String(item.id)}' does not exist.`, { pointer: `/data/${i}/id` });
        }
      }
      const joinedAt = state.stamp();
      for (const item of items)
        if (!list.members.some((m) => m.profileId === item.id)) list.members.push({ profileId: item.id as string, joinedAt });
      state.writes++;
      return { status: 204 };
    },
  },
];

/**
 * Reading a collection as the API does: filter, sort, then a page of it with `links` that chain.
 * Cursors are base64 of an offset, stable because the demo data is ordered. Links always use
 * Klaviyo's origin (the SDK follows only https next links); a raw-HTTP caller rewrites the origin.
 */
import { API_ORIGIN } from "../../../src/api-origin";
import type { JsonObject } from "../account";
import { compileFilter, parseFilter } from "../filter";
import type { FieldRule } from "../filter";
import { invalid, notFound, refuse } from "./reply";
import type { Reply } from "./reply";
import type { Request } from "./request";
import { listParam } from "./request";

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const detail = "page[cursor] is not a cursor this endpoint issued. Use links.next from the previous page.";
  if (!m) refuse(invalid(detail, { parameter: "page[cursor]" }));
  return Number(m[1]);
}

/** This request's URL at Klaviyo's origin, with `cursor` as its page[cursor] (none for `null`). */
function linkWith(request: Request, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const [k, v] of request.query) if (k !== "page[cursor]") params.append(k, v);
  if (cursor !== null) params.append("page[cursor]", cursor);
  const qs = params.toString();
  return `${API_ORIGIN}${request.path}${qs ? `?${qs}` : ""}`;
}

/** The page of `items` the request's cursor and size select (`defaultSize` without page[size]), and its links. */
export function paginate<T>(request: Request, items: T[], defaultSize: number): { page: T[]; links: JsonObject } {
  const size = request.query.has("page[size]") ? Number(request.query.get("page[size]")) : defaultSize;
  const cursor = request.query.get("page[cursor]");
  const offset = cursor ? decodeCursor(cursor) : 0;
  // The live API sends `null` (not an absent key) for the link past either end.
  const links: JsonObject = {
    self: linkWith(request, cursor ?? null),
    next: offset + size < items.length ? linkWith(request, encodeCursor(offset + size)) : null,
    prev: offset > 0 ? linkWith(request, encodeCursor(Math.max(0, offset - size))) : null,
  };
  return { page: items.slice(offset, offset + size), links };
}

/** `items` in the order of `sort` (`-` for descending), by the field's key; as they are without one. */
export function sortBy<T>(items: T[], sort: string | undefined, keys: Record<string, (item: T) => string | number>): T[] {
  if (!sort) return items;
  const desc = sort.startsWith("-");
  const key = keys[desc ? sort.slice(1) : sort];
  const sorted = items.slice().sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return desc ? sorted.reverse() : sorted;
}

/** Sort keys that read a property of the item: `{ created_at: "created" }` sorts by `item.created`. */
export function sortKeys<T>(properties: Record<string, keyof T>): Record<string, (item: T) => string> {
  return Object.fromEntries(Object.entries(properties).map(([name, key]) => [name, (item: T) => String(item[key])]));
}

/** The items the request's `filter` keeps, judged by `rules` (a filter they do not allow is refused). */
export function applyFilter<T>(request: Request, items: T[], rules: Record<string, FieldRule<T>>): T[] {
  const text = request.query.get("filter");
  if (text === undefined) return items;
  const test = compileFilter(parseFilter(text), rules);
  return items.filter(test);
}

/** The page the request asks for of `items` filtered by `rules` and sorted by `keys` (`defaultSize` without page[size]). */
export function filteredPage<T>(
  request: Request,
  items: T[],
  rules: Record<string, FieldRule<T>>,
  keys: Record<string, (item: T) => string | number>,
  defaultSize: number,
): { page: T[]; links: JsonObject } {
  return paginate(request, sortBy(applyFilter(request, items, rules), request.query.get("sort"), keys), defaultSize);
}

/** The record with `id`, or a 404 saying that `what` ("A metric") with that id does not exist. */
export function recordById<T extends { id: string }>(records: readonly T[], id: string, what: string): T {
  const found = records.find((r) => r.id === id);
  if (!found) refuse(notFound(`${what} with id '${id}' does not exist in this account.`));
  return found;
}

/** Requested relationships the account has no records for (tags, flow triggers…) come back empty. */
export function emptyIncludes(resource: JsonObject, request: Request): JsonObject {
  const rels = resource.relationships as JsonObject;
  for (const name of listParam(request, "include") ?? []) if (rels[name]) (rels[name] as JsonObject).data = [];
  return resource;
}

/** 200 with a page of resources; with `include=`, an empty `included` (nothing related is stored). */
export function pageReply(request: Request, data: JsonObject[], links: JsonObject): Reply {
  return { status: 200, body: request.query.has("include") ? { data, links, included: [] } : { data, links } };
}

/** 200 with one resource at `path` (e.g. `/api/metrics/abc/`); `included` as the request asks, if given. */
export function resourceReply(request: Request, data: JsonObject, path: string, included?: JsonObject[]): Reply {
  const body: JsonObject = { data, links: { self: `${API_ORIGIN}${path}` } };
  if (included !== undefined || request.query.has("include")) body.included = included ?? [];
  return { status: 200, body };
}

/**
 * A local HTTP stand-in for Klaviyo (revision 2026-07-15) serving the demo account, for the
 * endpoints the guides use. It exists so fixtures can be recorded without a real account and so
 * `live` mode can be tried with KLAVIYO_BASE_URL=http://127.0.0.1:PORT.
 *
 * Behaviour copied from the API, checked against the OpenAPI spec: page sizes and their limits,
 * opaque cursors in `links.next`/`links.prev`, filter and sort validation, `include=` with
 * `included[]`, sparse fieldsets, `additional-fields[profile]`, 201/204/202 on writes, JSON:API
 * `errors[]` on 4xx. Links always use https://a.klaviyo.com as origin (the SDK follows only https
 * next links); a raw-HTTP caller rewrites the origin to its base URL.
 *
 * Rate limit demo (deterministic, so a guide can show a 429 and its retry): the FIRST client-side
 * request (/client/events or /client/event-bulk-create) carrying an event whose metric name is
 * "Rate Limit Demo" gets `429` with `Retry-After: 1` and a `throttled` error; the same request sent
 * again is accepted (202). Each server instance throttles once.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { apiDatetime } from "./account";
import { generateAccount } from "./generator/generate";
import type { DemoAccount, DemoEvent, DemoList, DemoProfile, DemoSegment, JsonObject, Membership } from "./account";
import { metricAggregate } from "./aggregates";
import { applyClientBody, checkClientBody } from "./client-endpoints";
import type { ClientPath } from "./client-endpoints";
import { ServerSideEndpoints } from "./server-endpoints";
import { compileFilter, FilterError, parseFilter } from "./filter";
import type { FieldRule } from "./filter";
import { shortId, Random } from "./random";
import type { ServerQuirks } from "./shapes";
import { API_ORIGIN } from "../../src/api-origin";
import { renderEvent, renderList, renderMappedMetric, renderMetric, renderProfile, renderSegment } from "./resources";
import { PARTIAL_FAILURE_HEADER } from "../../src/client-side/send";
import { RATE_LIMITS } from "../../src/rate-limits";
import { rateLimitHeaders } from "./rate-limit-headers";

export const RATE_LIMIT_DEMO_METRIC = "Rate Limit Demo";
/** The media type as the live API labels its JSON answers. */
export const JSON_API = "application/vnd.api+json; charset=utf-8";

/** Steady (per-minute) limits of the guides' `/api/*` operations, matched by method and path. */
const STEADY_LIMITS = Object.values(RATE_LIMITS)
  .filter((l) => l.path.startsWith("/api/"))
  .map((l) => ({ method: l.method, pattern: new RegExp(`^${l.path.replace(/\{id\}/g, "[^/]+")}/?$`), limit: l.steadyPerMinute }));

/**
 * `RateLimit-*` headers of a successful `/api/*` answer: the state of the operation's steady
 * window (Klaviyo's "Rate limits, status codes, and errors"; 429s carry `Retry-After` instead).
 * The demo clock stands still, so each answer reports a fresh window holding just this request:
 * deterministic, whatever order parallel requests arrive in. Operations missing from
 * `RATE_LIMITS` get none rather than a made-up limit.
 */
function freshWindowHeaders(method: string, path: string): Record<string, string> {
  const known = STEADY_LIMITS.find((l) => l.method === method && l.pattern.test(path));
  return known ? rateLimitHeaders(known.limit, 1) : {};
}

export interface DemoServer {
  /** http://127.0.0.1:PORT, for KLAVIYO_BASE_URL. */
  url: string;
  /** The live in-memory account; writes change it. */
  account: DemoAccount;
  close(): Promise<void>;
}

/**
 * Starts the stand-in on 127.0.0.1 (port 0 = any free port) with a fresh copy of the demo account,
 * or the given account served with its quirks (tools/standin/shapes.ts).
 */
export async function startDemoServer(options: { account?: DemoAccount; port?: number; quirks?: ServerQuirks; onReply?: (method: string, path: string, status: number) => void } = {}): Promise<DemoServer> {
  const account = options.account ?? generateAccount();
  const state: ServerState = { account, throttled: false, writes: 0, serverSide: new ServerSideEndpoints(account, { invalid, notFound }) };
  const quirks = options.quirks ?? {};
  let apiGets = 0;
  const server = createServer((req, res) => {
    const throttle = quirks.throttleEvery !== undefined && req.method === "GET" && (req.url ?? "").startsWith("/api/") && ++apiGets % quirks.throttleEvery === 0;
    (throttle ? Promise.resolve(errorReply(429, "throttled", "Request was throttled.", "Request was throttled. Expected available in 1 second.", {}, { "Retry-After": "1" })) : handle(state, req))
      .then((reply) => {
        options.onReply?.(req.method ?? "GET", new URL(req.url ?? "/", "http://stand-in").pathname, reply.status);
        send(res, account, quirks.absentEndLinks ? withoutEndLinks(reply) : reply);
      })
      .catch((err: unknown) => send(res, account, errorReply(500, "error", "A server error occurred.", `The stand-in failed: ${String(err)}`, {})));
  });
  // Keep idle connections open: with Node's 5-s default, a client reusing a socket while a slow
  // notebook cell type-checks races the server closing it and sees ECONNRESET ("socket hang up").
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    account,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** A collection's `links` without the `next` and `prev` that are `null` (no such page): absent instead. */
function withoutEndLinks(reply: Reply): Reply {
  const body = reply.body as { data?: unknown; links?: JsonObject } | undefined;
  if (!Array.isArray(body?.data) || !body.links) return reply;
  const links = Object.fromEntries(Object.entries(body.links).filter(([name, value]) => !((name === "next" || name === "prev") && value === null)));
  return { ...reply, body: { ...body, links } };
}

interface ServerState {
  account: DemoAccount;
  /** Whether the one demo 429 has been served. */
  throttled: boolean;
  /** Accepted writes so far; seeds ids of created records. */
  writes: number;
  /** Server-side writes and bulk jobs (tools/standin/server-endpoints.ts). */
  serverSide: ServerSideEndpoints;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Request {
  method: string;
  url: URL;
  query: Map<string, string>;
  headers: IncomingMessage["headers"];
  rawBody: string;
}

function send(res: ServerResponse, account: DemoAccount, reply: Reply): void {
  const headers: Record<string, string> = { Date: new Date(account.now).toUTCString(), ...reply.headers };
  if (reply.body !== undefined) headers["Content-Type"] = JSON_API;
  res.writeHead(reply.status, headers);
  res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
}

/** Error ids are derived from the content so a re-recorded fixture does not change for nothing. */
function errorReply(status: number, code: string, title: string, detail: string, source: { pointer?: string; parameter?: string }, headers?: Record<string, string>): Reply {
  const digest = createHash("sha1").update(`${status}|${code}|${detail}|${JSON.stringify(source)}`).digest("hex");
  const id = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  const error: JsonObject = { id, code, title, detail };
  if (source.pointer !== undefined || source.parameter !== undefined) error.source = { ...source };
  return { status, body: { errors: [error] }, headers };
}

const invalid = (detail: string, source: { pointer?: string; parameter?: string }): Reply => errorReply(400, "invalid", "Invalid input.", detail, source);
const notFound = (detail: string): Reply => errorReply(404, "not_found", "Not found.", detail, {});

class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super("reply");
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function handle(state: ServerState, req: IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? "/", "http://stand-in");
  const request: Request = { method: req.method ?? "GET", url, query: new Map(url.searchParams), headers: req.headers, rawBody: await readBody(req) };
  const route = ROUTES.find((r) => r.pattern.test(url.pathname));
  const serverSide = state.serverSide.owns(request.method, url.pathname);
  if (!route && !serverSide) return notFound(`No endpoint at ${url.pathname}. The stand-in serves the operations the guides use (see tools/standin/server.ts).`);
  const handler = route?.methods[request.method];
  if (!handler && !serverSide) return errorReply(405, "method_not_allowed", "Method not allowed.", `${request.method} is not allowed on ${url.pathname}.`, {});
  const isClient = url.pathname.startsWith("/client/");
  if (!isClient) {
    const auth = req.headers.authorization ?? "";
    if (!/^Klaviyo-API-Key pk_\S+$/.test(auth)) {
      return errorReply(401, "not_authenticated", "Authentication credentials were not provided.", "Missing or invalid private key: send 'Authorization: Klaviyo-API-Key pk_…'.", { pointer: "/data/" });
    }
  }
  if (!req.headers.revision) return invalid("The 'revision' header is required (for example revision: 2026-07-15).", { parameter: "revision" });
  // Past the checks above, a request is either one of server-endpoints.ts's or has a route and a handler here.
  if (serverSide || !route || !handler) return state.serverSide.handle({ method: request.method, pathname: url.pathname, query: request.query, rawBody: request.rawBody }) as Reply;
  const params = (route.pattern.exec(url.pathname) as RegExpExecArray).slice(1);
  try {
    checkQuery(request, handler.params);
    const reply = handler.run({ state, request, params });
    if (isClient || reply.status >= 300) return reply;
    return { ...reply, headers: { ...freshWindowHeaders(request.method, url.pathname), ...reply.headers } };
  } catch (err) {
    if (err instanceof ReplyError) return err.reply;
    if (err instanceof FilterError) return invalid(err.message, { parameter: "filter" });
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Query parameters

type ParamRule = { kind: "list"; values?: readonly string[]; prefixes?: readonly string[] } | { kind: "size"; max: number } | { kind: "one"; values?: readonly string[] };

const PROFILE_FIELDS = ["created", "email", "external_id", "first_name", "id", "image", "last_event_date", "last_name", "locale", "location", "organization", "phone_number", "predictive_analytics", "properties", "subscriptions", "title", "updated"];
const PROFILE_FIELD_PREFIXES = ["location.", "subscriptions.", "predictive_analytics."];
const ADDITIONAL_PROFILE = ["subscriptions", "predictive_analytics"];
const METRIC_FIELDS = ["created", "id", "integration", "name", "updated"];
const LIST_FIELDS = ["created", "id", "name", "opt_in_process", "updated"];
const SEGMENT_FIELDS = ["created", "definition", "definition.condition_groups", "id", "is_active", "is_processing", "is_starred", "name", "updated"];

function checkQuery(request: Request, rules: Record<string, ParamRule>): void {
  for (const [name, value] of request.query) {
    const rule = rules[name];
    if (!rule) throw new ReplyError(invalid(`'${name}' is not a valid query parameter for ${request.method} ${request.url.pathname}.`, { parameter: name }));
    if (rule.kind === "size") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > rule.max) throw new ReplyError(invalid(`page[size] must be an integer between 1 and ${rule.max}.`, { parameter: name }));
    } else if (rule.kind === "one") {
      if (rule.values && !rule.values.includes(value)) throw new ReplyError(invalid(`'${value}' is not a valid value for ${name}. Allowed: ${rule.values.join(", ")}.`, { parameter: name }));
    } else {
      for (const item of value.split(",")) {
        const ok = (rule.values?.includes(item) ?? false) || (rule.prefixes?.some((p) => item.startsWith(p)) ?? false);
        if (!ok) throw new ReplyError(invalid(`'${item}' is not a valid value for ${name}.`, { parameter: name }));
      }
    }
  }
}

function listParam(request: Request, name: string): string[] | undefined {
  const v = request.query.get(name);
  return v === undefined ? undefined : v.split(",");
}

// ---------------------------------------------------------------------------------------------
// Pagination: cursors are base64 of an offset. Stable because the demo data is ordered.

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw new ReplyError(invalid("page[cursor] is not a cursor this endpoint issued. Use links.next from the previous page.", { parameter: "page[cursor]" }));
  return Number(m[1]);
}

function linkWith(request: Request, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const [k, v] of request.query) if (k !== "page[cursor]") params.append(k, v);
  if (cursor !== null) params.append("page[cursor]", cursor);
  const qs = params.toString();
  return `${API_ORIGIN}${request.url.pathname}${qs ? `?${qs}` : ""}`;
}

function paginate<T>(request: Request, items: T[], defaultSize: number): { page: T[]; links: JsonObject } {
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

function sortBy<T>(items: T[], sort: string | undefined, keys: Record<string, (item: T) => string | number>): T[] {
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

function applyFilter<T>(request: Request, items: T[], rules: Record<string, FieldRule<T>>): T[] {
  const text = request.query.get("filter");
  if (text === undefined) return items;
  const test = compileFilter(parseFilter(text), rules);
  return items.filter(test);
}

// ---------------------------------------------------------------------------------------------
// Routes

interface Context {
  state: ServerState;
  request: Request;
  params: string[];
}

interface Handler {
  params: Record<string, ParamRule>;
  run(ctx: Context): Reply;
}

interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

const ID = "([^/]+)";
const route = (path: string, methods: Record<string, Handler>): Route => ({ pattern: new RegExp(`^${path.replace(/\{id\}/g, ID)}/?$`), methods });

const str = <T>(get: (item: T) => string | null, ops: readonly string[]): FieldRule<T> => ({ ops, type: "string", get });
const date = <T>(get: (item: T) => string | null, ops: readonly string[]): FieldRule<T> => ({ ops, type: "datetime", get });
const EQ = ["equals"] as const;
const ANY_EQ = ["any", "equals"] as const;
const CMP = ["greater-than", "greater-or-equal", "less-than", "less-or-equal"] as const;

const profileAttr = (key: string) => (p: DemoProfile): string | null => p.attributes[key] as string | null;

const PROFILE_FILTERS: Record<string, FieldRule<DemoProfile>> = {
  id: str((p) => p.id, ANY_EQ),
  email: str(profileAttr("email"), ANY_EQ),
  phone_number: str(profileAttr("phone_number"), ANY_EQ),
  external_id: str(profileAttr("external_id"), ANY_EQ),
  created: date(profileAttr("created"), ["greater-than", "less-than"]),
  updated: date(profileAttr("updated"), ["greater-than", "less-than"]),
};

interface Member {
  profile: DemoProfile;
  membership: Membership;
}

const MEMBER_FILTERS: Record<string, FieldRule<Member>> = {
  email: str((m) => m.profile.attributes.email as string | null, ANY_EQ),
  phone_number: str((m) => m.profile.attributes.phone_number as string | null, ANY_EQ),
  joined_group_at: date((m) => m.membership.joinedAt, CMP),
};
const SEGMENT_MEMBER_FILTERS: Record<string, FieldRule<Member>> = { ...MEMBER_FILTERS, profile_id: str((m) => m.profile.id, ANY_EQ) };

const EVENT_FILTERS: Record<string, FieldRule<DemoEvent>> = {
  metric_id: str((e) => e.metricId, EQ),
  profile_id: str((e) => e.profileId, EQ),
  datetime: date((e) => e.datetime, CMP),
  timestamp: { ops: CMP, type: "number", get: (e) => e.timestamp },
};

/** Events by profile, for each events array, rebuilt when a client-side write has added one. */
const eventIndex = new WeakMap<DemoEvent[], { size: number; byProfile: Map<string, DemoEvent[]> }>();

/**
 * The events a filter can match: only the profile's own when it says `equals(profile_id,…)`, as the
 * API's index would (a benchmark sends thousands of such requests to a large account). The same
 * events in the same order as a scan of all of them, so answers do not change.
 */
function eventCandidates(request: Request, events: DemoEvent[]): DemoEvent[] {
  const text = request.query.get("filter");
  const profile = text === undefined ? undefined : parseFilter(text).find((c) => c.op === "equals" && c.field === "profile_id");
  if (profile?.value.kind !== "string") return events;
  let index = eventIndex.get(events);
  if (index?.size !== events.length) {
    const byProfile = new Map<string, DemoEvent[]>();
    for (const e of events) {
      const own = byProfile.get(e.profileId);
      if (own) own.push(e);
      else byProfile.set(e.profileId, [e]);
    }
    index = { size: events.length, byProfile };
    eventIndex.set(events, index);
  }
  return index.byProfile.get(profile.value.value) ?? [];
}

function groupFilters<G extends { id: string; name: string; created: string; updated: string }>(extra: Record<string, FieldRule<G>>): Record<string, FieldRule<G>> {
  return { id: str((g) => g.id, ANY_EQ), name: str((g) => g.name, ANY_EQ), created: date((g) => g.created, ["greater-than"]), updated: date((g) => g.updated, ["greater-than"]), ...extra };
}

const LIST_FILTERS = groupFilters<DemoList>({});
const SEGMENT_FILTERS = groupFilters<DemoSegment>({
  is_active: { ops: ANY_EQ, type: "boolean", get: (s) => s.is_active },
  is_starred: { ops: EQ, type: "boolean", get: (s) => s.is_starred },
});

const page = (max: number): Record<string, ParamRule> => ({ "page[size]": { kind: "size", max }, "page[cursor]": { kind: "one" } });
const fields = (type: string, values: readonly string[], prefixes?: readonly string[]): Record<string, ParamRule> => ({ [`fields[${type}]`]: { kind: "list", values, prefixes } });
const profileFieldsParam = fields("profile", PROFILE_FIELDS, PROFILE_FIELD_PREFIXES);
const memberFieldsParam = fields("profile", [...PROFILE_FIELDS, "joined_group_at"], PROFILE_FIELD_PREFIXES);
const additionalProfile: Record<string, ParamRule> = { "additional-fields[profile]": { kind: "list", values: ADDITIONAL_PROFILE } };
const filterParam: Record<string, ParamRule> = { filter: { kind: "one" } };
const sortParam = (values: string[]): Record<string, ParamRule> => ({ sort: { kind: "one", values: values.flatMap((v) => [v, `-${v}`]) } });
const include = (values: string[]): Record<string, ParamRule> => ({ include: { kind: "list", values } });
const groupParams = (type: "list" | "segment", values: string[]): Record<string, ParamRule> => ({
  ...fields(type, values),
  ...fields("flow", ["archived", "created", "name", "status", "trigger_type", "updated"]),
  ...fields("tag", ["name"]),
  ...include(["flow-triggers", "tags"]),
});

function profileOf(account: DemoAccount, id: string): DemoProfile | undefined {
  return account.profiles.find((p) => p.id === id);
}

function parseJsonBody(request: Request): unknown {
  try {
    return JSON.parse(request.rawBody);
  } catch (err) {
    throw new ReplyError(invalid(`The request body is not valid JSON (${(err as Error).message}). Send a JSON:API document.`, { pointer: "/" }));
  }
}

/** Requested relationships we have no records for (tags, flow triggers…) come back empty. */
function emptyIncludes(resource: JsonObject, request: Request): JsonObject {
  const rels = resource.relationships as JsonObject;
  for (const name of listParam(request, "include") ?? []) if (rels[name]) (rels[name] as JsonObject).data = [];
  return resource;
}

/** GET /api/lists/{id} and /api/segments/{id}: one group, with sparse fields and its profile count on request. */
function oneGroup<G extends DemoList | DemoSegment>(
  ctx: Context,
  kind: "list" | "segment",
  groups: readonly G[],
  render: (group: G, fields?: string[], withProfileCount?: boolean) => JsonObject,
): Reply {
  const group = groups.find((g) => g.id === ctx.params[0]);
  if (!group) return notFound(`A ${kind} with id '${ctx.params[0]}' does not exist in this account.`);
  const withCount = listParam(ctx.request, `additional-fields[${kind}]`)?.includes("profile_count");
  const data = emptyIncludes(render(group, listParam(ctx.request, `fields[${kind}]`), withCount), ctx.request);
  const body: JsonObject = { data, links: { self: `${API_ORIGIN}/api/${kind}s/${group.id}/` } };
  if (ctx.request.query.has("include")) body.included = [];
  return { status: 200, body };
}

function members(ctx: Context, group: DemoList | DemoSegment | undefined, kind: "list" | "segment", idsOnly: boolean): Reply {
  if (!group) return notFound(`A ${kind} with id '${ctx.params[0]}' does not exist in this account.`);
  const { account } = ctx.state;
  const byId = new Map(account.profiles.map((p) => [p.id, p]));
  let rows: Member[] = group.members.map((m) => ({ profile: byId.get(m.profileId) as DemoProfile, membership: m }));
  rows = applyFilter(ctx.request, rows, kind === "segment" ? SEGMENT_MEMBER_FILTERS : MEMBER_FILTERS);
  rows = sortBy(rows, ctx.request.query.get("sort"), { joined_group_at: (m) => m.membership.joinedAt });
  const { page: slice, links } = paginate(ctx.request, rows, 20);
  const data = idsOnly
    ? slice.map((m) => ({ type: "profile", id: m.profile.id }))
    : slice.map((m) =>
        renderProfile(m.profile, { fields: listParam(ctx.request, "fields[profile]"), additional: listParam(ctx.request, "additional-fields[profile]"), membership: m.membership }),
      );
  return { status: 200, body: { data, links } };
}

const ROUTES: Route[] = [
  route("/api/profiles", {
    GET: {
      params: { ...profileFieldsParam, ...fields("push-token", ["created", "token", "enablement_status", "platform", "vendor", "background", "recorded_date", "metadata"]), ...fields("conversation", ["channel"]), ...additionalProfile, ...filterParam, ...include(["conversations", "push-tokens"]), ...page(100), ...sortParam(["created", "email", "id", "updated"]) },
      run(ctx) {
        let rows = applyFilter(ctx.request, ctx.state.account.profiles, PROFILE_FILTERS);
        rows = sortBy(rows, ctx.request.query.get("sort"), { created: (p) => p.attributes.created as string, email: (p) => (p.attributes.email as string) ?? "", id: (p) => p.id, updated: (p) => p.attributes.updated as string });
        const { page: slice, links } = paginate(ctx.request, rows, 20);
        const data = slice.map((p) => renderProfile(p, { fields: listParam(ctx.request, "fields[profile]"), additional: listParam(ctx.request, "additional-fields[profile]") }));
        return { status: 200, body: ctx.request.query.has("include") ? { data, links, included: [] } : { data, links } };
      },
    },
  }),
  route("/api/profiles/{id}", {
    GET: {
      params: { ...profileFieldsParam, ...fields("list", LIST_FIELDS), ...fields("segment", SEGMENT_FIELDS), ...fields("push-token", ["created", "token"]), ...fields("conversation", ["channel"]), ...additionalProfile, ...include(["conversations", "lists", "push-tokens", "segments"]) },
      run(ctx) {
        const { account } = ctx.state;
        const profile = profileOf(account, ctx.params[0]);
        if (!profile) return notFound(`A profile with id '${ctx.params[0]}' does not exist in this account.`);
        const includes = listParam(ctx.request, "include") ?? [];
        const lists = account.lists.filter((l) => l.members.some((m) => m.profileId === profile.id));
        const segments = account.segments.filter((s) => s.members.some((m) => m.profileId === profile.id));
        const resource = renderProfile(profile, {
          fields: listParam(ctx.request, "fields[profile]"),
          additional: listParam(ctx.request, "additional-fields[profile]"),
          relatedData: {
            lists: includes.includes("lists") ? lists.map((l) => ({ type: "list" as const, id: l.id })) : undefined,
            segments: includes.includes("segments") ? segments.map((s) => ({ type: "segment" as const, id: s.id })) : undefined,
          },
        });
        const body: JsonObject = { data: resource, links: { self: `${API_ORIGIN}/api/profiles/${profile.id}/` } };
        if (includes.length > 0) {
          body.included = [
            ...(includes.includes("lists") ? lists.map((l) => renderList(l, listParam(ctx.request, "fields[list]"))) : []),
            ...(includes.includes("segments") ? segments.map((s) => renderSegment(s, listParam(ctx.request, "fields[segment]"))) : []),
          ];
        }
        return { status: 200, body };
      },
    },
  }),
  route("/api/lists", {
    GET: {
      params: { ...groupParams("list", LIST_FIELDS), ...filterParam, ...page(10), ...sortParam(["created", "id", "name", "updated"]) },
      run(ctx) {
        let rows = applyFilter(ctx.request, ctx.state.account.lists, LIST_FILTERS);
        rows = sortBy(rows, ctx.request.query.get("sort"), { created: (l) => l.created, id: (l) => l.id, name: (l) => l.name, updated: (l) => l.updated });
        const { page: slice, links } = paginate(ctx.request, rows, 10);
        const data = slice.map((l) => emptyIncludes(renderList(l, listParam(ctx.request, "fields[list]")), ctx.request));
        return { status: 200, body: ctx.request.query.has("include") ? { data, links, included: [] } : { data, links } };
      },
    },
    POST: {
      params: fields("list", LIST_FIELDS),
      run(ctx) {
        const body = parseJsonBody(ctx.request) as { data?: { type?: unknown; attributes?: { name?: unknown; opt_in_process?: unknown } } };
        if (body?.data?.type !== "list") return invalid("'type' must be 'list'", { pointer: "/data/type" });
        const name = body.data.attributes?.name;
        if (typeof name !== "string" || name.trim() === "") return invalid("'name' is a required property", { pointer: "/data/attributes/name" });
        const optIn = body.data.attributes?.opt_in_process ?? "double_opt_in";
        if (optIn !== "double_opt_in" && optIn !== "single_opt_in") return invalid("'opt_in_process' must be 'double_opt_in' or 'single_opt_in'", { pointer: "/data/attributes/opt_in_process" });
        const { account } = ctx.state;
        const stamp = apiDatetime(Date.parse(account.now));
        const list: DemoList = { id: shortId(new Random(0x11570000 + account.lists.length + ++ctx.state.writes)), name, created: stamp, updated: stamp, opt_in_process: optIn, members: [] };
        account.lists.push(list);
        return { status: 201, body: { data: renderList(list, listParam(ctx.request, "fields[list]")), links: { self: `${API_ORIGIN}/api/lists/` } } };
      },
    },
  }),
  route("/api/lists/{id}", {
    GET: {
      params: { ...groupParams("list", LIST_FIELDS), "additional-fields[list]": { kind: "list", values: ["profile_count"] } },
      run: (ctx) => oneGroup(ctx, "list", ctx.state.account.lists, renderList),
    },
  }),
  route("/api/lists/{id}/profiles", {
    GET: {
      params: { ...memberFieldsParam, ...additionalProfile, ...filterParam, ...page(100), ...sortParam(["joined_group_at"]) },
      run: (ctx) => members(ctx, ctx.state.account.lists.find((l) => l.id === ctx.params[0]), "list", false),
    },
  }),
  route("/api/lists/{id}/relationships/profiles", {
    GET: {
      params: { ...filterParam, ...page(100), ...sortParam(["joined_group_at"]) },
      run: (ctx) => members(ctx, ctx.state.account.lists.find((l) => l.id === ctx.params[0]), "list", true),
    },
    POST: {
      params: {},
      run(ctx) {
        const { account } = ctx.state;
        const list = account.lists.find((l) => l.id === ctx.params[0]);
        if (!list) return notFound(`A list with id '${ctx.params[0]}' does not exist in this account.`);
        const body = parseJsonBody(ctx.request) as { data?: unknown };
        if (!Array.isArray(body?.data)) return invalid("'data' must be a list of {type: 'profile', id} objects", { pointer: "/data" });
        if (body.data.length > 1000) return invalid("At most 1000 profiles can be added per request.", { pointer: "/data" });
        const items = body.data as { type?: unknown; id?: unknown }[];
        for (const [i, item] of items.entries()) {
          if (item?.type !== "profile") return invalid("'type' must be 'profile'", { pointer: `/data/${i}/type` });
          if (typeof item.id !== "string" || !profileOf(account, item.id)) return invalid(`Profile '${String(item.id)}' does not exist.`, { pointer: `/data/${i}/id` });
        }
        const joinedAt = apiDatetime(Date.parse(account.now));
        for (const item of items) if (!list.members.some((m) => m.profileId === item.id)) list.members.push({ profileId: item.id as string, joinedAt });
        ctx.state.writes++;
        return { status: 204 };
      },
    },
  }),
  route("/api/segments", {
    GET: {
      params: { ...groupParams("segment", SEGMENT_FIELDS), ...filterParam, ...page(10), ...sortParam(["created", "id", "name", "updated"]) },
      run(ctx) {
        let rows = applyFilter(ctx.request, ctx.state.account.segments, SEGMENT_FILTERS);
        rows = sortBy(rows, ctx.request.query.get("sort"), { created: (s) => s.created, id: (s) => s.id, name: (s) => s.name, updated: (s) => s.updated });
        const { page: slice, links } = paginate(ctx.request, rows, 10);
        const data = slice.map((s) => emptyIncludes(renderSegment(s, listParam(ctx.request, "fields[segment]")), ctx.request));
        return { status: 200, body: ctx.request.query.has("include") ? { data, links, included: [] } : { data, links } };
      },
    },
  }),
  route("/api/segments/{id}", {
    GET: {
      params: { ...groupParams("segment", SEGMENT_FIELDS), "additional-fields[segment]": { kind: "list", values: ["profile_count"] } },
      run: (ctx) => oneGroup(ctx, "segment", ctx.state.account.segments, renderSegment),
    },
  }),
  route("/api/segments/{id}/profiles", {
    GET: {
      params: { ...memberFieldsParam, ...additionalProfile, ...filterParam, ...page(100), ...sortParam(["joined_group_at"]) },
      run: (ctx) => members(ctx, ctx.state.account.segments.find((s) => s.id === ctx.params[0]), "segment", false),
    },
  }),
  route("/api/metrics", {
    GET: {
      // No page[size]: the API returns up to 200 metrics per page.
      params: { ...fields("metric", METRIC_FIELDS), ...fields("flow", ["archived", "created", "name", "status", "trigger_type", "updated"]), ...filterParam, ...include(["flow-triggers"]), "page[cursor]": { kind: "one" } },
      run(ctx) {
        const rows = applyFilter(ctx.request, ctx.state.account.metrics, {
          "integration.name": str((m) => m.integration.name, EQ),
          "integration.category": str((m) => m.integration.category, EQ),
        });
        const { page: slice, links } = paginate(ctx.request, rows, 200);
        const data = slice.map((m) => emptyIncludes(renderMetric(m, listParam(ctx.request, "fields[metric]")), ctx.request));
        return { status: 200, body: ctx.request.query.has("include") ? { data, links, included: [] } : { data, links } };
      },
    },
  }),
  route("/api/metrics/{id}", {
    GET: {
      params: { ...fields("metric", METRIC_FIELDS), ...fields("flow", ["archived", "created", "name", "status", "trigger_type", "updated"]), ...include(["flow-triggers"]) },
      run(ctx) {
        const metric = ctx.state.account.metrics.find((m) => m.id === ctx.params[0]);
        if (!metric) return notFound(`A metric with id '${ctx.params[0]}' does not exist in this account.`);
        const body: JsonObject = { data: emptyIncludes(renderMetric(metric, listParam(ctx.request, "fields[metric]")), ctx.request), links: { self: `${API_ORIGIN}/api/metrics/${metric.id}/` } };
        if (ctx.request.query.has("include")) body.included = [];
        return { status: 200, body };
      },
    },
  }),
  route("/api/mapped-metrics/{id}", {
    GET: {
      params: { ...fields("metric", METRIC_FIELDS), ...fields("mapped-metric", ["updated"]), ...fields("custom-metric", ["created", "definition", "name", "updated"]), ...include(["custom-metric", "metric"]) },
      run(ctx) {
        const { account } = ctx.state;
        const id = ctx.params[0];
        const allowed = ["added_to_cart", "cancelled_sales", "ordered_product", "refunded_sales", "revenue", "started_checkout", "viewed_product"];
        if (!allowed.includes(id)) return invalid(`'${id}' is not a mapped metric. Allowed: ${allowed.join(", ")}.`, { parameter: "id" });
        const data = renderMappedMetric(account, id);
        const body: JsonObject = { data, links: { self: `${API_ORIGIN}/api/mapped-metrics/${id}/` } };
        const includes = listParam(ctx.request, "include") ?? [];
        if (includes.length > 0) {
          const mapped = account.mappedMetrics[id as keyof DemoAccount["mappedMetrics"]];
          const metric = mapped && includes.includes("metric") ? account.metrics.find((m) => m.id === mapped.metricId) : undefined;
          body.included = metric ? [renderMetric(metric, listParam(ctx.request, "fields[metric]"))] : [];
        }
        return { status: 200, body };
      },
    },
  }),
  route("/api/metric-aggregates", {
    POST: {
      params: { "fields[metric-aggregate]": { kind: "list", values: ["data", "dates", "id"] } },
      run(ctx) {
        const answer = metricAggregate(ctx.state.account, parseJsonBody(ctx.request));
        if ("problem" in answer) return invalid(answer.problem.detail, { pointer: answer.problem.pointer });
        return { status: 200, body: answer.document };
      },
    },
  }),
  route("/api/events", {
    GET: {
      params: {
        ...fields("event", ["datetime", "event_properties", "id", "timestamp", "uuid"]),
        ...fields("metric", METRIC_FIELDS),
        ...profileFieldsParam,
        ...fields("attribution", ["id"]),
        ...filterParam,
        ...include(["attributions", "metric", "profile"]),
        ...page(1000),
        ...sortParam(["datetime", "timestamp"]),
      },
      run(ctx) {
        let rows = applyFilter(ctx.request, eventCandidates(ctx.request, ctx.state.account.events), EVENT_FILTERS);
        rows = sortBy(rows, ctx.request.query.get("sort"), { datetime: (e) => e.timestamp, timestamp: (e) => e.timestamp });
        const { page: slice, links } = paginate(ctx.request, rows, 200);
        return { status: 200, body: eventDocument(ctx, slice, links) };
      },
    },
  }),
  route("/api/events/{id}", {
    GET: {
      params: { ...fields("event", ["datetime", "event_properties", "id", "timestamp", "uuid"]), ...fields("metric", METRIC_FIELDS), ...profileFieldsParam, ...fields("attribution", ["id"]), ...include(["attributions", "metric", "profile"]) },
      run(ctx) {
        const event = ctx.state.account.events.find((e) => e.id === ctx.params[0]);
        if (!event) return notFound(`An event with id '${ctx.params[0]}' does not exist in this account.`);
        const doc = eventDocument(ctx, [event], { self: `${API_ORIGIN}/api/events/${event.id}/` });
        return { status: 200, body: { ...doc, data: (doc.data as JsonObject[])[0] } };
      },
    },
  }),
  // The one client read the SDK still has (ClientApi.getClientIpAllowlist); the spec: "Any other id returns 404".
  // The prefixes are documentation ranges (RFC 5737), not Klaviyo's.
  route("/client/ip-allowlists/{id}", {
    GET: {
      params: { company_id: { kind: "one" }, ...fields("ip-allowlist", ["created", "id", "prefixes", "sync_token"]) },
      run(ctx) {
        if (ctx.params[0] !== "integration-egress") return notFound(`There is no IP allow list '${ctx.params[0]}'. The only one is 'integration-egress'.`);
        const self = `${API_ORIGIN}/client/ip-allowlists/integration-egress/`;
        const attributes = { prefixes: ["192.0.2.0/24", "198.51.100.0/24"], sync_token: "5d41402abc4b2a76", created: "2026-01-15T00:00:00+00:00" };
        return { status: 200, body: { data: { type: "ip-allowlist", id: "integration-egress", attributes, links: { self } }, links: { self } } };
      },
    },
  }),
  ...(["/client/events", "/client/event-bulk-create", "/client/subscriptions", "/client/profiles", "/client/reviews"] as const).map((path) =>
    route(path, { POST: { params: { company_id: { kind: "one" } }, run: (ctx) => clientPost(ctx, path) } }),
  ),
];

function eventDocument(ctx: Context, events: DemoEvent[], links: JsonObject): JsonObject {
  const { account } = ctx.state;
  const includes = listParam(ctx.request, "include") ?? [];
  const data = events.map((e) => {
    const resource = renderEvent(e, listParam(ctx.request, "fields[event]"));
    if (includes.includes("attributions")) ((resource.relationships as JsonObject).attributions as JsonObject).data = [];
    return resource;
  });
  const body: JsonObject = { data, links };
  if (includes.length > 0) {
    const included: JsonObject[] = [];
    if (includes.includes("metric")) {
      for (const id of new Set(events.map((e) => e.metricId))) {
        const metric = account.metrics.find((m) => m.id === id);
        if (metric) included.push(renderMetric(metric, listParam(ctx.request, "fields[metric]")));
      }
    }
    if (includes.includes("profile")) {
      const byId = new Map(account.profiles.map((p) => [p.id, p]));
      for (const id of new Set(events.map((e) => e.profileId))) {
        const profile = byId.get(id);
        if (profile) included.push(renderProfile(profile, { fields: listParam(ctx.request, "fields[profile]") }));
      }
    }
    body.included = included;
  }
  return body;
}

function metricNames(path: ClientPath, body: unknown): string[] {
  const attrs = (body as { data?: { attributes?: Record<string, unknown> } })?.data?.attributes;
  const nameOf = (a: unknown): unknown => (a as { metric?: { data?: { attributes?: { name?: unknown } } } })?.metric?.data?.attributes?.name;
  if (path === "/client/events") return [String(nameOf(attrs))];
  if (path === "/client/event-bulk-create") {
    const list = (attrs?.events as { data?: { attributes?: unknown }[] })?.data ?? [];
    return list.map((e) => String(nameOf(e.attributes)));
  }
  return [];
}

function clientPost(ctx: Context, path: ClientPath): Reply {
  const { state, request } = ctx;
  const companyId = request.query.get("company_id");
  if (companyId === undefined) return invalid("The 'company_id' query parameter (your public API key / site ID) is required.", { parameter: "company_id" });
  if (companyId !== state.account.companyId) return invalid(`'${companyId}' is not a valid company_id (public API key) for this account.`, { parameter: "company_id" });
  const body = parseJsonBody(request);
  const { problem, ignored } = checkClientBody(path, body);
  if (problem) return invalid(problem.detail, { pointer: problem.pointer });
  if (!state.throttled && metricNames(path, body).includes(RATE_LIMIT_DEMO_METRIC)) {
    state.throttled = true;
    return errorReply(429, "throttled", "Request was throttled.", "Request was throttled. Expected available in 1 second.", {}, { "Retry-After": "1" });
  }
  const applied = applyClientBody(state.account, path, body as { [key: string]: unknown }, ++state.writes);
  if (applied) return invalid(applied.detail, { pointer: applied.pointer });
  return ignored.length > 0 ? { status: 202, headers: { [PARTIAL_FAILURE_HEADER]: ignored.join(",") } } : { status: 202 };
}

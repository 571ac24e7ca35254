/**
 * A local HTTP stand-in for Klaviyo (revision 2026-07-15) serving the demo account, for the
 * endpoints the guides use. It exists so fixtures can be recorded without a real account and so
 * `live` mode can be tried with KLAVIYO_BASE_URL=http://127.0.0.1:PORT.
 *
 * Behaviour copied from the API, checked against the OpenAPI spec: page sizes and their limits,
 * opaque cursors in `links.next`/`links.prev`, filter and sort validation, `include=` with
 * `included[]`, sparse fieldsets, `additional-fields[profile]`, 201/204/202 on writes, JSON:API
 * `errors[]` on 4xx, `RateLimit-*` headers.
 *
 * This module only reads a request, finds its route in the one table (routes.ts), checks the key
 * and revision, applies the faults it was started with (faults/), runs the route, adds the
 * rate-limit headers (http/rate-limits.ts), applies the account's quirks (shapes.ts) and sends the
 * reply. What each endpoint answers is its route's business (tools/standin/routes/).
 */
import { createServer } from "node:http";
import type { ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DemoAccount, JsonObject } from "./account";
import type { Fault } from "./faults/catalog";
import { FaultPlan } from "./faults/plan";
import type { FaultEvent } from "./faults/plan";
import { FilterError } from "./filter";
import { generateAccount } from "./generator/generate";
import { RateLimitWindows } from "./http/rate-limits";
import { invalid, JSON_API, notFound, refusal, Refusal, serverError, throttled } from "./http/reply";
import type { Reply } from "./http/reply";
import { readRequest, requestHead } from "./http/request";
import type { Request, RequestHead } from "./http/request";
import { checkQuery } from "./http/query";
import { RouteTable } from "./http/route";
import type { Match, Route } from "./http/route";
import { ROUTES } from "./routes";
import type { ServerQuirks } from "./shapes";
import { StandInState } from "./state";

export interface DemoServer {
  /** http://127.0.0.1:PORT, for KLAVIYO_BASE_URL. */
  url: string;
  /** The live in-memory account; writes change it. */
  account: DemoAccount;
  close(): Promise<void>;
}

export interface DemoServerOptions {
  /** The account to serve (a fresh demo account when left out). */
  account?: DemoAccount;
  /** 0 (the default): any free port. */
  port?: number;
  /** How this account's stand-in differs from the demo's (shapes.ts). */
  quirks?: ServerQuirks;
  /** Called with each answer's method, path and status (a recorder's progress, a test's log). */
  onReply?: (method: string, path: string, status: number) => void;
  /** Faults to answer with (faults/catalog.ts, `parseFaults`): none unless given. */
  faults?: readonly Fault[];
  /** Called each time one of `faults` fires, with the request it hit (a dropped request gets no `onReply`). */
  onFault?: (event: FaultEvent) => void;
}

/**
 * What the stand-in does with a request, decided on its arrival (before its body is read), so that
 * what counts requests (the throttling quirk, one-off faults) counts them in the order they came:
 * answer without running a route (a refusal, a throttle, a fault's 500), drop the connection, or
 * run the route (with the faults that may break its `links.next`).
 */
type Plan =
  | { reply: Reply; fault?: Fault; operation?: string }
  | { drop: Fault; operation: string }
  | { route: Route; params: Record<string, string>; armed: readonly Fault[] };

/** Starts the stand-in on 127.0.0.1 with a fresh copy of the demo account, or the given account served with its quirks and faults. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const account = options.account ?? generateAccount();
  const state = new StandInState(account);
  const windows = new RateLimitWindows();
  const table = new RouteTable(ROUTES);
  const quirks = options.quirks ?? {};
  const faults = new FaultPlan(options.faults ?? [], Date.parse(account.now));
  let apiGets = 0;
  const plan = (head: RequestHead): Plan => {
    const match = table.match(head.method, head.path);
    const refused = headRefusal(head, match);
    if (refused) return { reply: refused };
    const { route, params } = match as Exclude<Match, string>;
    const arrival = { ...head, route, date: head.headers.date };
    const faulted = faults.refusal(arrival);
    if (faulted) return { reply: faulted.reply, fault: faulted.fault, operation: route.operation };
    if (!head.headers.revision) {
      return { reply: invalid("The 'revision' header is required (for example revision: 2026-07-15).", { parameter: "revision" }) };
    }
    const isApiGet = head.method === "GET" && head.path.startsWith("/api/");
    if (quirks.throttleEvery !== undefined && isApiGet && ++apiGets % quirks.throttleEvery === 0) return { reply: throttled() };
    const { instead, armed } = faults.oneOff(arrival);
    if (instead?.reply) return { reply: instead.reply, fault: instead.fault, operation: route.operation };
    if (instead) return { drop: instead.fault, operation: route.operation };
    return { route, params, armed };
  };
  const report = (fault: Fault, operation: string, request: Request, status: FaultEvent["status"]) =>
    options.onFault?.({ fault: fault.name, operation, method: request.method, path: request.path, status });

  const server = createServer((req, res) => {
    const failed = (err: unknown) => send(res, account, serverError(`The stand-in failed: ${String(err)}`));
    let head: RequestHead;
    let planned: Plan;
    try {
      head = requestHead(req);
      planned = plan(head);
    } catch (err) {
      failed(err);
      return;
    }
    readRequest(req, head)
      .then((request) => {
        if ("drop" in planned) {
          report(planned.drop, planned.operation, request, "dropped");
          req.socket.destroy();
          return;
        }
        const { reply, fault, operation } = "reply" in planned ? planned : runRoute(planned, request, state, windows, faults);
        if (fault && operation) report(fault, operation, request, reply.status);
        options.onReply?.(request.method, request.path, reply.status);
        send(res, account, quirks.absentEndLinks ? withoutEndLinks(reply) : reply);
      })
      .catch(failed);
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

/** The refusal a request's head earns before any fault: no such endpoint (404) or method (405), no private key on `/api/*` (401). */
function headRefusal(head: RequestHead, match: Match): Reply | undefined {
  if (match === "no such path") {
    return notFound(`No endpoint at ${head.path}. The stand-in serves the operations the guides use (see tools/standin/routes.ts).`);
  }
  if (match === "method not allowed") {
    return refusal(405, "method_not_allowed", "Method not allowed.", `${head.method} is not allowed on ${head.path}.`);
  }
  if (!head.path.startsWith("/client/") && !/^Klaviyo-API-Key pk_\S+$/.test(head.headers.authorization ?? "")) {
    const detail = "Missing or invalid private key: send 'Authorization: Klaviyo-API-Key pk_…'.";
    return refusal(401, "not_authenticated", "Authentication credentials were not provided.", detail, { pointer: "/data/" });
  }
  return undefined;
}

/**
 * The route's answer (or its refusal: a query it does not declare, a bad `filter`, a `refuse` from
 * the handler), with its rate-limit headers and any armed fault applied.
 */
function runRoute(
  planned: Extract<Plan, { route: Route }>,
  request: Request,
  state: StandInState,
  windows: RateLimitWindows,
  faults: FaultPlan,
): { reply: Reply; fault?: Fault; operation: string } {
  const { route, params } = planned;
  let reply: Reply;
  try {
    checkQuery(request, route.query);
    reply = route.handle({ request, params, state });
  } catch (err) {
    if (err instanceof Refusal) reply = err.reply;
    else if (err instanceof FilterError) reply = invalid(err.message, { parameter: "filter" });
    else throw err;
  }
  const reshaped = faults.reshape(planned.armed, { ...reply, headers: { ...windows.headers(route, reply.status), ...reply.headers } });
  return { ...reshaped, operation: route.operation };
}

/** A collection's `links` without the `next` and `prev` that are `null` (no such page): absent instead. */
function withoutEndLinks(reply: Reply): Reply {
  const body = reply.body as { data?: unknown; links?: JsonObject } | undefined;
  if (!Array.isArray(body?.data) || !body.links) return reply;
  const atAnEnd = ([name, value]: [string, unknown]): boolean => (name === "next" || name === "prev") && value === null;
  const links = Object.fromEntries(Object.entries(body.links).filter((entry) => !atAnEnd(entry)));
  return { ...reply, body: { ...body, links } };
}

/** Sends `reply`, dated at the account's "now" (the stand-in's clock stands still). */
function send(res: ServerResponse, account: DemoAccount, reply: Reply): void {
  const headers: Record<string, string> = { Date: new Date(account.now).toUTCString(), ...reply.headers };
  if (reply.body !== undefined) headers["Content-Type"] = JSON_API;
  res.writeHead(reply.status, headers);
  res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
}

/**
 * A route: one operation of Klaviyo's API the stand-in serves, named by the spec's operationId so
 * that rate limits (and anything else keyed by operation) find it, with the spec's method and
 * path, the query parameters it declares, and the handler that answers it.
 */
import type { StandInState } from "../state";
import type { QueryRules } from "./query";
import type { Reply } from "./reply";
import type { Request } from "./request";

/** What a handler gets: the request, the values of the path's `{placeholders}`, and the stand-in's state. */
export interface Context {
  request: Request;
  /** By placeholder name: `params.id` for `/api/lists/{id}`. */
  params: Record<string, string>;
  state: StandInState;
}

/** Which view of its rate-limit window an operation's answers report (http/rate-limits.ts). */
export type WindowReport = "fresh" | "running";

export interface Route {
  /** The spec's operationId, e.g. `get_events`. */
  operation: string;
  method: "GET" | "POST" | "PATCH";
  /** The spec's path template, e.g. `/api/lists/{id}/profiles`; a trailing slash is also served. */
  path: string;
  /** The query parameters the operation declares; any other is refused before `handle` runs. */
  query: QueryRules;
  /** How its answers report the rate-limit window (http/rate-limits.ts); `fresh` when left out. */
  rateLimitWindow?: WindowReport;
  /** Answers the request: returns a reply, or refuses (http/reply.ts). */
  handle(ctx: Context): Reply;
}

/** What `RouteTable.match` found: the route and its path's values, or why there is none. */
export type Match = { route: Route; params: Record<string, string> } | "no such path" | "method not allowed";

/** Routes by path pattern, for the server to find a request's. */
export class RouteTable {
  private readonly compiled: { route: Route; pattern: RegExp; names: string[] }[];

  constructor(routes: readonly Route[]) {
    const seen = new Set<string>();
    this.compiled = routes.map((route) => {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new Error(`Two stand-in routes answer ${key}: keep one (tools/standin/routes/).`);
      seen.add(key);
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      return { route, names, pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, "([^/]+)")}/?$`) };
    });
  }

  match(method: string, path: string): Match {
    const atPath = this.compiled.filter((c) => c.pattern.test(path));
    if (atPath.length === 0) return "no such path";
    const found = atPath.find((c) => c.route.method === method);
    if (!found) return "method not allowed";
    const values = (found.pattern.exec(path) as RegExpExecArray).slice(1);
    return { route: found.route, params: Object.fromEntries(found.names.map((name, i) => [name, values[i]])) };
  }
}

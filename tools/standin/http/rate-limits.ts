/**
 * The `RateLimit-*` headers of `/api/*` answers (Klaviyo's "Rate limits, status codes, and
 * errors"): the state of the operation's steady (per-minute) window, from its limit in
 * `RATE_LIMITS` (the spec's x-klaviyo-ratelimit). Operations missing there get none rather than a
 * made-up limit, and so do `/client/*` answers. A 429 carries `Retry-After` instead.
 *
 * The stand-in's clock stands still at the demo "now", so a window never rolls over. An operation
 * says which of two views of it its answers report (`Route.rateLimitWindow`, a `WindowReport`):
 * - `fresh` (the default): a successful answer reports a window holding just itself, so answers to
 *   requests sent in parallel (the reads of a sweep) do not depend on their order of arrival;
 *   refusals report none.
 * - `running`: every answer, refusals included, spends a request of the window and reports what is
 *   left, so a guide sending writes one after another can show `Remaining` counting down.
 * The Reporting API's operations, whose limits (1/s, 2/m, 225/d) a guide must pace itself to, are
 * counted and enforced on a clock that moves instead (http/paced-limits.ts).
 */
import { RATE_LIMITS } from "../../../src/rate-limits";
import type { GuideOperation } from "../../../src/rate-limits";
import type { Route } from "./route";

/**
 * The headers of a window of `limit` requests with `used` of them spent, ending in `resetSeconds`
 * (a whole minute, on the standing clock).
 *
 * @example rateLimitHeaders(3500, 1) // { "RateLimit-Limit": "3500", "RateLimit-Remaining": "3499", "RateLimit-Reset": "60" }
 */
export function rateLimitHeaders(limit: number, used: number, resetSeconds = 60): Record<string, string> {
  return {
    "RateLimit-Limit": String(limit),
    "RateLimit-Remaining": String(Math.max(0, limit - used)),
    "RateLimit-Reset": String(resetSeconds),
  };
}

/** The steady windows of one stand-in instance: requests spent per `running` operation. */
export class RateLimitWindows {
  private readonly used = new Map<string, number>();

  /** The headers of `route`'s answer with `status` (none where the route reports no window). */
  headers(route: Route, status: number): Record<string, string> {
    if (route.path.startsWith("/client/") || !Object.hasOwn(RATE_LIMITS, route.operation)) return {};
    const limit = RATE_LIMITS[route.operation as GuideOperation].steadyPerMinute;
    if (route.rateLimitWindow !== "running") return status < 300 ? rateLimitHeaders(limit, 1) : {};
    const used = (this.used.get(route.operation) ?? 0) + 1;
    this.used.set(route.operation, used);
    return rateLimitHeaders(limit, used);
  }
}

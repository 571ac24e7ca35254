/**
 * The `RateLimit-*` headers the stand-in sends with a successful `/api/*` answer (Klaviyo's "Rate
 * limits, status codes, and errors"; a 429 carries `Retry-After` instead): the state of the
 * operation's steady (per-minute) window of `limit` requests, `used` of them spent. One definition
 * for every module of the stand-in.
 *
 * @example rateLimitHeaders(3500, 1) // { "RateLimit-Limit": "3500", "RateLimit-Remaining": "3499", "RateLimit-Reset": "60" }
 */
export function rateLimitHeaders(limit: number, used: number): Record<string, string> {
  return { "RateLimit-Limit": String(limit), "RateLimit-Remaining": String(Math.max(0, limit - used)), "RateLimit-Reset": "60" };
}

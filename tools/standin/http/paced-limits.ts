/**
 * The limits a guide must pace itself to, enforced: for each operation, fixed 1-second and
 * 1-minute windows and a day (00:00 to 00:00 UTC), each allowing the operation's burst, steady and
 * daily number of requests (the Reporting API: 1/s, 2/m, 225/d). A request over one is answered 429
 * with `Retry-After` (the seconds until that window ends); every other answer, refusals included,
 * counts and carries the steady window's `RateLimit-*` headers (rate-limits.ts).
 *
 * Deterministic, on the account's clock rather than the machine's, so a recording never waits:
 * - the clock starts at the account's "now" and never goes back;
 * - a request dated by its client (the standard `Date` request header, which a paced guide sends
 *   from its own clock) moves it to that time: a guide whose clock jumps 30 s instead of sleeping
 *   30 s is served exactly as the live API serves one that sleeps;
 * - a 429 moves it on by the `Retry-After` given, as if the client waited as told, so a client
 *   that sends no date and retries as told (the SDK, a test) also gets through.
 */
import { rateLimitHeaders } from "./rate-limits";
import { throttled } from "./reply";
import type { Reply } from "./reply";
import type { Request } from "./request";

/** An operation's limits, as `x-klaviyo-ratelimit` states them. */
export interface PacedLimit {
  burstPerSecond: number;
  steadyPerMinute: number;
  perDay?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** What admitting a request decided: the headers of its answer, or the 429 to send instead. */
export type Admission = { headers: Record<string, string> } | { refused: Reply };

/** The counted requests of one stand-in, by operation. */
export class PacedWindows {
  private clock: number;
  private readonly counted = new Map<string, number[]>();

  constructor(startMs: number) {
    this.clock = startMs;
  }

  /** The time the stand-in takes `request` to have been sent at. */
  private timeOf(request: Request): number {
    const dated = Date.parse(request.headers.date ?? "");
    this.clock = Math.max(this.clock, Number.isNaN(dated) ? this.clock : dated);
    return this.clock;
  }

  /** Counts `request` to `operation` under `limit`, or refuses it (429) when a window is spent. */
  admit(operation: string, limit: PacedLimit, request: Request): Admission {
    const at = this.timeOf(request);
    const times = this.counted.get(operation) ?? [];
    const windows: [number, number | undefined][] = [[SECOND, limit.burstPerSecond], [MINUTE, limit.steadyPerMinute], [DAY, limit.perDay]];
    let waitMs = 0;
    for (const [size, allowed] of windows) {
      if (allowed === undefined) continue;
      const start = Math.floor(at / size) * size;
      if (times.filter((t) => t >= start).length >= allowed) waitMs = Math.max(waitMs, start + size - at);
    }
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / SECOND);
      this.clock = at + seconds * SECOND;
      return { refused: throttled(seconds) };
    }
    // Only the current day's requests can count again.
    const kept = times.filter((t) => t >= Math.floor(at / DAY) * DAY);
    kept.push(at);
    this.counted.set(operation, kept);
    const minute = Math.floor(at / MINUTE) * MINUTE;
    const used = kept.filter((t) => t >= minute).length;
    return { headers: rateLimitHeaders(limit.steadyPerMinute, used, Math.ceil((minute + MINUTE - at) / SECOND)) };
  }
}

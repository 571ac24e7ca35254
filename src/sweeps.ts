/**
 * Long sweeps, made visible: say before the first request how many requests a sweep needs and how
 * long that takes at the endpoint's rate limit (from a count, e.g. Query Metric Aggregates), and
 * report progress while it runs. Progress lines appear only every `every` pages, so short sweeps
 * (the demo account's) print nothing that changes from run to run.
 */
import type { FetchPage } from "./pagination";
import { minimumSeconds, type RateLimit } from "./rate-limits";

/** What a sweep will cost. */
export interface SweepPlan {
  items: number;
  requests: number;
  /** Least seconds at the endpoint's rate limit (no latency counted). */
  seconds: number;
}

/**
 * The requests a sweep of `items` needs at `pageSize` per page (at least one: the empty first page).
 *
 * @example
 * planSweep(250_000, 1000, RATE_LIMITS.get_events) // { items: 250000, requests: 250, seconds: ≈0.7 }
 */
export function planSweep(items: number, pageSize: number, limit: Pick<RateLimit, "burstPerSecond" | "steadyPerMinute">): SweepPlan {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`planSweep: pageSize must be a positive integer, got ${pageSize}.`);
  const requests = Math.max(1, Math.ceil(Math.max(0, items) / pageSize));
  return { items: Math.max(0, items), requests, seconds: minimumSeconds(requests, limit) };
}

/**
 * One line for a plan: "989 events: 1 request (pages of 1,000), at least 0.0 s at 350/s, 3,500/min".
 */
export function describePlan(plan: SweepPlan, what: string, pageSize: number, limit: Pick<RateLimit, "burstPerSecond" | "steadyPerMinute">): string {
  const n = (x: number) => x.toLocaleString("en-US");
  return `${n(plan.items)} ${what}: ${n(plan.requests)} request${plan.requests === 1 ? "" : "s"} (pages of ${n(pageSize)}), at least ${plan.seconds.toFixed(1)} s at ${n(limit.burstPerSecond)}/s, ${n(limit.steadyPerMinute)}/min`;
}

/** Options for `withProgress`. */
export interface ProgressOptions {
  /** Prefix of each line, e.g. "earlier orders". */
  label: string;
  /** Print every this many pages (default 10). */
  every?: number;
  print?: (line: string) => void;
  /** Clock in ms (tests pass their own). */
  now?: () => number;
}

/**
 * Wraps a page fetcher so that every `every` pages it prints pages, items and elapsed seconds.
 *
 * @example
 * for await (const ev of items(withProgress((c) => kv.events.getEvents({ filter, pageCursor: c }), { label: "orders" }))) …
 */
export function withProgress<T>(fetchPage: FetchPage<T>, opts: ProgressOptions): FetchPage<T> {
  const every = opts.every ?? 10;
  const print = opts.print ?? ((line: string) => console.log(line));
  const now = opts.now ?? (() => Date.now());
  const started = now();
  let pageCount = 0;
  let itemCount = 0;
  return async (cursor) => {
    const page = await fetchPage(cursor);
    pageCount += 1;
    itemCount += page.body.data.length;
    if (pageCount % every === 0) print(`${opts.label}: ${pageCount.toLocaleString("en-US")} pages, ${itemCount.toLocaleString("en-US")} items, ${((now() - started) / 1000).toFixed(1)} s`);
    return page;
  };
}

/**
 * Pacing: sending at a steady rate below an endpoint's per-minute limit, instead of bursting into
 * 429s. A backfill that paces itself never waits on `Retry-After` and leaves room for the other
 * integrations that share the account's limits.
 */
import { waitingClock } from "../clock";

/** Options for `createPacer`. */
export interface PacerOptions {
  /** The rate to keep, in requests per minute (for example 80 % of the endpoint's steady limit). */
  perMinute: number;
  /** The time and the wait (default: the connection's clock, `waitingClock`; tests inject their own). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Hands out evenly spaced send slots. */
export interface Pacer {
  /** Resolves when the next request may be sent. */
  next(): Promise<void>;
  /** Milliseconds between two slots. */
  readonly intervalMs: number;
  /** Slots handed out so far. */
  readonly sent: number;
}

/**
 * A pacer for one stream of requests: slot *i* is `i × 60 000 / perMinute` ms after the first, so a
 * slow request does not make the next ones bunch up beyond the rate.
 *
 * @example
 * const pacer = createPacer({ perMinute: 120 });
 * for (const batch of batches) { await pacer.next(); await send(batch); }
 */
export function createPacer(options: PacerOptions): Pacer {
  if (!(options.perMinute > 0) || !Number.isFinite(options.perMinute)) throw new RangeError(`perMinute must be a positive number, got ${options.perMinute}.`);
  const now = options.now ?? (() => waitingClock().now().getTime());
  const sleep = options.sleep ?? ((ms: number) => waitingClock().sleep(ms));
  const intervalMs = 60_000 / options.perMinute;
  let start: number | undefined;
  let sent = 0;
  return {
    intervalMs,
    get sent() {
      return sent;
    },
    async next() {
      start ??= now();
      const due = start + sent * intervalMs;
      sent += 1;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
    },
  };
}

/**
 * When each of `count` paced requests goes out, in seconds from the first (pure; what a pacer at
 * `perMinute` does, for planning and charts).
 *
 * @example pacedSchedule(3, 120) // [0, 0.5, 1]
 */
export function pacedSchedule(count: number, perMinute: number): number[] {
  return Array.from({ length: Math.max(0, count) }, (_, i) => (i * 60) / perMinute);
}

/**
 * A report's `timeframe` and a series' `interval`, read as the spec states them: a key (`last_30_days`)
 * or a custom `{start, end}` whose offset is ignored (the company's time zone is used), at most one
 * year long; hourly series span at most 7 days, daily 60 days, monthly 52 weeks (weekly: the year).
 *
 * What the spec leaves open is decided here: a time frame runs from its start up to (not including)
 * its end; `last_N_days` are the N whole days before today, `last_3_months` and `last_12_months` the
 * whole calendar months before this one, `this_…` run up to now, and weeks start on Sunday. Series
 * buckets start on the hour, day, or 1st of the month, weekly ones on the time frame's first day.
 */
import type { Problem } from "../http/reply";
import { zonedIso, zonedParts, zonedToUtc } from "../time-zones";

export const TIMEFRAME_KEYS = [
  "last_12_months", "last_30_days", "last_365_days", "last_3_months", "last_7_days", "last_90_days", "last_month",
  "last_week", "last_year", "this_month", "this_week", "this_year", "today", "yesterday",
] as const;
export const INTERVALS = ["daily", "hourly", "monthly", "weekly"] as const;
export type Interval = (typeof INTERVALS)[number];

/** A time frame: from `start` up to `end` (ms), read in `timeZone`. */
export interface Window {
  start: number;
  end: number;
  timeZone: string;
}

const TIMEFRAME = "/data/attributes/timeframe";
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/** The window a key names at `nowMs` in `timeZone`. */
function keyWindow(key: (typeof TIMEFRAME_KEYS)[number], nowMs: number, timeZone: string): [number, number] {
  const [y, mo, d] = zonedParts(nowMs, timeZone);
  const at = (year: number, month: number, day: number): number => zonedToUtc([year, month, day, 0, 0, 0], timeZone);
  const today = at(y, mo, d);
  const weekday = new Date(Date.UTC(y, mo, d)).getUTCDay();
  const days = Number(/^last_(\d+)_days$/.exec(key)?.[1] ?? 0);
  const months = Number(/^last_(\d+)_months$/.exec(key)?.[1] ?? 0);
  if (days > 0) return [at(y, mo, d - days), today];
  if (months > 0) return [at(y, mo - months, 1), at(y, mo, 1)];
  switch (key) {
    case "today": return [today, nowMs];
    case "yesterday": return [at(y, mo, d - 1), today];
    case "this_week": return [at(y, mo, d - weekday), nowMs];
    case "last_week": return [at(y, mo, d - weekday - 7), at(y, mo, d - weekday)];
    case "this_month": return [at(y, mo, 1), nowMs];
    case "last_month": return [at(y, mo - 1, 1), at(y, mo, 1)];
    case "this_year": return [at(y, 0, 1), nowMs];
    default: return [at(y - 1, 0, 1), at(y, 0, 1)];
  }
}

/** A custom bound as wall-clock time in `timeZone` (its own offset ignored); NaN when it is no datetime. */
function wallClock(text: unknown, timeZone: string): number {
  const m = typeof text === "string" ? ISO.exec(text) : null;
  if (!m) return Number.NaN;
  return zonedToUtc([Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)], timeZone);
}

/** `ms` moved by whole calendar units in `timeZone` (DST-proof, unlike adding milliseconds). */
function shifted(ms: number, timeZone: string, by: { years?: number; days?: number }): number {
  const [y, mo, d, h, mi, s] = zonedParts(ms, timeZone);
  return zonedToUtc([y + (by.years ?? 0), mo, d + (by.days ?? 0), h, mi, s], timeZone);
}

/** The request's `timeframe`, or the problem with it (a 400). */
export function readTimeframe(value: unknown, timeZone: string, nowMs: number): Window | Problem {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { detail: "'timeframe' is a required property: a {key} such as last_30_days, or a custom {start, end}", pointer: TIMEFRAME };
  }
  const { key, start, end } = value as { key?: unknown; start?: unknown; end?: unknown };
  if (key !== undefined) {
    if (!TIMEFRAME_KEYS.includes(key as (typeof TIMEFRAME_KEYS)[number])) {
      return { detail: `'${String(key)}' is not a time frame key. Allowed: ${TIMEFRAME_KEYS.join(", ")}.`, pointer: `${TIMEFRAME}/key` };
    }
    const [from, to] = keyWindow(key as (typeof TIMEFRAME_KEYS)[number], nowMs, timeZone);
    return { start: from, end: to, timeZone };
  }
  const [from, to] = [wallClock(start, timeZone), wallClock(end, timeZone)];
  const datetime = (name: string, example: string): Problem => ({
    detail: `'${name}' must be an ISO 8601 datetime, e.g. ${example}`,
    pointer: `${TIMEFRAME}/${name}`,
  });
  if (Number.isNaN(from)) return datetime("start", "2025-11-01T00:00:00+00:00");
  if (Number.isNaN(to)) return datetime("end", "2025-12-01T00:00:00+00:00");
  if (to <= from) return { detail: "The time frame must end after it starts.", pointer: TIMEFRAME };
  if (to > shifted(from, timeZone, { years: 1 })) {
    return { detail: "The time frame may be at most one year long: split the report into several requests.", pointer: TIMEFRAME };
  }
  return { start: from, end: to, timeZone };
}

/** The longest time frame each interval allows, in days (weekly: the time frame's own limit of a year). */
const INTERVAL_LIMIT_DAYS: Partial<Record<Interval, number>> = { hourly: 7, daily: 60, monthly: 52 * 7 };

/** The problem with `interval` over `window` (a 400), or null when it is allowed. */
export function intervalProblem(interval: unknown, window: Window): Problem | null {
  const pointer = "/data/attributes/interval";
  if (interval === undefined) return { detail: `'interval' is a required property: one of ${INTERVALS.join(", ")}`, pointer };
  if (!INTERVALS.includes(interval as Interval)) {
    return { detail: `'${String(interval)}' is not an interval. Allowed: ${INTERVALS.join(", ")}.`, pointer };
  }
  const limit = INTERVAL_LIMIT_DAYS[interval as Interval];
  if (limit !== undefined && window.end > shifted(window.start, window.timeZone, { days: limit })) {
    const days = Math.round((window.end - window.start) / 86_400_000);
    const detail = `A ${String(interval)} series may span at most ${limit} days; this time frame spans ${days}.`;
    return { detail: `${detail} Use a longer interval or a shorter time frame.`, pointer };
  }
  return null;
}

/** The start of each of the series' buckets over `window`. */
export function bucketStarts(window: Window, interval: Interval): number[] {
  const { timeZone } = window;
  const [y, mo, d, h] = zonedParts(window.start, timeZone);
  const starts: number[] = [];
  for (let i = 0; ; i++) {
    const start =
      interval === "hourly" ? zonedToUtc([y, mo, d, h + i, 0, 0], timeZone)
      : interval === "daily" ? zonedToUtc([y, mo, d + i, 0, 0, 0], timeZone)
      : interval === "weekly" ? zonedToUtc([y, mo, d + 7 * i, 0, 0, 0], timeZone)
      : zonedToUtc([y, mo + i, 1, 0, 0, 0], timeZone);
    if (start >= window.end) return starts;
    starts.push(start);
  }
}

/** Which bucket `at` falls in (the last start at or before it; -1 before the first). */
export function bucketOf(starts: readonly number[], at: number): number {
  let i = starts.length - 1;
  while (i >= 0 && starts[i] > at) i--;
  return i;
}

/** The buckets' starts as the API writes them: wall-clock time in the zone, with its offset. */
export function dateTimes(starts: readonly number[], timeZone: string): string[] {
  return starts.map((ms) => zonedIso(ms, timeZone));
}

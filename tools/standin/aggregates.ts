/**
 * POST /api/metric-aggregates for the stand-in (operation query_metric_aggregates): counts, value
 * sums and unique profiles of one metric's events per interval, shaped as the spec's
 * PostMetricAggregateResponse: `dates` (the start of each interval) and one row with empty
 * `dimensions` whose `measurements` hold one number per date.
 *
 * What the spec leaves open is decided here and said once: intervals start at the window's own
 * start (a week is 7 days from there, a month runs to the same day of the next month, in the query's
 * time zone), and a window may span at most one year (the 2026-07-15 spec states no limit; the
 * stand-in is stricter so that code tried here also stays within a limit the live API may apply).
 * Grouping (`by`) and filters other than the datetime window are refused with a 400 naming the
 * limitation, rather than answered wrongly.
 */
import { createHash } from "node:crypto";
import type { DemoAccount, DemoEvent, JsonObject } from "./account";
import { API_ORIGIN } from "../../src/api-origin";
import type { Problem } from "./http/reply";
import { validTimeZone, zonedIso, zonedParts, zonedToUtc } from "./time-zones";

type Interval = "hour" | "day" | "week" | "month";
type Measurement = "count" | "sum_value" | "unique";
const MEASUREMENTS: readonly Measurement[] = ["count", "sum_value", "unique"];
const INTERVALS: readonly Interval[] = ["hour", "day", "week", "month"];
const YEAR_MS = 366 * 86_400_000;

/** The 400 for `detail` about the query attribute `name`. */
function refused(detail: string, name: string): { problem: Problem } {
  return { problem: { detail, pointer: `/data/attributes/${name}` } };
}

/** The response document, or the problem that makes the stand-in answer 400. */
export function metricAggregate(account: DemoAccount, body: unknown): { document: JsonObject } | { problem: Problem } {
  const data = (body as { data?: { type?: unknown; attributes?: Record<string, unknown> } } | null)?.data;
  if (data?.type !== "metric-aggregate") return { problem: { detail: "'type' must be 'metric-aggregate'", pointer: "/data/type" } };
  const attrs = data.attributes ?? {};
  const metricId = attrs.metric_id;
  if (typeof metricId !== "string") return refused("'metric_id' is a required property", "metric_id");
  if (!account.metrics.some((m) => m.id === metricId)) {
    return refused(`A metric with id '${metricId}' does not exist in this account.`, "metric_id");
  }
  const measurements = attrs.measurements;
  const known = (m: unknown): boolean => MEASUREMENTS.includes(m as Measurement);
  if (!Array.isArray(measurements) || measurements.length === 0 || !measurements.every(known)) {
    return refused(`'measurements' must be a non-empty list of ${MEASUREMENTS.join(", ")}`, "measurements");
  }
  const interval = (attrs.interval ?? "day") as Interval;
  if (!INTERVALS.includes(interval)) return refused(`'interval' must be one of ${INTERVALS.join(", ")}`, "interval");
  const timeZone = (attrs.timezone ?? "UTC") as string;
  if (!validTimeZone(timeZone)) return refused(`'${String(timeZone)}' is not a supported timezone`, "timezone");
  if (attrs.by !== undefined && attrs.by !== null && !(Array.isArray(attrs.by) && attrs.by.length === 0)) {
    return refused("The stand-in does not group aggregates: leave out 'by'.", "by");
  }
  const window = readWindow(attrs.filter, timeZone);
  if ("problem" in window) return window;

  const starts = intervalStarts(window.start, window.end, interval, timeZone);
  const buckets = starts.map(() => [] as DemoEvent[]);
  for (const event of account.events) {
    const at = event.timestamp * 1000;
    if (event.metricId !== metricId || at < window.start || at >= window.end) continue;
    buckets[lastIndexAtOrBefore(starts, at)].push(event);
  }
  const values: JsonObject = {};
  for (const m of measurements as Measurement[]) values[m] = buckets.map((events) => measure(m, events));
  const self = `${API_ORIGIN}/api/metric-aggregates/`;
  return {
    document: {
      data: {
        type: "metric-aggregate",
        // Ephemeral in the API; derived from the query here so re-recorded fixtures stay the same.
        id: createHash("sha1").update(JSON.stringify(attrs)).digest("hex").slice(0, 20),
        attributes: { dates: starts.map((ms) => zonedIso(ms, timeZone)), data: [{ dimensions: [], measurements: values }] },
        links: { self },
      },
      links: { self },
    },
  };
}

function measure(m: Measurement, events: DemoEvent[]): number {
  if (m === "count") return events.length;
  if (m === "unique") return new Set(events.map((e) => e.profileId)).size;
  const sum = events.reduce((s, e) => s + (typeof e.event_properties.$value === "number" ? e.event_properties.$value : 0), 0);
  return Math.round(sum * 100) / 100;
}

/** The `greater-or-equal(datetime,…)` / `less-than(datetime,…)` pair the spec requires. */
function readWindow(filter: unknown, timeZone: string): { start: number; end: number } | { problem: Problem } {
  const range = "greater-or-equal(datetime,…) and less-than(datetime,…)";
  if (!Array.isArray(filter)) return refused(`'filter' is a required property: a list with ${range}`, "filter");
  let start: number | undefined;
  let end: number | undefined;
  for (const item of filter) {
    const m = /^(greater-or-equal|less-than)\(datetime,([^)]+)\)$/.exec(String(item).trim());
    if (!m) return refused(`The stand-in filters aggregates on the datetime window only; '${String(item)}' is not supported.`, "filter");
    const ms = parseDatetime(m[2], timeZone);
    if (Number.isNaN(ms)) return refused(`'${m[2]}' is not an ISO 8601 datetime`, "filter");
    if (m[1] === "greater-or-equal") start = ms;
    else end = ms;
  }
  if (start === undefined || end === undefined) return refused(`The filter must include a time range: ${range}`, "filter");
  if (end <= start) return refused("The time range must end after it starts.", "filter");
  if (end - start > YEAR_MS) return refused("The time range may span at most one year: split the query.", "filter");
  return { start, end };
}

/** An ISO datetime; without an offset it is wall-clock time in the query's time zone. */
function parseDatetime(text: string, timeZone: string): number {
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return Date.parse(text);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$/.exec(text);
  if (!m) return Number.NaN;
  return zonedToUtc([Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)], timeZone);
}

function intervalStarts(start: number, end: number, interval: Interval, timeZone: string): number[] {
  const starts: number[] = [];
  const [y, mo, d, h, mi, s] = zonedParts(start, timeZone);
  for (let i = 0; ; i++) {
    const next =
      interval === "hour" ? start + i * 3_600_000
      : interval === "day" ? zonedToUtc([y, mo, d + i, h, mi, s], timeZone)
      : interval === "week" ? zonedToUtc([y, mo, d + 7 * i, h, mi, s], timeZone)
      : zonedToUtc([y, mo + i, d, h, mi, s], timeZone);
    if (next >= end) return starts;
    starts.push(next);
  }
}

function lastIndexAtOrBefore(sorted: number[], value: number): number {
  let i = sorted.length - 1;
  while (i > 0 && sorted[i] > value) i--;
  return i;
}

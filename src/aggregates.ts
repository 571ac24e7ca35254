/**
 * Query Metric Aggregates (`POST /api/metric-aggregates`): Klaviyo counts or sums a metric's events
 * per interval and answers in one request, where reading the events costs one request per page.
 * Use it for "how many" and "how much"; read events when you need who did what.
 *
 * The answer holds `dates` (the start of each interval) and rows whose `measurements` map each
 * measurement to one number per date. `countEvents` keeps each query to a year at most, as a
 * precaution for long windows (the 2026-07-15 spec states no limit on the span).
 */
import type { MetricAggregateQuery, MetricsApi, PostMetricAggregateResponse } from "klaviyo-api";
import { greaterOrEqual, lessThan } from "./filters";

/** A measurement the endpoint computes: events, summed `$value`, or distinct profiles. */
export type Measurement = "count" | "sum_value" | "unique";

/** One interval of an aggregate: its start and the measured value. */
export interface AggregatePoint {
  date: Date;
  value: number;
}

/** A half-open time window: `start` inclusive, `end` exclusive. */
export interface TimeWindow {
  start: Date;
  end: Date;
}

/**
 * The `filter` list of a metric-aggregate query for a window (the endpoint requires both bounds).
 *
 * @example
 * aggregateWindow({ start: new Date("2025-10-01T00:00:00Z"), end: new Date("2026-02-01T00:00:00Z") })
 * // ["greater-or-equal(datetime,2025-10-01T00:00:00.000Z)", "less-than(datetime,2026-02-01T00:00:00.000Z)"]
 */
export function aggregateWindow(window: TimeWindow): string[] {
  return [greaterOrEqual("datetime", window.start), lessThan("datetime", window.end)];
}

/**
 * One measurement of an aggregate answer as points, one per date; all zero when the answer has no
 * row (no events in the window), so an empty window reads as zeros rather than failing.
 *
 * @example
 * aggregateSeries(body, "count") // [{ date: 2025-10-01T00:00:00.000Z, value: 3 }, …]
 */
export function aggregateSeries(body: PostMetricAggregateResponse, measurement: Measurement): AggregatePoint[] {
  const { dates, data } = body.data.attributes;
  const values = (data[0]?.measurements as Partial<Record<Measurement, number[]>> | undefined)?.[measurement] ?? [];
  return dates.map((date, i) => ({ date: new Date(date), value: values[i] ?? 0 }));
}

/**
 * Splits a window into consecutive windows of at most one calendar year.
 *
 * @example
 * yearWindows({ start: new Date("2024-09-01T00:00:00Z"), end: new Date("2025-11-28T00:00:00Z") }).length // 2
 */
export function yearWindows(window: TimeWindow): TimeWindow[] {
  if (!(window.end.getTime() > window.start.getTime())) {
    throw new RangeError(`The window must end after it starts (got ${window.start.toISOString()} – ${window.end.toISOString()}).`);
  }
  const out: TimeWindow[] = [];
  let start = window.start;
  while (start < window.end) {
    const yearLater = new Date(start);
    yearLater.setUTCFullYear(yearLater.getUTCFullYear() + 1);
    const end = yearLater < window.end ? yearLater : window.end;
    out.push({ start, end });
    start = end;
  }
  return out;
}

/**
 * Counts a metric's events in a window with Query Metric Aggregates: one request per year of the
 * window (monthly intervals), so a count costs a request or two instead of a sweep.
 *
 * @example
 * const { count, requests } = await countEvents(kv.metrics, placedOrderId, { start, end }, { timeZone: "UTC" });
 */
export async function countEvents(
  metrics: Pick<MetricsApi, "queryMetricAggregates">,
  metricId: string,
  window: TimeWindow,
  opts: { timeZone?: string } = {},
): Promise<{ count: number; requests: number }> {
  let count = 0;
  const windows = yearWindows(window);
  for (const part of windows) {
    const query: MetricAggregateQuery = {
      data: { type: "metric-aggregate", attributes: { metricId, measurements: ["count"], interval: "month", filter: aggregateWindow(part), timezone: opts.timeZone ?? "UTC" } },
    };
    const { body } = await metrics.queryMetricAggregates(query);
    count += aggregateSeries(body, "count").reduce((sum, p) => sum + p.value, 0);
  }
  return { count, requests: windows.length };
}

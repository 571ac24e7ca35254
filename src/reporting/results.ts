/**
 * A report's answer as table rows. Values reports answer `results`, one per group: its `groupings`
 * (the attributes grouped by, e.g. `campaign_id`) and its `statistics` (one number each). Series
 * reports answer the same, with one number per bucket, and `date_times`, the start of each bucket.
 * The SDK keeps both objects as Klaviyo sends them (snake_case keys, untyped): these helpers give
 * them one flat, typed row each, for tables, charts and CSV.
 */

/** One group of a report, as the SDK types it (`ValuesData`, `SeriesData`). */
export interface ReportResult {
  groupings: object;
  statistics: object;
}

/** A row: the group's attributes, then its statistics. */
export type ReportRow = Record<string, string | number | null>;

/**
 * A values report's results, one row per group: groupings first, then statistics.
 *
 * @example
 * valuesRows(body.data.attributes.results)
 * // [{ campaign_id: "01K…", campaign_message_id: "01K…", send_channel: "email", open_rate: 0.41, click_rate: 0.05 }, …]
 */
export function valuesRows(results: readonly ReportResult[]): ReportRow[] {
  return results.map((r) => ({ ...(r.groupings as ReportRow), ...(r.statistics as ReportRow) }));
}

/**
 * A series report's results, one row per group and bucket: `date` (the bucket's first day in
 * `timeZone`, the account's time zone in which Klaviyo cut the buckets), the groupings, then each
 * statistic's value in that bucket.
 *
 * @example
 * seriesRows(body.data.attributes.dateTimes, body.data.attributes.results, "America/New_York")
 * // [{ date: "2026-08-23", flow_id: "UTEJXU", …, conversion_value: 120 }, …]
 */
export function seriesRows(dateTimes: readonly Date[], results: readonly ReportResult[], timeZone: string): ReportRow[] {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const dates = dateTimes.map((d) => day.format(d));
  return results.flatMap((r) => {
    const statistics = Object.entries(r.statistics as Record<string, readonly number[]>);
    return dates.map((date, i) => ({ date, ...(r.groupings as ReportRow), ...Object.fromEntries(statistics.map(([name, values]) => [name, values[i] ?? null])) }));
  });
}

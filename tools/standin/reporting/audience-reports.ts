/**
 * Segment and form reports (`query_segment_values`, `query_segment_series`, `query_form_values`,
 * `query_form_series`). Segments: members added and removed in the time frame (or bucket), their
 * difference, and the members at its end, from each segment's membership history. Forms: views,
 * closes and qualified visitors from the form's daily traffic (spread over the day's hours the
 * way the store's orders are), and a submit for each sign-up it brought; the submit rate is submits
 * per unique view. A one-step form, so the step statistics are the form's own.
 */
import type { DemoAccount, DemoSegment, JsonObject } from "../account";
import { HOUR, HOUR_WEIGHTS } from "../generator/calendar";
import type { DemoForm, FormDay } from "../marketing";
import { idFilterRules, passes } from "./report-filter";
import type { ReportKind, ReportQuery } from "./report-request";
import { bucketStarts, dateTimes } from "./timeframe";

const SEGMENT_STATISTICS = ["members_added", "members_removed", "net_members_changed", "total_members"];
const FORM_STATISTICS = [
  "closed_form", "closed_form_uniques", "qualified_form", "qualified_form_uniques", "submit_rate", "submits", "submitted_form_step",
  "submitted_form_step_uniques", "viewed_form", "viewed_form_step", "viewed_form_step_uniques", "viewed_form_uniques",
];

export const SEGMENT_VALUES: ReportKind = {
  type: "segment-values-report",
  statistics: SEGMENT_STATISTICS,
  series: false,
  conversions: false,
  groupBy: { allowed: [], default: ["segment_id"], required: [] },
  filters: idFilterRules(["segment_id"]),
  earliest: "2023-06-01T00:00:00Z",
};
export const SEGMENT_SERIES: ReportKind = { ...SEGMENT_VALUES, type: "segment-series-report", series: true };

export const FORM_VALUES: ReportKind = {
  type: "form-values-report",
  statistics: FORM_STATISTICS,
  series: false,
  conversions: false,
  groupBy: { allowed: ["form_id", "form_version_id"], default: ["form_id"], required: ["form_id"] },
  filters: idFilterRules(["form_id", "form_version_id"]),
};
export const FORM_SERIES: ReportKind = { ...FORM_VALUES, type: "form-series-report", series: true };

/** A segment's statistics over [from, to). */
function segmentStatistics(segment: DemoSegment, from: number, to: number): Record<string, number> {
  const inside = (at: number | null): boolean => at !== null && at >= from && at < to;
  const added = segment.history.filter((s) => inside(s.from)).length;
  const removed = segment.history.filter((s) => inside(s.to)).length;
  const total = segment.history.filter((s) => s.from < to && (s.to === null || s.to >= to)).length;
  return { members_added: added, members_removed: removed, net_members_changed: added - removed, total_members: total };
}

/** `count` spread over the day's 24 hours by `HOUR_WEIGHTS` (largest remainders get the rest). */
function byHour(count: number): number[] {
  const total = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  const exact = HOUR_WEIGHTS.map((w) => (count * w) / total);
  const hours = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < count - hours.reduce((a, b) => a + b, 0); k++) hours[order[k][1]]++;
  return hours;
}

type Traffic = Exclude<keyof FormDay, "day">;
const TRAFFIC: readonly Traffic[] = ["qualified", "qualifiedUniques", "viewed", "viewedUniques", "closed", "closedUniques"];

/** A form's statistics over [from, to). */
function formStatistics(form: DemoForm, from: number, to: number): Record<string, number> {
  const sums = Object.fromEntries(TRAFFIC.map((k) => [k, 0])) as Record<Traffic, number>;
  for (const day of form.days) {
    if (day.day + 24 * HOUR <= from || day.day >= to) continue;
    for (const key of TRAFFIC) {
      byHour(day[key]).forEach((n, h) => {
        const at = day.day + h * HOUR;
        if (at >= from && at < to) sums[key] += n;
      });
    }
  }
  const submits = form.submits.filter((at) => at >= from && at < to).length;
  const rate = sums.viewedUniques === 0 ? 0 : Math.round((submits / sums.viewedUniques) * 10_000) / 10_000;
  return {
    closed_form: sums.closed, closed_form_uniques: sums.closedUniques,
    qualified_form: sums.qualified, qualified_form_uniques: sums.qualifiedUniques,
    viewed_form: sums.viewed, viewed_form_uniques: sums.viewedUniques,
    viewed_form_step: sums.viewed, viewed_form_step_uniques: sums.viewedUniques,
    submits, submitted_form_step: submits, submitted_form_step_uniques: submits, submit_rate: rate,
  };
}

/** The `data` of a segment or form report's answer. */
export function audienceReport(kind: ReportKind, query: ReportQuery, account: DemoAccount): JsonObject {
  const segments = kind.type.startsWith("segment");
  const starts = query.interval ? bucketStarts(query.window, query.interval) : [query.window.start];
  const { start, end } = query.window;
  const spans = starts.map((s, i) => [Math.max(s, start), Math.min(starts[i + 1] ?? end, end)]);
  type Subject = { row: Record<string, string>; stats: (from: number, to: number) => Record<string, number> };
  const subjects: Subject[] = segments
    ? account.segments.map((s) => ({ row: { segment_id: s.id }, stats: (from, to) => segmentStatistics(s, from, to) }))
    : account.forms.map((f) => ({
        row: { form_id: f.id, form_version_id: f.versionId },
        stats: (from, to) => formStatistics(f, from, to),
      }));
  const results = subjects
    .filter((s) => passes(s.row, query.filter))
    .map(({ row, stats }) => {
      const buckets = spans.map(([from, to]) => stats(from, to));
      const groupings = Object.fromEntries(query.groupBy.map((name) => [name, row[name]]));
      const value = (name: string): number | number[] => (query.interval ? buckets.map((b) => b[name]) : buckets[0][name]);
      const statistics = Object.fromEntries(query.statistics.map((name) => [name, value(name)]));
      return { groupings, statistics };
    });
  return { type: kind.type, attributes: query.interval ? { results, date_times: dateTimes(starts, query.window.timeZone) } : { results } };
}

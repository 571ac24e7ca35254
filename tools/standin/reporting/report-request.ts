/**
 * Reading a Reporting API request body (`POST /api/…-values-reports`, `…-series-reports`) as the
 * spec's request schemas state it: the report `type`, `statistics` from the report's enum,
 * `timeframe` and (series) `interval` (timeframe.ts), `conversion_metric_id` (campaign and flow
 * reports require it: a metric of the account), `group_by` from the allowed attributes with the
 * required ones, and `filter` (report-filter.ts). Anything else it breaks is a 400 pointing at it.
 */
import type { DemoAccount } from "../account";
import { need, needType } from "../http/body";
import { invalidBody, refuse } from "../http/reply";
import type { Problem } from "../http/reply";
import { jsonBody } from "../http/request";
import type { Request } from "../http/request";
import { readReportFilter } from "./report-filter";
import type { FilterRules, ReportCondition } from "./report-filter";
import { intervalProblem, readTimeframe } from "./timeframe";
import type { Interval, Window } from "./timeframe";

/** What one kind of report accepts. */
export interface ReportKind {
  /** The resource type of its request and answer, e.g. `campaign-values-report`. */
  type: string;
  statistics: readonly string[];
  /** A series report takes an `interval` and answers one value per bucket. */
  series: boolean;
  /** Campaign and flow reports require `conversion_metric_id`. */
  conversions: boolean;
  /** The attributes it may group by, those grouped by when `group_by` is left out, and those `group_by` must include. */
  groupBy: { allowed: readonly string[]; default: readonly string[]; required: readonly string[] };
  filters: FilterRules;
  /** The earliest start it has data for (segment reports: June 1st, 2023). */
  earliest?: string;
}

/** A request read and checked. */
export interface ReportQuery {
  statistics: string[];
  window: Window;
  interval?: Interval;
  conversionMetricId?: string;
  groupBy: readonly string[];
  filter: ReportCondition[];
}

const ATTRIBUTES = "/data/attributes";

function refuseAt(detail: string, pointer: string): never {
  return refuse(invalidBody({ detail, pointer }));
}

function isProblem(value: Window | Problem): value is Problem {
  return "pointer" in value;
}

function readStatistics(kind: ReportKind, value: unknown): string[] {
  const pointer = `${ATTRIBUTES}/statistics`;
  if (!Array.isArray(value)) refuseAt("'statistics' is a required property: a list of the statistics to report", pointer);
  if (value.length === 0) refuseAt("'statistics' must name at least one statistic", pointer);
  value.forEach((name, i) => {
    if (!kind.statistics.includes(name as string)) {
      refuseAt(`'${String(name)}' is not a statistic of a ${kind.type}. Allowed: ${kind.statistics.join(", ")}.`, `${pointer}/${i}`);
    }
  });
  return value as string[];
}

function readGroupBy(kind: ReportKind, value: unknown): readonly string[] {
  const pointer = `${ATTRIBUTES}/group_by`;
  if (value === undefined || value === null) return kind.groupBy.default;
  if (!Array.isArray(value)) refuseAt("'group_by' must be a list of attributes", pointer);
  value.forEach((name, i) => {
    if (!kind.groupBy.allowed.includes(name as string)) {
      const detail = `'${String(name)}' is not an attribute a ${kind.type} groups by. Allowed: ${kind.groupBy.allowed.join(", ")}.`;
      refuseAt(detail, `${pointer}/${i}`);
    }
  });
  const missing = kind.groupBy.required.filter((name) => !value.includes(name));
  if (missing.length > 0) {
    refuseAt(`'group_by' must include ${kind.groupBy.required.join(" and ")} (missing: ${missing.join(", ")}).`, pointer);
  }
  return value as string[];
}

/** The request's report query, or a 400 (thrown) naming the first rule it breaks. */
export function readReportQuery(kind: ReportKind, request: Request, account: DemoAccount): ReportQuery {
  const data = need(jsonBody(request), "data", "");
  needType(data, kind.type);
  const attributes = need(data, "attributes", "/data");
  const statistics = readStatistics(kind, attributes.statistics);
  const window = readTimeframe(attributes.timeframe, account.timezone, Date.parse(account.now));
  if (isProblem(window)) return refuse(invalidBody(window));
  if (kind.earliest && window.start < Date.parse(kind.earliest)) {
    refuseAt(`Data is unavailable before ${kind.earliest.slice(0, 10)}: start the time frame on or after it.`, `${ATTRIBUTES}/timeframe`);
  }
  const groupBy = readGroupBy(kind, attributes.group_by);
  const query: ReportQuery = { statistics, window, groupBy, filter: readReportFilter(attributes.filter, kind.filters) };
  if (kind.series) {
    const problem = intervalProblem(attributes.interval, window);
    if (problem) refuse(invalidBody(problem));
    query.interval = attributes.interval as Interval;
  }
  if (kind.conversions) {
    const id = attributes.conversion_metric_id;
    const pointer = `${ATTRIBUTES}/conversion_metric_id`;
    if (typeof id !== "string") {
      refuseAt("'conversion_metric_id' is a required property: the id of the metric conversions count (e.g. Placed Order)", pointer);
    }
    if (!account.metrics.some((m) => m.id === id)) {
      refuseAt(`A metric with id '${id}' does not exist in this account: find your conversion metric's id with GET /api/metrics.`, pointer);
    }
    query.conversionMetricId = id;
  }
  return query;
}

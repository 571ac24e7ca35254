/**
 * Metrics: reading them (with their integrations), Klaviyo's mapped metrics (read, and mapped to
 * another metric or custom metric, paced to the spec's 1/s, 15/m, 30/d), and the metric aggregates query (counts, value sums and unique profiles per interval, aggregates.ts).
 */
import { API_ORIGIN } from "../../../src/api-origin";
import type { DemoAccount, DemoMetric } from "../account";
import { metricAggregate } from "../aggregates";
import { EQ, stringField } from "../filter";
import { applyFilter, emptyIncludes, paginate, pageReply, recordById, resourceReply } from "../http/collections";
import { declared, fields, FILTER, include } from "../http/query";
import type { QueryRules } from "../http/query";
import { isObj, need, needType, oneRelated } from "../http/body";
import { invalid, invalidBody } from "../http/reply";
import type { Reply } from "../http/reply";
import { jsonBody, listParam } from "../http/request";
import type { Route } from "../http/route";
import { renderCustomMetric, renderMappedMetric, renderMetric } from "../resources";
import { FLOW_FIELDS, METRIC_FIELDS } from "./fields";
import { paced } from "./paced";

/** A metric's fieldset, and its flow triggers' (which the account has none of). */
const METRIC_QUERY: QueryRules = { ...fields("metric", METRIC_FIELDS), ...fields("flow", FLOW_FIELDS), ...include(["flow-triggers"]) };

/** The mapped metrics Klaviyo defines (whether or not the account maps them). */
const MAPPED_METRIC_IDS: readonly string[] = [
  "added_to_cart",
  "cancelled_sales",
  "ordered_product",
  "refunded_sales",
  "revenue",
  "started_checkout",
  "viewed_product",
];

/** The 400 for a path id that is not one of Klaviyo's mapped metrics; null for one that is. */
function unknownMappedMetric(id: string): Reply | null {
  return MAPPED_METRIC_IDS.includes(id) ? null : invalid(`'${id}' is not a mapped metric. Allowed: ${MAPPED_METRIC_IDS.join(", ")}.`, { parameter: "id" });
}

/**
 * Maps a purpose to the metric or custom metric named in the body's relationships (the one sent;
 * with both, the metric), as `PATCH /api/mapped-metrics/{id}` does; a 400 names what is wrong.
 */
function updateMapping(account: DemoAccount, id: string, body: unknown): Reply {
  const data = need(body, "data", "");
  needType(data, "mapped-metric");
  if (data.id !== id) return invalid(`'id' must be the mapped metric of the URL ('${id}').`, { pointer: "/data/id" });
  if (!isObj(data.relationships)) return invalidBody({ detail: "'relationships' must name a metric or a custom-metric", pointer: "/data/relationships" });
  const metricId = oneRelated(data, "metric");
  const customMetricId = metricId ? undefined : oneRelated(data, "custom-metric");
  if (metricId && !account.metrics.some((m) => m.id === metricId)) {
    return invalid(`A metric with id ${metricId} does not exist.`, { pointer: "/data/relationships/metric/data/id" });
  }
  if (customMetricId && !account.customMetrics.some((m) => m.id === customMetricId)) {
    return invalid(`A custom metric with id ${customMetricId} does not exist.`, { pointer: "/data/relationships/custom-metric/data/id" });
  }
  if (!metricId && !customMetricId) return invalidBody({ detail: "'relationships' must name a metric or a custom-metric", pointer: "/data/relationships" });
  const key = id as keyof DemoAccount["mappedMetrics"];
  account.mappedMetrics[key] = { metricId: metricId ?? null, customMetricId: customMetricId ?? null, updated: account.now.replace("Z", "+00:00") };
  return { status: 200, body: { data: renderMappedMetric(account, id), links: { self: `${API_ORIGIN}/api/mapped-metrics/${id}/` } } };
}

export const METRIC_ROUTES: Route[] = [
  {
    operation: "get_metrics",
    method: "GET",
    path: "/api/metrics",
    // No page[size]: the API returns up to 200 metrics per page.
    query: { ...METRIC_QUERY, ...FILTER, ...declared("page[cursor]") },
    handle({ request, state }) {
      const rows = applyFilter(request, state.account.metrics, {
        "integration.name": stringField((m: DemoMetric) => m.integration.name, EQ),
        "integration.category": stringField((m: DemoMetric) => m.integration.category, EQ),
      });
      const { page: slice, links } = paginate(request, rows, 200);
      return pageReply(
        request,
        slice.map((m) => emptyIncludes(renderMetric(m, listParam(request, "fields[metric]")), request)),
        links,
      );
    },
  },
  {
    operation: "get_metric",
    method: "GET",
    path: "/api/metrics/{id}",
    query: METRIC_QUERY,
    handle({ request, params, state }) {
      const data = renderMetric(recordById(state.account.metrics, params.id, "A metric"), listParam(request, "fields[metric]"));
      return resourceReply(request, emptyIncludes(data, request), `/api/metrics/${params.id}/`);
    },
  },
  {
    operation: "get_mapped_metric",
    method: "GET",
    path: "/api/mapped-metrics/{id}",
    query: {
      ...fields("metric", METRIC_FIELDS),
      ...fields("mapped-metric", ["updated"]),
      ...fields("custom-metric", ["created", "definition", "name", "updated"]),
      ...include(["custom-metric", "metric"]),
    },
    handle({ request, params, state }) {
      const { account } = state;
      const { id } = params;
      const unknown = unknownMappedMetric(id);
      if (unknown) return unknown;
      const includes = listParam(request, "include") ?? [];
      const mapped = account.mappedMetrics[id as keyof DemoAccount["mappedMetrics"]];
      const metric = mapped && includes.includes("metric") ? account.metrics.find((m) => m.id === mapped.metricId) : undefined;
      const custom = mapped && includes.includes("custom-metric") ? account.customMetrics.find((m) => m.id === mapped.customMetricId) : undefined;
      const included = [
        ...(metric ? [renderMetric(metric, listParam(request, "fields[metric]"))] : []),
        ...(custom ? [renderCustomMetric(custom, listParam(request, "fields[custom-metric]"))] : []),
      ];
      return resourceReply(
        request,
        renderMappedMetric(account, id),
        `/api/mapped-metrics/${id}/`,
        includes.length > 0 ? included : undefined,
      );
    },
  },
  {
    operation: "update_mapped_metric",
    method: "PATCH",
    path: "/api/mapped-metrics/{id}",
    query: {},
    handle(ctx) {
      return paced(ctx, "update_mapped_metric", () => unknownMappedMetric(ctx.params.id) ?? updateMapping(ctx.state.account, ctx.params.id, jsonBody(ctx.request)));
    },
  },
  {
    operation: "query_metric_aggregates",
    method: "POST",
    path: "/api/metric-aggregates",
    query: fields("metric-aggregate", ["data", "dates", "id"]),
    handle({ request, state }) {
      const answer = metricAggregate(state.account, jsonBody(request));
      return "problem" in answer ? invalidBody(answer.problem) : { status: 200, body: answer.document };
    },
  },
];

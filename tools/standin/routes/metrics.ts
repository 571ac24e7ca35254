/**
 * Metrics: reading them (with their integrations), Klaviyo's mapped metrics, and the metric
 * aggregates query (counts, value sums and unique profiles per interval, aggregates.ts).
 */
import type { DemoAccount, DemoMetric } from "../account";
import { metricAggregate } from "../aggregates";
import { EQ, stringField } from "../filter";
import { applyFilter, emptyIncludes, paginate, pageReply, recordById, resourceReply } from "../http/collections";
import { declared, fields, FILTER, include } from "../http/query";
import type { QueryRules } from "../http/query";
import { invalid, invalidBody } from "../http/reply";
import { jsonBody, listParam } from "../http/request";
import type { Route } from "../http/route";
import { renderMappedMetric, renderMetric } from "../resources";
import { FLOW_FIELDS, METRIC_FIELDS } from "./fields";

/** A metric's fieldset, and its flow triggers' (which the account has none of). */
const METRIC_QUERY: QueryRules = { ...fields("metric", METRIC_FIELDS), ...fields("flow", FLOW_FIELDS), ...include(["flow-triggers"]) };

/** The mapped metrics Klaviyo defines (whether or not the account maps them). */
const MAPPED_METRIC_IDS = [
  "added_to_cart",
  "cancelled_sales",
  "ordered_product",
  "refunded_sales",
  "revenue",
  "started_checkout",
  "viewed_product",
];

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
      if (!MAPPED_METRIC_IDS.includes(id)) {
        return invalid(`'${id}' is not a mapped metric. Allowed: ${MAPPED_METRIC_IDS.join(", ")}.`, { parameter: "id" });
      }
      const includes = listParam(request, "include") ?? [];
      const mapped = account.mappedMetrics[id as keyof DemoAccount["mappedMetrics"]];
      const metric = mapped && includes.includes("metric") ? account.metrics.find((m) => m.id === mapped.metricId) : undefined;
      const included = metric ? [renderMetric(metric, listParam(request, "fields[metric]"))] : [];
      return resourceReply(
        request,
        renderMappedMetric(account, id),
        `/api/mapped-metrics/${id}/`,
        includes.length > 0 ? included : undefined,
      );
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

/**
 * The Reporting API: values and series reports of campaigns, flows, segments and forms. Each
 * request is counted against the operation's limits first (http/paced-limits.ts: 1/s, 2/m, 225/d,
 * a 429 with `Retry-After` when spent), then read (reporting/report-request.ts: a 400 naming the
 * broken rule) and answered from the account's sends, segment histories and form traffic.
 */
import { API_ORIGIN } from "../../../src/api-origin";
import type { DemoAccount, JsonObject } from "../account";
import { declared, fields } from "../http/query";
import type { Reply } from "../http/reply";
import { listParam } from "../http/request";
import type { Route } from "../http/route";
import { audienceReport, FORM_SERIES, FORM_VALUES, SEGMENT_SERIES, SEGMENT_VALUES } from "../reporting/audience-reports";
import { CAMPAIGN_VALUES, FLOW_SERIES, FLOW_VALUES, messageReport } from "../reporting/message-reports";
import { readReportQuery } from "../reporting/report-request";
import type { ReportKind, ReportQuery } from "../reporting/report-request";
import { sparse } from "../resources";
import { paced } from "./paced";

type Answer = (kind: ReportKind, query: ReportQuery, account: DemoAccount) => JsonObject;

/** A report's route; campaign and flow reports declare `page_cursor` (`paged`). */
function reportRoute(operation: string, path: string, kind: ReportKind, answer: Answer, paged = false): Route {
  const fieldset = kind.series ? ["date_times", "id", "results"] : ["id", "results"];
  return {
    operation,
    method: "POST",
    path,
    // One page holds every result, so no cursor is ever handed out; a sent one changes nothing.
    query: { ...fields(kind.type, fieldset), ...(paged ? declared("page_cursor") : {}) },
    handle(ctx) {
      return paced(ctx, operation, () => {
        const { account } = ctx.state;
        const data = answer(kind, readReportQuery(kind, ctx.request, account), account);
        data.attributes = sparse(data.attributes as JsonObject, listParam(ctx.request, `fields[${kind.type}]`));
        return { status: 200, body: { data, links: { self: `${API_ORIGIN}${path}/` } } };
      });
    },
  };
}

export const REPORTING_ROUTES: Route[] = [
  reportRoute("query_campaign_values", "/api/campaign-values-reports", CAMPAIGN_VALUES, messageReport, true),
  reportRoute("query_flow_values", "/api/flow-values-reports", FLOW_VALUES, messageReport, true),
  reportRoute("query_flow_series", "/api/flow-series-reports", FLOW_SERIES, messageReport, true),
  reportRoute("query_segment_values", "/api/segment-values-reports", SEGMENT_VALUES, audienceReport),
  reportRoute("query_segment_series", "/api/segment-series-reports", SEGMENT_SERIES, audienceReport),
  reportRoute("query_form_values", "/api/form-values-reports", FORM_VALUES, audienceReport),
  reportRoute("query_form_series", "/api/form-series-reports", FORM_SERIES, audienceReport),
];

/**
 * Every endpoint the stand-in serves, in one table: each route names its operation by the spec's
 * operationId, with the spec's method and path, the query parameters it declares and its handler
 * (http/route.ts). The routes of a family of endpoints live together in tools/standin/routes/.
 */
import type { Route } from "./http/route";
import { CAMPAIGN_ROUTES } from "./routes/campaigns";
import { CLIENT_ROUTES } from "./routes/client";
import { CONSENT_ROUTES } from "./routes/consent";
import { EVENT_ROUTES } from "./routes/events";
import { FLOW_ROUTES } from "./routes/flows";
import { JOB_ROUTES } from "./routes/jobs";
import { LIST_ROUTES } from "./routes/lists";
import { METRIC_ROUTES } from "./routes/metrics";
import { PRIVACY_ROUTES } from "./routes/privacy";
import { PROFILE_ROUTES } from "./routes/profiles";
import { REPORTING_ROUTES } from "./routes/reporting";
import { SEGMENT_ROUTES } from "./routes/segments";

export const ROUTES: readonly Route[] = [
  ...PROFILE_ROUTES,
  ...LIST_ROUTES,
  ...SEGMENT_ROUTES,
  ...METRIC_ROUTES,
  ...EVENT_ROUTES,
  ...CONSENT_ROUTES,
  ...PRIVACY_ROUTES,
  ...JOB_ROUTES,
  ...CLIENT_ROUTES,
  ...CAMPAIGN_ROUTES,
  ...FLOW_ROUTES,
  ...REPORTING_ROUTES,
];

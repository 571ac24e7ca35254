/**
 * The account's metrics and the integrations they come from, as a Klaviyo user sees them on a store
 * of this kind: Shopify's onsite and order metrics, WooCommerce's (the wholesale store sends its
 * orders and their lines), Klaviyo's own e-mail and SMS metrics (SMS from a US toll-free number),
 * and reviews sent through the API. Also which of them Klaviyo's mapped metrics point at, and one
 * metric deleted in the app whose events remain (`GET /api/events` returns them since 2026-07-15).
 */
import type { DemoAccount, DemoMetric, MappedMetricId } from "../account";
import { INTEGRATIONS } from "../catalog";
import type { IntegrationKey } from "../catalog";
import { shortId } from "../random";
import type { Random } from "../random";

interface MetricSpec {
  key: string;
  name: string;
  integration: IntegrationKey;
  created: string;
}

const SHOPIFY_CONNECTED = "2024-06-03T15:20:11+00:00";
const WOOCOMMERCE_CONNECTED = "2024-07-15T09:02:55+00:00";
const ACCOUNT_OPENED = "2024-06-01T10:00:00+00:00";

const METRIC_SPECS = [
  { key: "activeOnSite", name: "Active on Site", integration: "shopify", created: "2024-06-03T15:21:40+00:00" },
  { key: "viewedProduct", name: "Viewed Product", integration: "shopify", created: "2024-06-03T15:21:40+00:00" },
  { key: "checkoutStarted", name: "Checkout Started", integration: "shopify", created: SHOPIFY_CONNECTED },
  { key: "placedOrder", name: "Placed Order", integration: "shopify", created: SHOPIFY_CONNECTED },
  { key: "orderedShopify", name: "Ordered Product", integration: "shopify", created: SHOPIFY_CONNECTED },
  { key: "fulfilledOrder", name: "Fulfilled Order", integration: "shopify", created: SHOPIFY_CONNECTED },
  { key: "cancelledOrder", name: "Cancelled Order", integration: "shopify", created: SHOPIFY_CONNECTED },
  { key: "refundedOrder", name: "Refunded Order", integration: "shopify", created: SHOPIFY_CONNECTED },
  { key: "placedWoo", name: "Placed Order", integration: "woocommerce", created: WOOCOMMERCE_CONNECTED },
  { key: "orderedWoo", name: "Ordered Product", integration: "woocommerce", created: WOOCOMMERCE_CONNECTED },
  { key: "receivedEmail", name: "Received Email", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "openedEmail", name: "Opened Email", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "clickedEmail", name: "Clicked Email", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "unsubscribed", name: "Unsubscribed", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "subscribedToList", name: "Subscribed to List", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "sentSms", name: "Sent SMS", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "consentedSms", name: "Consented to Receive SMS", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "receivedSms", name: "Received SMS", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "clickedSms", name: "Clicked SMS", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "failedSms", name: "Failed to Deliver SMS", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "unsubscribedSms", name: "Unsubscribed from SMS", integration: "klaviyo", created: ACCOUNT_OPENED },
  { key: "customerReview", name: "Customer Review", integration: "api", created: "2025-02-11T18:45:03+00:00" },
] as const satisfies readonly MetricSpec[];

/** How the generator names a metric (two pairs share a name: "Placed Order", "Ordered Product"). */
export type MetricKey = (typeof METRIC_SPECS)[number]["key"];

/** The metrics, the id each key was given, and the id of the metric deleted in the app. */
export function makeMetrics(rng: Random): { metrics: DemoMetric[]; metricId: (key: MetricKey) => string; deletedMetricId: string } {
  const metricIds = new Map<MetricKey, string>();
  const metrics: DemoMetric[] = METRIC_SPECS.map((spec) => {
    const id = shortId(rng);
    metricIds.set(spec.key, id);
    return { id, name: spec.name, created: spec.created, updated: spec.created, integration: INTEGRATIONS[spec.integration] };
  });
  return { metrics, metricId: (key) => metricIds.get(key) as string, deletedMetricId: shortId(rng) };
}

/** Klaviyo's mapped metrics the demo store has: Shopify's, set when the integration was connected. */
export function mappedMetrics(metricId: (key: MetricKey) => string): DemoAccount["mappedMetrics"] {
  const mapped: [MappedMetricId, MetricKey][] = [
    ["revenue", "placedOrder"],
    ["ordered_product", "orderedShopify"],
    ["viewed_product", "viewedProduct"],
    ["started_checkout", "checkoutStarted"],
    ["cancelled_sales", "cancelledOrder"],
    ["refunded_sales", "refundedOrder"],
  ];
  return Object.fromEntries(
    mapped.map(([purpose, key]) => [purpose, { metricId: metricId(key), customMetricId: null, updated: "2024-06-03T15:25:00+00:00" }]),
  );
}

/**
 * The account's metrics and the integrations they come from: Shopify (two stores' worth of order
 * metrics, since WooCommerce also sends "Ordered Product"), Klaviyo's own e-mail and SMS metrics,
 * and reviews sent through the API. Also which of them Klaviyo's mapped metrics point at.
 */
import type { DemoAccount, DemoMetric } from "../account";
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

const METRIC_SPECS: readonly MetricSpec[] = [
  { key: "orderedShopify", name: "Ordered Product", integration: "shopify", created: "2024-06-03T15:20:11+00:00" },
  { key: "placedOrder", name: "Placed Order", integration: "shopify", created: "2024-06-03T15:20:11+00:00" },
  { key: "viewedProduct", name: "Viewed Product", integration: "shopify", created: "2024-06-03T15:21:40+00:00" },
  { key: "orderedWoo", name: "Ordered Product", integration: "woocommerce", created: "2024-07-15T09:02:55+00:00" },
  { key: "receivedEmail", name: "Received Email", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "openedEmail", name: "Opened Email", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "clickedEmail", name: "Clicked Email", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "unsubscribed", name: "Unsubscribed", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "unsubscribedSms", name: "Unsubscribed from SMS", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "subscribedToList", name: "Subscribed to List", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "customerReview", name: "Customer Review", integration: "api", created: "2025-02-11T18:45:03+00:00" },
];

/** How the generator names a metric (two share the name "Ordered Product"). */
export type MetricKey = (typeof METRIC_SPECS)[number]["key"];

/** The metrics, and the id each key was given. */
export function makeMetrics(rng: Random): { metrics: DemoMetric[]; metricId: (key: MetricKey) => string } {
  const metricIds = new Map<MetricKey, string>();
  const metrics: DemoMetric[] = METRIC_SPECS.map((spec) => {
    const id = shortId(rng);
    metricIds.set(spec.key, id);
    return { id, name: spec.name, created: spec.created, updated: spec.created, integration: INTEGRATIONS[spec.integration] };
  });
  return { metrics, metricId: (key) => metricIds.get(key) as string };
}

/** Klaviyo's mapped metrics the demo store has set: Shopify's orders, revenue and product views. */
export function mappedMetrics(metricId: (key: MetricKey) => string): DemoAccount["mappedMetrics"] {
  return {
    ordered_product: { metricId: metricId("orderedShopify"), updated: "2024-06-03T15:25:00+00:00" },
    revenue: { metricId: metricId("placedOrder"), updated: "2024-06-03T15:25:00+00:00" },
    viewed_product: { metricId: metricId("viewedProduct"), updated: "2024-06-03T15:25:00+00:00" },
  };
}

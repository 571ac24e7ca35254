/**
 * Whether to map the API's "Placed Order" as the account's revenue metric. The mapping is the
 * account's, not the integration's: moving it off a store integration's (or a custom) metric moves
 * customer lifetime value, benchmarks and revenue reporting of the whole account, so the guide sends
 * `PATCH /api/mapped-metrics/revenue` only where nothing else owns revenue.
 */
import type { GetMappedMetricResponseCompoundDocument, MappedMetricPartialUpdateQuery } from "klaviyo-api";
import { formatBody } from "../errors";
import { OPERATIONS } from "../operations";

/** What a mapped metric points at: nothing, a metric (with its integration's name), or a custom metric. */
export type MappedTo =
  | { kind: "none" }
  | { kind: "metric"; id: string; name: string; integration: string }
  | { kind: "custom-metric"; id: string; name: string };

/** What the revenue cell does: send the PATCH, or not and why. */
export type RevenueMappingDecision =
  | { send: true; why: "unmapped" }
  | { send: false; why: "already-mapped" }
  | { send: false; why: "owned"; owner: string };

/** The parts of `GET /api/mapped-metrics/{id}?include=metric,custom-metric` that say what the purpose is mapped to. */
export type MappedMetricDocument = Pick<GetMappedMetricResponseCompoundDocument, "data" | "included">;

/**
 * What a mapped metric points at, from its document read with `include: ["metric", "custom-metric"]`
 * (names come from the included resources; an id without one is named by its id).
 */
export function mappedTo(document: MappedMetricDocument): MappedTo {
  const relationships = document.data.relationships;
  const included = document.included ?? [];
  const metricId = relationships?.metric?.data?.id;
  if (metricId) {
    const metric = included.find((r) => r.type === "metric" && r.id === metricId);
    const attributes = metric && "attributes" in metric ? (metric.attributes as { name?: string | null; integration?: object | null }) : undefined;
    const integration = (attributes?.integration as { name?: unknown } | null | undefined)?.name;
    return { kind: "metric", id: metricId, name: attributes?.name ?? metricId, integration: typeof integration === "string" ? integration : "unknown integration" };
  }
  const customId = relationships?.customMetric?.data?.id;
  if (customId) {
    const custom = included.find((r) => r.type === "custom-metric" && r.id === customId);
    return { kind: "custom-metric", id: customId, name: (custom && "attributes" in custom ? custom.attributes.name : undefined) ?? customId };
  }
  return { kind: "none" };
}

/** A mapping as one phrase: `"Placed Order" from Shopify (Pqk72V)`, `custom metric "All stores" (c1)`, or `nothing`. */
export function describeMappedTo(current: MappedTo): string {
  if (current.kind === "metric") return `"${current.name}" from ${current.integration} (${current.id})`;
  if (current.kind === "custom-metric") return `custom metric "${current.name}" (${current.id})`;
  return "nothing";
}

/**
 * Send the revenue mapping only when revenue is unmapped. Already mapped to `apiPlacedOrderId` (the
 * API's own "Placed Order"): nothing to change, and a request saved from the 30-a-day limit. Mapped
 * to anything else (a store integration's metric, a custom metric): not sent, the owner named.
 *
 * @example
 * revenueMappingDecision({ kind: "none" }, "zVvoJN") // { send: true, why: "unmapped" }
 */
export function revenueMappingDecision(current: MappedTo, apiPlacedOrderId: string): RevenueMappingDecision {
  if (current.kind === "none") return { send: true, why: "unmapped" };
  if (current.kind === "metric" && current.id === apiPlacedOrderId) return { send: false, why: "already-mapped" };
  return { send: false, why: "owned", owner: describeMappedTo(current) };
}

/** The body of `PATCH /api/mapped-metrics/revenue` that maps revenue to `metricId`. */
export function revenueMappingBody(metricId: string): MappedMetricPartialUpdateQuery {
  return { data: { type: "mapped-metric", id: "revenue", relationships: { metric: { data: { type: "metric", id: metricId } } } } };
}

/**
 * What the cell prints instead of a request it does not send; undefined for a decision to send.
 * Already mapped to `metricId`: one line. Owned by another metric: the request that would map
 * revenue to `metricId` (method, path, body as sent on the wire) and one sentence why it was not sent.
 */
export function withheldRevenueMapping(decision: RevenueMappingDecision, metricId: string): string | undefined {
  if (decision.send) return undefined;
  const body = revenueMappingBody(metricId);
  if (decision.why === "already-mapped") return `Not sent: revenue is already mapped to the API's "Placed Order" (${metricId}), so there is nothing to change.`;
  const { method, path } = OPERATIONS.update_mapped_metric;
  return [
    `Not sent: ${method} ${path.replace("{id}", String(body.data.id))}`,
    `  body: ${formatBody(body).replace(/\n/g, "\n  ")}`,
    `Revenue is mapped to ${decision.owner}; moving it to the API's "Placed Order" (${metricId}) would change customer lifetime value and benchmarks for the whole account, so send it only if your server now sends all of the account's orders.`,
  ].join("\n");
}

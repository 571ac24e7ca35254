/**
 * The revenue mapping guard (src/server-side/revenue-mapping.ts): what the revenue mapped metric
 * points at, read from its document, and whether the guide may map the API's "Placed Order" there.
 */
import { describe, expect, it } from "vitest";
import { mappedTo, revenueMappingBody, revenueMappingDecision, withheldRevenueMapping } from "../src/server-side";
import type { MappedMetricDocument } from "../src/server-side";

const API_PLACED_ORDER = "zVvoJN";
const links = { self: "https://a.klaviyo.com/api/x/" };
const relationshipLinks = { self: "https://a.klaviyo.com/api/x/relationships/y/", related: "https://a.klaviyo.com/api/x/y/" };
const updated = new Date("2026-07-15T00:00:00Z");

/** The revenue mapped metric's document, pointing at `relationships` with `included` beside it. */
function revenueDocument(relationships: NonNullable<MappedMetricDocument["data"]["relationships"]>, included: MappedMetricDocument["included"] = []): MappedMetricDocument {
  return { data: { type: "mapped-metric", id: "revenue", attributes: { updated }, relationships, links }, included };
}

const metricResource = (id: string, name: string, integration: string) => ({ type: "metric" as const, id, attributes: { name, integration: { name: integration } }, links });

describe("revenue mapping guard", () => {
  it("sends the mapping when revenue is unmapped", () => {
    const current = mappedTo(revenueDocument({ metric: { links: relationshipLinks }, customMetric: { links: relationshipLinks } }));
    expect(current).toEqual({ kind: "none" });
    expect(revenueMappingDecision(current, API_PLACED_ORDER)).toEqual({ send: true, why: "unmapped" });
    expect(withheldRevenueMapping({ send: true, why: "unmapped" }, API_PLACED_ORDER)).toBeUndefined();
  });

  it("changes nothing when revenue is already the API's Placed Order", () => {
    const current = mappedTo(revenueDocument({ metric: { data: { type: "metric", id: API_PLACED_ORDER } } }, [metricResource(API_PLACED_ORDER, "Placed Order", "API")]));
    expect(current).toEqual({ kind: "metric", id: API_PLACED_ORDER, name: "Placed Order", integration: "API" });
    const decision = revenueMappingDecision(current, API_PLACED_ORDER);
    expect(decision).toEqual({ send: false, why: "already-mapped" });
    expect(withheldRevenueMapping(decision, API_PLACED_ORDER)).toBe(`Not sent: revenue is already mapped to the API's "Placed Order" (${API_PLACED_ORDER}), so there is nothing to change.`);
  });

  it("does not send when a store integration's metric owns revenue, and shows the request it would have sent and why", () => {
    const current = mappedTo(revenueDocument({ metric: { data: { type: "metric", id: "Pqk72V" } } }, [metricResource("Pqk72V", "Placed Order", "Shopify")]));
    const decision = revenueMappingDecision(current, API_PLACED_ORDER);
    expect(decision).toEqual({ send: false, why: "owned", owner: `"Placed Order" from Shopify (Pqk72V)` });
    const printed = withheldRevenueMapping(decision, API_PLACED_ORDER) ?? "";
    expect(printed.split("\n")[0]).toBe("Not sent: PATCH /api/mapped-metrics/revenue");
    expect(printed).toContain(`"id": "${API_PLACED_ORDER}"`);
    expect(JSON.parse(printed.slice(printed.indexOf("{"), printed.lastIndexOf("}") + 1))).toEqual(revenueMappingBody(API_PLACED_ORDER));
    expect(printed).toMatch(/Revenue is mapped to "Placed Order" from Shopify \(Pqk72V\);.*customer lifetime value and benchmarks for the whole account/);
  });

  it("does not send when a custom metric owns revenue, named from the included resource or by its id", () => {
    const customRelationship = { metric: { links: relationshipLinks }, customMetric: { data: { type: "custom-metric" as const, id: "c1" } } };
    const definition = { aggregationMethod: "value" as const, metricGroups: [] };
    const named = mappedTo(revenueDocument(customRelationship, [{ type: "custom-metric", id: "c1", attributes: { name: "All stores", created: updated, updated, definition }, links }]));
    expect(revenueMappingDecision(named, API_PLACED_ORDER)).toEqual({ send: false, why: "owned", owner: `custom metric "All stores" (c1)` });
    expect(mappedTo(revenueDocument(customRelationship))).toEqual({ kind: "custom-metric", id: "c1", name: "c1" });
  });
});

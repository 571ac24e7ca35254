/**
 * Query Metric Aggregates helpers (src/aggregates.ts) against the demo stand-in through the SDK,
 * and the sweep plan and progress lines (src/sweeps.ts).
 */
import { ApiKeySession, MetricsApi } from "klaviyo-api";
import type { PostMetricAggregateResponse } from "klaviyo-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServer } from "../tools/standin/server";
import type { DemoServer } from "../tools/standin/server";
import { aggregateSeries, aggregateWindow, countEvents, yearWindows } from "../src/aggregates";
import { RATE_LIMITS } from "../src/rate-limits";
import { describePlan, planSweep, withProgress } from "../src/sweeps";
import { STAND_IN_PRIVATE_KEY } from "./support/keys";

let server: DemoServer;
let metrics: MetricsApi;
beforeAll(async () => {
  server = await startDemoServer();
  metrics = new MetricsApi(new ApiKeySession(STAND_IN_PRIVATE_KEY));
  metrics.basePath = server.url;
});
afterAll(() => server.close());

const at = (iso: string) => new Date(iso);

describe("aggregates", () => {
  it("splits a window into pieces of at most a calendar year, end to end", () => {
    const parts = yearWindows({ start: at("2024-01-01T00:00:00Z"), end: at("2025-11-28T00:00:00Z") });
    expect(parts.map((p) => [p.start.toISOString(), p.end.toISOString()])).toEqual([
      ["2024-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z"],
      ["2025-01-01T00:00:00.000Z", "2025-11-28T00:00:00.000Z"],
    ]);
    expect(() => yearWindows({ start: at("2025-01-02T00:00:00Z"), end: at("2025-01-01T00:00:00Z") })).toThrow(/end after it starts/);
  });

  it("builds the two datetime bounds the endpoint requires", () => {
    expect(aggregateWindow({ start: at("2025-10-01T00:00:00Z"), end: at("2026-02-01T00:00:00Z") })).toEqual([
      "greater-or-equal(datetime,2025-10-01T00:00:00.000Z)",
      "less-than(datetime,2026-02-01T00:00:00.000Z)",
    ]);
  });

  it("reads a measurement per date, and zeros when the answer has no row", () => {
    const body = { data: { type: "metric-aggregate", id: "x", attributes: { dates: [at("2025-10-01T00:00:00Z"), at("2025-10-08T00:00:00Z")], data: [] }, links: { self: "" } } } as unknown as PostMetricAggregateResponse;
    expect(aggregateSeries(body, "count").map((p) => p.value)).toEqual([0, 0]);
  });

  it("counts a metric's events over more than a year in one request per year, matching the account", async () => {
    const placed = server.account.mappedMetrics.revenue.metricId;
    const window = { start: at("2024-01-01T00:00:00Z"), end: at("2025-11-28T00:00:00Z") };
    const expected = server.account.events.filter((e) => e.metricId === placed && e.timestamp * 1000 >= window.start.getTime() && e.timestamp * 1000 < window.end.getTime()).length;
    expect(expected).toBeGreaterThan(500);
    expect(await countEvents(metrics, placed, window)).toEqual({ count: expected, requests: 2 });
  });
});

describe("sweeps", () => {
  it("plans the requests and the least time at the endpoint's limit", () => {
    expect(planSweep(989, 1000, RATE_LIMITS.get_events)).toMatchObject({ requests: 1 });
    expect(planSweep(0, 1000, RATE_LIMITS.get_events)).toMatchObject({ requests: 1 });
    const big = planSweep(5_000_000, 1000, RATE_LIMITS.get_events);
    expect(big.requests).toBe(5000);
    expect(big.seconds).toBeGreaterThan(60);
    expect(describePlan(big, "events", 1000, RATE_LIMITS.get_events)).toBe("5,000,000 events: 5,000 requests (pages of 1,000), at least 64.3 s at 350/s, 3,500/min");
    expect(() => planSweep(10, 0, RATE_LIMITS.get_events)).toThrow(RangeError);
  });

  it("prints pages, items and elapsed time every N pages, and nothing for a short sweep", async () => {
    const lines: string[] = [];
    let clock = 0;
    const page = async () => ({ body: { data: [1, 2, 3], links: { next: "https://a.klaviyo.com/api/events?page%5Bcursor%5D=x" } } });
    const fetchPage = withProgress(page, { label: "orders", every: 2, print: (l) => lines.push(l), now: () => (clock += 500) });
    for (let i = 0; i < 5; i++) await fetchPage(undefined);
    expect(lines).toEqual(["orders: 2 pages, 6 items, 0.5 s", "orders: 4 pages, 12 items, 1.0 s"]);
    const quiet: string[] = [];
    await withProgress(page, { label: "short", print: (l) => quiet.push(l) })(undefined);
    expect(quiet).toEqual([]);
  });
});

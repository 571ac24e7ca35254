/**
 * What only the reporting guide must show, checked as a file (what every guide must show, from its
 * FAQ list to its diagrams and keys, is test/guides.test.ts): its charts, the pacer's countdowns and
 * cache as a reader sees them in replay, and a fixture that only reads, asks each report once,
 * within the pacer's budget and the spec's rules, and holds the 429 it shows.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OPERATIONS, operationFor } from "../src/operations";
import { DEFAULT_BUDGET_SHARE, REPORT_OPERATIONS } from "../src/reporting";
import { READ_ONLY_POSTS } from "../src/write-guard";
import { loadNotebook, printed, text } from "../tools/notebook";

const ROOT = join(__dirname, "..");
const guide = loadNotebook(join(ROOT, "notebooks", "4-reporting.ipynb"));
const FIXTURE = join(ROOT, "data", "reporting.json");

interface Interaction {
  method: string;
  path: string;
  body?: { data?: { type?: string; attributes?: Record<string, unknown> } };
  status: number;
  response?: unknown;
  headers: Record<string, string>;
}

const fixture = (): Interaction[] => (JSON.parse(readFileSync(FIXTURE, "utf8")) as { interactions: Interaction[] }).interactions;
const reportOperations: readonly string[] = Object.values(REPORT_OPERATIONS);

describe("4-reporting.ipynb", () => {
  it("charts the numbers it compares: the period's campaigns, the flows by week, one week counted two ways, the segments", () => {
    const charts = guide.code.filter((c) => (c.outputs ?? []).some((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined));
    expect(charts.map((c) => c.id)).toEqual(["period-chart", "flow-series-chart", "week-chart", "segments-chart"]);
  });

  it("shows the pacer waiting on the frozen clock, answering a repeat from its cache, and the 429 an unpaced burst gets", () => {
    const out = printed(guide);
    expect(out).toContain("Waiting 30 s for the next query_campaign_values slot (2 a minute): 30 … 20 … 10 … go");
    expect(out).toContain("query_campaign_values: answered from this connection's cache, no request sent");
    expect(out).toMatch(/The clock is frozen at the recording's time/);
    const burst = guide.code.find((c) => c.id === "throttled")?.outputs?.map((o) => text(o.data?.["text/plain"] as string | string[] | undefined)).join("");
    expect(burst).toMatch(/\n\s*200 .*\n\s*429\s+1\s+throttled: /);
  });

  it("sends reports only through the paced kv.reporting, except the one cell that shows a burst with fetch", () => {
    const viaFetch = guide.code.filter((c) => /reports`?,? ?\{|-reports`/.test(text(c.source)) && /\bfetch\(/.test(text(c.source)));
    expect(viaFetch.map((c) => c.id)).toEqual(["throttled"]);
    const sdkReporting = guide.code.filter((c) => /\bnew ReportingApi\b|\bReportingApi\(/.test(text(c.source)));
    expect(sdkReporting).toEqual([]);
  });

  it("has a fixture that only reads, answered without a refusal but the one 429 it shows", () => {
    expect(existsSync(FIXTURE), "data/reporting.json: run npm run fixtures reporting").toBe(true);
    const interactions = fixture();
    const writes = interactions.filter((i) => i.method !== "GET" && !(i.method === "POST" && READ_ONLY_POSTS.includes(i.path.split("?")[0])));
    expect(writes.map((i) => `${i.method} ${i.path}`)).toEqual([]);
    const refused = interactions.filter((i) => i.status >= 400);
    expect(refused.map((i) => `${i.status} ${i.path}`)).toEqual(["429 /api/segment-values-reports"]);
    expect(Number(refused[0].headers["retry-after"])).toBeGreaterThan(0);
  });

  it("asks each report operation it teaches, within the pacer's budget, for the account's own conversion metric", () => {
    const interactions = fixture();
    const reports = interactions.filter((i) => reportOperations.includes(operationFor(i.method, i.path) ?? ""));
    const perOperation = new Map<string, number>();
    for (const i of reports) perOperation.set(operationFor(i.method, i.path) as string, (perOperation.get(operationFor(i.method, i.path) as string) ?? 0) + 1);
    expect([...perOperation.keys()].sort()).toEqual(["query_campaign_values", "query_flow_series", "query_flow_values", "query_form_values", "query_segment_series", "query_segment_values"]);
    for (const [operation, count] of perOperation) {
      const perDay = OPERATIONS[operation as keyof typeof OPERATIONS].rateLimit.perDay ?? 0;
      expect(count, operation).toBeLessThanOrEqual(Math.ceil(perDay * DEFAULT_BUDGET_SHARE));
    }
    // Campaign and flow reports count conversions of the metric the guide found by name.
    const metrics = interactions.find((i) => i.path.startsWith("/api/metrics"))?.response as { data: { id: string; attributes: { name: string } }[] };
    const placedOrder = metrics.data.find((m) => m.attributes.name === "Placed Order")?.id;
    const conversionIds = reports.map((i) => i.body?.data?.attributes?.conversion_metric_id).filter((id) => id !== undefined);
    expect(conversionIds.length).toBeGreaterThan(0);
    expect(new Set(conversionIds)).toEqual(new Set([placedOrder]));
  });
});

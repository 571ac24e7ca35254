/**
 * What only the server-side guide must show, checked as a file (what every guide must show, from its
 * FAQ list to its diagrams and keys, is test/guides.test.ts): it was committed with the outcomes it
 * teaches, its writes go through the write guard, and its fixture holds the exchanges it teaches.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_ERROR_DEMO_UNIQUE_ID } from "../tools/standin/routes/events";
import { loadNotebook, printed, text } from "../tools/notebook";
import { operationFor } from "../src/operations";

const ROOT = join(__dirname, "..");
const NOTEBOOK = join(ROOT, "notebooks", "3-server-side.ipynb");
const FIXTURE = join(ROOT, "data", "server-side.json");

/** SDK methods (and raw fetch) that change the account: live mode must send them only through kv.write. */
const WRITES = /\.(createEvent|bulkCreateEvents|createOrUpdateProfile|updateProfile|bulkImportProfiles|bulkSubscribeProfiles|bulkUnsubscribeProfiles|bulkSuppressProfiles|bulkUnsuppressProfiles|updateMappedMetric|requestProfileDeletion)\(|fetch\([^)]*method: "POST"/;

const guide = loadNotebook(NOTEBOOK);
const code = guide.code;

interface Interaction { method: string; path: string; body: unknown; status: number; response: unknown }

describe("3-server-side.ipynb", () => {
  it("was committed with its chart of a paced backfill, a job that partly failed and a retried 500", () => {
    expect(code.length).toBeGreaterThan(20);
    const charts = code.filter((c) => (c.outputs ?? []).some((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined));
    expect(charts.map((c) => c.id)).toEqual(["pacing-chart"]);
    const out = printed(guide);
    expect(out).toMatch(/complete +3 of 4 done, 1 failed/);
    expect(out).toContain("500 → 202");
  });

  it("sends every write through kv.write, so live mode without KLAVIYO_ALLOW_WRITES=1 only shows it", () => {
    const writing = code.filter((c) => WRITES.test(text(c.source)));
    expect(writing.length).toBeGreaterThan(10);
    expect(writing.filter((c) => !text(c.source).includes("kv.write(")).map((c) => c.id)).toEqual([]);
  });

  it("has its recorded fixture, with every exchange the guide teaches", () => {
    expect(existsSync(FIXTURE), "data/server-side.json: run npm run fixtures").toBe(true);
    const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { revision: string; interactions: Interaction[] };
    expect(fixture.revision).toBe("2026-07-15");
    const seen = new Set(fixture.interactions.map((i) => `${i.method} ${i.path.split("?")[0].replace(/\/(profiles|[a-z-]+-jobs)\/[^/]+/, "/$1/{id}")} ${i.status}`));
    for (const exchange of [
      "POST /api/events 202", "POST /api/events 500", "POST /api/event-bulk-create-jobs 202",
      "POST /api/profile-import 201", "POST /api/profile-import 200", "PATCH /api/profiles/{id} 200",
      "POST /api/profile-bulk-import-jobs 202", "GET /api/profile-bulk-import-jobs/{id} 200", "GET /api/profile-bulk-import-jobs/{id}/import-errors 200",
      "POST /api/profile-subscription-bulk-create-jobs 202", "POST /api/profile-subscription-bulk-create-jobs 400", "POST /api/profile-subscription-bulk-delete-jobs 202",
      "POST /api/profile-suppression-bulk-create-jobs 202", "POST /api/profile-suppression-bulk-delete-jobs 202",
      "GET /api/profiles 200", "GET /api/events 200",
    ]) {
      expect(seen.has(exchange), `no recorded ${exchange}`).toBe(true);
    }
    // The job is polled until complete: the same GET answered processing, then complete.
    const polls = fixture.interactions.filter((i) => i.method === "GET" && /^\/api\/profile-bulk-import-jobs\/[^/]+$/.test(i.path));
    expect(polls.map((i) => (i.response as { data: { attributes: { status: string } } }).data.attributes.status)).toEqual(["processing", "complete"]);
    // The backfill really is one: every bulk entry it sent says backfill: true.
    const bulk = fixture.interactions.filter((i) => i.path === "/api/event-bulk-create-jobs").map((i) => (i.body as { data: { attributes: { "events-bulk-create": { data: { attributes: { backfill?: boolean } }[] } } } }).data.attributes["events-bulk-create"].data);
    expect(bulk.slice(1).flat().every((entry) => entry.attributes.backfill === true)).toBe(true);
    // The retried event is the one the stand-in fails once.
    expect(fixture.interactions.some((i) => i.status === 500 && JSON.stringify(i.body).includes(`"unique_id":"${SERVER_ERROR_DEMO_UNIQUE_ID}"`))).toBe(true);
  });

  it("leaves the demo's revenue mapping to its store integration, showing the request it did not send and why", () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { interactions: Interaction[] };
    const cell = code.find((c) => c.id === "revenue-mapping");
    const out = (cell?.outputs ?? []).map((o) => text(o.text)).join("");
    expect(out).toMatch(/^Not sent: PATCH \/api\/mapped-metrics\/revenue\n/);
    expect(out).toMatch(/Revenue is mapped to "Placed Order" from Shopify .*benchmarks for the whole account/);
    expect(fixture.interactions.some((i) => i.method === "GET" && i.path.startsWith("/api/mapped-metrics/revenue") && decodeURIComponent(i.path).includes("include=metric,custom-metric"))).toBe(true);
    expect(fixture.interactions.filter((i) => i.method === "PATCH")).not.toContainEqual(expect.objectContaining({ path: expect.stringContaining("/api/mapped-metrics/") }));
  });

  it("computes its consent channels table and records a subscription to SMS transactional", () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { interactions: Interaction[] };
    const table = JSON.stringify(code.find((c) => c.id === "consent-channels")?.outputs);
    expect(table).toMatch(/sms\.transactional +yes +yes +yes/);
    expect(table).toMatch(/whatsapp\.conversational +— +yes +—/);
    const transactional = fixture.interactions.filter((i) => i.path === "/api/profile-subscription-bulk-create-jobs" && JSON.stringify(i.body).includes('"sms":{"transactional":{"consent":"SUBSCRIBED"}}'));
    expect(transactional.map((i) => i.status)).toEqual([202]);
    expect(printed(guide)).toMatch(/"transactional": "SUBSCRIBED"/);
  });

  it("derives its scopes table from every operation it calls, so the table cannot leave one out", () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { interactions: Interaction[] };
    const table = code.find((c) => c.id === "scopes");
    expect(table, "no code cell with id scopes").toBeDefined();
    const listed = new Set(text(table?.source ?? "").match(/"[a-z_]+"/g)?.map((quoted) => quoted.slice(1, -1)));
    const called = new Set(fixture.interactions.map((i) => operationFor(i.method, i.path) ?? `${i.method} ${i.path}`));
    expect([...called].filter((op) => !listed.has(op))).toEqual([]);
    expect(JSON.stringify(table?.outputs)).toMatch(/Suppress \(and read the job and consent back\) +profiles:write, subscriptions:write +lists:read, profiles:read, subscriptions:read/);
  });
});

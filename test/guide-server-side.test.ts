/**
 * The server-side guide, checked as a file (nothing is executed here; the runner's `--check` does
 * that, and its replay fails at once on a request missing from the fixtures): it answers the
 * questions of issue 13 (test/faq/server-side.json, checked in test/guides.test.ts), it was committed executed and clean, its writes
 * go through the write guard, its diagram is an image file JupyterLab can show, its fixture holds
 * the exchanges it teaches, and no key or real person's address slipped in.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_ERROR_DEMO_UNIQUE_ID } from "../scripts/demo/server-endpoints";
import { executionProblems, foreignEmails, loadNotebook, printed, structureProblems, text } from "./support/notebook";

const ROOT = join(__dirname, "..");
const NOTEBOOK = join(ROOT, "notebooks", "understanding-server-side-requests.ipynb");
const FIXTURE = join(ROOT, "data", "server-side.json");
const MAX_BYTES = 400 * 1024;

/** SDK methods (and raw fetch) that change the account: live mode must send them only through kv.write. */
const WRITES = /\.(createEvent|bulkCreateEvents|createOrUpdateProfile|updateProfile|bulkImportProfiles|bulkSubscribeProfiles|bulkUnsubscribeProfiles|bulkSuppressProfiles|bulkUnsuppressProfiles)\(|fetch\([^)]*method: "POST"/;

const guide = loadNotebook(NOTEBOOK);
const code = guide.code;

interface Interaction { method: string; path: string; body: unknown; status: number; response: unknown }

describe("understanding-server-side-requests.ipynb", () => {
  it("is one small, valid tslab notebook with stable cell ids, saying its outputs come from the demo account", () => {
    expect(structureProblems(guide, MAX_BYTES)).toEqual([]);
    expect(guide.markdown[0]).toMatch(/generated demo account/);
  });

  it("shows its diagram as an SVG file beside it (JupyterLab cannot render SVG attachments) that loads nothing from outside", () => {
    const images = guide.markdown.flatMap((md) => [...md.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1]));
    expect(images.length).toBeGreaterThanOrEqual(1);
    for (const src of images) {
      expect(src, "relative path, not an attachment or a URL").toMatch(/^images\/[a-z0-9-]+\.svg$/);
      const file = resolve(dirname(NOTEBOOK), src);
      expect(existsSync(file), `${src} is missing`).toBe(true);
      const svg = readFileSync(file, "utf8");
      expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      expect(svg, `${src} must not load anything from outside`).not.toMatch(/(href|src)="https?:|@import|url\(http/);
    }
  });

  it("was committed executed, without errors, with its chart of a paced backfill", () => {
    expect(code.length).toBeGreaterThan(20);
    expect(executionProblems(guide)).toEqual([]);
    const charts = code.filter((c) => (c.outputs ?? []).some((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined));
    expect(charts.map((c) => c.id)).toEqual(["pacing-chart"]);
    const out = printed(guide);
    expect(out).toMatch(/complete +3 of 4 done, 1 failed/);
    expect(out).toContain("500 → 202");
  });

  it("imports only in the set-up cell, connects as the server-side guide and never silences the type checker", () => {
    const withImports = code.filter((c) => /^\s*import /m.test(text(c.source)));
    expect(withImports.map((c) => c.id)).toEqual(["setup"]);
    expect(text(withImports[0].source)).toContain('await connect("server-side")');
    for (const cell of code) expect(text(cell.source), `cell ${cell.id}`).not.toMatch(/\bas any\b|:\s*any\b|@ts-(ignore|expect-error|nocheck)/);
  });

  it("sends every write through kv.write, so live mode without KLAVIYO_ALLOW_WRITES=1 only shows it", () => {
    const writing = code.filter((c) => WRITES.test(text(c.source)));
    expect(writing.length).toBeGreaterThan(10);
    expect(writing.filter((c) => !text(c.source).includes("kv.write(")).map((c) => c.id)).toEqual([]);
  });

  it("holds no key-like string and no e-mail address outside example.com", () => {
    expect(guide.raw).not.toMatch(/pk_[A-Za-z0-9]/);
    expect(foreignEmails(guide)).toEqual([]);
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
});

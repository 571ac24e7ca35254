/**
 * What only the customer-data guide must show (the checks every guide shares, its FAQ list
 * included, are in test/guides.test.ts): diagrams, its two charts, one parameters cell that holds
 * every demo-specific value, a hand-written pagination loop that survives misbehaving servers, and
 * the writes its fixture replays.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { NOTEBOOKS_DIR, PROJECT_ROOT } from "../tools/paths";
import { guideEntry } from "../src/guides";
import { paramVariable } from "../src/params";
import { createSteps } from "../src/steps";
import { loadNotebook, text } from "../tools/notebook";

const entry = guideEntry("customer-data");
const guide = loadNotebook(join(NOTEBOOKS_DIR, entry.notebook));
const code = guide.code;
const codeText = (id: string): string => text(code.find((c) => c.id === id)?.source);

describe(entry.notebook, () => {
  it("was committed executed, with its charts", () => {
    expect(code.length).toBeGreaterThan(20);
    const charts = code.filter((c) => (c.outputs ?? []).some((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined));
    expect(charts.map((c) => c.id)).toEqual(["unsubscribe-chart", "bfcm-chart"]);
  });

  it("takes every date, name and bound from one parameters cell, with the demo's values as defaults", () => {
    const parameters = codeText("parameters");
    expect(parameters).toMatch(/guideParams\(kv, \{/);
    for (const value of ['saleStart: "2025-11-28T00:00:00Z"', 'saleEnd: "2025-12-02T00:00:00Z"', 'newsletterList: "Newsletter"', 'orderMetric: "Placed Order"', 'timeZone: "UTC"']) {
      expect(parameters).toContain(value);
    }
    // The 2022 guide filtered BFCM orders with another example's dates; here every BFCM filter uses the window.
    expect(codeText("bfcm-window")).toContain("{ start: new Date(params.saleStart), end: new Date(params.saleEnd) }");
    expect(codeText("bfcm-orders")).toMatch(/greaterOrEqual\("datetime", bfcm\.start\), lessThan\("datetime", bfcm\.end\)/);
    expect(codeText("earlier-orders")).toMatch(/lessThan\("datetime", bfcm\.start\)/);
    const otherDates = code.filter((c) => c.id !== "parameters").filter((c) => /\d{4}-\d{2}-\d{2}T/.test(text(c.source)));
    expect(otherDates.map((c) => c.id)).toEqual([]);
    const demoNames = code.filter((c) => c.id !== "parameters").filter((c) => /"(Newsletter|Unsubscribed|Unsubscribed from SMS|Placed Order|Ordered Product|Shopify)"/.test(text(c.source)));
    expect(demoNames.map((c) => c.id)).toEqual([]);
  });

  describe("its hand-written pagination loop (the paginate-manual cell, run against servers that misbehave)", () => {
    type Page = { data: { id: string; attributes: { email: string } }[]; links: { self: string; next: string | null } };
    const link = (query: string) => `https://a.klaviyo.com/api/lists/L1/profiles?page%5Bsize%5D=100${query}`;
    const member = (n: number) => ({ id: `P${n}`, attributes: { email: `m${n}@example.com` } });
    /**
     * Runs the cell's own code with a fake `kv.lists.getProfilesForList` answering `answer(cursor)`
     * and the real steps (`kv.read`, `kv.after`); gives what it showed and the lines it printed.
     */
    async function runCell(answer: (cursor: string | undefined) => Page): Promise<{ shown: unknown[]; printed: string[] }> {
      const js = ts.transpileModule(codeText("paginate-manual"), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
      const shown: unknown[] = [];
      const printed: string[] = [];
      const steps = createSteps({ guard: () => Promise.reject(new Error("this cell does not write")), print: (line) => printed.push(line) });
      const kv = { read: steps.read, after: steps.after, lists: { getProfilesForList: async (_id: string, opts: { pageCursor?: string }) => ({ body: answer(opts.pageCursor) }) } };
      const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
      await new AsyncFunction("kv", "params", "newsletterId", "found", "paramVariable", "showJson", js)(kv, { maxPages: 5 }, "L1", {}, paramVariable, (v: unknown) => shown.push(v));
      return { shown, printed };
    }
    async function runLoop(answer: (cursor: string | undefined) => Page): Promise<{ requests: number; members: number; stopped: string }> {
      return (await runCell(answer)).shown[0] as { requests: number; members: number; stopped: string };
    }
    const pageAt = (cursor: string | undefined) => Number(new URL(cursor ?? link("")).searchParams.get("page[cursor]") ?? 0);

    it("reads to the last page, whose links.next is null", async () => {
      const result = await runLoop((cursor) => ({ data: [member(pageAt(cursor))], links: { self: link(""), next: pageAt(cursor) < 2 ? link(`&page%5Bcursor%5D=${pageAt(cursor) + 1}`) : null } }));
      expect(result).toMatchObject({ requests: 3, members: 3, stopped: "last page: links.next is null" });
    });

    it("stops on a repeated cursor", async () => {
      const result = await runLoop((cursor) => ({ data: [member(cursor ? 1 : 0)], links: { self: link(""), next: link("&page%5Bcursor%5D=1") } }));
      expect(result.requests).toBe(2);
      expect(result.stopped).toMatch(/repeats the cursor 1/);
    });

    it("stops on a next link without a cursor", async () => {
      const result = await runLoop(() => ({ data: [member(0)], links: { self: link(""), next: link("") } }));
      expect(result.requests).toBe(1);
      expect(result.stopped).toMatch(/no page\[cursor\]/);
    });

    it("stops on a page it has already read, and at the stated bound", async () => {
      const same = await runLoop((cursor) => ({ data: [member(0)], links: { self: link(""), next: link(`&page%5Bcursor%5D=${pageAt(cursor) + 1}`) } }));
      expect(same).toMatchObject({ requests: 2, members: 1 });
      expect(same.stopped).toMatch(/repeats an earlier page/);
      const endless = await runLoop((cursor) => ({ data: [member(pageAt(cursor))], links: { self: link(""), next: link(`&page%5Bcursor%5D=${pageAt(cursor) + 1}`) } }));
      expect(endless).toMatchObject({ requests: 5, members: 5 });
      expect(endless.stopped).toMatch(/upper bound: 5 pages/);
    });

    it("keeps its names when a page fails half-way: one line saying what failed, no table", async () => {
      const refused = { isAxiosError: true, message: "Request failed with status code 500", config: { method: "get", url: "https://a.klaviyo.com/api/lists/L1/profiles" }, response: { status: 500, data: { errors: [{ id: "e", code: "error", title: "A server error occurred.", detail: "Try again." }] } } };
      const { shown, printed } = await runCell((cursor) => {
        if (cursor) throw refused;
        return { data: [member(0)], links: { self: link(""), next: link("&page%5Bcursor%5D=1") } };
      });
      expect(shown).toEqual([]);
      expect(printed).toEqual([expect.stringMatching(/^Could not read the list's members: GET \/api\/lists\/L1\/profiles failed on Klaviyo's side \(500 error .*\)\. Run this cell again: it only reads, so that is safe/)]);
    });
  });

  it("has recorded the reads and the writes it replays", () => {
    const fixture = JSON.parse(readFileSync(join(PROJECT_ROOT, "data", entry.fixture), "utf8")) as { interactions: { method: string; path: string; status: number }[] };
    const seen = new Set(fixture.interactions.map((i) => `${i.method} ${i.path.split("?")[0].replace(/\/lists\/[^/]+\//, "/lists/{id}/")} ${i.status}`));
    for (const exchange of ["GET /api/mapped-metrics/ordered_product 200", "GET /api/mapped-metrics/revenue 200", "POST /api/metric-aggregates 200", "POST /api/lists 201", "POST /api/lists/{id}/relationships/profiles 204"]) {
      expect(seen.has(exchange), `no recorded ${exchange}`).toBe(true);
    }
  });
});

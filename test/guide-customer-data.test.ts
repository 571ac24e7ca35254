/**
 * The customer-data guide, checked as a file (nothing is executed here; the runner's `--check`
 * does that, and its replay fails at once on a request missing from the fixtures): it answers
 * every FAQ the original guide listed, it was committed executed and clean, it stays small enough
 * for nbviewer, its diagrams travel inside it, and no key or real person's address slipped in.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { paramVariable } from "../src/params";
import { contentsProblems, executionProblems, foreignEmails, headingAt, loadNotebook, structureProblems, text } from "./support/notebook";

const ROOT = join(__dirname, "..");
const NOTEBOOK = join(ROOT, "notebooks", "understanding-customer-data.ipynb");
const MAX_BYTES = 400 * 1024;

/**
 * The FAQs of the 2022 guide (seed README, "Understanding customer data"), each with the anchor of
 * the heading that answers it for revision 2026-07-15.
 */
const FAQ_ANCHORS: readonly { question: string; anchor: string }[] = [
  { question: "Who is this guide meant for?", anchor: "faq-who" },
  { question: "What do I need to follow along?", anchor: "faq-need" },
  { question: "What's an SDK?", anchor: "faq-sdk" },
  { question: "What's an API private key?", anchor: "faq-private-key" },
  { question: "What is the general structure of Klaviyo's API responses?", anchor: "faq-response-structure" },
  { question: "How is customer profile data structured specifically?", anchor: "faq-profile-data" },
  { question: "How are events and customer profiles related?", anchor: "faq-events-profiles" },
  { question: "What is a Klaviyo ID?", anchor: "faq-klaviyo-id" },
  { question: "How can I get customer profile IDs?", anchor: "faq-profile-ids" },
  { question: "How can I get list or segment IDs?", anchor: "faq-list-segment-ids" },
  { question: "What is pagination?", anchor: "faq-pagination" },
  { question: "What's a simple example of pagination?", anchor: "faq-pagination-example" },
  { question: "What does the links argument mean?", anchor: "faq-links" },
  { question: "How can I filter events based on date?", anchor: "faq-filter-by-date" },
];

/** Questions the 2026 guide adds (issue 11: practices of revision 2026-07-15). */
const NEW_QUESTIONS: readonly { question: string; anchor: string }[] = [
  { question: "How can I count a list's members without paging?", anchor: "faq-count-members" },
  { question: "How can I count events without reading them?", anchor: "faq-count-without-events" },
  { question: "Which metric counts orders?", anchor: "faq-order-grain" },
];

const guide = loadNotebook(NOTEBOOK);
const code = guide.code;
const codeText = (id: string): string => text(code.find((c) => c.id === id)?.source);

describe("understanding-customer-data.ipynb", () => {
  it.each([...FAQ_ANCHORS, ...NEW_QUESTIONS])("answers “$question” under a question heading (#$anchor)", ({ anchor }) => {
    expect(headingAt(guide, anchor), `no heading after <a id="${anchor}"></a>`).toMatch(/^### .+\?$/);
  });

  it("links every anchor from the table of contents, and every link there resolves", () => {
    expect(contentsProblems(guide, [...FAQ_ANCHORS, ...NEW_QUESTIONS].map((f) => f.anchor))).toEqual([]);
  });

  it("is one small, valid tslab notebook with stable cell ids", () => {
    expect(structureProblems(guide, MAX_BYTES)).toEqual([]);
  });

  it("carries its diagrams as SVG attachments that the markdown uses", () => {
    const used = guide.markdownCells.flatMap((c) => [...text(c.source).matchAll(/\(attachment:([^)]+)\)/g)].map((m) => ({ cell: c, name: m[1] })));
    expect(used.length).toBeGreaterThanOrEqual(1);
    for (const { cell, name } of used) {
      const svg = Buffer.from(text(cell.attachments?.[name]?.["image/svg+xml"]), "base64").toString("utf8");
      expect(svg, `attachment ${name} in cell ${cell.id}`).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      expect(svg, `${name} must not load anything from outside`).not.toMatch(/(href|src)="https?:|@import|url\(http/);
    }
  });

  it("was committed executed, without errors, with its charts", () => {
    expect(code.length).toBeGreaterThan(20);
    expect(executionProblems(guide)).toEqual([]);
    const charts = code.filter((c) => (c.outputs ?? []).some((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined));
    expect(charts.map((c) => c.id)).toEqual(["unsubscribe-chart", "bfcm-chart"]);
  });

  it("imports only in the set-up cell and never silences the type checker", () => {
    const withImports = code.filter((c) => /^\s*import /m.test(text(c.source)));
    expect(withImports.map((c) => c.id)).toEqual(["setup"]);
    for (const cell of code) expect(text(cell.source), `cell ${cell.id}`).not.toMatch(/\bas any\b|:\s*any\b|@ts-(ignore|expect-error|nocheck)/);
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
    /** Runs the cell's own code with a fake `kv.lists.getProfilesForList` answering `answer(cursor)`. */
    async function runLoop(answer: (cursor: string | undefined) => Page): Promise<{ requests: number; members: number; stopped: string }> {
      const js = ts.transpileModule(codeText("paginate-manual"), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
      const shown: unknown[] = [];
      const kv = { lists: { getProfilesForList: async (_id: string, opts: { pageCursor?: string }) => ({ body: answer(opts.pageCursor) }) } };
      const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
      await new AsyncFunction("kv", "params", "newsletterId", "paramVariable", "showJson", js)(kv, { maxPages: 5 }, "L1", paramVariable, (v: unknown) => shown.push(v));
      return shown[0] as { requests: number; members: number; stopped: string };
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
  });

  it("holds no key-like string and no e-mail address outside example.com", () => {
    expect(guide.raw).not.toMatch(/pk_[A-Za-z0-9]/);
    expect(foreignEmails(guide)).toEqual([]);
  });

  it("connects as the guide whose recorded fixture exists, including the writes it replays", () => {
    const guide = /await connect\("([a-z-]+)"\)/.exec(codeText("setup"))?.[1];
    expect(guide).toBe("customer-data");
    const fixturePath = join(ROOT, "data", `${guide}.json`);
    expect(existsSync(fixturePath), `data/${guide}.json: run npm run fixtures`).toBe(true);
    const fixture = JSON.parse(readFileSync(fixturePath, "utf8")) as { revision: string; interactions: { method: string; path: string; status: number }[] };
    expect(fixture.revision).toBe("2026-07-15");
    const seen = new Set(fixture.interactions.map((i) => `${i.method} ${i.path.split("?")[0].replace(/\/lists\/[^/]+\//, "/lists/{id}/")} ${i.status}`));
    for (const exchange of ["GET /api/mapped-metrics/ordered_product 200", "GET /api/mapped-metrics/revenue 200", "POST /api/metric-aggregates 200", "POST /api/lists 201", "POST /api/lists/{id}/relationships/profiles 204"]) {
      expect(seen.has(exchange), `no recorded ${exchange}`).toBe(true);
    }
  });
});

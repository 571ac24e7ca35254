/**
 * The customer-data guide, checked as a file (nothing is executed here; the runner's `--check`
 * does that, and its replay fails at once on a request missing from the fixtures): it answers
 * every FAQ the original guide listed, it was committed executed and clean, it stays small enough
 * for nbviewer, its diagrams are image files beside it, and no key or real person's address slipped in.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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

const guide = loadNotebook(NOTEBOOK);
const code = guide.code;
const codeText = (id: string): string => text(code.find((c) => c.id === id)?.source);

describe("understanding-customer-data.ipynb", () => {
  it.each(FAQ_ANCHORS)("answers “$question” under a question heading (#$anchor)", ({ anchor }) => {
    expect(headingAt(guide, anchor), `no heading after <a id="${anchor}"></a>`).toMatch(/^### .+\?$/);
  });

  it("links every anchor from the table of contents, and every link there resolves", () => {
    expect(contentsProblems(guide, FAQ_ANCHORS.map((f) => f.anchor))).toEqual([]);
  });

  it("is one small, valid tslab notebook with stable cell ids", () => {
    expect(structureProblems(guide, MAX_BYTES)).toEqual([]);
  });

  it("shows its diagrams as SVG files next to it that the markdown uses", () => {
    const used = guide.markdownCells.flatMap((c) => [...text(c.source).matchAll(/!\[[^\]]*\]\((images\/[^)\s]+\.svg)\)/g)].map((m) => ({ cell: c, path: m[1] })));
    expect(used.length).toBeGreaterThanOrEqual(1);
    for (const { cell, path } of used) {
      const svg = readFileSync(join(ROOT, "notebooks", path), "utf8");
      expect(svg, `${path} in cell ${cell.id}`).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      expect(svg, `${path} must not load anything from outside`).not.toMatch(/(href|src)="https?:|@import|url\(http/);
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

  it("uses one BFCM window, Black Friday 2025-11-28 through Cyber Monday 2025-12-01 (UTC), everywhere", () => {
    expect(codeText("bfcm-window")).toContain('start: new Date("2025-11-28T00:00:00Z"), end: new Date("2025-12-02T00:00:00Z")');
    // The 2022 guide filtered BFCM orders with another example's dates; here every BFCM filter uses the window.
    expect(codeText("bfcm-orders")).toMatch(/greaterOrEqual\("datetime", bfcm\.start\), lessThan\("datetime", bfcm\.end\)/);
    expect(codeText("earlier-orders")).toMatch(/lessThan\("datetime", bfcm\.start\)/);
    const otherDates = code.filter((c) => c.id !== "bfcm-window" && c.id !== "unsubscribe-window").filter((c) => /\d{4}-\d{2}-\d{2}T/.test(text(c.source)));
    expect(otherDates.map((c) => c.id)).toEqual([]);
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
    for (const exchange of ["GET /api/mapped-metrics/ordered_product 200", "POST /api/lists 201", "POST /api/lists/{id}/relationships/profiles 204"]) {
      expect(seen.has(exchange), `no recorded ${exchange}`).toBe(true);
    }
  });
});

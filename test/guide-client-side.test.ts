/**
 * The client-side guide, checked as a file (nothing is executed here; the runner's `--check` does
 * that): it answers every FAQ the original guide listed, it was committed executed and clean, it
 * stays small enough for nbviewer, and no key or real person's address slipped into it.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..");
const NOTEBOOK = join(ROOT, "notebooks", "understanding-client-side-requests.ipynb");
const FIXTURE = join(ROOT, "data", "client-side.json");
const MAX_BYTES = 400 * 1024;

/**
 * The FAQs of the 2022 guide (seed README, "Understanding client-side requests"), each with the
 * anchor of the heading that answers it for revision 2026-07-15. Two questions are reworded for
 * this port: the guide is TypeScript, and an empty 202 body is `undefined`, not `None`.
 */
const FAQ_ANCHORS: readonly { question: string; anchor: string }[] = [
  { question: "Who is this guide meant for?", anchor: "who-is-this-guide-for" },
  { question: "What's a client-side request?", anchor: "what-is-a-client-side-request" },
  { question: "What do I need to follow along?", anchor: "what-do-i-need" },
  { question: "What's an SDK?", anchor: "what-is-an-sdk" },
  { question: "Where can I find Klaviyo's SDKs?", anchor: "where-are-klaviyos-sdks" },
  { question: "Why is this guide in Python and not JavaScript?", anchor: "why-typescript-on-node" },
  { question: "Where can I find examples of custom integrations using JavaScript?", anchor: "javascript-integration-examples" },
  { question: "Why might some metrics appear twice in my account?", anchor: "why-metrics-appear-twice" },
  { question: "How are metrics and events related?", anchor: "how-are-metrics-and-events-related" },
  { question: "Do I need to provide a schema for new event types?", anchor: "do-i-need-a-schema" },
  { question: "What happens if I upload events with the wrong data type?", anchor: "wrong-data-type" },
  { question: "How can event data be used in Flows/Templates?", anchor: "event-data-in-flows" },
  { question: "Why is my API response a 202?", anchor: "why-202" },
  { question: "Why is my API response a NoneType?", anchor: "why-body-empty" },
  { question: "How can rate limit issues be mitigated?", anchor: "rate-limits" },
  { question: "Why may Klaviyo reject a correctly formatted phone number?", anchor: "phone-rejected" },
];

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface Cell {
  id?: string;
  cell_type: "markdown" | "code" | "raw";
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string } };
}

const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join("") : (s ?? ""));
const nb = JSON.parse(readFileSync(NOTEBOOK, "utf8")) as Notebook;
const markdown = nb.cells.filter((c) => c.cell_type === "markdown").map((c) => text(c.source));
const code = nb.cells.filter((c) => c.cell_type === "code");

/** The markdown heading that directly follows `<a id="anchor"></a>`, or undefined. */
function headingAt(anchor: string): string | undefined {
  const marker = `<a id="${anchor}"></a>`;
  for (const md of markdown) {
    const at = md.indexOf(marker);
    if (at === -1) continue;
    const next = /^\s*(#{1,6} .+)$/m.exec(md.slice(at + marker.length));
    return next?.[1];
  }
  return undefined;
}

describe("understanding-client-side-requests.ipynb", () => {
  it.each(FAQ_ANCHORS)("answers “$question” under a question heading (#$anchor)", ({ anchor }) => {
    const heading = headingAt(anchor);
    expect(heading, `no heading after <a id="${anchor}"></a>`).toMatch(/^###? .+\?$/);
  });

  it("links every anchor from the table of contents, and every link there resolves", () => {
    const toc = markdown.find((md) => md.startsWith("## Contents"));
    expect(toc, "a markdown cell starting with ## Contents").toBeDefined();
    const links = [...(toc ?? "").matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    const anchors = new Set(markdown.flatMap((md) => [...md.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1])));
    for (const { anchor } of FAQ_ANCHORS) expect(links).toContain(anchor);
    for (const link of links) expect(anchors.has(link), `#${link} has no <a id>`).toBe(true);
    for (const anchor of anchors) expect(links, `anchor ${anchor} is missing from the contents`).toContain(anchor);
  });

  it("is one small, valid tslab notebook with stable cell ids", () => {
    expect(statSync(NOTEBOOK).size).toBeLessThanOrEqual(MAX_BYTES);
    expect(nb.metadata.kernelspec?.name).toBe("tslab");
    expect(markdown.filter((md) => /^# /m.test(md))).toHaveLength(1);
    const ids = nb.cells.map((c) => c.id);
    expect(ids.every((id) => typeof id === "string" && /^[a-z0-9-]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("was committed executed, without errors", () => {
    expect(code.length).toBeGreaterThan(10);
    for (const cell of code) {
      expect(cell.execution_count, `cell ${cell.id} was not executed`).toEqual(expect.any(Number));
      for (const out of cell.outputs ?? []) {
        expect(out.output_type, `cell ${cell.id}`).not.toBe("error");
        expect(out.name, `cell ${cell.id} wrote to stderr: ${text(out.text)}`).not.toBe("stderr");
      }
    }
    const printed = code.flatMap((c) => c.outputs ?? []).map((o) => text(o.text)).join("\n");
    expect(printed).toContain("202");
    expect(printed).toMatch(/429 → waited \d+(\.\d+)? s \(Retry-After\) → 202/);
  });

  it("imports only in the set-up cell, which connects as the client-side guide", () => {
    const withImports = code.filter((c) => /^\s*import /m.test(text(c.source)));
    expect(withImports.map((c) => c.id)).toEqual(["setup"]);
    expect(text(withImports[0].source)).toContain('await connect("client-side")');
  });

  it("holds no key-like string and no e-mail address outside example.com", () => {
    const raw = readFileSync(NOTEBOOK, "utf8");
    expect(raw).not.toMatch(/pk_[A-Za-z0-9]/);
    const emails = raw.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g) ?? [];
    // "name@domain.tld" is the validation helper's pattern for an address, not an address.
    expect(emails.filter((e) => !/@example\.com$/i.test(e) && e !== "name@domain.tld")).toEqual([]);
  });

  it("has its recorded fixture, for the same account the guide connects to", () => {
    expect(existsSync(FIXTURE), "data/client-side.json: run npm run fixtures").toBe(true);
    const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { publicKey: string; interactions: { path: string }[] };
    expect(fixture.publicKey).toBe("DemoCo");
    const paths = new Set(fixture.interactions.map((i) => i.path.split("?")[0]));
    for (const path of ["/client/events", "/client/event-bulk-create", "/client/subscriptions", "/client/profiles"]) {
      expect(paths.has(path), `no recorded ${path}`).toBe(true);
    }
  });
});

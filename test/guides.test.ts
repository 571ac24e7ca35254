/**
 * Every registered guide (src/guides.ts), checked as a file (nothing is executed here; the runner's
 * `--check` does that, and its replay fails at once on a request missing from the fixture): it
 * answers every question of its FAQ list, its title is the registry's, it was committed executed
 * and clean, it stays small enough for nbviewer, it says where its outputs come from, its diagrams
 * are SVG files in images/<notebook>/, it connects as itself to its own recorded fixture, its
 * requests go through kv.read or kv.write, and no key or real person's address slipped in. What
 * only one guide must show stays in test/guide-<id>.test.ts.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_COMPANY_ID } from "../tools/standin/account";
import { DEMO_ABOUT } from "../tools/fixtures/record";
import { NOTEBOOKS_DIR, PROJECT_ROOT } from "../tools/paths";
import { GUIDES, guideEntry, type Guide } from "../src/guides";
import { contentsProblems, executionProblems, foreignEmails, headingAt, loadNotebook, parameterCells, parameterDefaults, structureProblems, text } from "../tools/notebook";

const MAX_BYTES = 400 * 1024;
/** Strings shaped like an e-mail address that a guide shows on purpose, by guide. */
const NOT_ADDRESSES: Partial<Record<Guide, readonly string[]>> = {
  // The validation helper's pattern for an address, not an address.
  "client-side": ["name@domain.tld"],
};
/** Where each key is sent: the private key to `/api/*`, the public key (company_id) to `/client/*`. */
const KEY_PATHS = { KLAVIYO_PRIVATE_KEY: "/api/", KLAVIYO_PUBLIC_KEY: "/client/" } as const;

/** The questions a guide must answer, each with its heading's anchor: test/faq/<guide id>.json. */
interface FaqList {
  source: string;
  questions: { question: string; anchor: string }[];
}

/** A guide's FAQ list; an empty one when the file is missing, so its test says which file to write. */
function readFaq(id: string): FaqList {
  const file = join(__dirname, "faq", `${id}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as FaqList) : { source: "", questions: [] };
}

interface Fixture {
  revision: string;
  publicKey: string;
  about: string;
  interactions: { method: string; path: string; status: number }[];
}

describe("the guide registry", () => {
  it("registers every notebook in notebooks/, each once, with its own fixture", () => {
    const inFolder = readdirSync(NOTEBOOKS_DIR).filter((name) => name.endsWith(".ipynb") && !name.startsWith(".")).sort();
    expect(inFolder).toEqual(GUIDES.map((g) => g.notebook).sort());
    expect(new Set(GUIDES.map((g) => g.id)).size).toBe(GUIDES.length);
    expect(new Set(GUIDES.map((g) => g.fixture)).size).toBe(GUIDES.length);
  });

  it("refuses an unknown guide, naming the registered ones, instead of lending it another's key", () => {
    expect(() => guideEntry("no-such-guide")).toThrow(new RegExp(`Unknown guide "no-such-guide"; use one of: ${GUIDES.map((g) => g.id).join(", ")}`));
  });
});

describe.each(GUIDES)("$notebook ($id)", (entry) => {
  const guide = loadNotebook(join(NOTEBOOKS_DIR, entry.notebook));
  const faq = readFaq(entry.id);
  const setup = guide.code.find((c) => c.id === "setup");
  const notebookName = basename(entry.notebook, ".ipynb");

  it("has the registry's title as its one # heading", () => {
    expect(guide.markdown.map((md) => /^# (.+)$/m.exec(md)?.[1]).filter(Boolean)).toEqual([entry.title]);
  });

  it(`has an FAQ list (test/faq/${entry.id}.json)`, () => {
    expect(faq.source).toMatch(/\S/);
    expect(faq.questions.length).toBeGreaterThan(0);
  });

  it.each(faq.questions)("answers “$question” under a question heading (#$anchor)", ({ anchor }) => {
    expect(headingAt(guide, anchor), `no heading after <a id="${anchor}"></a>`).toMatch(/^##+ .+\?$/);
  });

  it("links every anchor from the table of contents, and every link there resolves", () => {
    expect(contentsProblems(guide, faq.questions.map((f) => f.anchor))).toEqual([]);
  });

  it("is one small, valid tslab notebook with stable cell ids, saying its outputs come from the demo account", () => {
    expect(structureProblems(guide, MAX_BYTES)).toEqual([]);
    expect(guide.markdown[0]).toMatch(/generated demo account/);
  });

  it("was committed executed, without errors", () => {
    expect(executionProblems(guide)).toEqual([]);
  });

  it("keeps what it takes from the demo account in one cell tagged `parameters` (papermill's convention), calling guideParams", () => {
    expect(parameterCells(guide).map((c) => c.id)).toHaveLength(1);
    expect(() => parameterDefaults(guide)).not.toThrow();
    expect(guide.code.filter((c) => /\bguideParams\(/.test(text(c.source))).map((c) => c.id)).toEqual(parameterCells(guide).map((c) => c.id));
  });

  it("imports only in the set-up cell and never silences the type checker", () => {
    const withImports = guide.code.filter((c) => /^\s*import /m.test(text(c.source)));
    expect(withImports.map((c) => c.id)).toEqual(["setup"]);
    for (const cell of guide.code) expect(text(cell.source), `cell ${cell.id}`).not.toMatch(/\bas any\b|:\s*any\b|@ts-(ignore|expect-error|nocheck)/);
  });

  it("sends the API requests of its cells through kv.read or kv.write, so a refused request costs one step (src/steps.ts)", () => {
    const requests = /\bkv\.(profiles|lists|segments|metrics|events|campaigns|flows|reporting)\.\w+\(|\bfetch\(/;
    const unguarded = guide.code.filter((c) => requests.test(text(c.source)) && !/\bkv\.(read|write)\(/.test(text(c.source)));
    expect(unguarded.map((c) => c.id)).toEqual([]);
  });

  it("shows each diagram as a self-contained SVG file beside it (no attachments: JupyterLab cannot render SVG ones)", () => {
    for (const cell of guide.markdownCells) expect(Object.keys(cell.attachments ?? {}), `attachments of cell ${cell.id}`).toEqual([]);
    const images = guide.markdownCells.flatMap((c) => [...text(c.source).matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => ({ cell: c.id, src: m[1] })));
    expect(images.length, "the guide has diagrams").toBeGreaterThan(0);
    for (const { cell, src } of images) {
      // Where tools/site/portable_notebook.py puts them: images/<notebook>/<name>.svg.
      expect(src, `cell ${cell}: a relative path into images/${notebookName}/, not an attachment or a URL`).toBe(`images/${notebookName}/${basename(src)}`);
      expect(src).toMatch(/\.svg$/);
      const file = join(NOTEBOOKS_DIR, src);
      expect(existsSync(file), `${src} (cell ${cell}) is missing`).toBe(true);
      const svg = readFileSync(file, "utf8");
      expect(svg, `${src} in cell ${cell}`).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      expect(svg, `${src} must not load anything from outside`).not.toMatch(/(href|src)="https?:|@import|url\(http/);
    }
  });

  it("holds no key-like string and no e-mail address outside example.com", () => {
    expect(guide.raw).not.toMatch(/pk_[A-Za-z0-9]/);
    expect(foreignEmails(guide, NOT_ADDRESSES[entry.id])).toEqual([]);
  });

  it("connects as itself and replays its own recorded fixture", () => {
    expect(text(setup?.source)).toContain(`await connect("${entry.id}")`);
    expect(text(setup?.outputs?.[0]?.text)).toContain(`Mode: replay: answers come from data/${entry.fixture} (`);
  });

  it(`has its fixture recorded from the demo account, calling only what ${entry.keyVariable} opens`, () => {
    const file = join(PROJECT_ROOT, "data", entry.fixture);
    expect(existsSync(file), `data/${entry.fixture}: run npm run fixtures ${entry.id}`).toBe(true);
    const fixture = JSON.parse(readFileSync(file, "utf8")) as Fixture;
    expect(fixture).toMatchObject({ revision: "2026-07-15", publicKey: DEMO_COMPANY_ID, about: DEMO_ABOUT });
    expect(fixture.interactions.length).toBeGreaterThan(0);
    const prefix = KEY_PATHS[entry.keyVariable];
    expect(fixture.interactions.map((i) => i.path).filter((path) => !path.startsWith(prefix))).toEqual([]);
  });
});

/**
 * How a fault run is read and judged (tools/faults/cells.ts, run.ts's cellAt, judge.ts), on
 * hand-made executed notebooks: no kernel, no stand-in.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { guideEntry } from "../../../src/guides";
import { SCRATCH_DIR } from "../../paths";
import { cellDependencies, declaredNames, dependents, noteLines, rawErrorLines, usedNames } from "../cells";
import { judge } from "../judge";
import { cellAt, type GuideRun } from "../run";

const dir = mkdtempSync(join(SCRATCH_DIR, "faults-judge-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An executed notebook of code cells, each printing `output` on stdout. */
function notebook(name: string, cells: readonly { source: string; output?: string }[]): string {
  const file = join(dir, name);
  const code = cells.map((c, i) => ({
    cell_type: "code",
    id: `c${i}`,
    metadata: {},
    execution_count: i + 1,
    source: c.source,
    outputs: c.output === undefined ? [] : [{ output_type: "stream", name: "stdout", text: c.output }],
  }));
  const title = { cell_type: "markdown", id: "m", metadata: {}, source: "# A guide" };
  writeFileSync(file, JSON.stringify({ cells: [title, ...code], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  return file;
}

describe("cells", () => {
  it("finds the top-level names a cell declares, and the names it uses (not property or member names)", () => {
    const cell = [
      "const a = await f(); function g() { return a; }",
      "const { x, y: [z] } = obj;",
      "import { q } from 'm';",
      "type T = { a: string };",
    ].join("\n");
    expect(declaredNames(cell)).toEqual(["a", "g", "x", "z", "q", "T"]);
    const used = usedNames("const o = { a: 1, b }; o.a; type T = { c: string }; const { d: e } = o;");
    expect([...used].sort()).toEqual(["b", "o"]);
  });

  it("does not count a name local to a function, block, loop or catch as used from outside", () => {
    const cell = [
      "function f(cursor: string) { const step = 1; return cursor + other + step; }",
      "for (const c of list) console.log(c);",
      "try { run(); } catch (e) { report(e); }",
      "{ const inner = 1; inner; }",
      "items.map((x) => x + y);",
    ].join("\n");
    expect([...usedNames(cell)].sort()).toEqual(["console", "items", "list", "other", "report", "run", "y"]);
    // A cell's own top-level names are its own, even where an earlier cell declared them too.
    expect(cellDependencies(["const a = 1;", "const a = 2; a;"])).toEqual([[], []]);
  });

  it("links each cell to the earlier cells whose names it uses (the latest to declare each), and follows the links", () => {
    const deps = cellDependencies([
      "const a = 1; function g() { return a; }",
      "const b = [a].length;",
      "const c = 2;",
      "console.log(b, g());",
      "const a = 3;",
      "a;",
    ]);
    expect(deps).toEqual([[], [0], [], [0, 1], [], [4]]);
    expect([...dependents(deps, new Set([0]))].sort()).toEqual([0, 1, 3]);
    expect([...dependents(deps, new Set([2]))]).toEqual([2]);
  });

  it("tells note lines and errors shown raw", () => {
    const printed = "done\nCould not read metrics: 403.\n  Skipped: indented\nSkipped: no metrics.";
    expect(noteLines(printed)).toEqual(["Could not read metrics: 403.", "Skipped: no metrics."]);
    expect(rawErrorLines("AxiosError: Request failed with status code 403\n    at settle (/x/axios.cjs:2671:12)\nfine")).toHaveLength(2);
    expect(rawErrorLines("    at async Object.execute (node:vm)")).toHaveLength(1);
    expect(rawErrorLines("a table\n| at | 12 |")).toEqual([]);
  });

  it("places a request in the cell running when it came", () => {
    expect([5, 10, 11, 30, 31].map((at) => cellAt([10, 20, 30], at))).toEqual([1, 1, 2, 3, 4]);
  });
});

describe("judge", () => {
  const sources = [
    "const items = await read();",
    "const n = items.length;",
    "const other = 1;",
    "const both = items; await send(both);",
    "const x = 2;",
    "await other2();",
    "console.log(1);",
  ];
  const run = (): GuideRun => ({
    scenario: { id: "T", title: "test", faults: {
      "customer-data": ["no-metrics-read", "sweep-error"],
      "server-side": [],
      "client-side": [],
      reporting: [] },
    },
    guide: guideEntry("customer-data"),
    notebook: notebook("run.ipynb", [
      { source: sources[0], output: "Could not read the metrics: this key lacks metrics:read.\n" },
      { source: sources[1], output: "Skipped: no metrics (see above).\n" },
      { source: sources[2], output: "Skipped: this account has no list.\n" },
      { source: sources[3] },
      { source: sources[4], output: "Could not x\nCould not y\n" },
      { source: sources[5], output: "" },
      { source: sources[6], output: "AxiosError: boom\n    at foo (/x/file.js:1:2)\n" },
    ]),
    result: { notebook: "run.ipynb", path: "run.ipynb", status: "failed", ok: false, cells: 7, done: 7, seconds: 1, failedCells: [7] },
    cellEnds: [10, 20, 30, 40, 50, 60, 70],
    exchanges: [
      { at: 25, method: "POST", path: "/api/lists", operation: "create_list", status: 201 },
      { at: 35, method: "POST", path: "/api/lists", operation: "create_list", status: 201 },
    ],
    firings: [
      { at: 5, fault: "no-metrics-read", operation: "get_metrics", method: "GET", path: "/api/metrics", status: 403 },
      { at: 55, fault: "no-metrics-read", operation: "get_metrics", method: "GET", path: "/api/metrics", status: 403 },
    ],
  });
  // The clean run shows cell 3's note too: the account has no list, whatever the faults.
  const cleanOutput = (i: number) => (i === 2 ? "Skipped: this account has no list.\n" : "");
  const clean = notebook("clean.ipynb", sources.map((source, i) => ({ source, output: cleanOutput(i) })));

  it("finds each problem once, in cell order, and says where each fault fired and what each cell came to", () => {
    const verdict = judge(run(), clean);
    expect(verdict.problems).toEqual([
      'code cell 5 shows 2 note lines, not one: "Could not x", "Could not y"',
      'code cell 5 shows a note but needs nothing a failed step lacked: "Could not x"',
      "code cell 6 met no-metrics-read (403 on get_metrics) and says nothing of it",
      "code cell 7 failed: AxiosError: boom | at foo (/x/file.js:1:2)",
      'code cell 7 shows an error raw: "AxiosError: boom", "at foo (/x/file.js:1:2)"',
      "code cell 4 sent create_list (POST /api/lists) after the failed step in code cell 1 it depends on",
      "sweep-error never fired: the guide did not meet it",
    ]);
    expect(verdict.cells.map((c) => c.outcome)).toEqual(["note", "note", "note", "ok", "note", "ok", "error"]);
    expect([...verdict.met]).toEqual([["no-metrics-read", [1, 6]], ["sweep-error", []]]);
  });

  it("finds none in a run where every fault costs one line in the cells that need it", () => {
    const good = run();
    good.notebook = notebook("good.ipynb", [
      { source: sources[0], output: "Could not read the metrics: this key lacks metrics:read.\n" },
      { source: sources[1], output: "Skipped: no metrics (see above).\n" },
      { source: sources[2], output: "Skipped: this account has no list.\n" },
      { source: sources[3], output: "Skipped: no metrics.\n" },
      { source: sources[4], output: "2\n" },
      { source: sources[5], output: "403: the key lacks metrics:read (shown on purpose)\n" },
      { source: sources[6], output: "1\n" },
    ]);
    good.result = { ...good.result, status: "written", ok: true, failedCells: [] };
    good.exchanges = good.exchanges.slice(0, 1);
    good.scenario = { ...good.scenario, faults: { ...good.scenario.faults, "customer-data": ["no-metrics-read"] } };
    expect(judge(good, clean).problems).toEqual([]);
  });

  it("requires a revoked key to set in where a later cell meets it: after the 401, a cell that would send a request", () => {
    const keySources = ["const a = await kv.read(\"a\", f, []);", "const b = await kv.read(\"b\", g, []);", "console.log(1);"];
    const revoked = (at: number): GuideRun => ({
      scenario: { id: "T", title: "test", faults: { "customer-data": ["revoked-key=get_metrics:2"], "server-side": [], "client-side": [], reporting: [] } },
      guide: guideEntry("customer-data"),
      notebook: notebook("revoked.ipynb", [
        { source: keySources[0], output: at === 5 ? "Could not read a: 401.\n" : "" },
        { source: keySources[1], output: at === 5 ? "Skipped: the private key was refused (401) above.\n" : "Could not read b: 401.\n" },
        { source: keySources[2], output: "1\n" },
      ]),
      result: { notebook: "revoked.ipynb", path: "revoked.ipynb", status: "written", ok: true, cells: 3, done: 3, seconds: 1, failedCells: [] },
      cellEnds: [10, 20, 30],
      exchanges: [],
      firings: [{ at, fault: "revoked-key=get_metrics:2", operation: "get_metrics", method: "GET", path: "/api/metrics", status: 401 }],
    });
    const cleanRun = notebook("clean-revoked.ipynb", keySources.map((source) => ({ source, output: "" })));
    expect(judge(revoked(5), cleanRun).problems).toEqual([]);
    expect(judge(revoked(15), cleanRun).problems).toEqual([
      "revoked-key=get_metrics:2 set in at code cell 2 and no later cell meets it: plan it for an earlier request, so the cells after it show how they cope",
    ]);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importCycles, importGraph, typeScriptFiles } from "./support/imports";

const SRC = join(__dirname, "..", "src");

describe("imports in src/", () => {
  it("form no cycle (type-only imports included)", () => {
    const graph = importGraph(typeScriptFiles(SRC));
    expect(graph.size).toBeGreaterThan(20);
    expect(importCycles(graph, SRC)).toEqual([]);
  });

  it("keep fixtures and the write guard out of each other's folders: both use src/http/", () => {
    const graph = importGraph(typeScriptFiles(SRC));
    const into = (from: (f: string) => boolean, folder: string) =>
      [...graph].flatMap(([f, targets]) => (from(f) ? targets.filter((t) => t.startsWith(join(SRC, folder))).map((t) => `${f} → ${t}`) : []));
    expect(into((f) => f === join(SRC, "write-guard.ts"), "fixtures")).toEqual([]);
    expect(into((f) => f.startsWith(join(SRC, "fixtures")), "write-guard")).toEqual([]);
  });
});

describe("the cycle finder", () => {
  const dir = mkdtempSync(join(tmpdir(), "import-cycles-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reports a cycle made of a value import and a type import back, through a folder index", () => {
    mkdirSync(join(dir, "b"));
    writeFileSync(join(dir, "a.ts"), 'import { b } from "./b";\nexport const a = b + 1;\n');
    writeFileSync(join(dir, "b", "index.ts"), 'export * from "./b";\n');
    writeFileSync(join(dir, "b", "b.ts"), 'import type { A } from "../c";\nexport const b: A = 1;\n');
    writeFileSync(join(dir, "c.ts"), 'import nock from "nock";\nexport type A = typeof a;\nimport { a } from "./a";\n');
    writeFileSync(join(dir, "d.ts"), 'import { a } from "./a";\nexport const d = a;\n');
    const cycles = importCycles(importGraph(typeScriptFiles(dir)), dir);
    expect(cycles).toEqual(["a.ts → b/index.ts → b/b.ts → c.ts → a.ts"]);
  });
});

/**
 * The kernel's lighter type-check builder (tools/runner/kernel/light-builder.cjs) must change nothing
 * tslab emits or reports: the same cells compiled with tslab as shipped and with the light builder
 * give identical JavaScript, declarations, diagnostics and side modules, through both of its paths
 * (the cell as the only source, and a local .ts module or an in-memory module beside it).
 */
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { scratchDir } from "../../paths";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as TypeScript from "typescript";

const ROOT = join(__dirname, "..");
/** A builder as the watch program sees it: getState() is TypeScript-internal (what a next builder reuses). */
type Builder = TypeScript.BuilderProgram & { getState(): unknown };
const { createProgramWith } = require("../kernel/light-builder.cjs") as {
  createProgramWith: (t: typeof TypeScript) => TypeScript.CreateProgram<Builder>;
};
/** The TypeScript that tslab compiles cells with (its own fork of 5.0, not the project's). */
const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [join(ROOT, "node_modules", "tslab")] })) as typeof TypeScript;
const CHILD = join(__dirname, "convert-cells.cjs");

const CELLS = [
  'import { showJson } from "klaviyo-guides";\nimport { ApiKeySession } from "klaviyo-api";',
  // An inferred type from a package: the declarations gain an import("…") type, which makes
  // TypeScript re-walk the program's files rather than reuse them.
  'const session = new ApiKeySession("pk_demo");\nconst total = [1, 2, 3].reduce((a, b) => a + b, 0);\ntotal',
  "const wrong: string = total;",
  "const later = await Promise.resolve(session);\nlater.constructor.name",
  "function shout(text: string) {\n  return text.toUpperCase();\n}\nshout(\"ok\")",
  'import { twice } from "./helper";\ntwice(total)',
  "const again: number = twice(2);\nagain",
  "twice(\"two\")",
  "@module memory",
  'import { half } from "./memory";\nhalf(again)',
  "showJson({ total, again })",
];
const MODULES = { memory: "export const half = (n: number): number => n / 2;\n" };

function convert(builder: "light" | "stock", cwd: string): unknown[] {
  const run = spawnSync(process.execPath, [CHILD, builder], {
    cwd,
    input: JSON.stringify({ cells: CELLS, modules: MODULES }),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${builder} converter failed (exit ${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as unknown[];
}

describe("the kernel's light builder", () => {
  let dir = "";
  beforeAll(() => {
    dir = scratchDir("light-builder");
    writeFileSync(join(dir, "helper.ts"), "export function twice(n: number): number {\n  return n * 2;\n}\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("compiles cells exactly as tslab as shipped does", () => {
    const light = convert("light", dir);
    const stock = convert("stock", dir);
    expect(light).toEqual(stock);
    // Not vacuous: the cells compiled, failed to type-check, and emitted the local module.
    const results = stock as Array<{ output?: string; diagnostics: unknown[]; sideOutputs?: unknown[] }>;
    expect(results[1].output).toContain("reduce");
    expect(results[2].diagnostics).not.toHaveLength(0);
    expect(results[5].sideOutputs).toHaveLength(1);
    expect(results[7].diagnostics).not.toHaveLength(0);
    expect(results[9].output).toContain("half");
  }, 120_000);

  it("hands out the plain program for a lone cell and TypeScript's builder beside other sources", () => {
    const files: Record<string, string> = { "/cell.ts": "export const a = 1;\n", "/other.ts": "export const b = 2;\n" };
    const options: TypeScript.CompilerOptions = { noLib: true, declaration: true };
    const host = ts.createCompilerHost(options);
    // Builders need versioned files, as a watch host gives them.
    host.getSourceFile = (name, target) => {
      if (!(name in files)) return undefined;
      return Object.assign(ts.createSourceFile(name, files[name], target), { version: "1" });
    };
    host.fileExists = (name) => name in files;
    const createProgram = createProgramWith(ts);

    const lone = createProgram(["/cell.ts"], options, host);
    expect(lone.getState()).toBeUndefined();
    expect(lone.getAllDependencies(lone.getSourceFile("/cell.ts")!)).toEqual(["/cell.ts"]);

    const beside = createProgram(["/cell.ts", "/other.ts"], options, host, lone);
    expect(beside.getState()).toBeDefined();
    const back = createProgram(["/cell.ts"], options, host, beside);
    expect(back.getState()).toBeUndefined();
  });
});

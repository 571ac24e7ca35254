/**
 * The guides' code cells compile where readers paste them: in a project on this repository's
 * TypeScript (5.9) with `strict` on. The kernel (tslab) checks each cell with TypeScript 5.0 and
 * without `strictNullChecks`, so a cell can pass there and fail in a reader's editor.
 *
 * Each guide's code cells are checked as the kernel sees them: in order, as one module (a later cell
 * sees the names of the earlier ones; `await` at the top level), importing the helpers' compiled
 * declarations (`dist/*.d.ts`, through the package name the notebooks use) and `klaviyo-api`.
 */
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { GUIDES } from "../src/guides";
import { guideNotebook, PROJECT_ROOT } from "../tools/paths";
import { loadNotebook, text } from "../tools/notebook";

/** A reader's strict project: the compiler options the cells must pass under. */
const READER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ES2022,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: ["node"],
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

/** One guide's code cells joined into a module, with where each cell starts. */
interface GuideModule {
  file: string;
  source: string;
  cells: { id: string; number: number; firstLine: number }[];
}

function guideModule(notebook: string): GuideModule {
  const guide = loadNotebook(notebook);
  const cells: GuideModule["cells"] = [];
  const lines: string[] = [];
  guide.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    cells.push({ id: cell.id ?? "?", number: index + 1, firstLine: lines.length });
    lines.push(...text(cell.source).split("\n"), ";");
  });
  // The project root holds each virtual file, so "klaviyo-guides" resolves as in the notebooks' folder.
  return { file: join(PROJECT_ROOT, `strict-cells.${guide.file.split("/").pop()}.ts`), source: lines.join("\n"), cells };
}

/** Every diagnostic of the guides' modules, as "guide, cell N (id) line L: message". */
function strictDiagnostics(modules: GuideModule[]): string[] {
  const byFile = new Map(modules.map((m) => [m.file, m]));
  const host = ts.createCompilerHost(READER_OPTIONS);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => byFile.get(file)?.source ?? readFile(file);
  host.fileExists = (file) => byFile.has(file) || fileExists(file);
  const program = ts.createProgram([...byFile.keys()], READER_OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
    const module = d.file ? byFile.get(d.file.fileName) : undefined;
    if (!d.file || !module || d.start === undefined) return `${d.file?.fileName ?? "(options)"}: ${message}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const cell = [...module.cells].reverse().find((c) => c.firstLine <= line) ?? module.cells[0];
    const guide = module.file.replace(/^.*strict-cells\./, "").replace(/\.ts$/, "");
    return `${guide}, cell ${cell.number} (${cell.id}) line ${line - cell.firstLine + 1}:${character + 1}: ${message}`;
  });
}

describe("the guides' code cells under strict", () => {
  it("type-check with the project's TypeScript and strict on, cells in order as the kernel runs them", () => {
    const modules = GUIDES.map((g) => guideModule(guideNotebook(g)));
    expect(strictDiagnostics(modules)).toEqual([]);
  }, 120_000);
});

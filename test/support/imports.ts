/**
 * The relative imports between the TypeScript files of a folder, and the cycles among them. Every
 * `import`, `import type`, `export … from` and dynamic `import()` counts: a type-only cycle still
 * ties two modules together.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** Every `.ts` file under `dir` (no `.d.ts`), absolute paths, sorted. */
export function typeScriptFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...typeScriptFiles(path));
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** The file a relative specifier names (`./x` → x.ts or x/index.ts); `undefined` for packages. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
    if (candidate.endsWith(".ts") && existsSync(candidate)) return candidate;
  }
  throw new Error(`${from} imports ${JSON.stringify(specifier)}, which resolves to no .ts file`);
}

/** Map from each file to the project files it imports (absolute paths). */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = info.importedFiles.map((f) => resolveSpecifier(file, f.fileName)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * One cycle per strongly connected part of the graph that has one, as a path `a → b → … → a`
 * relative to `root`; `[]` when the imports form no cycle.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>, root: string): string[] {
  const cycles: string[] = [];
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "active");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "active") {
        const loop = [...stack.slice(stack.indexOf(next)), next];
        cycles.push(loop.map((f) => relative(root, f)).join(" → "));
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

/**
 * klaviyo-api's declarations as the set-up generates them (tools/runner/kernel/klaviyo-declarations.mjs):
 * TypeScript resolves the package to the one bundled file, the bundle declares every name of the
 * published declarations with the same members and types (so type errors read as they did), and a
 * wrong-typed SDK request body in a notebook fails with TypeScript's message, word for word.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type * as TypeScript from "typescript";
import { NOTEBOOKS_DIR, PROJECT_ROOT, scratchDir } from "../../paths";
import { runNotebooks } from "../run";

/** The TypeScript that tslab compiles cells with (its own fork of 5.0, not the project's). */
const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [path.dirname(require.resolve("tslab/package.json"))] })) as typeof TypeScript;
const PACKAGE_DIR = path.join(PROJECT_ROOT, "node_modules", "klaviyo-api");
const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as { types: string; typesAsPublished: string };
const BUNDLE = path.join(PACKAGE_DIR, manifest.types);
const PUBLISHED = path.join(PACKAGE_DIR, manifest.typesAsPublished);

/** Module resolution as tslab sets it up (Node10), from `file`. */
function resolveKlaviyoApi(file: string): string | undefined {
  return ts.resolveModuleName("klaviyo-api", file, { moduleResolution: ts.ModuleResolutionKind.Node10 }, ts.sys).resolvedModule?.resolvedFileName;
}

/**
 * Every export of a declaration file as text: its kinds, its type, and each member with its type,
 * as TypeScript prints them in messages. Each file gets a program of its own, and the exports are
 * visited by name: TypeScript prints a union's members in the order their types were created.
 */
function describeExports(declarations: string): Map<string, string> {
  const program = ts.createProgram([declarations], { noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(declarations)!;
  // The flags TypeScript's own messages print types with, and no truncation.
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.AllowUniqueESSymbolType | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
  const print = (type: TypeScript.Type) => checker.typeToString(type, undefined, flags);
  const members = (type: TypeScript.Type) =>
    checker.getPropertiesOfType(type).map((p) => `${checker.symbolToString(p)}${p.flags & ts.SymbolFlags.Optional ? "?" : ""}: ${print(checker.getTypeOfSymbol(p))}`);
  const described = new Map<string, string>();
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!);
  for (const exported of exports.sort((a, b) => a.name.localeCompare(b.name))) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const lines = [`flags ${symbol.flags}`];
    if (symbol.flags & ts.SymbolFlags.Type) {
      const declared = checker.getDeclaredTypeOfSymbol(symbol);
      lines.push(`type ${print(declared)}`, ...members(declared));
    }
    if (symbol.flags & ts.SymbolFlags.Value) {
      const value = checker.getTypeOfSymbol(symbol);
      lines.push(`value ${print(value)}`, ...members(value));
    }
    described.set(exported.name, lines.join("\n"));
  }
  return described;
}

describe("klaviyo-api's generated declarations", () => {
  it("are what TypeScript resolves klaviyo-api to, from the notebooks and from the compiled helpers", () => {
    expect(manifest.types).not.toBe(manifest.typesAsPublished);
    expect(resolveKlaviyoApi(path.join(NOTEBOOKS_DIR, "__tslab__.ts"))).toBe(BUNDLE);
    expect(resolveKlaviyoApi(path.join(PROJECT_ROOT, "dist", "connect.d.ts"))).toBe(BUNDLE);
  });

  it("declare every export of the published declarations, with the same members and types", () => {
    const published = describeExports(PUBLISHED);
    const bundled = describeExports(BUNDLE);
    // Not vacuous: the SDK's API classes and models, with their members.
    expect(published.size).toBeGreaterThan(1900);
    expect(published.get("ProfilesApi")).toContain("getProfiles: ");
    expect([...bundled.keys()].sort()).toEqual([...published.keys()].sort());
    const differing = [...published].filter(([name, text]) => bundled.get(name) !== text).map(([name]) => name);
    expect(differing).toEqual([]);
  }, 120_000);

  describe("in a notebook", () => {
    const dir = scratchDir("kernel-declarations");
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("a wrong property on an SDK request body fails the cell with TypeScript's message", async () => {
      const notebook = path.join(dir, "sdk-type-error.ipynb");
      fs.copyFileSync(path.join(__dirname, "notebooks", "sdk-type-error.ipynb"), notebook);
      const [result] = await runNotebooks([notebook], { timeoutSeconds: 120, jobs: 1 });
      expect(result).toMatchObject({ status: "failed", ok: false });
      expect(result.message).toContain("sdk-type-error.ipynb, cell 2 (code cell 1), first line: import type { ProfileCreateQuery }");
      expect(result.message).toContain(
        "3:75 - Object literal may only specify known properties, but 'emial' does not exist in type 'ProfileCreateQueryResourceObjectAttributes'. Did you mean to write 'email'?",
      );
    }, 180_000);
  });
});

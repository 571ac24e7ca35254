#!/usr/bin/env node
// klaviyo-api's type declarations as ONE file, generated at set-up from the installed package, and
// klaviyo-api's `types` entry pointed at it. Plain ESM with Node built-ins at the top level:
// tools/setup/setup.mjs reads the fingerprint and the pointer before node_modules exists; rollup is
// loaded only to generate.
//
// Why: tslab type-checks every cell by rebuilding a TypeScript program, and with klaviyo-api as
// published that program holds about 2,200 files, 1,952 of them the SDK's model declarations
// (dist/model/*.d.ts, reached through dist/api.d.ts). Much of a rebuild's cost is per file, not per
// line: with the same declarations in one file a cell takes about 40 % of the time, on Node 20 as
// on 24 (`npm run bench` prints the figures). Every TypeScript that resolves `klaviyo-api` by its package
// entry sees the bundle: the kernel, in JupyterLab and headless alike, and tsc over src/. The
// published files stay where they are (deep imports still reach them), and the published entry is
// kept in the package's manifest as `typesAsPublished`, so the pointer can be turned back.
//
//   node tools/runner/kernel/klaviyo-declarations.mjs                 generate, point `types` at it
//   node tools/runner/kernel/klaviyo-declarations.mjs --point bundle|published   only re-point
//
// The generated file keeps every name and type of the published declarations (rollup-plugin-dts
// renames nothing here); tools/runner/test/kernel-declarations.test.ts compares them export by export.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const PACKAGE_DIR = path.join(ROOT, "node_modules", "klaviyo-api");
const MANIFEST = path.join(PACKAGE_DIR, "package.json");
/** The generated file, relative to the package (so `types` can name it). Inside the package, so
 * `npm ci` removes it with the package it was made from. */
const BUNDLE_ENTRY = "dist/klaviyo-guides.bundle.d.ts";
/** Where the manifest keeps the `types` entry klaviyo-api was published with. */
const PUBLISHED_KEY = "typesAsPublished";

function readManifest() {
  return JSON.parse(fs.readFileSync(MANIFEST, "utf8"));
}

/** Rewrite the manifest in the layout klaviyo-api publishes it in (4 spaces). */
function writeManifest(manifest) {
  const tmp = `${MANIFEST}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(manifest, null, 4)}\n`);
  fs.renameSync(tmp, MANIFEST);
}

/** The `types` entry klaviyo-api was published with (kept aside once the pointer is turned). */
function publishedEntry(manifest) {
  const entry = manifest[PUBLISHED_KEY] ?? manifest.types ?? manifest.typings;
  if (!entry || entry === BUNDLE_ENTRY) throw new Error(`${MANIFEST} names no published declaration entry (no "types"); reinstall klaviyo-api (npm ci) and run the set-up again`);
  return entry;
}

/**
 * What the generated file depends on: the lockfile (klaviyo-api's version, rollup's, the plugin's)
 * and this generator. The set-up regenerates when it changes.
 */
export function declarationsFingerprint() {
  const hash = createHash("sha256");
  for (const file of [path.join(ROOT, "package-lock.json"), fileURLToPath(import.meta.url)]) hash.update(fs.readFileSync(file));
  return hash.digest("hex");
}

/** True when klaviyo-api's `types` names the generated file and the file is there. */
export function declarationsInPlace() {
  try {
    return readManifest().types === BUNDLE_ENTRY && fs.existsSync(path.join(PACKAGE_DIR, BUNDLE_ENTRY));
  } catch {
    return false;
  }
}

/**
 * Point klaviyo-api's `types` at the generated file ("bundle") or back at the published
 * declarations ("published"; the benchmark's "without the generated declarations").
 * @param {"bundle" | "published"} which
 */
export function pointTypesAt(which) {
  const manifest = readManifest();
  const published = publishedEntry(manifest);
  if (which === "bundle" && !fs.existsSync(path.join(PACKAGE_DIR, BUNDLE_ENTRY))) {
    throw new Error(`${path.join(PACKAGE_DIR, BUNDLE_ENTRY)} is missing: run \`npm run setup\` to generate it`);
  }
  writeManifest({ ...manifest, types: which === "bundle" ? BUNDLE_ENTRY : published, [PUBLISHED_KEY]: published });
}

/**
 * Bundle the published declarations into BUNDLE_ENTRY with rollup-plugin-dts (other packages, such
 * as axios, and Node's modules stay imports), then point `types` at it.
 */
export async function generateDeclarations() {
  const { rollup } = await import("rollup");
  const { dts } = await import("rollup-plugin-dts");
  const input = path.join(PACKAGE_DIR, publishedEntry(readManifest()));
  const warnings = [];
  const bundle = await rollup({
    input,
    // Only klaviyo-api's own files (relative imports) go into the bundle.
    external: (id) => !id.startsWith(".") && !path.isAbsolute(id),
    plugins: [dts({ respectExternal: true })],
    onwarn: (warning) => warnings.push(warning.message),
  });
  let code;
  try {
    code = (await bundle.generate({ format: "es" })).output[0].code;
  } finally {
    await bundle.close();
  }
  // A warning means a declaration may have been dropped or renamed: the file would not be the SDK's.
  if (warnings.length) {
    throw new Error(`bundling ${input} warned, so no bundle was written (klaviyo-api's types still name its published files); see whether this klaviyo-api needs a change in ${path.relative(ROOT, fileURLToPath(import.meta.url))}:\n${warnings.join("\n")}`);
  }
  const target = path.join(PACKAGE_DIR, BUNDLE_ENTRY);
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, target);
  pointTypesAt("bundle");
}

async function main(argv) {
  if (argv.length === 0) return generateDeclarations();
  const which = argv[0] === "--point" ? argv[1] : undefined;
  if (which !== "bundle" && which !== "published" || argv.length !== 2) {
    throw new Error(`usage: node ${path.relative(ROOT, fileURLToPath(import.meta.url))} [--point bundle|published]`);
  }
  pointTypesAt(which);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`klaviyo-declarations: ${error.message}`);
    process.exit(1);
  });
}

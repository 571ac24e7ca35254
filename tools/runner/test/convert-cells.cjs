// Child process for test/kernel-light-builder.test.ts: compiles cells the way tslab's kernel does
// (one converter, each cell against the declarations of the ones before) and prints every result
// as JSON. Argument: "light" installs tools/runner/kernel/light-builder.cjs first, "stock" does not.
// Cells come as JSON on stdin: {"cells": [...], "modules": {"<name>": "<source>"}}, run in the
// current directory; a cell "@module <name>" adds that in-memory module as a `//@module` cell would.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..", "..", "..");
if (process.argv[2] === "light") {
  const skipped = require(path.join(root, "tools", "runner", "kernel", "light-builder.cjs")).installLightBuilder();
  if (skipped) throw new Error(`light builder not installed: ${skipped}`);
}
const { createConverter } = require(require.resolve("tslab/dist/converter.js", { paths: [root] }));

const { cells, modules } = JSON.parse(fs.readFileSync(0, "utf8"));
const converter = createConverter();
let declarations = "";
const results = [];
for (const cell of cells) {
  const module = /^@module (\S+)$/.exec(cell);
  if (module) {
    results.push({ module: module[1], diagnostics: converter.addModule(module[1], modules[module[1]]) });
    continue;
  }
  const result = converter.convert(declarations, cell);
  if (result.declOutput !== undefined) declarations = result.declOutput;
  results.push(result);
}
converter.close();
process.stdout.write(JSON.stringify(results));

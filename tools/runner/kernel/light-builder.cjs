// A lighter program builder for tslab's type-checker, installed by ./tslab-kernel.cjs before tslab
// loads. Plain CommonJS: the kernel starts it with node alone, no TypeScript loader.
//
// Why: tslab compiles every cell through a TypeScript watch program, which builds a new
// "emit and semantic diagnostics" builder per rebuild (two per cell). Each builder computes the
// references of every file in the program (about 2,200 here, 1,950 of them klaviyo-api's model
// declarations) to track which files a change affects, and tslab only ever asks it for one thing
// that needs them: the .ts/.js sources a cell depends on, which it re-checks and emits.
// When the cell is the program's only .ts/.js source (the usual case: cells import packages, whose
// types are .d.ts files), that answer is the cell alone, so this builder hands out the plain
// program and skips the reference tracking. As soon as the program holds another source (a local
// .ts module, a `//@module` cell, a .js file), it builds TypeScript's own builder, exactly as tslab
// would. What tslab emits and reports is unchanged: test/kernel-light-builder.test.ts compares the
// two on the same cells.
"use strict";

const path = require("node:path");

/** The versions this was written against; with any other, tslab runs unchanged. */
const TESTED = { tslab: "1.0.22", typescript: "5.0.4" };

/**
 * A BuilderProgram over `program` that does no change tracking.
 * @param {import("typescript").Program} program
 * @param {readonly import("typescript").Diagnostic[]} configFileParsingDiagnostics
 */
function plainBuilder(program, configFileParsingDiagnostics) {
  // TypeScript's builder creates the checker up front, which binds every file: tslab reads the
  // cell's top-level names (`sourceFile.locals`) right after a rebuild.
  program.getTypeChecker();
  return {
    getState: () => undefined, // nothing for a following builder to carry over
    getProgram: () => program,
    getProgramOrUndefined: () => program,
    releaseProgram: () => {},
    getCompilerOptions: () => program.getCompilerOptions(),
    getSourceFile: (fileName) => program.getSourceFile(fileName),
    getSourceFiles: () => program.getSourceFiles(),
    getOptionsDiagnostics: (token) => program.getOptionsDiagnostics(token),
    getGlobalDiagnostics: (token) => program.getGlobalDiagnostics(token),
    getConfigFileParsingDiagnostics: () => configFileParsingDiagnostics,
    getSyntacticDiagnostics: (file, token) => program.getSyntacticDiagnostics(file, token),
    getDeclarationDiagnostics: (file, token) => program.getDeclarationDiagnostics(file, token),
    getSemanticDiagnostics: (file, token) => program.getSemanticDiagnostics(file, token),
    // Only built when `file` is the one .ts/.js source: everything else it reaches is a .d.ts file,
    // which tslab filters out of this list anyway.
    getAllDependencies: (file) => [file.fileName],
    emit: (file, writeFile, token, onlyDts, transformers) => program.emit(file, writeFile, token, onlyDts, transformers),
    getCurrentDirectory: () => program.getCurrentDirectory(),
    close: () => {},
  };
}

/**
 * The `createProgram` of a watch host: the plain builder while the program has at most one .ts/.js
 * source, TypeScript's own builder otherwise.
 * @param {typeof import("typescript")} ts
 */
function createProgramWith(ts) {
  /** @type {import("typescript").CreateProgram<import("typescript").BuilderProgram>} */
  return (rootNames, options, host, oldBuilder, configFileParsingDiagnostics = [], projectReferences) => {
    const program =
      rootNames === undefined
        ? oldBuilder.getProgram()
        : ts.createProgram({ rootNames, options, host, oldProgram: oldBuilder?.getProgramOrUndefined(), configFileParsingDiagnostics, projectReferences });
    let sources = 0;
    for (const file of program.getSourceFiles()) if (!file.isDeclarationFile) sources++;
    if (sources <= 1) return plainBuilder(program, configFileParsingDiagnostics);
    const previous = oldBuilder?.getState() ? oldBuilder : undefined;
    return ts.createEmitAndSemanticDiagnosticsBuilderProgram(program, host, previous, configFileParsingDiagnostics);
  };
}

function versionOf(packageJson) {
  return require(packageJson).version;
}

/**
 * Make tslab's watch programs use the lighter builder. Call before tslab is loaded. Returns why not
 * when the installed tslab or its TypeScript is not the tested version (tslab then runs as shipped).
 * @returns {string | undefined}
 */
function installLightBuilder() {
  const tslabJson = require.resolve("tslab/package.json");
  const typescriptJson = require.resolve("@tslab/typescript-for-tslab/package.json", { paths: [path.dirname(tslabJson)] });
  const found = { tslab: versionOf(tslabJson), typescript: versionOf(typescriptJson) };
  if (found.tslab !== TESTED.tslab || found.typescript !== TESTED.typescript) {
    return `tslab ${found.tslab} with TypeScript ${found.typescript} (the light builder was tested with ${TESTED.tslab} and ${TESTED.typescript})`;
  }
  const typescriptFile = require.resolve("@tslab/typescript-for-tslab", { paths: [path.dirname(tslabJson)] });
  const ts = require(typescriptFile);
  const createProgram = createProgramWith(ts);
  // The module's exports are read-only getters, so tslab is handed a copy in which
  // createWatchProgram first sets the host's createProgram (tslab leaves it to the default).
  const patched = {};
  for (const key of Object.keys(ts)) {
    if (key !== "createWatchProgram") Object.defineProperty(patched, key, { enumerable: true, get: () => ts[key] });
  }
  patched.createWatchProgram = (host) => ts.createWatchProgram(Object.assign(host, { createProgram }));
  require.cache[typescriptFile].exports = patched;
  return undefined;
}

module.exports = { installLightBuilder, createProgramWith, TESTED };

import { defineConfig } from "vitest/config";

/**
 * Tests that start Jupyter kernels, tslab's compiler, nbconvert, browsers or the whole-project
 * type-check: each costs seconds. Everything else is a unit test: `npx vitest run --project unit` runs those alone.
 */
const END_TO_END = [
  "tools/runner/test/runner.test.ts",
  "tools/runner/test/kernel-declarations.test.ts",
  "tools/site/test/browser.test.ts",
  "tools/site/test/site.test.ts",
  "tools/site/test/portable-notebook.test.ts",
  "tools/site/test/publish-freshness.test.ts",
  "tools/lab/test/jupyterlab.test.ts",
  "tools/lab/test/binder.test.ts",
  "tools/setup/test/kernel-spec.test.ts",
  "test/demo-recording.test.ts",
  "test/typecheck.test.ts",
  "test/add-a-guide.test.ts",
  "test/own-account.test.ts",
  "test/faults.test.ts",
];
/** Tests of the helpers and the guides (test/), and of each tool beside its code (tools/<job>/test/). */
const TESTS = ["test/**/*.test.ts", "tools/**/test/*.test.ts"];

export default defineConfig({
  test: {
    // .tmp holds copies of notebooks being executed; nothing in it is a test.
    exclude: [".tmp/**", "node_modules/**", "dist/**"],
    // Notebook tests start Jupyter kernels (≈ 3–5 s each, more under load); some unit tests
    // generate the whole demo account, which a loaded machine also makes slow.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // vitest's own output, then one closing line naming the tests that skipped for something this
    // machine lacks (Chromium, Klaviyo's OpenAPI document) and how to run them, and one counting
    // how many times each guide was executed as a whole.
    reporters: ["default", "./test/support/skip-summary.ts", "./test/support/execution-count.ts"],
    // Names the log of whole-guide executions the last reporter counts.
    globalSetup: ["./test/support/executions.ts"],
    projects: [
      {
        extends: true,
        test: { name: "unit", include: TESTS, exclude: [".tmp/**", "node_modules/**", ...END_TO_END] },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: END_TO_END,
          // One file at a time, after the unit files: two cores are kept busy by the runner's own
          // jobs (two notebooks at once); kernels and browsers of several files would only slow
          // each other down.
          poolOptions: { forks: { singleFork: true } },
          // One module cache for all of them: guide runs that several files check are made once
          // (test/support/own-account.ts).
          isolate: false,
        },
      },
    ],
  },
});

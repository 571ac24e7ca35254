import { defineConfig } from "vitest/config";

/**
 * Tests that start Jupyter kernels, tslab's compiler, nbconvert, browsers or the whole-project
 * type-check: each costs seconds. Everything else is a unit test: `npx vitest run --project unit` runs those alone.
 */
const END_TO_END = [
  "test/runner.test.ts",
  "test/notebooks-check.test.ts",
  "test/fixtures-reproducible.test.ts",
  "test/browser.test.ts",
  "test/jupyterlab.test.ts",
  "test/typecheck.test.ts",
  "test/site.test.ts",
  "test/add-a-guide.test.ts",
  "test/portable-notebook.test.ts",
  "test/own-account.test.ts",
  "test/kernel-light-builder.test.ts",
];

export default defineConfig({
  test: {
    // test/.tmp holds copies of notebooks being executed; nothing in it is a test.
    exclude: ["test/.tmp/**", "node_modules/**", "dist/**"],
    // Notebook tests start Jupyter kernels (≈ 3–5 s each, more under load); some unit tests
    // generate the whole demo account, which a loaded machine also makes slow.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/.tmp/**", ...END_TO_END] },
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
        },
      },
    ],
  },
});

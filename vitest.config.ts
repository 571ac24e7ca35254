import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/.tmp holds copies of notebooks being executed; nothing in it is a test.
    exclude: ["test/.tmp/**", "node_modules/**", "dist/**"],
    // Notebook tests start Jupyter kernels (≈ 3–5 s each, more under load).
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores: kernels and browsers started by different files at once only slow each other down.
    fileParallelism: false,
  },
});

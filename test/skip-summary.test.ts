import { describe, expect, it } from "vitest";
import { skipSummary } from "./support/skip-summary";
import { CHROMIUM, OPENAPI_DOCUMENT } from "./support/requirements";

describe("the closing line of npm test", () => {
  it("is absent when nothing skipped for a missing requirement", () => {
    expect(skipSummary([])).toBeUndefined();
  });

  it("names the files, how many tests of each, what they need and how to get it, on one line", () => {
    const line = skipSummary([
      { file: "tools/site/test/browser.test.ts", note: CHROMIUM.note },
      { file: "tools/site/test/browser.test.ts", note: CHROMIUM.note },
      { file: "tools/runner/test/runner.test.ts", note: CHROMIUM.note },
      { file: "tools/spec/test/spec.test.ts", note: OPENAPI_DOCUMENT.note },
    ]);
    expect(line).toBe(
      `Skipped 4 tests: tools/site/test/browser.test.ts ×2, tools/runner/test/runner.test.ts ×1 [${CHROMIUM.note}]; tools/spec/test/spec.test.ts ×1 [${OPENAPI_DOCUMENT.note}]. Run npm test again once they are there.`,
    );
    expect(line).not.toContain("\n");
    expect(CHROMIUM.note).toMatch(/^needs Chromium: install Debian's chromium or set CHROMIUM_PATH$/);
    expect(OPENAPI_DOCUMENT.note).toMatch(/^needs Klaviyo's OpenAPI document: set KLAVIYO_OPENAPI_SPEC/);
  });

  it("speaks of one test in the singular", () => {
    expect(skipSummary([{ file: "a.test.ts", note: "needs X: get X" }])).toBe("Skipped 1 test: a.test.ts ×1 [needs X: get X]. Run npm test again once it is there.");
  });
});

/**
 * The stale-output check over the committed guides: every notebooks/*.ipynb, executed in replay
 * mode, must match its committed outputs byte for byte (`npm run guides -- --check`). This is how
 * `npm test` catches a guide whose code or helpers changed without its outputs being refreshed;
 * CI runs it before `npm run guides` can rewrite anything.
 */
import { describe, expect, it } from "vitest";
import { listNotebooks } from "../scripts/runner/project";
import { runNotebooks } from "../scripts/runner/run";

const notebooks = listNotebooks();
const GUIDE_TIMEOUT_MS = 15 * 60 * 1000;

describe("committed notebooks (npm run guides -- --check)", () => {
  if (notebooks.length === 0) {
    it.skip("no notebooks in notebooks/ yet: the stale-output check has nothing to run", () => {});
    return;
  }
  it(
    `match a fresh replay run: ${notebooks.length} notebook(s)`,
    async () => {
      const results = await runNotebooks(notebooks, { check: true });
      const problems = results.filter((r) => !r.ok).map((r) => `${r.notebook}: ${r.status}\n${r.message ?? ""}`);
      expect(problems.join("\n\n"), "run `npm run guides` and commit the notebooks").toBe("");
    },
    GUIDE_TIMEOUT_MS,
  );
});

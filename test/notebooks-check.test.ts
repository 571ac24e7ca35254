/**
 * The stale-output check over the committed guides: every registered guide, executed in replay
 * mode, must match its committed outputs byte for byte (`npm run guides -- --check`). This is how
 * `npm test` catches a guide whose code or helpers changed without its outputs being refreshed;
 * CI runs it before `npm run guides` can rewrite anything.
 *
 * Where the machine allows it (root, util-linux's `unshare`), the check runs in a network
 * namespace of its own with only loopback up (Jupyter talks to its kernel over 127.0.0.1): that
 * proves the guides replay with no network at all, not merely without using it.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GUIDE_NOTEBOOKS, PROJECT_ROOT } from "../tools/paths";
import { runNotebooks } from "../tools/runner/run";

const notebooks = GUIDE_NOTEBOOKS;
const GUIDE_TIMEOUT_MS = 15 * 60 * 1000;

/** True when `unshare -n` works here and the new namespace has no route anywhere but loopback. */
function canIsolateNetwork(): boolean {
  const probe = spawnSync("unshare", ["-n", "sh", "-c", "ip link set lo up && ! ip route get 192.0.2.1 >/dev/null 2>&1"], { stdio: "ignore" });
  return probe.status === 0;
}

describe("committed notebooks (npm run guides -- --check)", () => {
  if (notebooks.length === 0) {
    it.skip("no guide registered in src/guides.ts yet: the stale-output check has nothing to run", () => {});
    return;
  }

  if (canIsolateNetwork()) {
    it(
      `match a fresh replay run with no network at all: ${notebooks.length} notebook(s)`,
      () => {
        const tsx = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
        const command = `ip link set lo up && exec "${tsx}" tools/runner/cli.ts --check`;
        const run = spawnSync("unshare", ["-n", "sh", "-c", command], { cwd: PROJECT_ROOT, encoding: "utf8" });
        expect(run.status, `${run.stdout}\n${run.stderr}\nrun \`npm run guides\` and commit the notebooks`).toBe(0);
        for (const nb of notebooks) expect(run.stdout).toMatch(new RegExp(`${nb.slice(PROJECT_ROOT.length + 1).replace(/\./g, "\\.")} +\\S+ +\\S+ +ok \\(up to date\\)`));
      },
      GUIDE_TIMEOUT_MS,
    );
    return;
  }

  console.warn("notebooks-check: cannot create a network namespace here (needs root and unshare); checking without isolation");
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

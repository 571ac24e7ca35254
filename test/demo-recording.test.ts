/**
 * Every registered guide, recorded afresh against the seeded demo account (`npm run fixtures --
 * --into DIR`, a fresh stand-in per guide), in a network namespace of its own with only loopback up
 * where the machine allows (root and util-linux's `unshare`): one run per guide that proves
 * - the committed fixtures are what the account gives: data/*.json is reproduced byte for byte, so a
 *   change to the demo account, the stand-in, the scrubber or a guide's requests that was not
 *   re-recorded (`npm run fixtures`) fails here;
 * - the committed outputs are what the code prints now: each code cell prints what the committed
 *   notebook shows, apart from what a recording run prints differently from its replay (the mode
 *   line, the stand-in's origin, the scrubber's fakes; test/support/outputs.ts), so a change in a
 *   helper or a guide that alters an output fails here until the guide is re-run and committed;
 * - recording needs no network beyond loopback.
 * (`.ci/run` also runs `npm run guides -- --check`, which compares every byte of the committed
 * notebooks with a replay.)
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUIDES } from "../src/guides";
import { recordFixtures } from "../tools/fixtures/record";
import { guideFixture, guideNotebook, PROJECT_ROOT, scratchDir } from "../tools/paths";
import { generateAccount } from "../tools/standin/generator/generate";
import { runChild } from "./support/child";
import { asReplayed, cellOutputs, normalise, outputDifferences } from "./support/outputs";

const RUN_TIMEOUT_MS = 15 * 60 * 1000;

/** True when `unshare -n` works here and the new namespace has no route anywhere but loopback. */
function canIsolateNetwork(): boolean {
  const probe = spawnSync("unshare", ["-n", "sh", "-c", "ip link set lo up && ! ip route get 192.0.2.1 >/dev/null 2>&1"], { stdio: "ignore" });
  return probe.status === 0;
}

let dir: string;
let log = "";
let recordedOk = false;

beforeAll(async () => {
  dir = scratchDir("demo-recording");
  if (canIsolateNetwork()) {
    const tsx = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
    const run = await runChild("unshare", ["-n", "sh", "-c", `ip link set lo up && exec "${tsx}" tools/fixtures/record.ts --into "${dir}"`], { cwd: PROJECT_ROOT });
    log = run.out;
    recordedOk = run.status === 0;
  } else {
    console.warn("demo-recording: cannot create a network namespace here (needs root and unshare); recording without isolation");
    const lines: string[] = [];
    const report = await recordFixtures(GUIDES, { into: dir, log: (line) => lines.push(line) });
    log = lines.join("\n");
    recordedOk = report.recorded.every((r) => r.result.ok && r.interactions > 0);
  }
}, RUN_TIMEOUT_MS);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(GUIDES)("$notebook, recorded afresh against the demo account", (guide) => {
  it("records every cell without an error", () => {
    expect(recordedOk, log).toBe(true);
  });

  it(`reproduces data/${guide.fixture} byte for byte`, () => {
    const fresh = readFileSync(join(dir, guide.fixture), "utf8");
    expect(fresh === readFileSync(guideFixture(guide), "utf8"), `data/${guide.fixture} differs from a fresh recording: run npm run fixtures and commit data/ and notebooks/`).toBe(true);
  });

  it("prints what the committed notebook shows, cell by cell", () => {
    const replayed = asReplayed(generateAccount());
    const fresh = cellOutputs(join(dir, guide.notebook)).map((o) => normalise(replayed(o)));
    const committed = cellOutputs(guideNotebook(guide)).map(normalise);
    expect(outputDifferences(guide.notebook, committed, fresh).join("\n\n"), "run `npm run guides` and commit the notebooks").toBe("");
  });
});

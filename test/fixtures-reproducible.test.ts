/**
 * The committed fixtures are exactly what the seeded demo account gives: re-recording both guides
 * against a fresh stand-in, into a temporary folder, reproduces data/*.json byte for byte. A change
 * to the demo account, the stand-in, the scrubber or a guide's requests that was not re-recorded
 * (`npm run fixtures`) fails here. The notebooks are executed, never written.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recordFixtures } from "../scripts/record-fixtures";
import { PROJECT_ROOT } from "../scripts/runner/project";
import { GUIDES } from "../src/guides";

describe("data/*.json", () => {
  it("is reproduced byte for byte by recording the guides against the seeded demo account", async () => {
    const dir = mkdtempSync(join(tmpdir(), "record-"));
    const lines: string[] = [];
    const report = await recordFixtures(GUIDES, { fixturesDir: dir, log: (l) => lines.push(l) });
    expect(report.recorded.map((r) => r.result.ok), lines.join("\n")).toEqual(GUIDES.map(() => true));
    expect(report.replayed).toEqual([]);
    for (const g of GUIDES) {
      const fresh = readFileSync(join(dir, g.fixture), "utf8");
      const committed = readFileSync(join(PROJECT_ROOT, "data", g.fixture), "utf8");
      expect(fresh === committed, `data/${g.fixture} differs from a fresh recording: run npm run fixtures and commit data/ and notebooks/`).toBe(true);
    }
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});

/**
 * `npm run publish` refuses unless the guides pass the runner's `--check`: on a small throwaway
 * notebook (the runner's own passing.ipynb, executed once here), the check lets an up-to-date
 * notebook through and stops a stale one before anything is printed, written or asked of nbviewer.
 */
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchDir } from "../../paths";
import { runNotebooks } from "../../runner/run";
import { publish } from "../publish";
import { pushedRepo } from "./publish-repo";

describe("publish's freshness check (the runner's --check)", () => {
  let fresh: string;
  const scratch: string[] = [];
  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });
  beforeAll(async () => {
    fresh = join(scratchDir("publish-fresh"), "passing.ipynb");
    scratch.push(dirname(fresh));
    copyFileSync(join(__dirname, "..", "..", "runner", "test", "notebooks", "passing.ipynb"), fresh);
    const [written] = await runNotebooks([fresh], { timeoutSeconds: 60, jobs: 1 });
    expect(written.status).toBe("written");
  });

  it("lets an up-to-date notebook through", async () => {
    const lines: string[] = [];
    const failed = await publish({ dryRun: true, cwd: pushedRepo(), notebooks: [fresh], log: (l) => lines.push(l) });
    expect(failed).toBe(0);
    expect(lines.join("\n")).toContain("nbviewer (pinned): https://nbviewer.org/github/acme/guides/blob/");
  });

  it("refuses a stale one, saying what to do, before printing or writing anything", async () => {
    const stale = join(scratchDir("publish-stale"), "passing.ipynb");
    scratch.push(dirname(stale));
    const edited = readFileSync(fresh, "utf8").replace("hello from tslab\\n", "hello from last year\\n");
    expect(edited).not.toBe(readFileSync(fresh, "utf8"));
    writeFileSync(stale, edited);
    const repo = pushedRepo();
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    const lines: string[] = [];
    await expect(publish({ dryRun: false, cwd: repo, nbviewer: "http://127.0.0.1:9", render: { attempts: 1 }, notebooks: [stale], log: (l) => lines.push(l) })).rejects.toThrow(
      /committed outputs are stale or a cell fails .*Run `npm run guides`, commit the notebooks, then publish/,
    );
    expect(lines).toEqual([]);
    expect(readFileSync(join(repo, "README.md"), "utf8")).toBe(readme);
    expect(readFileSync(stale, "utf8")).toBe(edited);
  });
});

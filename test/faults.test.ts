/**
 * Every guide against the stand-in's faults (issue 21), one run per guide (issue 22): each
 * registered guide runs live against a fresh demo stand-in in the scenario of
 * tools/faults/scenarios.ts (a careful reader's key, without a scope the guide needs, with a 500, a
 * broken next link and a dropped connection where they reach the guide, then revoked late: a 401 on
 * every /api/* request from a planned one on, or for the client-side guide a company id Klaviyo does
 * not know from a planned /client/* request on), every cell run even after one failed. It requires,
 * per guide, what tools/faults/judge.ts checks: no cell fails; a failed request costs its cell one
 * note line, and the cells that need what it would have returned one line each, no other cell a
 * note (after the 401, each later cell that would send a request says once that it is skipped); no
 * error is shown raw; no write acting on a failed answer is sent; and every fault planned for the
 * guide fired (one a guide never meets proves nothing). The tables (`npm run faults` prints the
 * same) go to the log first, so CI shows where each guide stands.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUIDES } from "../src/guides";
import { judge, type GuideVerdict } from "../tools/faults/judge";
import { runFaultScenarios } from "../tools/faults/run";
import { SCENARIOS } from "../tools/faults/scenarios";
import { faultTables } from "../tools/faults/table";
import { scratchDir } from "../tools/paths";

const RUN_TIMEOUT_MS = 15 * 60 * 1000;

let dir: string;
let verdicts: GuideVerdict[];

beforeAll(async () => {
  dir = scratchDir("faults");
  verdicts = (await runFaultScenarios(SCENARIOS, dir)).map((run) => judge(run));
  console.log(faultTables(verdicts));
}, RUN_TIMEOUT_MS);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(SCENARIOS.map((s) => [s.id, s.title, s] as const))("scenario %s (%s)", (id) => {
  const what = "meets every fault planned for it; a fault costs only the cells needing what it refused, one line each; no dependent write";
  it.each(GUIDES.map((g) => [g.id]))(`%s: ${what}`, (guide) => {
    const verdict = verdicts.find((v) => v.scenario.id === id && v.guide.id === guide) as GuideVerdict;
    expect(verdict.problems.join("\n")).toBe("");
  });
});

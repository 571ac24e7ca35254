/**
 * The guides on accounts that are not the demo's (issue 12; the runs: test/support/own-account.ts):
 * on the second account (recorded, writes off, parameters set) and on an empty account (writes on)
 * every cell passes, without the stand-in refusing (4xx other than 429) any request more often than
 * the demo's recordings show (so a cell cannot "pass" by printing a 400 for a demo ID); with writes
 * off no request that changes the account reaches the stand-in; and the second account's recording
 * holds none of its personal data and says how it was made. (That the recording replays to the same
 * outputs is checked where it is replayed: JupyterLab, tools/lab/test/jupyterlab.test.ts.)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GUIDES } from "../src/guides";
import { fakeEmail, fakeFirstName, fakeLastName, fakePhone, fakeStreet } from "../src/fixtures/scrub";
import { DATA_DIR } from "../tools/paths";
import type { NotebookResult } from "../tools/runner/run";
import type { DemoAccount } from "../tools/standin/account";
import { ownAccountRuns, type OwnAccountRuns, type Run } from "./support/own-account";

const RUN_TIMEOUT_MS = 20 * 60 * 1000;

let own: OwnAccountRuns;

beforeAll(async () => {
  own = await ownAccountRuns();
}, RUN_TIMEOUT_MS);

/** The 4xx answers (not 429) in the demo's recordings, by `METHOD /path`: the requests the guides send invalid on purpose. */
function deliberateRefusals(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of readdirSync(DATA_DIR).filter((f) => f.endsWith(".json"))) {
    const fixture = JSON.parse(readFileSync(join(DATA_DIR, file), "utf8")) as { interactions?: { method: string; path: string; status: number }[] };
    for (const x of fixture.interactions ?? []) {
      const key = `${x.method} ${x.path.split("?")[0]}`;
      if (x.status >= 400 && x.status < 500 && x.status !== 429) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Requests refused more often than on the demo: a cell that "passed" by printing a 400 (a list ID that is not this account's…). */
function unexpectedRefusals(run: Run): string {
  const deliberate = deliberateRefusals();
  return [...run.refusals]
    .filter(([key, n]) => n > (deliberate.get(key) ?? 0))
    .map(([key, n]) => `${key}: refused ${n} time(s), ${deliberate.get(key) ?? 0} on the demo account`)
    .join("\n");
}

/** Failing cells and unexpected refusals, together, so one run reports both. */
function problems(run: Run): string {
  return [failures(run.results), unexpectedRefusals(run)].filter(Boolean).join("\n\n");
}

/** One line per guide that did not pass: which cell, and why. */
function failures(results: readonly NotebookResult[]): string {
  return results
    .filter((r) => !r.ok)
    .map((r) => `${basename(r.path)}: ${r.status} after ${r.done}/${r.cells} code cells\n${r.message ?? ""}`)
    .join("\n\n");
}

describe(`every guide on someone else's account (${GUIDES.map((g) => g.id).join(", ")})`, () => {
  it("runs against the second account with writes off and parameters set (record mode: live, and saved): every cell passes, and no write reaches the account", () => {
    const run = own.runs.get("second") as Run;
    expect(problems(run)).toBe("");
    expect(run.writes, "requests that change the account reached the stand-in with KLAVIYO_ALLOW_WRITES=0").toEqual([]);
  });

  it("runs in live mode against an empty account, writes on: every cell passes, and the guides did write", () => {
    const run = own.runs.get("empty") as Run;
    expect(problems(run)).toBe("");
    // The guides send writes when allowed: the writes-off check above is not vacuous.
    expect(run.writes.length).toBeGreaterThan(0);
  });

  it("the second account's recording holds none of its personal data, and notes that writes were off and which parameters were set", () => {
    const found: string[] = [];
    // A recording is written after every exchange, so even a run that stopped early is checked.
    const personal = personalValues(own.second.account);
    expect(personal.filter((p) => p.pattern.test(JSON.stringify(own.second.account.profiles[0].attributes)))).not.toEqual([]);
    let fakesSeen = 0;
    let paramsNoted = 0;
    for (const guide of GUIDES) {
      const file = join(own.recording, guide.fixture);
      if (!existsSync(file)) {
        found.push(`${guide.fixture}: no recording`);
        continue;
      }
      const recording = readFileSync(file, "utf8");
      const leaks = personal.filter((p) => p.pattern.test(recording)).map((p) => p.value);
      if (leaks.length > 0) found.push(`${guide.fixture} holds the account's personal data: ${leaks.slice(0, 10).join(", ")}`);
      fakesSeen += personal.filter((p) => recording.includes(p.fake)).length;
      const made = JSON.parse(recording) as { allowWrites?: unknown; params?: Record<string, unknown> };
      if (made.allowWrites !== false) found.push(`${guide.fixture} does not say writes were off`);
      paramsNoted += Object.keys(made.params ?? {}).length;
    }
    // The account's profiles did pass through the scrubber (the check above is not vacuous).
    expect(fakesSeen, "no recording holds a profile of the account").toBeGreaterThan(0);
    expect(paramsNoted, "no recording notes a parameter set in the environment").toBeGreaterThan(0);
    expect(found.join("\n\n")).toBe("");
  });
});

interface Personal {
  value: string;
  fake: string;
  pattern: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every e-mail, phone, name and street of the account, each with the fake the scrubber gives it. */
function personalValues(account: DemoAccount): Personal[] {
  const seen = new Map<string, Personal>();
  const add = (value: unknown, fake: (v: string) => string, wordBoundary: boolean) => {
    if (typeof value !== "string" || value === "" || seen.has(value)) return;
    const body = escape(value);
    seen.set(value, { value, fake: fake(value), pattern: new RegExp(wordBoundary ? `\\b${body}\\b` : body, wordBoundary ? "" : "i") });
  };
  for (const p of account.profiles) {
    const a = p.attributes;
    add(a.email, fakeEmail, false);
    add(a.phone_number, fakePhone, false);
    const location = a.location as { address1?: unknown; address2?: unknown; latitude?: unknown; longitude?: unknown };
    add(location.address1, fakeStreet, true);
    add(location.address2, fakeStreet, true);
    // Coordinates are kept to one decimal (about 10 km): a precise one is personal, its rounding is the fake.
    for (const coordinate of [location.latitude, location.longitude]) {
      const n = Number(coordinate);
      if (coordinate === undefined || coordinate === null || !Number.isFinite(n) || Math.round(n * 10) / 10 === n) continue;
      add(String(coordinate), () => String(Math.round(n * 10) / 10), false);
    }
    add(a.first_name, fakeFirstName, true);
    add(a.last_name, fakeLastName, true);
  }
  // Longest first, so an e-mail is replaced before the names inside it could be.
  return [...seen.values()].sort((x, y) => y.value.length - x.value.length);
}

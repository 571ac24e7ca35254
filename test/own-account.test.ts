/**
 * The guides on an account that is not the demo's (issue 12): every registered guide runs in LIVE
 * mode against the local stand-in serving
 * - the second account (tools/standin/shapes.ts: other names and ids, no SMS, no mapped metric,
 *   no next/prev links at the ends of a collection where the demo sends null, 429s), with writes
 *   off and with writes on (the writes-on run is in record mode, which is live mode that also saves
 *   every exchange), and
 * - an empty account (no next/prev links either),
 * and every cell must pass, without the stand-in refusing (4xx other than 429) any request more
 * often than the demo's recordings show (so a cell cannot "pass" by printing a 400 for a demo ID);
 * with writes off, no request that changes the account may reach the stand-in.
 * Then a record→replay round trip on the second account proves the scrubbing on data that is not
 * the demo's: no e-mail, phone, name or street of the account reaches the recording, and replaying
 * the recording reproduces the recorded run's outputs (with the account's personal values replaced
 * by the fakes the scrubber gives them).
 *
 * Guide parameters (the cell tagged `parameters`, src/params.ts) are passed as KLAVIYO_PARAM_<NAME>
 * where the second account names a thing differently: any parameter whose demo default is a demo
 * list name, list id or metric name the second account renamed gets the new value. Everything else
 * the guides must find themselves. The notebooks run as copies under .tmp/; the committed files are
 * never written. All runs share the runner's slots (one kernel per core), each notebook against a
 * fresh stand-in of its own, so one guide's writes never reach another.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUIDES } from "../src/guides";
import { fakeEmail, fakeFirstName, fakeLastName, fakePhone, fakeStreet } from "../src/fixtures/scrub";
import { paramVariable } from "../src/params";
import { isGuideVariable, settingsEnv, WRITES_ON } from "../src/settings";
import { READ_ONLY_POSTS } from "../src/write-guard";
import { loadNotebook, parameterDefaults, text } from "../tools/notebook";
import { DATA_DIR, guideNotebook, scratchDir } from "../tools/paths";
import { runNotebooks, type Mode, type NotebookResult } from "../tools/runner/run";
import type { DemoAccount } from "../tools/standin/account";
import { standInSettings } from "../tools/standin/guide-settings";
import { startDemoServer } from "../tools/standin/server";
import { accountSetup, type AccountSetup } from "../tools/standin/shapes";

/** A cell that runs longer than this is a runaway loop, not a slow machine (the guides' cells take seconds). */
const CELL_TIMEOUT_SECONDS = 120;
const RUN_TIMEOUT_MS = 20 * 60 * 1000;

/** One way of running every guide: an account, a mode, writes on or off. */
interface Scenario {
  label: string;
  setup: AccountSetup;
  mode: Mode;
  writes: boolean;
  /** Pass KLAVIYO_PARAM_* for what the account renamed. */
  params: boolean;
  fixturesDir: string;
}

/** What one scenario's runs gave, one result per guide in the registry's order. */
interface Run {
  results: NotebookResult[];
  notebooks: string[];
  /** `METHOD /path` → how many 4xx answers other than 429 the stand-in gave it. */
  refusals: Map<string, number>;
  /** `METHOD /path` of every request that reached a stand-in and changes the account. */
  writes: string[];
}

let work: string;
let second: AccountSetup;
let runs: Map<string, Run>;
let replayed: { notebooks: string[]; results: NotebookResult[] };

beforeAll(async () => {
  work = scratchDir("own-account");
  second = accountSetup("second");
  const scenarios: Scenario[] = [
    { label: "second-writes-off", setup: second, mode: "live", writes: false, params: true, fixturesDir: join(work, "unused") },
    { label: "empty", setup: accountSetup("empty"), mode: "live", writes: true, params: false, fixturesDir: join(work, "unused") },
    // Record mode is live mode that also saves every exchange: this one run is the writes-on run on
    // the second account and the recording that is then checked for personal data and replayed.
    // Replay uses the guides' defaults whatever KLAVIYO_PARAM_* says, so the recording must not
    // depend on them either: the guides find their way on this account by themselves.
    { label: "second-record", setup: second, mode: "record", writes: true, params: false, fixturesDir: join(work, "fixtures") },
  ];
  runs = await runScenarios(scenarios);
  // Replay what the record run saved, for the guides whose recording finished.
  const recorded = runs.get("second-record") as Run;
  const complete = recorded.notebooks.filter((_, i) => recorded.results[i].ok);
  const notebooks = copies("second-replay").filter((nb) => complete.some((c) => basename(c) === basename(nb)));
  const env = { ...baseEnv(), ...settingsEnv({ mode: "replay", fixturesDir: join(work, "fixtures") }) };
  replayed = { notebooks, results: await runNotebooks(notebooks, { mode: "replay", env, timeoutSeconds: CELL_TIMEOUT_SECONDS }) };
}, RUN_TIMEOUT_MS);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Every guide in every scenario, in one run of the runner: its slots (one kernel per core) keep
 * both cores busy until the last notebook ends; each notebook gets a fresh stand-in of its own.
 */
async function runScenarios(scenarios: readonly Scenario[]): Promise<Map<string, Run>> {
  const byNotebook = new Map<string, { scenario: Scenario; run: Run }>();
  const all = new Map<string, Run>();
  for (const scenario of scenarios) {
    const run: Run = { results: [], notebooks: copies(scenario.label), refusals: new Map(), writes: [] };
    all.set(scenario.label, run);
    for (const notebook of run.notebooks) byNotebook.set(notebook, { scenario, run });
  }
  const notebooks = [...byNotebook.keys()];
  const results = await runNotebooks(notebooks, {
    env: baseEnv(),
    timeoutSeconds: CELL_TIMEOUT_SECONDS,
    prepare: async (notebook) => {
      const { scenario, run } = byNotebook.get(notebook) as { scenario: Scenario; run: Run };
      const account = structuredClone(scenario.setup.account) as DemoAccount;
      const onReply = (method: string, path: string, status: number) => {
        const key = `${method} ${path}`;
        if (status >= 400 && status < 500 && status !== 429) run.refusals.set(key, (run.refusals.get(key) ?? 0) + 1);
        if (changesAccount(method, path)) run.writes.push(key);
      };
      const server = await startDemoServer({ account, quirks: scenario.setup.quirks, onReply });
      const env = {
        ...settingsEnv({
          ...standInSettings(server.url, account),
          mode: scenario.mode,
          allowWrites: scenario.writes ? WRITES_ON : "0",
          fixturesDir: scenario.fixturesDir,
        }),
        ...(scenario.params ? parameterEnv(scenario.setup) : {}),
      };
      return { env, release: () => server.close() };
    },
  });
  for (const [i, notebook] of notebooks.entries()) (byNotebook.get(notebook) as { run: Run }).run.results.push(results[i]);
  return all;
}

/**
 * Whether a request changes the account: anything but a GET and the POSTs that only read. (The
 * test's own rule, not the write guard's, so a guard that lets a write through cannot hide it.)
 */
function changesAccount(method: string, path: string): boolean {
  return method !== "GET" && !(method === "POST" && READ_ONLY_POSTS.includes(path));
}

/** KLAVIYO_PARAM_<NAME> for every parameter whose demo default the account renamed. */
function parameterEnv(setup: AccountSetup): Record<string, string> {
  const env: Record<string, string> = {};
  for (const guide of GUIDES) {
    for (const [name, value] of Object.entries(parameterDefaults(loadNotebook(guideNotebook(guide))))) {
      if (setup.renamed[value] !== undefined) env[paramVariable(name)] = setup.renamed[value];
    }
  }
  return env;
}

/** The caller's environment without anything that would point the guides elsewhere. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !isGuideVariable(name)));
  // Static chart images need a browser and say nothing about the account.
  return { ...env, CHROMIUM_PATH: "none" };
}

/** Copies the guides into a fresh folder under .tmp/ (the kernel finds the project's packages from there). */
function copies(label: string): string[] {
  const dir = join(work, label);
  mkdirSync(dir, { recursive: true });
  return GUIDES.map((guide) => {
    const target = join(dir, guide.notebook);
    copyFileSync(guideNotebook(guide), target);
    return target;
  });
}

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
  it("runs in live mode against the second account with writes off: every cell passes, and no write reaches the account", () => {
    const run = runs.get("second-writes-off") as Run;
    expect(problems(run)).toBe("");
    expect(run.writes, "requests that change the account reached the stand-in with KLAVIYO_ALLOW_WRITES=0").toEqual([]);
  });

  it("runs in live mode against an empty account, writes on: every cell passes", () => {
    expect(problems(runs.get("empty") as Run)).toBe("");
  });

  it("runs with writes on against the second account (record mode: live, and saved), every cell passes; the recording holds none of its personal data, and replay reproduces the outputs", () => {
    const recorded = runs.get("second-record") as Run;
    // The writes-on runs did write: the writes-off check above is not vacuous.
    expect(recorded.writes.length).toBeGreaterThan(0);
    const found: string[] = [];
    const recordProblems = problems(recorded);
    if (recordProblems) found.push(`recording (live, writes on):\n${recordProblems}`);

    // A recording is written after every exchange, so even a run that stopped early is checked.
    const personal = personalValues(second.account);
    expect(personal.filter((p) => p.pattern.test(JSON.stringify(second.account.profiles[0].attributes)))).not.toEqual([]);
    let fakesSeen = 0;
    for (const guide of GUIDES) {
      const file = join(work, "fixtures", guide.fixture);
      if (!existsSync(file)) continue;
      const recording = readFileSync(file, "utf8");
      const leaks = personal.filter((p) => p.pattern.test(recording)).map((p) => p.value);
      if (leaks.length > 0) found.push(`${guide.fixture} holds the account's personal data: ${leaks.slice(0, 10).join(", ")}`);
      fakesSeen += personal.filter((p) => recording.includes(p.fake)).length;
    }
    // The account's profiles did pass through the scrubber (the check above is not vacuous).
    expect(fakesSeen, "no recording holds a profile of the account").toBeGreaterThan(0);

    const replayFailures = failures(replayed.results);
    if (replayFailures) found.push(`replay:\n${replayFailures}`);
    const substitute = scrubbedLike(personal);
    for (const [i, nb] of replayed.notebooks.entries()) {
      if (!replayed.results[i].ok) continue;
      const recordedCopy = recorded.notebooks.find((r) => basename(r) === basename(nb)) as string;
      // Recordings keep the real API's origin, so replay prints https://a.klaviyo.com where the run printed the stand-in's.
      const live = cellOutputs(recordedCopy).map((o) => normalise(substitute(o.replace(/http:\/\/127\.0\.0\.1:\d+/g, "https://a.klaviyo.com"))));
      const again = cellOutputs(nb).map(normalise);
      for (const [cell, o] of live.entries()) {
        if (o === again[cell]) continue;
        // Show where they part, not only how they begin: outputs share long prefixes.
        const other = again[cell] ?? "";
        let at = 0;
        while (at < o.length && o[at] === other[at]) at++;
        const from = Math.max(0, at - 120);
        found.push(`${basename(nb)}, code cell ${cell + 1}, replay differs at character ${at}:\n  recorded: …${o.slice(from, at + 200)}\n  replayed: …${other.slice(from, at + 200)}`);
      }
    }
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

/** Replaces each personal value in a text by its fake: what the recorded run's outputs look like once scrubbed. */
function scrubbedLike(personal: readonly Personal[]): (s: string) => string {
  return (s) => personal.reduce((out, p) => out.replace(new RegExp(p.pattern.source, `${p.pattern.flags}g`), p.fake), s);
}

/** Each code cell's outputs as text; the connection line names the mode, so it is left out. */
function cellOutputs(notebook: string): string[] {
  return loadNotebook(notebook).code.map((cell) =>
    (cell.outputs ?? [])
      .map((o) => text(o.text) + Object.entries(o.data ?? {}).filter(([mime]) => mime.startsWith("text/")).map(([, v]) => text(v as string | string[])).join(""))
      .join("\n")
      .replace(/^Mode: .*$/gm, "Mode: …"),
  );
}

/** Tables pad columns to their widest value, and fakes are not as long as the originals. */
function normalise(s: string): string {
  return s.replace(/[ \t]+/g, " ").replace(/-{3,}/g, "---");
}

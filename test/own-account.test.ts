/**
 * The guides on an account that is not the demo's (issue 12): every notebooks/*.ipynb runs in LIVE
 * mode against the local stand-in serving
 * - the second account (tools/standin/shapes.ts: other names and ids, no SMS, no mapped metric,
 *   no next/prev links at the ends of a collection where the demo sends null, 429s), with writes
 *   off and with writes on (the writes-on run is in record mode, which is live mode that also saves
 *   every exchange), and
 * - an empty account (no next/prev links either),
 * and every cell must pass, without the stand-in refusing (4xx other than 429) any request more
 * often than the demo's recordings show (so a cell cannot "pass" by printing a 400 for a demo ID).
 * Then a record→replay round trip on the second account proves the
 * scrubbing on data that is not the demo's: no e-mail, phone, name or street of the account reaches
 * the recording, and replaying the recording reproduces the recorded run's outputs (with the
 * account's personal values replaced by the fakes the scrubber gives them).
 *
 * Guide parameters (src/params.ts) are passed as KLAVIYO_PARAM_<NAME> where the second account names
 * a thing differently: any parameter whose demo default is a demo list name, list id or metric name
 * the second account renamed gets the new value. Everything else the guides must find themselves.
 * The notebooks run as copies under .tmp/; the committed files are never written. The three runs
 * share one kernel per core (kernelSlot), so their notebooks run side by side.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { DEMO_NOW } from "../tools/standin/account";
import type { DemoAccount } from "../tools/standin/account";
import { startDemoServer } from "../tools/standin/server";
import { accountSetup, type AccountSetup } from "../tools/standin/shapes";
import { GUIDE_NOTEBOOKS, PROJECT_ROOT, scratchDir } from "../tools/paths";
import { defaultJobs, runNotebooks, type Mode, type NotebookResult } from "../tools/runner/run";
import { fakeEmail, fakeFirstName, fakeLastName, fakePhone, fakeStreet } from "../src/fixtures/scrub";
import { paramVariable } from "../src/params";
import { loadNotebook, text } from "../tools/notebook";

const GUIDES = GUIDE_NOTEBOOKS;
/** A cell that runs longer than this is a runaway loop, not a slow machine (the guides' cells take seconds). */
const CELL_TIMEOUT_SECONDS = 120;
const RUN_TIMEOUT_MS = 20 * 60 * 1000;
const FAKE_PRIVATE_KEY = "pk_own_account_test_0000000000000000000";

let second: AccountSetup;
let empty: AccountSetup;
let work: string;

beforeAll(() => {
  second = accountSetup("second");
  empty = accountSetup("empty");
  work = scratchDir("own-account");
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The guide's parameters (the object literal given to guideParams) with their demo defaults. */
function guideParameterDefaults(notebook: string): Record<string, string> {
  const source = loadNotebook(notebook).code.map((c) => text(c.source)).join("\n");
  const call = /guideParams\(\s*\w+\s*,\s*\{([\s\S]*?)\}\s*\)/.exec(source);
  if (!call) return {};
  return Object.fromEntries([...call[1].matchAll(/(\w+)\s*:\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** KLAVIYO_PARAM_<NAME> for every parameter whose demo default the account renamed. */
function parameterEnv(setup: AccountSetup, notebooks: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const nb of notebooks) {
    for (const [name, value] of Object.entries(guideParameterDefaults(nb))) {
      if (setup.renamed[value] !== undefined) env[paramVariable(name)] = setup.renamed[value];
    }
  }
  return env;
}

/** The caller's environment without anything that would point the guides elsewhere. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("KLAVIYO_")) env[k] = v;
  // Static chart images need a browser and say nothing about the account.
  return { ...env, CHROMIUM_PATH: "none" };
}

/** Copies the guides into a fresh folder under .tmp/ (the kernel finds the project's packages from there). */
function copies(label: string): string[] {
  const dir = join(work, label);
  mkdirSync(dir, { recursive: true });
  return GUIDES.map((nb) => {
    const target = join(dir, basename(nb));
    copyFileSync(nb, target);
    return target;
  });
}

interface Run {
  results: NotebookResult[];
  notebooks: string[];
  /** `METHOD /path` → how many 4xx answers other than 429 the stand-in gave it. */
  refusals: Map<string, number>;
}

/**
 * At most one kernel per core across this whole file: the three runs below are concurrent tests, and
 * their notebooks queue here, so both cores stay busy until the last notebook ends.
 */
const kernelSlot = slots(defaultJobs());

/** Runs every guide (copies), each against a fresh stand-in serving `setup`'s account (one guide's writes never reach another). */
async function runAgainst(setup: AccountSetup, label: string, mode: Mode, options: { writes: boolean; params: boolean; fixturesDir: string }): Promise<Run> {
  const refusals = new Map<string, number>();
  const onReply = (method: string, path: string, status: number) => {
    const key = `${method} ${path}`;
    if (status >= 400 && status < 500 && status !== 429) refusals.set(key, (refusals.get(key) ?? 0) + 1);
  };
  const notebooks = copies(label);
  const results = await Promise.all(
    notebooks.map((notebook) =>
      kernelSlot(async () => {
        const account = structuredClone(setup.account) as DemoAccount;
        const server = await startDemoServer({ account, quirks: setup.quirks, onReply });
        try {
          const env: NodeJS.ProcessEnv = {
            ...baseEnv(),
            KLAVIYO_MODE: mode,
            KLAVIYO_BASE_URL: server.url,
            KLAVIYO_PRIVATE_KEY: FAKE_PRIVATE_KEY,
            KLAVIYO_PUBLIC_KEY: account.companyId,
            KLAVIYO_ALLOW_WRITES: options.writes ? "1" : "0",
            KLAVIYO_CLOCK: DEMO_NOW,
            KLAVIYO_FIXTURES_DIR: options.fixturesDir,
            ...(options.params ? parameterEnv(setup, GUIDES) : {}),
          };
          const [result] = await runNotebooks([notebook], { mode, env, timeoutSeconds: CELL_TIMEOUT_SECONDS });
          return result;
        } finally {
          await server.close();
        }
      }),
    ),
  );
  return { results, notebooks, refusals };
}

/** A limiter: `slot(task)` runs `task` once fewer than `n` tasks of this limiter are running. */
function slots(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running < n) running++;
    // A finishing task hands its slot straight to the first waiting one, so no newcomer can take
    // it in between and make n + 1.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** The 4xx answers (not 429) in the demo's recordings, by `METHOD /path`: the requests the guides send invalid on purpose. */
function deliberateRefusals(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of readdirSync(join(PROJECT_ROOT, "data")).filter((f) => f.endsWith(".json"))) {
    const fixture = JSON.parse(readFileSync(join(PROJECT_ROOT, "data", file), "utf8")) as { interactions?: { method: string; path: string; status: number }[] };
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

// The three runs are concurrent tests (their kernels share kernelSlot), so each uses its own `expect`.
describe.skipIf(GUIDES.length === 0)(`every guide on someone else's account (${GUIDES.map((g) => basename(g)).join(", ")})`, { concurrent: true }, () => {
  it("runs in live mode against the second account with writes off: every cell passes", async ({ expect }) => {
    const run = await runAgainst(second, "second-writes-off", "live", { writes: false, params: true, fixturesDir: join(work, "unused") });
    expect(problems(run)).toBe("");
  }, RUN_TIMEOUT_MS);

  it("runs in live mode against an empty account, writes on: every cell passes", async ({ expect }) => {
    const run = await runAgainst(empty, "empty", "live", { writes: true, params: false, fixturesDir: join(work, "unused") });
    expect(problems(run)).toBe("");
  }, RUN_TIMEOUT_MS);

  // Record mode is live mode that also saves every exchange: this one run is the writes-on run on the
  // second account (every cell must pass, nothing refused unexpectedly) and the recording that is
  // then checked for personal data and replayed.
  it("runs with writes on against the second account (record mode: live, and saved), every cell passes; the recording holds none of its personal data, and replay reproduces the outputs", async ({ expect }) => {
    const fixturesDir = join(work, "fixtures");
    // Replay uses the guides' defaults whatever KLAVIYO_PARAM_* says, so the recording must not depend
    // on them either: the guides find their way on this account by themselves.
    const recorded = await runAgainst(second, "second-record", "record", { writes: true, params: false, fixturesDir });
    const found: string[] = [];
    const recordProblems = problems(recorded);
    if (recordProblems) found.push(`recording (live, writes on):\n${recordProblems}`);

    // A recording is written after every exchange, so even a run that stopped early is checked.
    const personal = personalValues(second.account);
    expect(personal.filter((p) => p.pattern.test(JSON.stringify(second.account.profiles[0].attributes)))).not.toEqual([]);
    let fakesSeen = 0;
    for (const nb of GUIDES) {
      const file = join(fixturesDir, `${guideOf(nb)}.json`);
      if (!existsSync(file)) continue;
      const recording = readFileSync(file, "utf8");
      const leaks = personal.filter((p) => p.pattern.test(recording)).map((p) => p.value);
      if (leaks.length > 0) found.push(`${guideOf(nb)}.json holds the account's personal data: ${leaks.slice(0, 10).join(", ")}`);
      fakesSeen += personal.filter((p) => recording.includes(p.fake)).length;
    }
    // The account's profiles did pass through the scrubber (the check above is not vacuous).
    expect(fakesSeen, "no recording holds a profile of the account").toBeGreaterThan(0);

    const complete = recorded.results.flatMap((r, i) => (r.ok ? [recorded.notebooks[i]] : []));
    const replayNotebooks = copies("second-replay").filter((nb) => complete.some((c) => basename(c) === basename(nb)));
    const env: NodeJS.ProcessEnv = { ...baseEnv(), KLAVIYO_MODE: "replay", KLAVIYO_FIXTURES_DIR: fixturesDir };
    const replayed = await Promise.all(
      replayNotebooks.map((nb) => kernelSlot(async () => (await runNotebooks([nb], { mode: "replay", env, timeoutSeconds: CELL_TIMEOUT_SECONDS }))[0])),
    );
    const replayFailures = failures(replayed);
    if (replayFailures) found.push(`replay:\n${replayFailures}`);

    const substitute = scrubbedLike(personal);
    for (const [i, nb] of complete.entries()) {
      if (!replayed[i]?.ok) continue;
      // Recordings keep the real API's origin, so replay prints https://a.klaviyo.com where the run printed the stand-in's.
      const live = cellOutputs(nb).map((o) => normalise(substitute(o.replace(/http:\/\/127\.0\.0\.1:\d+/g, "https://a.klaviyo.com"))));
      const again = cellOutputs(replayNotebooks[i]).map(normalise);
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
  }, RUN_TIMEOUT_MS);
});

/** The guide a notebook connects as (`connect("customer-data")`), which names its fixture file. */
function guideOf(notebook: string): string {
  const source = loadNotebook(notebook).code.map((c) => text(c.source)).join("\n");
  const guide = /\bconnect\(\s*"([^"]+)"/.exec(source)?.[1];
  if (!guide) throw new Error(`${basename(notebook)} never calls connect("<guide>")`);
  return guide;
}

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

/**
 * Binder, as far as this machine can take it (repo2docker needs a container engine, which it lacks).
 * As repo2docker does: a fresh copy of the repository, owned by an unprivileged user whose home is
 * that copy; binder/postBuild run there as that user builds what the image would hold; then
 * binder/start starts JupyterLab with the command after it. The server runs from a Python
 * environment of its own, as Binder's does (never the project's .venv), so only binder/start can
 * lead it to the TypeScript kernel and the lab's defaults; it runs in a network namespace with only
 * loopback up. The shortest guide then runs through the server's REST and kernel websocket API, cell
 * by cell, replaying the second account's recording (test/support/own-account.ts) as a reader
 * replays their own, and must print what the run that recorded it printed. (For this guide that
 * replay is checked here instead of in JupyterLab: one execution, not two; tools/lab/test/binder-guide.ts.)
 *
 * Needs root (to act as `nobody` and to create the namespace) and util-linux's setpriv, unshare and
 * nsenter. The npm packages come from a copy of this machine's npm cache; Python's from PyPI.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsEnv } from "../../../src/settings";
import { ownAccountRuns, type OwnAccountRuns } from "../../../test/support/own-account";
import { asReplayed, normalise, outputText } from "../../../test/support/outputs";
import { text, type NotebookCell } from "../../notebook";
import { PROJECT_ROOT } from "../../paths";
import { noteExecution } from "../../runner/executions";
import { binderGuide, binderMissing } from "./binder-guide";
import { executableCells, type RunReport } from "./run-through-server";
import { waitForLab } from "./wait-for-lab";

const NOBODY = "65534";
const PORT = 8888;
const BUILD_TIMEOUT_MS = 10 * 60 * 1000;

const missing = binderMissing();
if (missing.length) console.warn(`Binder test skipped: needs ${missing.join(", ")}`);

/** What a cell's saved outputs printed on one stream. */
function printed(cell: NotebookCell, stream: "stdout" | "stderr"): string {
  return (cell.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === stream).map((o) => text(o.text)).join("");
}

/** A stream as the comparison of two runs sees it (test/support/outputs.ts). */
const comparable = (s: string) => normalise(outputText([{ text: s }]));

/** This machine's environment for the unprivileged user: no caller's npm, test or guide variables, its own home. */
function userEnvironment(home: string, python: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|VITEST|KLAVIYO_|PYENV|JUPYTER|PYTHON$|HOME$|USER$|LOGNAME$|PWD$|OLDPWD$|PATH$)/.test(key)) env[key] = value;
  }
  // The Node running these tests, then the system's; the set-up's Python is the one it uses here.
  return { ...env, HOME: home, USER: "nobody", LOGNAME: "nobody", PYTHON: python, PATH: [dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":") };
}

const nobodyCan = (test: string, path: string) => spawnSync("setpriv", [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--", "test", test, path]).status === 0;

/**
 * Shell lines that make the Python installation `prefix` reachable by `nobody` at its own path in
 * a private mount namespace, when it sits below a folder nobody may enter (pyenv's, under /root):
 * that folder is covered by an empty one, and only `prefix` is put back into it.
 */
function exposePython(prefix: string, stage: string): string {
  const parts = prefix.split("/").filter(Boolean);
  const blocked = parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}`).find((dir) => !nobodyCan("-x", dir));
  if (!blocked) return "";
  return `mkdir -p '${stage}' && mount --bind '${prefix}' '${stage}' && mount -t tmpfs -o mode=755 tmpfs '${blocked}' && mkdir -p '${prefix}' && mount --bind '${stage}' '${prefix}' && `;
}

/** `unshare` arguments that run the shell line `command` as `nobody`, with Python reachable, optionally with no network. */
function asNobody(command: string, mounts: string, network: boolean): string[] {
  const loopback = network ? "" : "ip link set lo up && ";
  return [...(network ? [] : ["-n"]), "-m", "--propagation", "private", "--", "sh", "-c", `${mounts}${loopback}exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups -- ${command}`];
}

/**
 * Runs a command to its end, its output into `log`; rejects naming the log when it fails. Never
 * synchronously: a worker blocked for long loses vitest's heartbeat and aborts the whole run.
 */
function run(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; log: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    const log = createWriteStream(options.log);
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${argv.join(" ")} exited with ${code}:\n${readFileSync(options.log, "utf8").slice(-3000)}`));
    });
  });
}

describe.skipIf(missing.length > 0)("Binder: binder/postBuild, then binder/start, as repo2docker runs them", () => {
  const guide = binderGuide();
  const token = randomBytes(16).toString("hex");
  let dir: string;
  let repo: string;
  let server: ChildProcess | undefined;
  let serverLog = () => "";
  let own: OwnAccountRuns;
  /** Where the copy keeps the second account's recording, as a reader keeps their own. */
  const RECORDING = join(".tmp", "second-account");

  beforeAll(async () => {
    own = await ownAccountRuns();
    dir = mkdtempSync(join(tmpdir(), "binder-"));
    repo = join(dir, "repo");
    // A fresh checkout of the working tree: what git would commit, nothing it ignores.
    const files = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" }).stdout.split("\0");
    for (const file of files.filter((f) => f && existsSync(join(PROJECT_ROOT, f)))) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      cpSync(join(PROJECT_ROOT, file), join(repo, file));
    }
    // On Binder the repository is the home folder; the npm cache there starts as a copy of ours.
    const cache = spawnSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).stdout.trim();
    if (existsSync(join(cache, "_cacache"))) await cp(join(cache, "_cacache"), join(repo, ".npm", "_cacache"), { recursive: true });
    const recording = join(own.recording, guide.guide.fixture);
    if (existsSync(recording)) {
      mkdirSync(join(repo, RECORDING), { recursive: true });
      cpSync(recording, join(repo, RECORDING, guide.guide.fixture));
    }
    await run(["chown", "-R", `${NOBODY}:${NOBODY}`, dir], { cwd: dir, log: join(dir, "chown.log") });
    chmodSync(dir, 0o755);
    // The Python this machine's own set-up uses (Binder's is its conda environment's).
    const python = spawnSync("python3", ["-c", "import os, sys; print(os.path.realpath(sys.executable)); print(os.path.realpath(sys.base_prefix))"], { encoding: "utf8" }).stdout.trim().split("\n");
    const mounts = exposePython(python[1], join(dir, "python"));
    const env = userEnvironment(repo, python[0]);

    await run(["unshare", ...asNobody("./binder/postBuild", mounts, true)], { cwd: repo, env, log: join(dir, "postBuild.log") });

    // Binder's own Python environment stands in as a bare venv borrowing the packages of the
    // project's .venv, but neither its kernels nor its settings: those only binder/start can add.
    const serverEnv = join(dir, "server-env");
    await run(["unshare", ...asNobody(`'${python[0]}' -m venv --without-pip '${serverEnv}'`, mounts, true)], { cwd: repo, env, log: join(dir, "server-env.log") });
    const sitePackages = (venv: string) => spawnSync(join(venv, "bin", "python"), ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).stdout.trim();
    writeFileSync(join(sitePackages(serverEnv), "borrowed.pth"), `${sitePackages(join(repo, ".venv"))}\n`);

    // repo2docker's entrypoint runs `binder/start <command>`; here the command is JupyterLab.
    const jupyterlab = [join(serverEnv, "bin", "python"), "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", `--port=${PORT}`, `--IdentityProvider.token=${token}`];
    server = spawn("unshare", asNobody(["./binder/start", ...jupyterlab].map((a) => `'${a}'`).join(" "), mounts, false), {
      cwd: repo,
      env: { ...env, JUPYTERLAB_DIR: join(repo, ".venv", "share", "jupyter", "lab"), ...settingsEnv({ mode: "replay", fixturesDir: join(repo, RECORDING) }) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    serverLog = (await waitForLab(server, PORT)).log;
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    server?.kill("SIGTERM");
    // The copy holds node_modules and .venv: removing it takes long enough to block the worker.
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`${guide.notebook} runs through the server in replay mode with no network, printing what the second account's recording run printed`, async () => {
    const runs = own.runs.get("second");
    const recordedNotebook = runs?.notebooks.find((nb, i) => nb.endsWith(`/${guide.guide.notebook}`) && runs.results[i].ok);
    expect(recordedNotebook, "the second account's record run of this guide failed (see test/own-account.test.ts)").toBeDefined();
    const recorded = executableCells(JSON.parse(readFileSync(recordedNotebook as string, "utf8")) as { cells: NotebookCell[] });
    const asReplay = asReplayed(own.second.account);
    // The client joins the server's network namespace: from here, its loopback cannot be reached.
    const websocketFlag = typeof WebSocket === "undefined" ? ["--experimental-websocket"] : [];
    const reportFile = join(dir, "report.json");
    const client = [process.execPath, ...websocketFlag, "--import", "tsx", join(__dirname, "run-through-server.ts"), `http://127.0.0.1:${PORT}`, token, guide.notebook, reportFile];
    await run(["nsenter", "--target", String(server!.pid), "--net", "--", ...client], { cwd: PROJECT_ROOT, log: join(dir, "client.log") }).catch((err: Error) => {
      throw new Error(`${err.message}\nserver:\n${serverLog().slice(-3000)}`);
    });
    noteExecution(guide.notebook);
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as RunReport;

    expect(report.kernelArgv[0], "the server's tslab kernel is the one postBuild registered in the copy").toBe(join(repo, "tools", "runner", "kernel", "tslab-kernel.cjs"));
    expect(report.fetchNewsDefault, "JupyterLab's news pop-up is off").toBe("false");
    expect(report.cells).toHaveLength(guide.cells.length);
    expect(report.cells[0].stdout).toMatch(/^Mode: replay: answers come from \.tmp\/second-account\//);
    expect(recorded).toHaveLength(guide.cells.length);
    const differing = report.cells.flatMap((cell, i) => {
      const got = { status: cell.status, stdout: comparable(cell.stdout), stderr: cell.stderr, errors: cell.errors };
      const want = { status: "ok", stdout: comparable(asReplay(printed(recorded[i], "stdout"))), stderr: printed(recorded[i], "stderr"), errors: [] };
      return JSON.stringify(got) === JSON.stringify(want) ? [] : [{ cell: i + 1, got, want }];
    });
    expect(differing).toEqual([]);
  }, 6 * 60 * 1000);
});

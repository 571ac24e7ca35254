#!/usr/bin/env node
// One-command set-up that `npm run guides`, `npm test`, `npm run lab` and `npm run bench` run first.
//
// Node built-ins only: it has to work before node_modules exists. It is idempotent and quiet:
// when everything is in place it only reads a few files (well under a second) and prints nothing.
// What it looks after, in order:
//   1. npm packages from package-lock.json (`npm ci`)
//   2. .venv with the pinned Jupyter packages from requirements.txt
//   3. the tslab kernelspec inside .venv, starting this project's tslab through
//      tools/runner/kernel/tslab-kernel.cjs (tslab with a later V8 tier-up on Node 20)
//   4. klaviyo-api's declarations bundled into one file, which tslab type-checks cells against much
//      faster (tools/runner/kernel/klaviyo-declarations.mjs; again when the lockfile changes)
//   5. node_modules/klaviyo-guides -> .. so notebooks can `import … from "klaviyo-guides"`
//   6. dist/ compiled from src/ (notebooks import the compiled helpers)
// Hashes of what was installed are kept in .setup-stamp.json (git-ignored).

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { declarationsFingerprint, declarationsInPlace } from "../runner/kernel/klaviyo-declarations.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const STAMP = path.join(ROOT, ".setup-stamp.json");
// A directory, because mkdir is atomic: concurrent `npm test` runs must not install twice at once.
const LOCK = path.join(ROOT, ".setup-lock");
const LOCK_STALE_MS = 20 * 60 * 1000;
const VENV = path.join(ROOT, ".venv");
const VENV_PYTHON = path.join(VENV, "bin", "python");
const TSLAB_BIN = path.join(ROOT, "node_modules", ".bin", "tslab");
const KERNEL_COMMAND = path.join(ROOT, "tools", "runner", "kernel", "tslab-kernel.cjs");
const DECLARATIONS_COMMAND = path.join(ROOT, "tools", "runner", "kernel", "klaviyo-declarations.mjs");
const KERNEL_JSON = path.join(VENV, "share", "jupyter", "kernels", "tslab", "kernel.json");
const PACKAGE_LINK = path.join(ROOT, "node_modules", "klaviyo-guides");
const MIN_NODE = 20;
/** The oldest Python the pins of requirements.txt install on (soupsieve 4 and others need 3.11.5). */
const MIN_PYTHON = [3, 11, 5];

class SetupError extends Error {}

const say = (message) => console.log(`setup: ${message}`);

function sha256(file) {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function writeJsonAtomically(file, value) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

function run(command, args, what, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", ...options });
  if (result.error) throw new SetupError(`${what} could not start ${command}: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${what} failed (${command} ${args.join(" ")} exited with ${result.status ?? result.signal}); see the output above`);
}

function checkNode() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < MIN_NODE) {
    throw new SetupError(`Node ${process.versions.node} is too old: install Node ${MIN_NODE} or newer (https://nodejs.org, or your package manager) and run again`);
  }
}

// ---- 1. npm packages -------------------------------------------------------------------------

/** True when every package the lockfile lists is installed at the locked version (hand installs count). */
function nodeModulesMatchLock() {
  const lock = readJson(path.join(ROOT, "package-lock.json"));
  if (!lock?.packages) return false;
  for (const [where, entry] of Object.entries(lock.packages)) {
    if (!where.startsWith("node_modules/") || entry.link) continue;
    const manifest = readJson(path.join(ROOT, where, "package.json"));
    if (!manifest) {
      if (entry.optional) continue; // platform-specific builds are skipped on other platforms
      return false;
    }
    if (entry.version && manifest.version !== entry.version) return false;
  }
  return true;
}

function npmCommand() {
  // Inside `npm run`, use the same npm that started us.
  const cli = process.env.npm_execpath;
  return cli && /npm-cli\.js$/.test(cli) ? [process.execPath, [cli]] : ["npm", []];
}

const npmStep = {
  name: "packageLock",
  fingerprint: () => sha256(path.join(ROOT, "package-lock.json")),
  isDone: (stamp, fp) => stamp.packageLock === fp && fs.existsSync(path.join(ROOT, "node_modules", ".bin", "tslab")),
  alreadySatisfied: () => nodeModulesMatchLock(),
  apply() {
    say("installing npm packages from package-lock.json (npm ci)…");
    const [command, prefix] = npmCommand();
    run(command, [...prefix, "ci", "--include=dev", "--no-audit", "--no-fund"], "npm ci");
  },
};

// ---- 2. Python virtual environment ---------------------------------------------------------

function pinnedRequirements() {
  return fs
    .readFileSync(path.join(ROOT, "requirements.txt"), "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => /^[A-Za-z0-9._-]+==\S+$/.test(line))
    .map((line) => line.toLowerCase().replace(/[-_.]+(?=.*==)/g, "_"));
}

/** True when the venv's site-packages holds every pinned name==version (read from *.dist-info names). */
function venvMatchesRequirements() {
  if (!fs.existsSync(VENV_PYTHON)) return false;
  const lib = path.join(VENV, "lib");
  const installed = new Set();
  for (const pythonDir of fs.existsSync(lib) ? fs.readdirSync(lib) : []) {
    const site = path.join(lib, pythonDir, "site-packages");
    if (!fs.existsSync(site)) continue;
    for (const entry of fs.readdirSync(site)) {
      const match = /^(.+)-([^-]+)\.dist-info$/.exec(entry);
      if (match) installed.add(`${match[1].toLowerCase().replace(/[-_.]+/g, "_")}==${match[2]}`);
    }
  }
  return pinnedRequirements().every((requirement) => installed.has(requirement));
}

function findPython() {
  const python = process.env.PYTHON || "python3";
  const probe = spawnSync(
    python,
    ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3]); import venv, ensurepip"],
    { encoding: "utf8" },
  );
  if (probe.error) {
    throw new SetupError(`${python} was not found. Install Python ${MIN_PYTHON.join(".")} or newer with venv support (Debian/Ubuntu: apt-get install python3 python3-venv; macOS: brew install python), or point PYTHON at one`);
  }
  const version = (probe.stdout.trim().split("\n")[0] || "0.0.0").split(".").map(Number);
  const differs = MIN_PYTHON.findIndex((part, i) => version[i] !== part);
  if (differs >= 0 && version[differs] < MIN_PYTHON[differs]) {
    throw new SetupError(`${python} is Python ${version.join(".")}; the pinned Jupyter packages need ${MIN_PYTHON.join(".")} or newer (Debian 12's python3 is 3.11.2). Install a newer Python and point PYTHON at it (PYTHON=python3.12 npm run setup)`);
  }
  if (probe.status !== 0) {
    throw new SetupError(`${python} cannot create virtual environments (the venv/ensurepip modules are missing). Install them: apt-get install python3-venv (Debian/Ubuntu)`);
  }
  return python;
}

const venvStep = {
  name: "requirements",
  fingerprint: () => sha256(path.join(ROOT, "requirements.txt")),
  isDone: (stamp, fp) => stamp.requirements === fp && fs.existsSync(VENV_PYTHON),
  alreadySatisfied: () => venvMatchesRequirements(),
  apply() {
    if (!fs.existsSync(VENV_PYTHON)) {
      const python = findPython();
      // A .venv whose interpreter vanished (Python upgraded or moved) cannot be repaired in place.
      fs.rmSync(VENV, { recursive: true, force: true });
      say(`creating .venv with ${python}…`);
      run(python, ["-m", "venv", VENV], "creating .venv");
    }
    say("installing Jupyter packages from requirements.txt into .venv (about a minute the first time)…");
    run(VENV_PYTHON, ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-r", "requirements.txt"], "pip install");
  },
};

// ---- 3. tslab kernelspec inside .venv -----------------------------------------------------

const kernelStep = {
  name: "kernel",
  fingerprint: () => KERNEL_COMMAND,
  isDone: () => readJson(KERNEL_JSON)?.argv?.[0] === KERNEL_COMMAND,
  alreadySatisfied: () => false,
  apply() {
    say("registering the tslab kernel in .venv…");
    // Run the bin script with this very node, so set-up does not depend on PATH.
    run(process.execPath, [TSLAB_BIN, "install", "--binary", KERNEL_COMMAND, "--python", VENV_PYTHON, "--prefix", VENV], "registering the tslab kernel", { stdio: ["ignore", "ignore", "inherit"] });
  },
};

// ---- 4. klaviyo-api's declarations in one file --------------------------------------------

const declarationsStep = {
  name: "klaviyoDeclarations",
  fingerprint: declarationsFingerprint,
  isDone: (stamp, fp) => stamp.klaviyoDeclarations === fp && declarationsInPlace(),
  alreadySatisfied: () => false,
  apply() {
    say("bundling klaviyo-api's type declarations into one file for the kernel (rollup-plugin-dts, about 10–30 s)…");
    run(process.execPath, [DECLARATIONS_COMMAND], "bundling klaviyo-api's declarations");
  },
};

// ---- 5. package link ----------------------------------------------------------------------

const linkStep = {
  name: "link",
  fingerprint: () => "..",
  isDone: () => {
    try {
      return fs.readlinkSync(PACKAGE_LINK) === "..";
    } catch {
      return false;
    }
  },
  alreadySatisfied: () => false,
  apply() {
    say("linking node_modules/klaviyo-guides -> .. (notebooks import the helpers by package name)");
    fs.rmSync(PACKAGE_LINK, { recursive: true, force: true });
    fs.symlinkSync("..", PACKAGE_LINK, "dir");
  },
};

// ---- 6. compiled helpers ------------------------------------------------------------------

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

/** Paths, sizes and mtimes of the build inputs: also notices files that were added or removed. */
function sourceFingerprint() {
  const inputs = [...listFiles(path.join(ROOT, "src")), path.join(ROOT, "tsconfig.json")].sort();
  const hash = createHash("sha256");
  for (const file of inputs) {
    const info = fs.statSync(file);
    hash.update(`${path.relative(ROOT, file)}\0${info.size}\0${info.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

const buildStep = {
  name: "src",
  fingerprint: sourceFingerprint,
  isDone: (stamp, fp) => stamp.src === fp && fs.existsSync(path.join(ROOT, "dist", "index.js")),
  alreadySatisfied: () => false,
  /**
   * A type error in src/ is reported but does not stop set-up: tsc still emits dist/, and the
   * tests and notebooks that do not touch the broken module should keep working while someone
   * is mid-edit. The stamp is not updated, so the next run compiles again.
   */
  apply() {
    say("compiling src/ to dist/ (tsc)…");
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: ROOT, stdio: "inherit" });
    if (result.status === 0) return true;
    say("warning: src/ does not compile (tsc errors above); dist/ was emitted anyway, but notebooks importing the broken helpers may fail. Fix src/ and run again.");
    return false;
  },
};

// The declarations come before the build: tsc over src/ resolves klaviyo-api's types through them too.
const STEPS = [npmStep, venvStep, kernelStep, declarationsStep, linkStep, buildStep];

// ---- driver -------------------------------------------------------------------------------

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock(work) {
  let waited = false;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(LOCK).mtimeMs;
      } catch {
        continue; // released between our mkdir and stat
      }
      if (age > LOCK_STALE_MS) {
        fs.rmSync(LOCK, { recursive: true, force: true }); // left behind by a killed set-up
        continue;
      }
      if (!waited) say("another set-up is running in this folder; waiting for it…");
      waited = true;
      sleep(500);
    }
  }
  const release = () => fs.rmSync(LOCK, { recursive: true, force: true });
  process.once("exit", release);
  try {
    return work();
  } finally {
    release();
  }
}

function needsWork(stamp) {
  return STEPS.some((step) => !step.isDone(stamp, step.fingerprint()));
}

function main() {
  checkNode();
  if (!needsWork(readJson(STAMP) ?? {})) return;
  withLock(() => {
    const stamp = readJson(STAMP) ?? {};
    // Steps are judged one after another: an earlier one (npm ci) can undo a later one (the link).
    for (const step of STEPS) {
      // Fingerprint before applying, so a file edited meanwhile triggers another run next time.
      const fp = step.fingerprint();
      if (step.isDone(stamp, fp)) continue;
      const ok = step.alreadySatisfied() || step.apply() !== false;
      if (!ok) continue;
      stamp[step.name] = fp;
      writeJsonAtomically(STAMP, stamp);
    }
  });
}

try {
  main();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(`setup failed: ${error.message}`);
  process.exit(1);
}

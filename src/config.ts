/**
 * Where the guides' settings come from and which mode they imply. `.env` is read from the project
 * root, not the working directory, because Jupyter starts kernels in the notebook's folder.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { config as loadDotenv } from "dotenv";
import { API_ORIGIN } from "./api-origin";
import { MissingKeyError } from "./errors";
import { guideEntry, type Guide, type KeyVariable } from "./guides";
import { SETTINGS, WRITES_ON } from "./settings";

/** replay: answers from fixtures; live: real requests; record: live and saved as fixtures. */
export const MODES = ["replay", "live", "record"] as const;
export type Mode = (typeof MODES)[number];

const PACKAGE_NAME = "klaviyo-guides";

/** Everything connect() needs, resolved once. Keys are kept here only to build the session. */
export interface GuideConfig {
  guide: Guide;
  mode: Mode;
  projectRoot: string;
  envFile: string;
  baseUrl: string;
  privateKey?: string;
  publicKey?: string;
  allowWrites: boolean;
  /** KLAVIYO_CLOCK, when set. */
  clock?: Date;
  fixtureFile: string;
  /** The variable whose presence makes this guide default to live mode (from the guide registry). */
  keyVariable: KeyVariable;
}

/**
 * Walks up from `start` to the folder whose package.json is named "klaviyo-guides"; the compiled
 * helpers may run from dist/, src/ (tests) or through the node_modules/klaviyo-guides symlink.
 */
export function findProjectRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
      if (name === PACKAGE_NAME) return dir;
    }
    if (dirname(dir) === dir) {
      throw new Error(`No package.json named "${PACKAGE_NAME}" above ${start}; the helpers must run from inside the guides project.`);
    }
  }
}

/** An unset variable and an empty one mean the same: `KEY=` in .env is how people blank a key. */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Resolves the settings for a guide from an environment (pure: tests pass their own).
 * Explicit KLAVIYO_MODE wins; otherwise live when the guide's key is set, else replay.
 * An id missing from the registry (src/guides.ts) throws a RangeError naming the registered ones.
 */
export function readConfig(guide: Guide, env: NodeJS.ProcessEnv, projectRoot: string): GuideConfig {
  const { keyVariable, fixture } = guideEntry(guide);
  const envFile = join(projectRoot, ".env");
  const privateKey = read(env, SETTINGS.privateKey);
  const publicKey = read(env, SETTINGS.publicKey);
  const guideKey = read(env, keyVariable);

  const requested = read(env, SETTINGS.mode)?.toLowerCase();
  if (requested !== undefined && !(MODES as readonly string[]).includes(requested)) {
    throw new RangeError(`${SETTINGS.mode}="${requested}" is not a mode; use replay, live or record (set in ${envFile} or the environment).`);
  }
  const mode: Mode = (requested as Mode | undefined) ?? (guideKey ? "live" : "replay");
  if (mode !== "replay" && !guideKey) {
    const why = requested ? `${SETTINGS.mode}=${mode} sends real requests for the "${guide}" guide` : `Live mode for the "${guide}" guide`;
    throw new MissingKeyError(keyVariable, envFile, why);
  }

  const clockText = read(env, SETTINGS.clock);
  const clock = clockText === undefined ? undefined : new Date(clockText);
  if (clock && Number.isNaN(clock.getTime())) {
    throw new RangeError(`${SETTINGS.clock}="${clockText}" is not an ISO 8601 instant (e.g. 2026-11-20T12:00:00Z); fix it in ${envFile} or unset it.`);
  }

  const baseUrl = (read(env, SETTINGS.baseUrl) ?? API_ORIGIN).replace(/\/+$/, "");
  // A relative folder means the project's, not the kernel's working directory (the notebook folder).
  const fixturesDir = resolve(projectRoot, read(env, SETTINGS.fixturesDir) ?? "data");
  return {
    guide, mode, projectRoot, envFile, baseUrl, privateKey, publicKey, clock, keyVariable,
    allowWrites: read(env, SETTINGS.allowWrites) === WRITES_ON,
    fixtureFile: join(fixturesDir, fixture),
  };
}

/** Loads `<project root>/.env` into process.env (never overriding what is set) and resolves the settings. */
export function loadConfig(guide: Guide, projectRoot: string = findProjectRoot()): GuideConfig {
  loadDotenv({ path: join(projectRoot, ".env"), quiet: true, override: false });
  return readConfig(guide, process.env, projectRoot);
}

/**
 * Where the guides' settings come from and which mode they imply. `.env` is read from the project
 * root, not the working directory, because Jupyter starts kernels in the notebook's folder.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { config as loadDotenv } from "dotenv";
import { MissingKeyError } from "./errors";

/** The guides; each has its own fixture file `data/<guide>.json`. */
export type Guide = "customer-data" | "client-side" | "server-side";
/** replay: answers from fixtures; live: real requests; record: live and saved as fixtures. */
export type Mode = "replay" | "live" | "record";

export const DEFAULT_BASE_URL = "https://a.klaviyo.com";
const PACKAGE_NAME = "klaviyo-guides";
const MODES: readonly Mode[] = ["replay", "live", "record"];
const GUIDES: readonly Guide[] = ["customer-data", "client-side", "server-side"];
/** Guides that talk to `/api/*` with a private key; the others use the public key. */
const PRIVATE_KEY_GUIDES: readonly Guide[] = ["customer-data", "server-side"];

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
  /** The variable whose presence makes this guide default to live mode. */
  keyVariable: "KLAVIYO_PRIVATE_KEY" | "KLAVIYO_PUBLIC_KEY";
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
 */
export function readConfig(guide: Guide, env: NodeJS.ProcessEnv, projectRoot: string): GuideConfig {
  if (!GUIDES.includes(guide)) throw new RangeError(`Unknown guide "${guide}"; use one of: ${GUIDES.join(", ")}.`);
  const envFile = join(projectRoot, ".env");
  const keyVariable = PRIVATE_KEY_GUIDES.includes(guide) ? "KLAVIYO_PRIVATE_KEY" : "KLAVIYO_PUBLIC_KEY";
  const privateKey = read(env, "KLAVIYO_PRIVATE_KEY");
  const publicKey = read(env, "KLAVIYO_PUBLIC_KEY");
  const guideKey = PRIVATE_KEY_GUIDES.includes(guide) ? privateKey : publicKey;

  const requested = read(env, "KLAVIYO_MODE")?.toLowerCase();
  if (requested !== undefined && !MODES.includes(requested as Mode)) {
    throw new RangeError(`KLAVIYO_MODE="${requested}" is not a mode; use replay, live or record (set in ${envFile} or the environment).`);
  }
  const mode: Mode = (requested as Mode | undefined) ?? (guideKey ? "live" : "replay");
  if (mode !== "replay" && !guideKey) {
    const why = requested ? `KLAVIYO_MODE=${mode} sends real requests for the "${guide}" guide` : `Live mode for the "${guide}" guide`;
    throw new MissingKeyError(keyVariable, envFile, why);
  }

  const clockText = read(env, "KLAVIYO_CLOCK");
  const clock = clockText === undefined ? undefined : new Date(clockText);
  if (clock && Number.isNaN(clock.getTime())) {
    throw new RangeError(`KLAVIYO_CLOCK="${clockText}" is not an ISO 8601 instant (e.g. 2026-11-20T12:00:00Z); fix it in ${envFile} or unset it.`);
  }

  const baseUrl = (read(env, "KLAVIYO_BASE_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  // A relative folder means the project's, not the kernel's working directory (the notebook folder).
  const fixturesDir = resolve(projectRoot, read(env, "KLAVIYO_FIXTURES_DIR") ?? "data");
  return {
    guide, mode, projectRoot, envFile, baseUrl, privateKey, publicKey, clock, keyVariable,
    allowWrites: read(env, "KLAVIYO_ALLOW_WRITES") === "1",
    fixtureFile: join(fixturesDir, `${guide}.json`),
  };
}

/** Loads `<project root>/.env` into process.env (never overriding what is set) and resolves the settings. */
export function loadConfig(guide: Guide, projectRoot: string = findProjectRoot()): GuideConfig {
  loadDotenv({ path: join(projectRoot, ".env"), quiet: true, override: false });
  return readConfig(guide, process.env, projectRoot);
}

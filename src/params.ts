/**
 * Guide parameters: the account-specific choices a guide makes (a list's name, metric names, an
 * analysis window, a time zone), with the demo account's values as defaults, so a reader can run a
 * guide on their own account without editing a cell.
 *
 * Each parameter `someName` is read from the variable `KLAVIYO_PARAM_SOME_NAME` (the environment or
 * `.env`). In replay mode the environment does not count: the values are those the recording was
 * made with (the fixture notes any that were set; the demo's recordings set none, so their
 * defaults apply), since the fixture holds the answers to the requests those values made.
 */
import type { Mode } from "./config";
import { PARAM_PREFIX } from "./settings";

/** A parameter's value: text, or a number when the default is a number. */
export type ParamValue = string | number;

/** `newsletterList` → `KLAVIYO_PARAM_NEWSLETTER_LIST`. */
export function paramVariable(name: string): string {
  return `${PARAM_PREFIX}${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

/** Where each value came from, for the printed summary. */
export interface ResolvedParams<T extends Record<string, ParamValue>> {
  values: T;
  /** Names whose value came from the environment (in replay: the recorded run's environment). */
  overridden: (keyof T & string)[];
  /** Names set in the environment but not used because the mode is replay. */
  ignored: (keyof T & string)[];
  /** Whether the values are a recording's (replay). */
  replayed: boolean;
}

/** What a connection tells `guideParams` beyond its mode (src/connect.ts fills it). */
export interface ParamsRecord {
  /** Replay: the parameters the recording was made with (its fixture's `params`). */
  recorded?: Record<string, ParamValue>;
  /** Record: notes the parameters taken from the environment in the fixture being written. */
  note?: (params: Record<string, ParamValue>) => void;
}

/**
 * Resolves parameters against an environment (pure: tests pass their own). A number default
 * requires a numeric value; an empty variable means "unset".
 */
export function resolveParams<T extends Record<string, ParamValue>>(
  mode: Mode, defaults: T, env: NodeJS.ProcessEnv, recorded: Record<string, ParamValue> = {},
): ResolvedParams<T> {
  if (mode === "replay") return replayedParams(defaults, env, recorded);
  const values = { ...defaults };
  const overridden: (keyof T & string)[] = [];
  for (const name of Object.keys(defaults) as (keyof T & string)[]) {
    const variable = paramVariable(name);
    const text = env[variable]?.trim();
    if (!text) continue;
    if (typeof defaults[name] === "number") {
      const value = Number(text);
      if (!Number.isFinite(value)) throw new RangeError(`${variable}="${text}" is not a number; fix it in .env or unset it to use ${defaults[name]}.`);
      values[name] = value as T[typeof name];
    } else {
      values[name] = text as T[typeof name];
    }
    overridden.push(name);
  }
  return { values, overridden, ignored: [], replayed: false };
}

/** Replay: the recorded run's values over the defaults; what the environment says is only reported. */
function replayedParams<T extends Record<string, ParamValue>>(defaults: T, env: NodeJS.ProcessEnv, recorded: Record<string, ParamValue>): ResolvedParams<T> {
  const names = Object.keys(defaults) as (keyof T & string)[];
  const values = { ...defaults };
  const overridden = names.filter((name) => recorded[name] !== undefined && typeof recorded[name] === typeof defaults[name]);
  for (const name of overridden) values[name] = recorded[name] as T[typeof name];
  const ignored = names.filter((name) => Boolean(env[paramVariable(name)]?.trim()));
  return { values, overridden, ignored, replayed: true };
}

/** The printed summary: one line per parameter, saying which were set and how to set the others. */
export function describeParams<T extends Record<string, ParamValue>>(resolved: ResolvedParams<T>): string {
  const names = Object.keys(resolved.values);
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((name) => {
    const from = resolved.overridden.includes(name) ? `  (from ${paramVariable(name)})` : "";
    return `  ${name.padEnd(width)} = ${JSON.stringify(resolved.values[name])}${from}`;
  });
  const head = !resolved.overridden.length
    ? "Parameters (the demo account's; in live mode set KLAVIYO_PARAM_<NAME> in .env to change one):"
    : resolved.replayed
      ? "Parameters (some set in the environment of the run that made this recording):"
      : "Parameters (some set in your environment):";
  const note = resolved.ignored.length
    ? [`  Replay mode uses the values the recording was made with: ${resolved.ignored.map(paramVariable).join(", ")} ignored (they apply in live and record mode).`]
    : [];
  return [head, ...lines, ...note].join("\n");
}

/**
 * The guide's parameters for this connection, printed once.
 *
 * @example
 * const params = guideParams(kv, { newsletterList: "Newsletter", bfcmStart: "2025-11-28T00:00:00Z" });
 * // live mode with KLAVIYO_PARAM_NEWSLETTER_LIST=VIP in .env → params.newsletterList === "VIP"
 */
export function guideParams<T extends Record<string, ParamValue>>(
  connection: { mode: Mode; paramsRecord?: ParamsRecord }, defaults: T, env: NodeJS.ProcessEnv = process.env,
): T {
  const resolved = resolveParams(connection.mode, defaults, env, connection.paramsRecord?.recorded);
  if (!resolved.replayed && resolved.overridden.length) {
    connection.paramsRecord?.note?.(Object.fromEntries(resolved.overridden.map((name) => [name, resolved.values[name]])));
  }
  console.log(describeParams(resolved));
  return resolved.values;
}

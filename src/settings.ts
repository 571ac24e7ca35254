/**
 * The variables a reader sets in `.env` (or the environment) to point the guides at an account, in
 * their one spelling. The helpers read them (config.ts) and name them in messages; the tools set
 * them to point a guide at the local stand-in (the recorder, the own-account test, `serve`).
 */

/** Each setting by what it means. */
export const SETTINGS = {
  /** `replay` | `live` | `record`. */
  mode: "KLAVIYO_MODE",
  /** Private API key (`pk_…`) for `/api/*`. */
  privateKey: "KLAVIYO_PRIVATE_KEY",
  /** Public API key (site ID, `company_id`) for `/client/*`. */
  publicKey: "KLAVIYO_PUBLIC_KEY",
  /** Exactly `WRITES_ON` lets live and record mode send requests that change the account. */
  allowWrites: "KLAVIYO_ALLOW_WRITES",
  /** Where requests go instead of https://a.klaviyo.com (the local stand-in). */
  baseUrl: "KLAVIYO_BASE_URL",
  /** An ISO instant fixing "now" in live and record mode. */
  clock: "KLAVIYO_CLOCK",
  /** The folder of the recorded fixtures. */
  fixturesDir: "KLAVIYO_FIXTURES_DIR",
} as const;

export type Setting = keyof typeof SETTINGS;
/** A setting's variable name, e.g. `"KLAVIYO_MODE"`. */
export type SettingVariable = (typeof SETTINGS)[Setting];

/** The one value of `KLAVIYO_ALLOW_WRITES` that turns writes on; anything else (`0`, `false`, empty) leaves them off. */
export const WRITES_ON = "1";

/** Guide parameters are read from `KLAVIYO_PARAM_<NAME>` (params.ts). */
export const PARAM_PREFIX = "KLAVIYO_PARAM_";

/**
 * Settings as environment variables, for a kernel or a `.env`.
 *
 * @example settingsEnv({ mode: "live", allowWrites: WRITES_ON }) // { KLAVIYO_MODE: "live", KLAVIYO_ALLOW_WRITES: "1" }
 */
export function settingsEnv(values: Partial<Record<Setting, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [setting, value] of Object.entries(values) as [Setting, string | undefined][]) {
    if (value !== undefined) env[SETTINGS[setting]] = value;
  }
  return env;
}

/** True for a variable that points the guides somewhere: a setting or a guide parameter. */
export function isGuideVariable(name: string): boolean {
  return name.startsWith(PARAM_PREFIX) || (Object.values(SETTINGS) as string[]).includes(name);
}

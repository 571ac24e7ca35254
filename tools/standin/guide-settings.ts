/**
 * How a guide is pointed at the stand-in: the one place the tools (the recorder, `serve`, the
 * own-account test) take the stand-in's fake key and clock from.
 */
import type { Setting } from "../../src/settings";
import { DEMO_NOW } from "./account";

/**
 * The private key the guides send to the stand-in. Fake: the stand-in checks only its `pk_` shape,
 * and recordings never keep a key anyway.
 */
export const STAND_IN_PRIVATE_KEY = "pk_demo_0000000000000000000000000000000000";

/**
 * The settings that point a guide at the stand-in at `url` serving `account`, with the clock at the
 * demo's "now" so that runs are reproducible.
 *
 * @example settingsEnv(standInSettings(server.url, account)) // KLAVIYO_BASE_URL, keys and clock
 */
export function standInSettings(url: string, account: { companyId: string }): Record<Extract<Setting, "baseUrl" | "privateKey" | "publicKey" | "clock">, string> {
  return { baseUrl: url, privateKey: STAND_IN_PRIVATE_KEY, publicKey: account.companyId, clock: DEMO_NOW };
}

/**
 * The newsletter sign-up pop-up: its submits are the account's "Subscribed to List" events from the
 * form (each newsletter sign-up since the history starts), its views and closes a day are drawn
 * around a believable rate (views are anonymous visitors, so they leave no profile events).
 */
import type { DemoEvent } from "../account";
import type { DemoForm, FormDay } from "../marketing";
import { shortId } from "../random";
import type { Random } from "../random";
import { DAY, seasonal } from "./calendar";

/** Pop-up views a day at the demo store's size, before the season. */
const VIEWS_PER_DAY = 28;
const CREATED = "2024-08-26T14:00:00+00:00";

/** A count around `mean`, within 15 % either side. */
function around(rng: Random, mean: number): number {
  return Math.round(mean * (0.85 + 0.3 * rng.next()));
}

/** The sign-up form; `signups` are the "Subscribed to List" events it brought, in time order. */
export function makeSignupForm(rng: Random, signups: readonly DemoEvent[], startMs: number, nowMs: number, orderRate: number): DemoForm {
  const days: FormDay[] = [];
  for (let day = startMs; day < nowMs; day += DAY) {
    const viewed = around(rng, VIEWS_PER_DAY * seasonal(day) * orderRate);
    const viewedUniques = Math.round(viewed * (0.78 + 0.08 * rng.next()));
    const closed = Math.round(viewed * (0.55 + 0.1 * rng.next()));
    const qualified = Math.round(viewed * (1.1 + 0.1 * rng.next()));
    days.push({
      day,
      qualified,
      qualifiedUniques: Math.round(qualified * 0.82),
      viewed,
      viewedUniques,
      closed,
      closedUniques: Math.round(closed * 0.9),
    });
  }
  return {
    id: shortId(rng),
    versionId: String(rng.int(1_000_000, 9_999_999)),
    name: "Newsletter pop-up: 10% off",
    created: CREATED,
    days,
    submits: signups.map((e) => e.timestamp * 1000),
  };
}

/**
 * The demo store's clock and seasons: how many orders and views a day sees, by hour, weekday and
 * month, with the store growing slowly over its history.
 */
import { BFCM_2025, DEMO_NOW, HISTORY_START } from "../account";

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** Black Friday (00:00 UTC) of each year the account has: orders peak, and a text campaign goes out. */
export const BLACK_FRIDAYS: readonly string[] = ["2024-11-29T00:00:00Z", BFCM_2025.start];
/** Orders by UTC hour: US afternoons and evenings. */
export const HOUR_WEIGHTS = [8, 7, 5, 3, 2, 1, 1, 1, 1, 1, 2, 3, 4, 6, 7, 8, 8, 7, 7, 7, 8, 9, 9, 9];
/** Orders by weekday (Sunday first): weekends and Mondays sell more. */
const WEEKDAY_FACTOR = [1.2, 1.1, 0.95, 0.95, 1.0, 0.9, 1.15];
/** Orders by month (January first): a November/December holiday season. */
const MONTH_FACTOR = [0.75, 0.75, 0.85, 0.9, 1.0, 0.9, 0.85, 0.9, 1.0, 1.1, 1.45, 1.8];

/** Demand multiplier for a day: month, weekday and slow growth of the store. */
export function seasonal(dayMs: number): number {
  const d = new Date(dayMs);
  const growth = 0.8 + 0.4 * ((dayMs - Date.parse(HISTORY_START)) / (Date.parse(DEMO_NOW) - Date.parse(HISTORY_START)));
  let month = MONTH_FACTOR[d.getUTCMonth()];
  if (d.getUTCMonth() === 11 && d.getUTCDate() > 22) month = 0.9; // after the last shipping day
  return month * WEEKDAY_FACTOR[d.getUTCDay()] * growth;
}

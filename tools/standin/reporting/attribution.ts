/**
 * Which e-mail gets the credit for a conversion: Klaviyo's default for new accounts (help center,
 * "message attribution settings"): last touch, where an e-mail's open or click counts for 5 days.
 * Each event of the conversion metric is credited to the send whose open or click came last before
 * it, if that was at most 5 days earlier; events with no such touch are credited to no e-mail. So
 * the conversions a report shows are real events of the account, counted by the send they followed.
 */
import type { DemoAccount } from "../account";
import { DAY } from "../generator/calendar";
import type { Send } from "../marketing";

/** How long an e-mail open or click keeps its claim on a conversion (Klaviyo's default, both 5 days). */
export const ATTRIBUTION_WINDOW_MS = 5 * DAY;

/** The conversions credited to one send: how many, and their summed `$value`. */
export interface Credit {
  conversions: number;
  value: number;
}

/** Every send of the account: its campaigns' and its flows'. */
export function allSends(account: DemoAccount): Send[] {
  const messages = [...account.campaigns.map((c) => c.message), ...account.flows.flatMap((f) => f.steps.map((s) => s.message))];
  return messages.flatMap((m) => m.sends);
}

/** The index of the last of `times` at or before `at`, or -1 (times sorted). */
function lastAtOrBefore(times: readonly number[], at: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The credit each send earned from the events of metric `metricId` (sends with none are absent). */
export function attribute(account: DemoAccount, metricId: string): Map<Send, Credit> {
  const touches = new Map<string, { at: number; send: Send }[]>();
  for (const send of allSends(account)) {
    for (const at of [...send.opens, ...send.clicks]) {
      const own = touches.get(send.profileId);
      if (own) own.push({ at, send });
      else touches.set(send.profileId, [{ at, send }]);
    }
  }
  const times = new Map<string, number[]>();
  for (const [profileId, own] of touches) {
    own.sort((a, b) => a.at - b.at);
    times.set(profileId, own.map((t) => t.at));
  }
  const credits = new Map<Send, Credit>();
  for (const event of account.events) {
    if (event.metricId !== metricId) continue;
    const at = event.timestamp * 1000;
    const i = lastAtOrBefore(times.get(event.profileId) ?? [], at);
    if (i < 0) continue;
    const touch = (touches.get(event.profileId) as { at: number; send: Send }[])[i];
    if (at - touch.at > ATTRIBUTION_WINDOW_MS) continue;
    const credit = credits.get(touch.send) ?? { conversions: 0, value: 0 };
    const value = event.event_properties.$value;
    credits.set(touch.send, { conversions: credit.conversions + 1, value: credit.value + (typeof value === "number" ? value : 0) });
  }
  return credits;
}

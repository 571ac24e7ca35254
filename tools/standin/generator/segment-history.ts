/**
 * The segments' rules, and who was in each segment when: every span of membership the account's
 * orders and opens imply since the segment was created, so a report of members added, removed and
 * in total over time (the Reporting API's segment reports) agrees with today's members.
 */
import type { DemoEvent } from "../account";
import type { MembershipSpan } from "../marketing";
import { DAY } from "./calendar";
import type { Order } from "./orders";

/** A buyer joins "Repeat buyers" this long after their second order (the segment's processing). */
export const REPEAT_JOIN_DELAY = 10 * 60_000;
/** "Lapsed customers": no order for this long. */
export const LAPSED_AFTER = 180 * DAY;
/** "Engaged": opened an e-mail within this long. */
export const ENGAGED_FOR = 90 * DAY;

/** Spans clipped to the segment's creation (everyone who qualified then joined at once), ended ones open at `nowMs`. */
function clip(spans: MembershipSpan[], createdMs: number, nowMs: number): MembershipSpan[] {
  return spans
    .filter((s) => (s.to ?? Infinity) > createdMs && s.from < nowMs)
    .map((s) => ({ profileId: s.profileId, from: Math.max(s.from, createdMs), to: s.to !== null && s.to >= nowMs ? null : s.to }))
    .sort((a, b) => a.from - b.from || (a.profileId < b.profileId ? -1 : 1));
}

/** Each profile's Shopify order times, in order. */
function orderTimes(shopifyOrders: readonly Order[]): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const order of shopifyOrders) times.set(order.profileId, [...(times.get(order.profileId) ?? []), order.at]);
  return times;
}

/** "Repeat buyers": from the second order on, for good. */
export function repeatBuyerSpans(shopifyOrders: readonly Order[], createdMs: number, nowMs: number): MembershipSpan[] {
  const spans: MembershipSpan[] = [];
  for (const [profileId, times] of orderTimes(shopifyOrders)) {
    if (times.length >= 2) spans.push({ profileId, from: times[1] + REPEAT_JOIN_DELAY, to: null });
  }
  return clip(spans, createdMs, nowMs);
}

/** "Lapsed customers": from 180 days after an order until the next order, if any. */
export function lapsedSpans(shopifyOrders: readonly Order[], createdMs: number, nowMs: number): MembershipSpan[] {
  const spans: MembershipSpan[] = [];
  for (const [profileId, times] of orderTimes(shopifyOrders)) {
    times.forEach((at, i) => {
      const next = i + 1 < times.length ? times[i + 1] : null;
      if (next === null || next - at > LAPSED_AFTER) spans.push({ profileId, from: at + LAPSED_AFTER, to: next });
    });
  }
  return clip(spans, createdMs, nowMs);
}

/** "Engaged": from an open until 90 days after the last open that follows within 90 days. */
export function engagedSpans(events: readonly DemoEvent[], openedMetricId: string, createdMs: number, nowMs: number): MembershipSpan[] {
  const open = new Map<string, MembershipSpan>();
  const spans: MembershipSpan[] = [];
  for (const e of events) {
    if (e.metricId !== openedMetricId) continue;
    const at = e.timestamp * 1000;
    const current = open.get(e.profileId);
    if (current && (current.to as number) >= at) current.to = at + ENGAGED_FOR;
    else {
      const span = { profileId: e.profileId, from: at, to: at + ENGAGED_FOR };
      open.set(e.profileId, span);
      spans.push(span);
    }
  }
  return clip(spans, createdMs, nowMs);
}

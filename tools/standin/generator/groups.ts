/**
 * The account's lists (Newsletter, VIP, SMS Subscribers, Sample Data List) and segments (repeat
 * buyers, engaged, lapsed), each member with the time they joined, each segment with its history
 * (segment-history.ts: the rules).
 */
import { apiDatetime } from "../account";
import type { DemoEvent, DemoList, DemoSegment, Membership } from "../account";
import type { MembershipSpan } from "../marketing";
import { shortId } from "../random";
import type { Random } from "../random";
import { HOUR } from "./calendar";
import type { Order } from "./orders";
import type { Person } from "./people";
import { ENGAGED_FOR, engagedSpans, LAPSED_AFTER, lapsedSpans, REPEAT_JOIN_DELAY, repeatBuyerSpans } from "./segment-history";

/** Members in the order the API lists them: by the time they joined, then by profile id. */
function byJoin(a: Membership, b: Membership): number {
  return a.joinedAt < b.joinedAt ? -1 : a.joinedAt > b.joinedAt ? 1 : a.profileId < b.profileId ? -1 : 1;
}

/** Members who joined when their `nth` Shopify order came in, `afterMs` later. */
function joinedAtOrder(shopifyOrders: Order[], nth: number, afterMs: number): Membership[] {
  const counts = new Map<string, number>();
  const members: Membership[] = [];
  for (const order of shopifyOrders) {
    const n = (counts.get(order.profileId) ?? 0) + 1;
    counts.set(order.profileId, n);
    if (n === nth) members.push({ profileId: order.profileId, joinedAt: apiDatetime(order.at + afterMs) });
  }
  return members;
}

export function makeLists(rng: Random, people: Person[], shopifyOrders: Order[]): DemoList[] {
  const member = (p: Person, at: number): Membership => ({ profileId: p.id, joinedAt: apiDatetime(at) });
  const subscribed = (joined: number | null, left: number | null): boolean => joined !== null && left === null;
  const newsletter = people
    .filter((p) => subscribed(p.newsletterJoinedMs, p.emailUnsubMs))
    .map((p) => member(p, p.newsletterJoinedMs as number));
  const sms = people.filter((p) => subscribed(p.smsJoinedMs, p.smsUnsubMs)).map((p) => member(p, p.smsJoinedMs as number));
  // VIP: joined when their third Shopify order came in.
  const vip = joinedAtOrder(shopifyOrders, 3, 5 * 60_000);

  const sampleJoined = Date.parse("2024-06-01T10:05:00Z");
  const early = people.filter((p) => p.createdMs < Date.parse("2024-09-01T00:00:00Z"));
  const sample = rng
    .shuffle(early)
    .slice(0, 50)
    .map((p) => member(p, Math.max(sampleJoined, p.createdMs + 60_000)));

  const make = (name: string, created: string, optIn: DemoList["opt_in_process"], members: Membership[]): DemoList => ({
    id: shortId(rng),
    name,
    created,
    updated: created,
    opt_in_process: optIn,
    members: members.sort(byJoin),
  });
  return [
    make("Newsletter", "2024-06-01T10:00:00+00:00", "double_opt_in", newsletter),
    make("VIP", "2024-10-14T16:30:00+00:00", "single_opt_in", vip),
    make("SMS Subscribers", "2024-06-01T10:02:00+00:00", "single_opt_in", sms),
    make("Sample Data List", "2024-06-01T10:05:00+00:00", "single_opt_in", sample),
  ];
}

export function makeSegments(
  rng: Random,
  people: Person[],
  shopifyOrders: Order[],
  events: DemoEvent[],
  openedMetricId: string,
  nowMs: number,
): DemoSegment[] {
  const repeat = joinedAtOrder(shopifyOrders, 2, REPEAT_JOIN_DELAY);
  const lastOrder = new Map<string, number>();
  for (const order of shopifyOrders) lastOrder.set(order.profileId, order.at);
  const lapsedCutoff = nowMs - LAPSED_AFTER;
  const lapsed = [...lastOrder.entries()]
    .filter(([, at]) => at < lapsedCutoff)
    .map(([profileId, at]) => ({ profileId, joinedAt: apiDatetime(at + LAPSED_AFTER) }));
  const engagedSince = nowMs - ENGAGED_FOR;
  const firstOpen = new Map<string, number>();
  for (const e of events) {
    if (e.metricId === openedMetricId && e.timestamp * 1000 >= engagedSince && !firstOpen.has(e.profileId)) {
      firstOpen.set(e.profileId, e.timestamp * 1000);
    }
  }
  const engaged = [...firstOpen.entries()].map(([profileId, at]) => ({ profileId, joinedAt: apiDatetime(at) }));
  const known = new Set(people.map((p) => p.id));
  type Spans = (createdMs: number) => MembershipSpan[];
  const make = (name: string, created: string, starred: boolean, members: Membership[], spans: Spans): DemoSegment => ({
    id: shortId(rng),
    name,
    created,
    updated: apiDatetime(nowMs - 3 * HOUR),
    is_active: true,
    is_processing: false,
    is_starred: starred,
    members: members.filter((m) => known.has(m.profileId)).sort(byJoin),
    history: spans(Date.parse(created)).filter((m) => known.has(m.profileId)),
  });
  const repeatHistory: Spans = (created) => repeatBuyerSpans(shopifyOrders, created, nowMs);
  const engagedHistory: Spans = (created) => engagedSpans(events, openedMetricId, created, nowMs);
  const lapsedHistory: Spans = (created) => lapsedSpans(shopifyOrders, created, nowMs);
  return [
    make("Repeat buyers", "2024-10-14T16:40:00+00:00", true, repeat, repeatHistory),
    make("Engaged (opened email, last 90 days)", "2024-09-02T09:00:00+00:00", false, engaged, engagedHistory),
    make("Lapsed customers (no order in 180 days)", "2025-01-06T11:15:00+00:00", false, lapsed, lapsedHistory),
  ];
}

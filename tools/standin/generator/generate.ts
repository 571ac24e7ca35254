/**
 * Seeded generator of the demo Klaviyo account behind the stand-in server and the recorded fixtures.
 *
 * The account tells a small, believable story so the guides have something to find: an outdoor
 * store selling on Shopify (plus a few wholesale buyers on WooCommerce, hence two "Placed Order" and
 * two "Ordered Product" metrics), large enough for Klaviyo's predictive analytics (over 500
 * customers with orders), weekly e-mail campaigns to its newsletter and fortnightly text campaigns
 * from a US toll-free number, unsubscribes that follow the sending (more in the holiday season), and
 * a Black Friday / Cyber Monday 2025 a few times a usual November day, with first-time and
 * returning buyers. Same seed, same account, byte for byte: nothing reads the real clock or
 * `Math.random`, and the steps below draw from one random source in a fixed order (reordering them
 * changes the account); the campaigns, flows and forms the reports count come last, from a source
 * of their own.
 */
import { byTimeThenId, DEMO_COMPANY_ID, DEMO_NOW, DEMO_TIMEZONE, HISTORY_START } from "../account";
import type { DemoAccount, DemoEvent } from "../account";
import { Random } from "../random";
import { recordSignups, sendCampaigns } from "./email";
import { eventRecorder, recordBrowsing, recordCheckouts, recordDeletedMetricEvents, recordOrders, recordReviews } from "./events";
import { makeLists, makeSegments } from "./groups";
import { makeMarketing } from "./marketing";
import { makeMetrics, mappedMetrics } from "./metrics";
import { makeOrders } from "./orders";
import type { Order } from "./orders";
import { makePeople } from "./people";
import { finishProfile } from "./profiles";
import { recordSmsSignups, sendSmsCampaigns } from "./sms";

export const DEFAULT_SEED = 20261120;

/**
 * How big an account to generate. The demo account is `DEMO_SIZE`; a benchmark asks for a larger
 * store with the same story (tools/bench/bfcm.ts).
 */
export interface AccountSize {
  /** People with a profile (1,500 in the demo account). */
  customers: number;
  /** Multiplies every day's number of orders and visits, the Black Friday / Cyber Monday peaks included (1.5 in the demo account). */
  orderRate: number;
}

/** The size of the demo account the fixtures are recorded from. */
export const DEMO_SIZE: Readonly<AccountSize> = { customers: 1500, orderRate: 1.5 };

/** Each profile's Shopify order times, in order (`orders` are). */
function shopifyOrderTimes(orders: readonly Order[]): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const order of orders) if (order.store === "shopify") times.set(order.profileId, [...(times.get(order.profileId) ?? []), order.at]);
  return times;
}

/** Builds the whole account. Deterministic for a given seed and size. */
export function generateAccount(seed: number = DEFAULT_SEED, size: Readonly<AccountSize> = DEMO_SIZE): DemoAccount {
  if (!Number.isInteger(size.customers) || size.customers < 100) {
    throw new RangeError(`customers must be an integer of at least 100, got ${size.customers}.`);
  }
  if (!(size.orderRate > 0 && size.orderRate <= 40)) {
    throw new RangeError(
      `orderRate must be above 0 and at most 40 (daily order counts are drawn by a method meant for small means), got ${size.orderRate}.`,
    );
  }
  const rng = new Random(seed);
  const nowMs = Date.parse(DEMO_NOW);
  const startMs = Date.parse(HISTORY_START);

  const { metrics, metricId, deletedMetricId } = makeMetrics(rng);
  const people = makePeople(rng, nowMs, size.customers);
  const events: DemoEvent[] = [];
  const addEvent = eventRecorder(rng, metricId, events);

  // Orders: Shopify customers plus a fixed pool of wholesale buyers who order on WooCommerce.
  const orders = makeOrders(rng, people, startMs, nowMs, size.orderRate);
  recordOrders(rng, addEvent, orders, people, startMs, nowMs);
  recordCheckouts(rng, addEvent, orders, people, startMs, nowMs, size.orderRate);
  recordBrowsing(rng, addEvent, people, startMs, nowMs, size.orderRate);
  // Sign-ups decide who receives which campaign; the campaigns decide who unsubscribes when.
  recordSignups(addEvent, people, startMs);
  sendCampaigns(rng, addEvent, people, startMs, nowMs);
  recordSmsSignups(addEvent, people, startMs);
  sendSmsCampaigns(rng, addEvent, people, shopifyOrderTimes(orders), startMs, nowMs);
  recordReviews(rng, addEvent, orders, nowMs);
  recordDeletedMetricEvents(rng, events, deletedMetricId, people);
  events.sort(byTimeThenId);

  const shopifyOrders = orders.filter((o) => o.store === "shopify");
  const lists = makeLists(rng, people, shopifyOrders);
  const segments = makeSegments(rng, people, shopifyOrders, events, metricId("openedEmail"), nowMs);
  // Each profile's last event and its orders of the revenue metric (Shopify's), grouped once
  // (events are sorted, orders in time order).
  const lastEventOf = new Map(events.map((e) => [e.profileId, e.datetime]));
  const ordersOf = new Map<string, Order[]>();
  for (const order of shopifyOrders) {
    const own = ordersOf.get(order.profileId);
    if (own) own.push(order);
    else ordersOf.set(order.profileId, [order]);
  }
  const profiles = people.map((p) => finishProfile(rng, p, lastEventOf.get(p.id) ?? null, lists, ordersOf.get(p.id) ?? [], nowMs));

  const marketing = makeMarketing({ seed, people, orders, events, metricId, lists, startMs, nowMs, orderRate: size.orderRate });
  return {
    now: DEMO_NOW,
    companyId: DEMO_COMPANY_ID,
    profiles,
    lists,
    segments,
    metrics,
    events,
    mappedMetrics: mappedMetrics(metricId),
    customMetrics: [],
    deletedMetricIds: [deletedMetricId],
    timezone: DEMO_TIMEZONE,
    ...marketing,
  };
}

/**
 * Seeded generator of the demo Klaviyo account behind the stand-in server and the recorded fixtures.
 *
 * The account tells a small, believable story so the guides have something to find: an outdoor
 * store selling on Shopify (plus a few wholesale buyers on WooCommerce, hence two "Ordered Product"
 * metrics), weekly e-mail campaigns, e-mail and SMS unsubscribes that bunch up in the holiday
 * season, and a Black Friday / Cyber Monday 2025 peak with both first-time and returning buyers.
 * Same seed, same account, byte for byte: nothing reads the real clock or `Math.random`, and the
 * steps below draw from one random source in a fixed order (reordering them changes the account);
 * the campaigns, flows and forms the reports count come last, from a source of their own.
 */
import { byTimeThenId, DEMO_COMPANY_ID, DEMO_NOW, DEMO_TIMEZONE, HISTORY_START } from "../account";
import type { DemoAccount, DemoEvent } from "../account";
import { Random } from "../random";
import { assignUnsubscribes, recordSignups, recordUnsubscribes, sendCampaigns } from "./email";
import { eventRecorder, recordBrowsing, recordOrders, recordReviews } from "./events";
import { makeLists, makeSegments } from "./groups";
import { makeMarketing } from "./marketing";
import { makeMetrics, mappedMetrics } from "./metrics";
import { makeOrders } from "./orders";
import type { Order } from "./orders";
import { makePeople } from "./people";
import { finishProfile } from "./profiles";

export const DEFAULT_SEED = 20261120;

/**
 * How big an account to generate. The demo account is `DEMO_SIZE`; a benchmark asks for a larger
 * store with the same story (tools/bench/bfcm.ts).
 */
export interface AccountSize {
  /** People with a profile (800 in the demo account). */
  customers: number;
  /** Multiplies every day's number of orders, the Black Friday / Cyber Monday peaks included (1 in the demo account). */
  orderRate: number;
}

/** The size of the demo account the fixtures are recorded from. */
export const DEMO_SIZE: Readonly<AccountSize> = { customers: 800, orderRate: 1 };

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

  const { metrics, metricId } = makeMetrics(rng);
  const people = makePeople(rng, nowMs, size.customers);
  const events: DemoEvent[] = [];
  const addEvent = eventRecorder(rng, metricId, events);

  // Orders: Shopify customers plus a fixed pool of wholesale buyers who order on WooCommerce.
  const orders = makeOrders(rng, people, startMs, nowMs, size.orderRate);
  recordOrders(rng, addEvent, orders, people, startMs);
  recordBrowsing(rng, addEvent, people, startMs, nowMs);
  // Newsletter sign-ups and unsubscribes decide who receives which campaign.
  recordSignups(addEvent, people, startMs);
  assignUnsubscribes(rng, people, startMs, nowMs);
  sendCampaigns(rng, addEvent, people, startMs, nowMs);
  recordUnsubscribes(rng, addEvent, people);
  recordReviews(rng, addEvent, orders, nowMs);
  events.sort(byTimeThenId);

  const shopifyOrders = orders.filter((o) => o.store === "shopify");
  const lists = makeLists(rng, people, shopifyOrders);
  const segments = makeSegments(rng, people, shopifyOrders, events, metricId("openedEmail"), nowMs);
  // Each profile's last event and its orders, grouped once (events are sorted, orders in time order).
  const lastEventOf = new Map(events.map((e) => [e.profileId, e.datetime]));
  const ordersOf = new Map<string, Order[]>();
  for (const order of orders) {
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
    timezone: DEMO_TIMEZONE,
    ...marketing,
  };
}

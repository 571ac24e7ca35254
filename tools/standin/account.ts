/**
 * Seeded generator of the demo Klaviyo account behind the stand-in server and the recorded fixtures.
 *
 * The account tells a small, believable story so the guides have something to find: an outdoor
 * store selling on Shopify (plus a few wholesale buyers on WooCommerce, hence two "Ordered Product"
 * metrics), weekly e-mail campaigns, e-mail and SMS unsubscribes that bunch up in the holiday
 * season, and a Black Friday / Cyber Monday 2025 peak with both first-time and returning buyers.
 * Same seed, same account, byte for byte: nothing reads the real clock or `Math.random`.
 */
import { DOC_IP_PREFIXES, FIRST_NAMES, INTEGRATIONS, LAST_NAMES, PLACES, PRODUCTS, STREETS } from "./catalog";
import type { Integration, IntegrationKey, Product } from "./catalog";
import { Random, shortId, ulid, uuid } from "./random";

/** JSON values as they appear in responses. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const DEMO_NOW = "2026-11-20T12:00:00Z";
export const DEMO_COMPANY_ID = "DemoCo";
export const DEFAULT_SEED = 20261120;
/** First day with events; the account has more than two years of history before "now". */
export const HISTORY_START = "2024-09-01T00:00:00Z";
/** Black Friday 2025 00:00 UTC up to (excluding) the day after Cyber Monday. */
export const BFCM_2025 = { start: "2025-11-28T00:00:00Z", end: "2025-12-02T00:00:00Z" } as const;

export interface DemoProfile {
  id: string;
  /** Attributes exactly as GET /api/profiles returns them (snake_case, ISO datetimes with +00:00). */
  attributes: JsonObject;
  /** Returned only with additional-fields[profile]=subscriptions. */
  subscriptions: JsonObject;
  /** Returned only with additional-fields[profile]=predictive_analytics. */
  predictive_analytics: JsonObject;
}

export interface Membership {
  profileId: string;
  joinedAt: string;
}

export interface DemoGroup {
  id: string;
  name: string;
  created: string;
  updated: string;
  members: Membership[];
}

export interface DemoList extends DemoGroup {
  opt_in_process: "double_opt_in" | "single_opt_in";
}

export interface DemoSegment extends DemoGroup {
  is_active: boolean;
  is_processing: boolean;
  is_starred: boolean;
}

export interface DemoMetric {
  id: string;
  name: string;
  created: string;
  updated: string;
  integration: Integration;
}

export interface DemoEvent {
  id: string;
  metricId: string;
  profileId: string;
  /** Unix seconds. */
  timestamp: number;
  /** ISO 8601 with `T` and `+00:00`, as the API returns it. */
  datetime: string;
  uuid: string;
  event_properties: JsonObject;
}

export type MappedMetricId = "ordered_product" | "revenue" | "viewed_product";

export interface DemoAccount {
  now: string;
  companyId: string;
  profiles: DemoProfile[];
  lists: DemoList[];
  segments: DemoSegment[];
  metrics: DemoMetric[];
  /** Sorted by timestamp, then id. */
  events: DemoEvent[];
  mappedMetrics: Record<MappedMetricId, { metricId: string; updated: string }>;
}

/** Klaviyo's datetime style: seconds precision, `+00:00` rather than `Z`. */
export function apiDatetime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "+00:00");
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Orders by UTC hour: US afternoons and evenings. */
const HOUR_WEIGHTS = [8, 7, 5, 3, 2, 1, 1, 1, 1, 1, 2, 3, 4, 6, 7, 8, 8, 7, 7, 7, 8, 9, 9, 9];
/** Orders by weekday (Sunday first): weekends and Mondays sell more. */
const WEEKDAY_FACTOR = [1.2, 1.1, 0.95, 0.95, 1.0, 0.9, 1.15];
/** Orders by month (January first): a November/December holiday season. */
const MONTH_FACTOR = [0.75, 0.75, 0.85, 0.9, 1.0, 0.9, 0.85, 0.9, 1.0, 1.1, 1.45, 1.8];
/** Shopify orders placed on each BFCM 2025 day (Fri, Sat, Sun, Mon). */
const BFCM_2025_ORDERS = [62, 38, 34, 56];
/** Share of BFCM 2025 orders drawn from people who never ordered before. */
const BFCM_FIRST_TIMER_ODDS = 0.38;
const WHOLESALE_BUYERS = 40;

interface MetricSpec {
  key: string;
  name: string;
  integration: IntegrationKey;
  created: string;
}

const METRIC_SPECS: readonly MetricSpec[] = [
  { key: "orderedShopify", name: "Ordered Product", integration: "shopify", created: "2024-06-03T15:20:11+00:00" },
  { key: "placedOrder", name: "Placed Order", integration: "shopify", created: "2024-06-03T15:20:11+00:00" },
  { key: "viewedProduct", name: "Viewed Product", integration: "shopify", created: "2024-06-03T15:21:40+00:00" },
  { key: "orderedWoo", name: "Ordered Product", integration: "woocommerce", created: "2024-07-15T09:02:55+00:00" },
  { key: "receivedEmail", name: "Received Email", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "openedEmail", name: "Opened Email", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "clickedEmail", name: "Clicked Email", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "unsubscribed", name: "Unsubscribed", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "unsubscribedSms", name: "Unsubscribed from SMS", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "subscribedToList", name: "Subscribed to List", integration: "klaviyo", created: "2024-06-01T10:00:00+00:00" },
  { key: "customerReview", name: "Customer Review", integration: "api", created: "2025-02-11T18:45:03+00:00" },
];

type MetricKey = (typeof METRIC_SPECS)[number]["key"];

interface Order {
  profileId: string;
  at: number;
  store: "shopify" | "woocommerce";
  items: { product: Product; quantity: number }[];
}

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
  if (!Number.isInteger(size.customers) || size.customers < 100) throw new RangeError(`customers must be an integer of at least 100, got ${size.customers}.`);
  if (!(size.orderRate > 0 && size.orderRate <= 40)) throw new RangeError(`orderRate must be above 0 and at most 40 (daily order counts are drawn by a method meant for small means), got ${size.orderRate}.`);
  const rng = new Random(seed);
  const nowMs = Date.parse(DEMO_NOW);
  const startMs = Date.parse(HISTORY_START);

  const metricIds = new Map<MetricKey, string>();
  const metrics: DemoMetric[] = METRIC_SPECS.map((spec) => {
    const id = shortId(rng);
    metricIds.set(spec.key, id);
    return { id, name: spec.name, created: spec.created, updated: spec.created, integration: INTEGRATIONS[spec.integration] };
  });
  const metricId = (key: MetricKey): string => metricIds.get(key) as string;

  const people = makePeople(rng, startMs, nowMs, size.customers);
  const personById = new Map(people.map((p) => [p.id, p]));
  const events: DemoEvent[] = [];
  const addEvent = (key: MetricKey, profileId: string, at: number, props: JsonObject): void => {
    const seconds = Math.floor(at / 1000);
    events.push({
      id: rng.chars("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 12),
      metricId: metricId(key),
      profileId,
      timestamp: seconds,
      datetime: apiDatetime(at),
      uuid: uuid(rng),
      event_properties: props,
    });
  };

  // Orders: Shopify customers plus a fixed pool of wholesale buyers who order on WooCommerce.
  const orders = makeOrders(rng, people, startMs, nowMs, size.orderRate);
  let orderNumber = 1001;
  for (const order of orders) {
    const orderId = String(orderNumber++);
    const total = order.items.reduce((sum, item) => sum + item.product.price * item.quantity, 0);
    if (order.store === "shopify") {
      addEvent("placedOrder", order.profileId, order.at, {
        OrderId: orderId,
        ItemNames: order.items.map((i) => i.product.name),
        Categories: [...new Set(order.items.flatMap((i) => i.product.categories))],
        "$event_id": orderId,
        "$value": round2(total),
      });
      for (let v = rng.int(0, 2); v >= 0; v--) {
        const viewed = rng.pick(order.items).product;
        const viewedAt = order.at - rng.int(10, 2880) * 60_000;
        if (viewedAt >= startMs && viewedAt > personById.get(order.profileId)!.createdMs) addEvent("viewedProduct", order.profileId, viewedAt, productProps(viewed));
      }
    }
    order.items.forEach((item, index) => {
      addEvent(order.store === "shopify" ? "orderedShopify" : "orderedWoo", order.profileId, order.at, {
        OrderId: orderId,
        ProductID: item.product.id,
        ProductName: item.product.name,
        SKU: item.product.sku,
        Quantity: item.quantity,
        Categories: item.product.categories,
        "$event_id": `${orderId}:${index + 1}`,
        "$value": round2(item.product.price * item.quantity),
      });
    });
  }

  // Browsing that did not lead to an order.
  for (let day = startMs; day < nowMs; day += DAY) {
    for (let n = rng.poisson(3 * seasonal(day)); n > 0; n--) {
      const person = rng.pick(people);
      const at = day + rng.weighted(HOUR_WEIGHTS) * HOUR + rng.int(0, 3599) * 1000;
      if (at > person.createdMs && at < nowMs) addEvent("viewedProduct", person.id, at, productProps(rng.pick(PRODUCTS)));
    }
  }

  // Newsletter sign-ups and unsubscribes decide who receives which campaign.
  const newsletter = people.filter((p) => p.newsletterJoinedMs !== null);
  for (const person of newsletter) {
    if ((person.newsletterJoinedMs as number) >= startMs) addEvent("subscribedToList", person.id, person.newsletterJoinedMs as number, { List: "Newsletter", "$source": "Signup form" });
  }
  assignUnsubscribes(rng, people, startMs, nowMs);
  sendCampaigns(rng, people, startMs, nowMs, addEvent);
  for (const person of people) {
    if (person.emailUnsubMs !== null) {
      addEvent("unsubscribed", person.id, person.emailUnsubMs, { "Campaign Name": campaignName(person.emailUnsubMs), List: "Newsletter" });
    }
    if (person.smsUnsubMs !== null) {
      addEvent("unsubscribedSms", person.id, person.smsUnsubMs, { Keyword: rng.pick(["STOP", "STOP", "UNSUBSCRIBE", "CANCEL"]), "$message": "SMS campaign" });
    }
  }

  // A few product reviews sent through the API integration.
  for (const order of orders) {
    if (order.store === "shopify" && order.at > Date.parse("2025-02-12T00:00:00Z") && rng.chance(0.06)) {
      const at = order.at + rng.int(5, 20) * DAY;
      if (at < nowMs) {
        const product = rng.pick(order.items).product;
        addEvent("customerReview", order.profileId, at, { rating: rng.pick([3, 4, 4, 5, 5, 5]), catalog_item_id: product.id, product_name: product.name });
      }
    }
  }

  events.sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

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

  return {
    now: DEMO_NOW,
    companyId: DEMO_COMPANY_ID,
    profiles,
    lists,
    segments,
    metrics,
    events,
    mappedMetrics: {
      ordered_product: { metricId: metricId("orderedShopify"), updated: "2024-06-03T15:25:00+00:00" },
      revenue: { metricId: metricId("placedOrder"), updated: "2024-06-03T15:25:00+00:00" },
      viewed_product: { metricId: metricId("viewedProduct"), updated: "2024-06-03T15:25:00+00:00" },
    },
  };
}

interface Person {
  id: string;
  createdMs: number;
  first: string;
  last: string;
  email: string;
  phone: string | null;
  placeIndex: number;
  wholesale: boolean;
  newsletterJoinedMs: number | null;
  smsJoinedMs: number | null;
  emailUnsubMs: number | null;
  smsUnsubMs: number | null;
}

function makePeople(rng: Random, startMs: number, nowMs: number, count: number): Person[] {
  const earliest = Date.parse("2024-06-01T00:00:00Z");
  const usedPhones = new Set<string>();
  /** Numbers taken per area code: each has only the 100 fictional ones, 555-0100 to 555-0199. */
  const takenInArea = new Map<string, number>();
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    // Skewed toward earlier sign-ups so most people have a history by BFCM 2025.
    const createdMs = earliest + Math.floor(Math.pow(rng.next(), 1.35) * (nowMs - 10 * DAY - earliest));
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const placeIndex = rng.int(0, PLACES.length - 1);
    let phone: string | null = null;
    if (rng.chance(0.6)) {
      const area = PLACES[placeIndex].areaCode;
      do {
        phone = `+1${area}55501${String(rng.int(0, 99)).padStart(2, "0")}`;
      } while (usedPhones.has(phone) && usedPhones.size < 780 && (takenInArea.get(area) ?? 0) < 100);
      if (usedPhones.has(phone)) phone = null;
      else {
        usedPhones.add(phone);
        takenInArea.set(area, (takenInArea.get(area) ?? 0) + 1);
      }
    }
    const joinsNewsletter = rng.chance(0.6);
    people.push({
      id: ulid(rng, createdMs),
      createdMs,
      first,
      last,
      email: `${first}.${last}.${String(i + 1).padStart(3, "0")}@example.com`.toLowerCase(),
      phone,
      placeIndex,
      wholesale: i % 20 === 7 && people.filter((p) => p.wholesale).length < WHOLESALE_BUYERS,
      newsletterJoinedMs: joinsNewsletter ? createdMs + rng.int(1, 72) * 60_000 : null,
      smsJoinedMs: phone !== null && rng.chance(0.55) ? createdMs + rng.int(1, 30) * DAY : null,
      emailUnsubMs: null,
      smsUnsubMs: null,
    });
  }
  people.sort((a, b) => a.createdMs - b.createdMs);
  for (const p of people) if (p.smsJoinedMs !== null && p.smsJoinedMs >= nowMs) p.smsJoinedMs = null;
  return people;
}

/** Demand multiplier for a day: month, weekday and slow growth of the store. */
function seasonal(dayMs: number): number {
  const d = new Date(dayMs);
  const growth = 0.8 + 0.4 * ((dayMs - Date.parse(HISTORY_START)) / (Date.parse(DEMO_NOW) - Date.parse(HISTORY_START)));
  let month = MONTH_FACTOR[d.getUTCMonth()];
  if (d.getUTCMonth() === 11 && d.getUTCDate() > 22) month = 0.9; // after the last shipping day
  return month * WEEKDAY_FACTOR[d.getUTCDay()] * growth;
}

function makeOrders(rng: Random, people: Person[], startMs: number, nowMs: number, orderRate: number): Order[] {
  const retail = people.filter((p) => !p.wholesale);
  const wholesale = people.filter((p) => p.wholesale);
  const ordersOf = new Map<string, number>();
  const buyers: Person[] = [];
  // Kept up to date as orders come in (their times never go back), so a pick costs no scan of
  // everyone: retail people created over an hour before the order who never ordered, in `retail`
  // order; and each buyer's weight, 1 + their orders, in `buyers` order.
  const fresh: Person[] = [];
  let nextRetail = 0;
  const buyerWeights: number[] = [];
  const buyerIndex = new Map<string, number>();
  const orders: Order[] = [];
  const bfcmStart = Date.parse(BFCM_2025.start);
  const bfcm2024 = [Date.parse("2024-11-29T00:00:00Z"), Date.parse("2024-12-03T00:00:00Z")];

  const pickBuyer = (at: number, firstTimerOdds: number): Person => {
    while (nextRetail < retail.length && retail[nextRetail].createdMs < at - HOUR) fresh.push(retail[nextRetail++]);
    const wantsNew = buyers.length === 0 || rng.chance(firstTimerOdds);
    if (wantsNew && fresh.length > 0) {
      const person = rng.pick(fresh);
      fresh.splice(fresh.indexOf(person), 1);
      buyerIndex.set(person.id, buyers.length);
      buyers.push(person);
      buyerWeights.push(1);
      return person;
    }
    // Loyal customers come back more often. Every buyer was created before their first order, so
    // all of them are eligible.
    return buyers[rng.weighted(buyerWeights)];
  };
  const addOrder = (person: Person, at: number, store: Order["store"]): void => {
    ordersOf.set(person.id, (ordersOf.get(person.id) ?? 0) + 1);
    const index = buyerIndex.get(person.id);
    if (index !== undefined) buyerWeights[index] = 1 + (ordersOf.get(person.id) as number);
    const items: Order["items"] = [];
    const lines = 1 + Math.min(3, rng.poisson(0.75));
    const chosen = rng.shuffle(PRODUCTS).slice(0, lines);
    for (const product of chosen) items.push({ product, quantity: store === "woocommerce" ? rng.int(2, 6) : rng.chance(0.85) ? 1 : 2 });
    orders.push({ profileId: person.id, at, store, items });
  };
  const timeOfDay = (day: number): number => day + rng.weighted(HOUR_WEIGHTS) * HOUR + rng.int(0, 3599) * 1000;

  for (let day = startMs; day < nowMs; day += DAY) {
    const bfcmIndex = Math.floor((day - bfcmStart) / DAY);
    let count: number;
    let firstTimerOdds = 0.42 - 0.12 * ((day - startMs) / (nowMs - startMs));
    if (bfcmIndex >= 0 && bfcmIndex < BFCM_2025_ORDERS.length) {
      count = Math.round(BFCM_2025_ORDERS[bfcmIndex] * orderRate);
      firstTimerOdds = BFCM_FIRST_TIMER_ODDS;
    } else if (day >= bfcm2024[0] && day < bfcm2024[1]) {
      count = rng.poisson(14 * orderRate);
    } else {
      count = rng.poisson(1.15 * seasonal(day) * orderRate);
    }
    const times = Array.from({ length: count }, () => timeOfDay(day)).sort((a, b) => a - b);
    for (const at of times) if (at < nowMs) addOrder(pickBuyer(at, firstTimerOdds), at, "shopify");
    if (rng.chance(0.16)) {
      const at = timeOfDay(day);
      const candidates = wholesale.filter((p) => p.createdMs < at);
      if (candidates.length > 0 && at < nowMs) addOrder(rng.pick(candidates), at, "woocommerce");
    }
  }
  return orders;
}

/**
 * About 140 e-mail and 65 SMS unsubscribes, most of them in the busy campaign season
 * (September 2025 to January 2026) so a weekly chart of the two channels has shape.
 */
function assignUnsubscribes(rng: Random, people: Person[], startMs: number, nowMs: number): void {
  const seasonStart = Date.parse("2025-09-01T00:00:00Z");
  const seasonEnd = Date.parse("2026-02-01T00:00:00Z");
  const drawTime = (after: number): number | null => {
    const inSeason = rng.chance(0.65);
    const from = Math.max(after + DAY, inSeason ? seasonStart : startMs);
    const to = inSeason ? seasonEnd : nowMs - DAY;
    if (from >= to) return null;
    // Peaks right after campaign sends (Tuesdays) and in BFCM week.
    let at = from + Math.floor(rng.next() * (to - from));
    if (rng.chance(0.35)) {
      const bfcm = Date.parse(BFCM_2025.start);
      if (bfcm > from && bfcm < to) at = bfcm - 2 * DAY + Math.floor(rng.next() * 7 * DAY);
    }
    return at;
  };
  const emailCandidates = rng.shuffle(people.filter((p) => p.newsletterJoinedMs !== null));
  let emailUnsubs = 0;
  for (const person of emailCandidates) {
    if (emailUnsubs >= 140) break;
    const at = drawTime(person.newsletterJoinedMs as number);
    if (at !== null) {
      person.emailUnsubMs = at;
      emailUnsubs++;
    }
  }
  const smsCandidates = rng.shuffle(people.filter((p) => p.smsJoinedMs !== null));
  let smsUnsubs = 0;
  for (const person of smsCandidates) {
    if (smsUnsubs >= 65) break;
    const at = drawTime(person.smsJoinedMs as number);
    if (at !== null) {
      person.smsUnsubMs = at;
      smsUnsubs++;
    }
  }
}

function campaignName(atMs: number): string {
  const d = new Date(atMs);
  return `Weekly picks ${d.toISOString().slice(0, 10)}`;
}

/** Weekly campaigns (twice a week in November and December) to a sample of subscribed people. */
function sendCampaigns(
  rng: Random,
  people: Person[],
  startMs: number,
  nowMs: number,
  addEvent: (key: MetricKey, profileId: string, at: number, props: JsonObject) => void,
): void {
  for (let day = startMs; day < nowMs; day += DAY) {
    const d = new Date(day);
    const holiday = d.getUTCMonth() >= 10;
    if (!(d.getUTCDay() === 2 || (holiday && d.getUTCDay() === 5))) continue;
    const sendAt = day + 15 * HOUR;
    const name = campaignName(sendAt);
    const audience = people.filter(
      (p) => p.newsletterJoinedMs !== null && p.newsletterJoinedMs < sendAt && (p.emailUnsubMs === null || p.emailUnsubMs > sendAt),
    );
    for (const person of rng.shuffle(audience).slice(0, 45)) {
      const received = sendAt + rng.int(0, 1200) * 1000;
      if (received >= nowMs) continue;
      const props: JsonObject = { "Campaign Name": name, Subject: holiday ? "Gear up for the season" : "This week's trail picks", "$message": name };
      addEvent("receivedEmail", person.id, received, props);
      if (rng.chance(0.36)) {
        const opened = received + rng.int(2, 600) * 60_000;
        if (opened < nowMs) {
          addEvent("openedEmail", person.id, opened, props);
          if (rng.chance(0.25) && opened + 60_000 < nowMs) addEvent("clickedEmail", person.id, opened + rng.int(1, 15) * 60_000, { ...props, URL: "https://shop.example.com/collections/new" });
        }
      }
    }
  }
}

function makeLists(rng: Random, people: Person[], shopifyOrders: Order[]): DemoList[] {
  const member = (p: Person, at: number): Membership => ({ profileId: p.id, joinedAt: apiDatetime(at) });
  const byJoin = (a: Membership, b: Membership): number => (a.joinedAt < b.joinedAt ? -1 : a.joinedAt > b.joinedAt ? 1 : a.profileId < b.profileId ? -1 : 1);

  const newsletter = people.filter((p) => p.newsletterJoinedMs !== null && p.emailUnsubMs === null).map((p) => member(p, p.newsletterJoinedMs as number));
  const sms = people.filter((p) => p.smsJoinedMs !== null && p.smsUnsubMs === null).map((p) => member(p, p.smsJoinedMs as number));

  // VIP: joined when their third Shopify order came in.
  const counts = new Map<string, number>();
  const vip: Membership[] = [];
  for (const order of shopifyOrders) {
    const n = (counts.get(order.profileId) ?? 0) + 1;
    counts.set(order.profileId, n);
    if (n === 3) vip.push({ profileId: order.profileId, joinedAt: apiDatetime(order.at + 5 * 60_000) });
  }

  const sampleJoined = Date.parse("2024-06-01T10:05:00Z");
  const sample = rng.shuffle(people.filter((p) => p.createdMs < Date.parse("2024-09-01T00:00:00Z"))).slice(0, 50).map((p) => member(p, Math.max(sampleJoined, p.createdMs + 60_000)));

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

function makeSegments(rng: Random, people: Person[], shopifyOrders: Order[], events: DemoEvent[], openedMetricId: string, nowMs: number): DemoSegment[] {
  const counts = new Map<string, number>();
  const repeat: Membership[] = [];
  const lastOrder = new Map<string, number>();
  for (const order of shopifyOrders) {
    const n = (counts.get(order.profileId) ?? 0) + 1;
    counts.set(order.profileId, n);
    lastOrder.set(order.profileId, order.at);
    if (n === 2) repeat.push({ profileId: order.profileId, joinedAt: apiDatetime(order.at + 10 * 60_000) });
  }
  const lapsedCutoff = nowMs - 180 * DAY;
  const lapsed = [...lastOrder.entries()].filter(([, at]) => at < lapsedCutoff).map(([profileId, at]) => ({ profileId, joinedAt: apiDatetime(at + 180 * DAY) }));
  const engagedSince = nowMs - 90 * DAY;
  const firstOpen = new Map<string, number>();
  for (const e of events) {
    if (e.metricId === openedMetricId && e.timestamp * 1000 >= engagedSince && !firstOpen.has(e.profileId)) firstOpen.set(e.profileId, e.timestamp * 1000);
  }
  const engaged = [...firstOpen.entries()].map(([profileId, at]) => ({ profileId, joinedAt: apiDatetime(at) }));
  const known = new Set(people.map((p) => p.id));
  const byJoin = (a: Membership, b: Membership): number => (a.joinedAt < b.joinedAt ? -1 : a.joinedAt > b.joinedAt ? 1 : a.profileId < b.profileId ? -1 : 1);
  const make = (name: string, created: string, starred: boolean, members: Membership[]): DemoSegment => ({
    id: shortId(rng),
    name,
    created,
    updated: apiDatetime(nowMs - 3 * HOUR),
    is_active: true,
    is_processing: false,
    is_starred: starred,
    members: members.filter((m) => known.has(m.profileId)).sort(byJoin),
  });
  return [
    make("Repeat buyers", "2024-10-14T16:40:00+00:00", true, repeat),
    make("Engaged (opened email, last 90 days)", "2024-09-02T09:00:00+00:00", false, engaged),
    make("Lapsed customers (no order in 180 days)", "2025-01-06T11:15:00+00:00", false, lapsed),
  ];
}

function finishProfile(rng: Random, p: Person, lastEvent: string | null, lists: DemoList[], myOrders: Order[], nowMs: number): DemoProfile {
  const place = PLACES[p.placeIndex];
  const changes = [p.createdMs, p.newsletterJoinedMs, p.smsJoinedMs, p.emailUnsubMs, p.smsUnsubMs].filter((x): x is number => x !== null && x < nowMs);
  const updated = apiDatetime(Math.max(...changes));
  const totals = myOrders.map((o) => o.items.reduce((s, i) => s + i.product.price * i.quantity, 0));
  const historic = round2(totals.reduce((a, b) => a + b, 0));
  const aov = totals.length > 0 ? round2(historic / totals.length) : null;
  const gaps = myOrders.slice(1).map((o, i) => (o.at - myOrders[i].at) / DAY);
  const avgGap = gaps.length > 0 ? Math.round((gaps.reduce((a, b) => a + b, 0) / gaps.length) * 10) / 10 : null;
  const lastOrderMs = myOrders.length > 0 ? myOrders[myOrders.length - 1].at : null;
  const predictedOrders = myOrders.length > 0 ? Math.round((0.4 + myOrders.length * 0.35) * 100) / 100 : 0.1;
  const churn = lastOrderMs === null ? 0.85 : Math.min(0.97, Math.round(((nowMs - lastOrderMs) / (400 * DAY) + 0.05) * 100) / 100);
  const inList = (name: string): boolean => lists.some((l) => l.name === name && l.members.some((m) => m.profileId === p.id));

  const emailMarketing: JsonObject =
    p.emailUnsubMs !== null
      ? {
          can_receive_email_marketing: false,
          consent: "UNSUBSCRIBED",
          consent_timestamp: apiDatetime(p.emailUnsubMs),
          last_updated: apiDatetime(p.emailUnsubMs),
          method: "EMAIL_UNSUBSCRIBE",
          method_detail: "",
          custom_method_detail: null,
          double_optin: null,
          suppression: [{ reason: "UNSUBSCRIBE", timestamp: apiDatetime(p.emailUnsubMs) }],
          list_suppressions: [],
        }
      : p.newsletterJoinedMs !== null
        ? {
            can_receive_email_marketing: true,
            consent: "SUBSCRIBED",
            consent_timestamp: apiDatetime(p.newsletterJoinedMs),
            last_updated: apiDatetime(p.newsletterJoinedMs),
            method: "FORM",
            method_detail: "Signup form",
            custom_method_detail: null,
            double_optin: true,
            suppression: [],
            list_suppressions: [],
          }
        : {
            can_receive_email_marketing: false,
            consent: "NEVER_SUBSCRIBED",
            consent_timestamp: null,
            last_updated: null,
            method: null,
            method_detail: "",
            custom_method_detail: null,
            double_optin: null,
            suppression: [],
            list_suppressions: [],
          };
  const smsMarketing: JsonObject =
    p.smsUnsubMs !== null
      ? { can_receive_sms_marketing: false, consent: "UNSUBSCRIBED", consent_timestamp: apiDatetime(p.smsUnsubMs), method: "SMS", method_detail: "STOP", last_updated: apiDatetime(p.smsUnsubMs) }
      : p.smsJoinedMs !== null
        ? { can_receive_sms_marketing: true, consent: "SUBSCRIBED", consent_timestamp: apiDatetime(p.smsJoinedMs), method: "TEXT", method_detail: "JOIN", last_updated: apiDatetime(p.smsJoinedMs) }
        : { can_receive_sms_marketing: false, consent: "NEVER_SUBSCRIBED", consent_timestamp: null, method: null, method_detail: "", last_updated: null };

  return {
    id: p.id,
    attributes: {
      email: p.email,
      phone_number: p.phone,
      external_id: p.wholesale ? `WS-${p.id.slice(-6)}` : null,
      first_name: p.first,
      last_name: p.last,
      organization: p.wholesale ? `${p.last} Outfitters` : null,
      locale: "en-US",
      title: p.wholesale ? "Buyer" : null,
      image: null,
      created: apiDatetime(p.createdMs),
      updated,
      last_event_date: lastEvent,
      location: {
        address1: `${rng.int(10, 9899)} ${rng.pick(STREETS)}`,
        address2: rng.chance(0.2) ? `Apt ${rng.int(1, 40)}` : null,
        city: place.city,
        country: place.country,
        latitude: place.latitude,
        longitude: place.longitude,
        region: place.region,
        zip: place.zip,
        timezone: place.timezone,
        ip: `${rng.pick(DOC_IP_PREFIXES)}.${rng.int(1, 254)}`,
      },
      properties: {
        "Accepts Marketing": p.newsletterJoinedMs !== null && p.emailUnsubMs === null,
        "$source": p.wholesale ? "WooCommerce" : rng.pick(["Shopify", "Signup form", "Shopify"]),
        ...(inList("VIP") ? { "Shopify Tags": ["vip"] } : {}),
      },
    },
    subscriptions: {
      email: { marketing: emailMarketing },
      sms: {
        marketing: smsMarketing,
        transactional: { can_receive_sms_transactional: false, consent: "NEVER_SUBSCRIBED", consent_timestamp: null, method: null, method_detail: "", last_updated: null },
      },
      mobile_push: { marketing: { can_receive_push_marketing: false, consent: "NEVER_SUBSCRIBED", consent_timestamp: null } },
    },
    predictive_analytics: {
      historic_clv: historic,
      predicted_clv: round2(historic * 0.35 + (aov ?? 40) * predictedOrders),
      total_clv: round2(historic + historic * 0.35 + (aov ?? 40) * predictedOrders),
      historic_number_of_orders: myOrders.length,
      predicted_number_of_orders: predictedOrders,
      average_days_between_orders: avgGap,
      average_order_value: aov,
      churn_probability: churn,
      expected_date_of_next_order: lastOrderMs !== null && avgGap !== null ? apiDatetime(Math.max(nowMs + DAY, lastOrderMs + avgGap * DAY)) : null,
      ranked_channel_affinity: p.smsJoinedMs !== null && p.smsUnsubMs === null ? ["sms", "email", "push"] : ["email", "sms", "push"],
    },
  };
}

function productProps(product: Product): JsonObject {
  return { ProductID: product.id, ProductName: product.name, SKU: product.sku, Price: product.price, Categories: product.categories };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

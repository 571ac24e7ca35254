/**
 * The store's orders, day by day: Shopify orders that follow the seasons (with Black Friday /
 * Cyber Monday peaks in 2024 and 2025 a few times a usual November day, as small stores see them,
 * where a set share are first-time buyers) and occasional WooCommerce orders from the wholesale
 * buyers. Loyal customers come back more often.
 */
import { PRODUCTS } from "../catalog";
import type { Product } from "../catalog";
import type { Random } from "../random";
import { BLACK_FRIDAYS, DAY, HOUR, HOUR_WEIGHTS, seasonal } from "./calendar";
import type { Person } from "./people";

/** Shopify orders on each day of a BFCM weekend (Fri, Sat, Sun, Mon), as a multiple of the usual day's. */
const BFCM_LIFT = [4.5, 3, 2.5, 4];
/** Shopify orders on a usual day, before the seasons and the store's size. */
const ORDERS_PER_DAY = 1.15;
/** Share of BFCM orders drawn from people who never ordered before. */
const BFCM_FIRST_TIMER_ODDS = 0.45;
/** Chance of a WooCommerce (wholesale) order on a day. */
const WHOLESALE_ORDER_ODDS = 0.16;

export interface Order {
  profileId: string;
  at: number;
  store: "shopify" | "woocommerce";
  items: { product: Product; quantity: number }[];
}

/** An amount in dollars, rounded to cents. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** What the order's lines cost together, unrounded. */
export function orderTotal(order: Order): number {
  return order.items.reduce((sum, item) => sum + item.product.price * item.quantity, 0);
}

/** Every order from `startMs` to `nowMs`, in time order; `orderRate` multiplies each day's number. */
export function makeOrders(rng: Random, people: Person[], startMs: number, nowMs: number, orderRate: number): Order[] {
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
  const blackFridays = BLACK_FRIDAYS.map((d) => Date.parse(d));

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
    const bfcmDay = blackFridays.map((friday) => Math.floor((day - friday) / DAY)).find((i) => i >= 0 && i < BFCM_LIFT.length);
    const lift = bfcmDay === undefined ? 1 : BFCM_LIFT[bfcmDay];
    const firstTimerOdds = bfcmDay === undefined ? 0.55 - 0.13 * ((day - startMs) / (nowMs - startMs)) : BFCM_FIRST_TIMER_ODDS;
    const count = rng.poisson(ORDERS_PER_DAY * seasonal(day) * lift * orderRate);
    const times = Array.from({ length: count }, () => timeOfDay(day)).sort((a, b) => a - b);
    for (const at of times) if (at < nowMs) addOrder(pickBuyer(at, firstTimerOdds), at, "shopify");
    if (rng.chance(WHOLESALE_ORDER_ODDS)) {
      const at = timeOfDay(day);
      const candidates = wholesale.filter((p) => p.createdMs < at);
      if (candidates.length > 0 && at < nowMs) addOrder(rng.pick(candidates), at, "woocommerce");
    }
  }
  return orders;
}

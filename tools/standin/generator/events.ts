/**
 * The shop's events: what each order records (on Shopify: a visit and product views, the checkout,
 * "Placed Order" with its "Ordered Product" lines, then its fulfilment, or now and then its
 * cancellation or refund; on WooCommerce: the order and its lines), visits and checkouts that led
 * nowhere, and the reviews some Shopify buyers leave through the API integration.
 */
import { apiDatetime } from "../account";
import type { DemoEvent, JsonObject } from "../account";
import { PRODUCTS } from "../catalog";
import type { Product } from "../catalog";
import { shortId, uuid } from "../random";
import type { Random } from "../random";
import { DAY, HOUR, HOUR_WEIGHTS, seasonal } from "./calendar";
import type { MetricKey } from "./metrics";
import { orderTotal, round2 } from "./orders";
import type { Order } from "./orders";
import type { Person } from "./people";

/** Records one event of a metric; its id and uuid are drawn from the generator's random source. */
export type AddEvent = (key: MetricKey, profileId: string, at: number, props: JsonObject) => void;

const MINUTE = 60_000;
/** Share of Shopify orders whose checkout was abandoned first, then finished 6 to 60 hours later. */
const RECOVERED_CART_ODDS = 0.15;
/** Checkouts a day that were never finished, at the demo store's size (times the season). */
const ABANDONED_PER_DAY = 2.6;
/** Product views a day that led to no order, and visits with no product view, at the demo store's size. */
const VIEWS_PER_DAY = 3;
const VISITS_PER_DAY = 4;
/** Shares of Shopify orders cancelled before fulfilment, and of fulfilled ones refunded later. */
const CANCEL_ODDS = 0.02;
const REFUND_ODDS = 0.03;
const BROWSERS = ["Chrome", "Chrome", "Safari", "Safari", "Firefox", "Edge"];

/** An `AddEvent` that appends to `events`; `metricOf` gives a key's metric id. */
export function eventRecorder(rng: Random, metricOf: (key: MetricKey) => string, events: DemoEvent[]): AddEvent {
  return (key, profileId, at, props) => events.push(newEvent(rng, metricOf(key), profileId, at, props));
}

/** One event of the metric `metricId`. */
export function newEvent(rng: Random, metricId: string, profileId: string, at: number, props: JsonObject): DemoEvent {
  return {
    id: shortId(rng, 12),
    metricId,
    profileId,
    timestamp: Math.floor(at / 1000),
    datetime: apiDatetime(at),
    uuid: uuid(rng),
    event_properties: props,
  };
}

/** Each order's events, its Shopify orders with the visit, views and checkout before them and what followed. */
export function recordOrders(rng: Random, addEvent: AddEvent, orders: Order[], people: Person[], startMs: number, nowMs: number): void {
  const createdOf = new Map(people.map((p) => [p.id, p.createdMs]));
  let orderNumber = 1001;
  for (const order of orders) {
    const orderId = String(orderNumber++);
    const value = round2(orderTotal(order));
    const itemNames = order.items.map((i) => i.product.name);
    const placedKey = order.store === "shopify" ? "placedOrder" : "placedWoo";
    if (order.store === "shopify") recordVisitBefore(rng, addEvent, order, (createdOf.get(order.profileId) as number), startMs);
    addEvent(placedKey, order.profileId, order.at, {
      OrderId: orderId,
      ItemNames: itemNames,
      Categories: [...new Set(order.items.flatMap((i) => i.product.categories))],
      "$event_id": orderId,
      "$value": value,
    });
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
    if (order.store === "shopify") recordAfterOrder(rng, addEvent, order, { OrderId: orderId, ItemNames: itemNames, "$value": value }, nowMs);
  }
}

/** The visit before a Shopify order: "Active on Site", then one to three product views. */
function recordVisitBefore(rng: Random, addEvent: AddEvent, order: Order, createdMs: number, startMs: number): void {
  const views = Array.from({ length: rng.int(1, 3) }, () => order.at - rng.int(10, 2880) * MINUTE).sort((a, b) => a - b);
  const arrived = views[0] - rng.int(1, 5) * MINUTE;
  if (arrived < startMs || arrived <= createdMs) return;
  addEvent("activeOnSite", order.profileId, arrived, visitProps(rng, "https://www.example.com/"));
  for (const at of views) addEvent("viewedProduct", order.profileId, at, productProps(rng.pick(order.items).product));
}

/** What follows a Shopify order: fulfilled a few days later (then, rarely, refunded), or cancelled. */
function recordAfterOrder(rng: Random, addEvent: AddEvent, order: Order, props: JsonObject, nowMs: number): void {
  if (rng.chance(CANCEL_ODDS)) {
    const at = order.at + rng.int(60, 12 * 60) * MINUTE;
    if (at < nowMs) addEvent("cancelledOrder", order.profileId, at, { ...props, Reason: "customer" });
    return;
  }
  const fulfilled = order.at + rng.int(24 * 60, 4 * 24 * 60) * MINUTE;
  if (fulfilled >= nowMs) return;
  addEvent("fulfilledOrder", order.profileId, fulfilled, props);
  if (rng.chance(REFUND_ODDS)) {
    const refunded = fulfilled + rng.int(5, 30) * DAY;
    if (refunded < nowMs) addEvent("refundedOrder", order.profileId, refunded, props);
  }
}

/**
 * "Checkout Started" before every Shopify order (minutes before it, or 6 to 60 hours before for
 * the carts that came back), and checkouts a day, more in season, that were never finished
 * (`orderRate` scales them with the store). They start the Abandoned Cart flow.
 */
export function recordCheckouts(rng: Random, addEvent: AddEvent, orders: Order[], people: Person[], startMs: number, nowMs: number, orderRate: number): void {
  const createdOf = new Map(people.map((p) => [p.id, p.createdMs]));
  for (const order of orders) {
    if (order.store !== "shopify") continue;
    const recovered = rng.chance(RECOVERED_CART_ODDS);
    const at = order.at - (recovered ? rng.int(6 * 60, 60 * 60) : rng.int(2, 20)) * MINUTE;
    if (at >= startMs && at > (createdOf.get(order.profileId) as number)) {
      addEvent("checkoutStarted", order.profileId, at, checkoutProps(rng, order.items.map((i) => [i.product, i.quantity])));
    }
  }
  for (let day = startMs; day < nowMs; day += DAY) {
    for (let n = rng.poisson(ABANDONED_PER_DAY * seasonal(day) * orderRate); n > 0; n--) {
      const person = rng.pick(people);
      const at = day + rng.int(0, 24 * 60 - 1) * MINUTE;
      const cart = rng.shuffle(PRODUCTS).slice(0, rng.int(1, 2)).map((p): [Product, number] => [p, 1]);
      if (at > person.createdMs + HOUR && at < nowMs) addEvent("checkoutStarted", person.id, at, checkoutProps(rng, cart));
    }
  }
}

/** Browsing that did not lead to an order: visits with a product view, and visits without one, more in season. */
export function recordBrowsing(rng: Random, addEvent: AddEvent, people: Person[], startMs: number, nowMs: number, orderRate: number): void {
  for (let day = startMs; day < nowMs; day += DAY) {
    const visit = (viewing: boolean): void => {
      const person = rng.pick(people);
      const at = day + rng.weighted(HOUR_WEIGHTS) * HOUR + rng.int(0, 3599) * 1000;
      if (at <= person.createdMs || at >= nowMs) return;
      addEvent("activeOnSite", person.id, at, visitProps(rng, viewing ? "https://www.example.com/collections/all" : "https://www.example.com/"));
      const viewed = at + rng.int(1, 5) * MINUTE;
      if (viewing && viewed < nowMs) addEvent("viewedProduct", person.id, viewed, productProps(rng.pick(PRODUCTS)));
    };
    for (let n = rng.poisson(VIEWS_PER_DAY * seasonal(day) * orderRate); n > 0; n--) visit(true);
    for (let n = rng.poisson(VISITS_PER_DAY * seasonal(day) * orderRate); n > 0; n--) visit(false);
  }
}

/** A few product reviews sent through the API integration, since it was connected in February 2025. */
export function recordReviews(rng: Random, addEvent: AddEvent, orders: Order[], nowMs: number): void {
  for (const order of orders) {
    if (order.store === "shopify" && order.at > Date.parse("2025-02-12T00:00:00Z") && rng.chance(0.06)) {
      const at = order.at + rng.int(5, 20) * DAY;
      if (at < nowMs) {
        const product = rng.pick(order.items).product;
        addEvent("customerReview", order.profileId, at, {
          rating: rng.pick([3, 4, 4, 5, 5, 5]),
          catalog_item_id: product.id,
          product_name: product.name,
        });
      }
    }
  }
}

function productProps(product: Product): JsonObject {
  return { ProductID: product.id, ProductName: product.name, SKU: product.sku, Price: product.price, Categories: product.categories };
}

function visitProps(rng: Random, page: string): JsonObject {
  return { page, browser: rng.pick(BROWSERS) };
}

function checkoutProps(rng: Random, cart: [Product, number][]): JsonObject {
  const token = shortId(rng, 16).toLowerCase();
  return {
    "$event_id": token,
    "$value": round2(cart.reduce((sum, [product, quantity]) => sum + product.price * quantity, 0)),
    ItemNames: cart.map(([product]) => product.name),
    CheckoutURL: `https://www.example.com/checkouts/${token}`,
  };
}

/** When the store's developer tried the API: test events whose metric was deleted in the app afterwards. */
const API_TEST_DAY = "2024-10-08T14:00:00Z";

/**
 * The developer's test events (`metricId`: the deleted metric's), sent to the first few profiles:
 * they remain, and no metric resolves for them.
 */
export function recordDeletedMetricEvents(rng: Random, events: DemoEvent[], metricId: string, people: Person[]): void {
  const start = Date.parse(API_TEST_DAY);
  const testers = people.filter((p) => p.createdMs < start).slice(0, 3);
  testers.forEach((person, i) => {
    for (let n = 0; n < 3; n++) events.push(newEvent(rng, metricId, person.id, start + (i * 3 + n) * 4 * MINUTE, { test: true, run: n + 1 }));
  });
}

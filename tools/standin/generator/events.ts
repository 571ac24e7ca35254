/**
 * The shop's events: what each order records (Shopify's "Placed Order" with its "Ordered Product"
 * lines and the product views before it, WooCommerce's lines), browsing that led nowhere, and the
 * reviews some Shopify buyers leave through the API integration.
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

/** An `AddEvent` that appends to `events`. */
export function eventRecorder(rng: Random, metricId: (key: MetricKey) => string, events: DemoEvent[]): AddEvent {
  return (key, profileId, at, props) => {
    events.push({
      id: shortId(rng, 12),
      metricId: metricId(key),
      profileId,
      timestamp: Math.floor(at / 1000),
      datetime: apiDatetime(at),
      uuid: uuid(rng),
      event_properties: props,
    });
  };
}

/** Each order's events; a Shopify order also brings one to three views of its products before it. */
export function recordOrders(rng: Random, addEvent: AddEvent, orders: Order[], people: Person[], startMs: number): void {
  const personById = new Map(people.map((p) => [p.id, p]));
  let orderNumber = 1001;
  for (const order of orders) {
    const orderId = String(orderNumber++);
    if (order.store === "shopify") {
      addEvent("placedOrder", order.profileId, order.at, {
        OrderId: orderId,
        ItemNames: order.items.map((i) => i.product.name),
        Categories: [...new Set(order.items.flatMap((i) => i.product.categories))],
        "$event_id": orderId,
        "$value": round2(orderTotal(order)),
      });
      for (let v = rng.int(0, 2); v >= 0; v--) {
        const viewed = rng.pick(order.items).product;
        const viewedAt = order.at - rng.int(10, 2880) * 60_000;
        const createdMs = (personById.get(order.profileId) as Person).createdMs;
        if (viewedAt >= startMs && viewedAt > createdMs) addEvent("viewedProduct", order.profileId, viewedAt, productProps(viewed));
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
}

/** Browsing that did not lead to an order: a few product views a day, more in season. */
export function recordBrowsing(rng: Random, addEvent: AddEvent, people: Person[], startMs: number, nowMs: number): void {
  for (let day = startMs; day < nowMs; day += DAY) {
    for (let n = rng.poisson(3 * seasonal(day)); n > 0; n--) {
      const person = rng.pick(people);
      const at = day + rng.weighted(HOUR_WEIGHTS) * HOUR + rng.int(0, 3599) * 1000;
      if (at > person.createdMs && at < nowMs) addEvent("viewedProduct", person.id, at, productProps(rng.pick(PRODUCTS)));
    }
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

/**
 * Who enters each of the store's flows, and when: newsletter sign-ups (Welcome Series), checkouts
 * (Abandoned Cart), product views (Browse Abandonment), Shopify orders (Post-Purchase, Winback):
 * each the account's own events.
 */
import type { DemoEvent } from "../account";
import { DAY } from "./calendar";
import type { Order } from "./orders";
import type { Person } from "./people";

/** One profile entering a flow. */
export interface FlowEntry {
  profileId: string;
  at: number;
  /** The flow filter ("has not placed an order since starting this flow") stops its e-mails from here on; null: never. */
  stopAt: number | null;
  /** The order this entry's e-mail brought (abandoned carts that came back). */
  convertsAt?: number;
}

/** A profile enters Browse Abandonment at most once in this long. */
const BROWSE_REENTRY = 30 * DAY;
/** Browse Abandonment skips recent buyers: no order in this long before the view. */
const RECENT_BUYER = 60 * DAY;

/** `ms` to the whole second before it, as event times are kept. */
export function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** Each profile's Shopify order times, for the flow filters. */
export class OrderBook {
  private readonly times = new Map<string, number[]>();

  constructor(readonly shopify: readonly Order[]) {
    for (const order of shopify) {
      const own = this.times.get(order.profileId);
      if (own) own.push(order.at);
      else this.times.set(order.profileId, [order.at]);
    }
  }

  /** The first order of the profile after `at`, or null. */
  nextAfter(profileId: string, at: number): number | null {
    return this.times.get(profileId)?.find((t) => t > at) ?? null;
  }

  /** Whether the profile ordered in the `span` before `at`. */
  orderedWithin(profileId: string, at: number, span: number): boolean {
    return this.times.get(profileId)?.some((t) => t <= at && t > at - span) ?? false;
  }
}

/** Newsletter sign-ups since the history starts, at the whole second of their "Subscribed to List" event. */
export function signupEntries(people: readonly Person[], orders: OrderBook, startMs: number, nowMs: number): FlowEntry[] {
  return people
    .filter((p) => p.newsletterJoinedMs !== null && p.newsletterJoinedMs >= startMs && p.newsletterJoinedMs < nowMs)
    .map((p) => {
      const at = wholeSecond(p.newsletterJoinedMs as number);
      return { profileId: p.id, at, stopAt: orders.nextAfter(p.id, at) };
    })
    .sort((a, b) => a.at - b.at);
}

/** Product views ("Viewed Product" events), at most one entry a fortnight per profile. */
export function browseEntries(views: readonly DemoEvent[], orders: OrderBook): FlowEntry[] {
  const lastEntry = new Map<string, number>();
  const entries: FlowEntry[] = [];
  for (const view of views) {
    const at = view.timestamp * 1000;
    const previous = lastEntry.get(view.profileId);
    if ((previous !== undefined && at - previous < BROWSE_REENTRY) || orders.orderedWithin(view.profileId, at, RECENT_BUYER)) continue;
    lastEntry.set(view.profileId, at);
    entries.push({ profileId: view.profileId, at, stopAt: orders.nextAfter(view.profileId, at) });
  }
  return entries;
}

/** Each Shopify order, its buyer's next order stopping the flow (Winback) or not (Post-Purchase). */
export function orderEntries(orders: OrderBook, stopAtNextOrder: boolean): FlowEntry[] {
  return orders.shopify.map((o) => ({
    profileId: o.profileId,
    at: o.at,
    stopAt: stopAtNextOrder ? orders.nextAfter(o.profileId, o.at) : null,
  }));
}

/** Checkouts ("Checkout Started" events, in time order), each stopped by the buyer's next order. */
export function checkoutEntries(checkouts: readonly DemoEvent[], orders: OrderBook): FlowEntry[] {
  return checkouts.map((checkout) => {
    const at = checkout.timestamp * 1000;
    return { profileId: checkout.profileId, at, stopAt: orders.nextAfter(checkout.profileId, at) };
  });
}

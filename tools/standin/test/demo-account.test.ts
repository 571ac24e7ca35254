/**
 * The seeded demo account: deterministic, internally consistent, believable to a Klaviyo user (the
 * metrics each integration sends, predictive analytics only as Klaviyo gives them, unsubscribes at
 * the rates sending brings) and holding the stories the guides look for (two "Placed Order" and two
 * "Ordered Product" metrics, a BFCM 2025 peak with first-time and returning buyers, e-mail and SMS
 * unsubscribes, seasonal order volume).
 */
import { createHash } from "node:crypto";
import { isValidPhoneNumber } from "libphonenumber-js";
import { beforeAll, describe, expect, it } from "vitest";
import { apiDatetime, DEMO_NOW, HISTORY_START, mappedMetricId } from "../account";
import { DEMO_SIZE, generateAccount } from "../generator/generate";
import type { DemoAccount } from "../account";
import { accountStats } from "../stats";
import type { AccountStats } from "../stats";

let account: DemoAccount;
let stats: AccountStats;
beforeAll(() => {
  account = generateAccount();
  stats = accountStats(account);
});

const digest = (a: DemoAccount): string => createHash("sha256").update(JSON.stringify(a)).digest("hex");

describe("demo account generator", () => {
  it("is deterministic for a seed and changes with the seed", () => {
    expect(digest(generateAccount())).toBe(digest(account));
    expect(digest(generateAccount(7))).not.toBe(digest(account));
  });

  it("grows with its size option, the demo size being the default (the benchmark's larger store)", () => {
    expect(digest(generateAccount(undefined, DEMO_SIZE))).toBe(digest(account));
    const larger = generateAccount(undefined, { customers: 2000, orderRate: 3 });
    const big = accountStats(larger);
    expect(big.profiles).toBe(2000);
    const placed = (a: DemoAccount) => a.events.filter((e) => e.metricId === mappedMetricId(a, "revenue")).length;
    expect(placed(larger) / placed(account)).toBeGreaterThan(1.7);
    expect(placed(larger) / placed(account)).toBeLessThan(2.3);
    expect(new Set(larger.profiles.map((p) => p.attributes.phone_number).filter((n) => n !== null)).size).toBe(
      larger.profiles.filter((p) => p.attributes.phone_number !== null).length,
    );
    expect(() => generateAccount(undefined, { customers: 800, orderRate: 0 })).toThrow(RangeError);
  });

  it("has 1,500 profiles with Klaviyo-shaped ids and only publishable contact data", () => {
    expect(stats.profiles).toBe(DEMO_SIZE.customers);
    const ids = new Set(account.profiles.map((p) => p.id));
    expect(ids.size).toBe(DEMO_SIZE.customers);
    for (const p of account.profiles) {
      expect(p.id).toMatch(/^01[0-9A-HJKMNP-TV-Z]{24}$/);
      expect(p.attributes.email).toMatch(/^[a-z.0-9]+@example\.com$/);
      const phone = p.attributes.phone_number;
      if (phone !== null) {
        expect(phone).toMatch(/^\+1\d{3}55501\d{2}$/);
        expect(isValidPhoneNumber(phone as string)).toBe(true);
      }
      expect((p.attributes.location as { ip: string }).ip).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/);
    }
    expect(new Set(account.profiles.map((p) => p.attributes.email)).size).toBe(DEMO_SIZE.customers);
    expect(account.profiles.filter((p) => p.attributes.phone_number !== null).length).toBeGreaterThan(600);
  });

  it("has each integration's own metrics, each with events; ordered_product and revenue map to Shopify's", () => {
    const named = (integration: string): string[] => account.metrics.filter((m) => m.integration.name === integration).map((m) => m.name);
    expect(named("Shopify")).toEqual(expect.arrayContaining([
      "Active on Site", "Viewed Product", "Checkout Started", "Placed Order", "Ordered Product", "Fulfilled Order", "Cancelled Order", "Refunded Order",
    ]));
    expect(named("WooCommerce").sort()).toEqual(["Ordered Product", "Placed Order"]);
    expect(named("Klaviyo")).toEqual(expect.arrayContaining([
      "Received Email", "Opened Email", "Clicked Email", "Unsubscribed", "Subscribed to List",
      "Sent SMS", "Consented to Receive SMS", "Received SMS", "Clicked SMS", "Unsubscribed from SMS",
    ]));
    for (const name of ["Placed Order", "Ordered Product"]) {
      expect(account.metrics.filter((m) => m.name === name).map((m) => m.integration.name).sort(), name).toEqual(["Shopify", "WooCommerce"]);
    }
    for (const key of ["ordered_product", "revenue"] as const) {
      expect(account.metrics.find((m) => m.id === mappedMetricId(account, key))?.integration.name).toBe("Shopify");
    }
    for (const m of account.metrics) {
      expect(m.id).toMatch(/^[0-9A-Za-z]{6}$/);
      expect(account.events.some((e) => e.metricId === m.id), m.name).toBe(true);
    }
  });

  it("keeps a deleted metric's events, whose metric resolves to nothing", () => {
    expect(account.deletedMetricIds).toHaveLength(1);
    const [deleted] = account.deletedMetricIds;
    expect(account.metrics.some((m) => m.id === deleted)).toBe(false);
    expect(account.events.filter((e) => e.metricId === deleted).length).toBeGreaterThan(0);
  });

  it("keeps events consistent: known profile and metric, datetime = timestamp, inside the history, after the profile was created", () => {
    const profiles = new Map(account.profiles.map((p) => [p.id, p]));
    const metrics = new Set([...account.metrics.map((m) => m.id), ...account.deletedMetricIds]);
    const start = Date.parse(HISTORY_START) / 1000;
    const end = Date.parse(DEMO_NOW) / 1000;
    let previous = 0;
    for (const e of account.events) {
      const profile = profiles.get(e.profileId);
      expect(profile, e.id).toBeDefined();
      expect(metrics.has(e.metricId)).toBe(true);
      expect(e.datetime).toBe(apiDatetime(e.timestamp * 1000));
      expect(e.timestamp).toBeGreaterThanOrEqual(start);
      expect(e.timestamp).toBeLessThanOrEqual(end);
      expect(e.timestamp).toBeGreaterThanOrEqual(previous);
      expect(Date.parse(profile?.attributes.created as string) / 1000).toBeLessThanOrEqual(e.timestamp);
      previous = e.timestamp;
    }
    expect(new Set(account.events.map((e) => e.id)).size).toBe(account.events.length);
    expect(new Set(account.events.map((e) => e.uuid)).size).toBe(account.events.length);
  });

  it("has a BFCM 2025 weekend 2 to 5 times a usual November day, with first-time and returning buyers and several line items", () => {
    const placed = mappedMetricId(account, "revenue");
    const between = (start: string, end: string): number =>
      account.events.filter((e) => e.metricId === placed && e.datetime >= start && e.datetime < end).length;
    const novemberDay = between("2025-11-01", "2025-11-28") / 27;
    const weekendDay = between("2025-11-28", "2025-12-02") / 4;
    expect(weekendDay / novemberDay).toBeGreaterThan(2);
    expect(weekendDay / novemberDay).toBeLessThan(5);
    expect(stats.bfcm.orders).toBeGreaterThanOrEqual(30);
    expect(stats.bfcm.firstTimerShare).toBeGreaterThanOrEqual(0.25);
    expect(stats.bfcm.firstTimerShare).toBeLessThanOrEqual(0.6);
    expect(stats.bfcm.orderedProductEvents).toBeGreaterThan(stats.bfcm.orders);
  });

  it("qualifies for predictive analytics, whose values agree with each other and only customers have", () => {
    // Klaviyo's help center: at least 500 customers with orders, 180 days of orders, orders in the last 30 days.
    const placed = account.events.filter((e) => e.metricId === mappedMetricId(account, "revenue"));
    expect(new Set(placed.map((e) => e.profileId)).size).toBeGreaterThanOrEqual(500);
    expect(Date.parse(account.now) - Date.parse(placed[0].datetime)).toBeGreaterThan(180 * 86_400_000);
    expect(placed.some((e) => Date.parse(account.now) - Date.parse(e.datetime) < 30 * 86_400_000)).toBe(true);
    const ordersOf = new Map<string, number>();
    for (const e of placed) ordersOf.set(e.profileId, (ordersOf.get(e.profileId) ?? 0) + 1);
    type Predictions = Record<string, number | null>;
    for (const p of account.profiles) {
      const pa = p.predictive_analytics as Predictions;
      expect(pa.historic_number_of_orders).toBe(ordersOf.get(p.id) ?? 0);
      if (!ordersOf.has(p.id)) {
        expect([pa.predicted_clv, pa.churn_probability, pa.predicted_number_of_orders]).toEqual([null, null, null]);
        continue;
      }
      const [historic, predicted, orders, aov, churn] = [pa.historic_clv, pa.predicted_clv, pa.predicted_number_of_orders, pa.average_order_value, pa.churn_probability] as number[];
      expect(predicted).toBeCloseTo(orders * aov, 1);
      expect(pa.total_clv).toBeCloseTo(historic + predicted, 2);
      expect(aov).toBeCloseTo(historic / (pa.historic_number_of_orders as number), 1);
      // The orders to come are the chance of still being a customer (1 - churn) over the usual gap between
      // orders (within the rounding of churn, of the gap to whole days and of the orders to cents).
      const gap = Math.max(pa.average_days_between_orders ?? 200, 14);
      expect(Math.abs(orders - ((1 - churn) * 365) / gap)).toBeLessThanOrEqual((0.005 * 365) / gap + 0.02 * orders + 0.01);
    }
  });

  it("has one Placed Order per Shopify order, agreeing with its Ordered Product line items; revenue maps to Placed Order", () => {
    const placedId = mappedMetricId(account, "revenue");
    expect(account.metrics.find((m) => m.id === placedId)?.name).toBe("Placed Order");
    const linesId = mappedMetricId(account, "ordered_product");
    const lines = new Map<string, typeof account.events>();
    for (const e of account.events)
      if (e.metricId === linesId) {
        lines.set(e.event_properties.OrderId as string, [...(lines.get(e.event_properties.OrderId as string) ?? []), e]);
      }
    const placed = account.events.filter((e) => e.metricId === placedId);
    expect(new Set(placed.map((e) => e.event_properties.OrderId)).size).toBe(placed.length);
    expect(placed.length).toBe(lines.size);
    for (const order of placed) {
      const items = lines.get(order.event_properties.OrderId as string) ?? [];
      expect(items.length, `order ${order.event_properties.OrderId as string}`).toBeGreaterThan(0);
      for (const item of items) expect([item.profileId, item.timestamp]).toEqual([order.profileId, order.timestamp]);
      const total = items.reduce((sum, i) => sum + (i.event_properties.$value as number), 0);
      expect(order.event_properties.$value as number).toBeCloseTo(total, 2);
    }
  });

  it("has seasonal order volume: December and November above the summer", () => {
    const placed = account.metrics.find((m) => m.name === "Placed Order")?.id;
    const perMonth = new Map<number, number>();
    for (const e of account.events)
      if (e.metricId === placed && e.datetime.startsWith("2025")) {
        perMonth.set(new Date(e.datetime).getUTCMonth(), (perMonth.get(new Date(e.datetime).getUTCMonth()) ?? 0) + 1);
      }
    const summer = ((perMonth.get(5) ?? 0) + (perMonth.get(6) ?? 0)) / 2;
    expect(perMonth.get(11) ?? 0).toBeGreaterThan(1.5 * summer);
    expect(perMonth.get(10) ?? 0).toBeGreaterThan(1.5 * summer);
  });

  it("unsubscribes at the rates sending brings: a few percent of the newsletter in four busy months", () => {
    const newsletter = account.lists.find((l) => l.name === "Newsletter")?.members.length ?? 0;
    const unsubscribed = account.events.filter(
      (e) => e.metricId === account.metrics.find((m) => m.name === "Unsubscribed")?.id && e.datetime >= "2025-10-01" && e.datetime < "2026-02-01",
    ).length;
    expect(unsubscribed).toBeGreaterThan(5);
    expect(unsubscribed / newsletter).toBeLessThan(0.06);
  });

  it("matches unsubscribe events with UNSUBSCRIBED consent and list membership", () => {
    expect(stats.unsubscribes.email).toBeGreaterThan(50);
    expect(stats.unsubscribes.sms).toBeGreaterThan(30);
    const metricId = (name: string) => account.metrics.find((m) => m.name === name)?.id;
    const emailUnsub = new Set(account.events.filter((e) => e.metricId === metricId("Unsubscribed")).map((e) => e.profileId));
    const smsUnsub = new Set(account.events.filter((e) => e.metricId === metricId("Unsubscribed from SMS")).map((e) => e.profileId));
    const consent = (p: DemoAccount["profiles"][number], channel: "email" | "sms") =>
      (p.subscriptions[channel] as { marketing: { consent: string } }).marketing.consent;
    for (const p of account.profiles) {
      expect(consent(p, "email") === "UNSUBSCRIBED").toBe(emailUnsub.has(p.id));
      expect(consent(p, "sms") === "UNSUBSCRIBED").toBe(smsUnsub.has(p.id));
    }
    const newsletter = account.lists.find((l) => l.name === "Newsletter");
    expect(newsletter?.members.some((m) => emailUnsub.has(m.profileId))).toBe(false);
  });

  it("has lists and segments whose members exist, once each, with join dates", () => {
    const ids = new Set(account.profiles.map((p) => p.id));
    expect(account.lists.map((l) => l.name)).toEqual(expect.arrayContaining(["Newsletter", "VIP", "Sample Data List"]));
    expect(account.lists.find((l) => l.name === "Newsletter")?.members.length).toBeGreaterThan(200);
    expect(account.segments.length).toBeGreaterThanOrEqual(2);
    for (const group of [...account.lists, ...account.segments]) {
      expect(group.members.length, group.name).toBeGreaterThan(0);
      expect(new Set(group.members.map((m) => m.profileId)).size).toBe(group.members.length);
      for (const m of group.members) {
        expect(ids.has(m.profileId)).toBe(true);
        expect(m.joinedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
      }
    }
  });
});

/**
 * The seeded demo account: deterministic, internally consistent, and holding the stories the guides
 * look for (two "Ordered Product" metrics, a BFCM 2025 peak with first-time and returning buyers,
 * e-mail and SMS unsubscribes, seasonal order volume).
 */
import { createHash } from "node:crypto";
import { isValidPhoneNumber } from "libphonenumber-js";
import { beforeAll, describe, expect, it } from "vitest";
import { apiDatetime, DEMO_NOW, HISTORY_START } from "../account";
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
    const larger = generateAccount(undefined, { customers: 1600, orderRate: 3 });
    const big = accountStats(larger);
    expect(big.profiles).toBe(1600);
    const placed = (a: DemoAccount) => a.events.filter((e) => e.metricId === a.metrics.find((m) => m.name === "Placed Order")?.id).length;
    expect(placed(larger) / placed(account)).toBeGreaterThan(2.5);
    expect(placed(larger) / placed(account)).toBeLessThan(3.5);
    expect(new Set(larger.profiles.map((p) => p.attributes.phone_number).filter((n) => n !== null)).size).toBe(
      larger.profiles.filter((p) => p.attributes.phone_number !== null).length,
    );
    expect(() => generateAccount(undefined, { customers: 800, orderRate: 0 })).toThrow(RangeError);
  });

  it("has ~800 profiles with Klaviyo-shaped ids and only publishable contact data", () => {
    expect(stats.profiles).toBe(800);
    const ids = new Set(account.profiles.map((p) => p.id));
    expect(ids.size).toBe(800);
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
    expect(new Set(account.profiles.map((p) => p.attributes.email)).size).toBe(800);
    expect(account.profiles.filter((p) => p.attributes.phone_number !== null).length).toBeGreaterThan(300);
  });

  it("has two metrics named Ordered Product from different integrations; ordered_product maps to Shopify's", () => {
    const ordered = account.metrics.filter((m) => m.name === "Ordered Product");
    expect(ordered.map((m) => m.integration.name).sort()).toEqual(["Shopify", "WooCommerce"]);
    const mapped = account.metrics.find((m) => m.id === account.mappedMetrics.ordered_product.metricId);
    expect(mapped?.integration.name).toBe("Shopify");
    for (const m of account.metrics) expect(m.id).toMatch(/^[0-9A-Za-z]{6}$/);
    for (const name of [
      "Placed Order",
      "Viewed Product",
      "Received Email",
      "Opened Email",
      "Clicked Email",
      "Unsubscribed",
      "Unsubscribed from SMS",
      "Subscribed to List",
    ]) {
      expect(
        account.metrics.some((m) => m.name === name),
        name,
      ).toBe(true);
    }
  });

  it("keeps events consistent: known profile and metric, datetime = timestamp, inside the history, after the profile was created", () => {
    const profiles = new Map(account.profiles.map((p) => [p.id, p]));
    const metrics = new Set(account.metrics.map((m) => m.id));
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

  it("keeps order events modest and BFCM 2025 mixed: 150-300 orders, 35-60 % first-time buyers, several line items", () => {
    const orderedEvents = Object.entries(stats.eventsByMetric)
      .filter(([k]) => k.startsWith("Ordered Product"))
      .reduce((s, [, n]) => s + n, 0);
    expect(orderedEvents).toBeGreaterThan(2000);
    expect(orderedEvents).toBeLessThan(4000);
    expect(stats.bfcm.orders).toBeGreaterThanOrEqual(150);
    expect(stats.bfcm.orders).toBeLessThanOrEqual(300);
    expect(stats.bfcm.firstTimerShare).toBeGreaterThanOrEqual(0.35);
    expect(stats.bfcm.firstTimerShare).toBeLessThanOrEqual(0.6);
    expect(stats.bfcm.orderedProductEvents).toBeGreaterThan(stats.bfcm.orders);
  });

  it("has one Placed Order per Shopify order, agreeing with its Ordered Product line items; revenue maps to Placed Order", () => {
    const placedId = account.mappedMetrics.revenue.metricId;
    expect(account.metrics.find((m) => m.id === placedId)?.name).toBe("Placed Order");
    const linesId = account.mappedMetrics.ordered_product.metricId;
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

  it("matches unsubscribe events with UNSUBSCRIBED consent and list membership", () => {
    expect(stats.unsubscribes.email + stats.unsubscribes.sms).toBeGreaterThanOrEqual(150);
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

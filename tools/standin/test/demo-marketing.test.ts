/**
 * The demo account's marketing (campaigns, flows, sign-up form, segment histories): consistent with
 * the account's own events, and believable to a Klaviyo user (rates in the usual ranges, flows
 * converting better than campaigns, abandoned carts best), its conversions real orders.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DemoAccount, DemoEvent } from "../account";
import { generateAccount } from "../generator/generate";
import type { Channel, Message, Send } from "../marketing";
import { accountSetup } from "../shapes";
import { allSends, ATTRIBUTION_WINDOW_MS, attribute } from "../reporting/attribution";
import { marketingSummary } from "../reporting/summary";
import type { SummaryRow } from "../reporting/summary";

let account: DemoAccount;
let summary: SummaryRow[];
beforeAll(() => {
  account = generateAccount();
  summary = marketingSummary(account) as SummaryRow[];
});

const metricId = (a: DemoAccount, name: string): string => a.metrics.find((m) => m.name === name)?.id as string;
const eventsOf = (a: DemoAccount, name: string): DemoEvent[] => a.events.filter((e) => e.metricId === metricId(a, name));

/** The events of metric `name` by their "Campaign Name". */
function byCampaign(name: string): Map<string, DemoEvent[]> {
  const groups = new Map<string, DemoEvent[]>();
  for (const e of eventsOf(account, name)) {
    const campaign = String(e.event_properties["Campaign Name"]);
    groups.set(campaign, [...(groups.get(campaign) ?? []), e]);
  }
  return groups;
}

const times = (events: DemoEvent[] | undefined): number[] => (events ?? []).map((e) => e.timestamp * 1000).sort();

/** The messages of the account on `channel`: its campaigns', and for e-mail its flows' too. */
function messagesOf(channel: Channel): Message[] {
  const campaigns = account.campaigns.map((c) => c.message).filter((m) => m.channel === channel);
  return channel === "email" ? [...campaigns, ...account.flows.flatMap((f) => f.steps.map((s) => s.message))] : campaigns;
}

describe("demo marketing: consistent with the account's events", () => {
  it("has one e-mail campaign per campaign name of the e-mail events, its sends exactly those events", () => {
    const [received, opened, clicked] = ["Received Email", "Opened Email", "Clicked Email"].map(byCampaign);
    const campaigns = account.campaigns.filter((c) => c.message.channel === "email");
    expect(campaigns.map((c) => c.name).sort()).toEqual([...received.keys()].sort());
    expect(campaigns.length).toBeGreaterThan(100);
    for (const campaign of campaigns) {
      const sends = campaign.message.sends;
      expect(sends.filter((s) => !s.bounced).map((s) => s.at).sort()).toEqual(times(received.get(campaign.name)));
      expect(sends.flatMap((s) => s.opens).sort()).toEqual(times(opened.get(campaign.name)));
      expect(sends.flatMap((s) => s.clicks).sort()).toEqual(times(clicked.get(campaign.name)));
      expect(Date.parse(campaign.sendTime)).toBeLessThanOrEqual(Math.min(...sends.map((s) => s.at)));
    }
  });

  it("sends each e-mail campaign to everyone on the Newsletter then: the delivered and the bounced", () => {
    const newsletter = account.lists.find((l) => l.name === "Newsletter")?.id;
    for (const campaign of account.campaigns.filter((c) => c.message.channel === "email")) {
      expect(campaign.audience).toEqual([newsletter]);
      expect(new Set(campaign.message.sends.map((s) => s.profileId)).size).toBe(campaign.message.sends.length);
    }
    const recipients = account.campaigns.filter((c) => c.message.channel === "email").map((c) => c.message.sends.length);
    expect(Math.max(...recipients)).toBeGreaterThan(0.9 * (account.lists.find((l) => l.name === "Newsletter")?.members.length ?? 0));
  });

  it("has one SMS campaign per campaign name of the SMS events, its sends, clicks and STOP replies exactly those events", () => {
    const [received, failed, clicked, stopped] = ["Received SMS", "Failed to Deliver SMS", "Clicked SMS", "Unsubscribed from SMS"].map(byCampaign);
    const campaigns = account.campaigns.filter((c) => c.message.channel === "sms");
    expect(campaigns.map((c) => c.name).sort()).toEqual([...new Set([...received.keys(), ...failed.keys()])].sort());
    expect(campaigns.length).toBeGreaterThan(40);
    for (const campaign of campaigns) {
      const sends = campaign.message.sends;
      expect(sends.filter((s) => !s.bounced).map((s) => s.at).sort()).toEqual(times(received.get(campaign.name)));
      expect(sends.filter((s) => s.bounced).map((s) => s.at).sort()).toEqual(times(failed.get(campaign.name)));
      expect(sends.flatMap((s) => s.clicks).sort()).toEqual(times(clicked.get(campaign.name)));
      expect(sends.flatMap((s) => (s.unsubscribedAt === null ? [] : [s.unsubscribedAt])).sort()).toEqual(times(stopped.get(campaign.name)));
      expect(sends.every((s) => s.opens.length === 0)).toBe(true);
    }
  });

  it("sends every message in order, before now, only to profiles of the account not yet unsubscribed from its channel", () => {
    const profiles = new Set(account.profiles.map((p) => p.id));
    const now = Date.parse(account.now);
    for (const [channel, metric] of [["email", "Unsubscribed"], ["sms", "Unsubscribed from SMS"]] as const) {
      const unsubscribed = new Map(eventsOf(account, metric).map((e) => [e.profileId, e.timestamp * 1000]));
      for (const { sends } of messagesOf(channel)) {
        expect(sends.map((s) => s.at)).toEqual(sends.map((s) => s.at).sort((a, b) => a - b));
        for (const send of sends) {
          expect(profiles.has(send.profileId)).toBe(true);
          expect(send.at).toBeLessThan(now);
          expect(send.at).toBeLessThan(unsubscribed.get(send.profileId) ?? Infinity);
        }
      }
    }
  });

  it("opens follow the send and clicks an open (a text's clicks follow the send); bounced or failed messages have neither", () => {
    for (const send of allSends(account)) {
      if (send.bounced) expect([send.opens.length, send.clicks.length, send.unsubscribedAt]).toEqual([0, 0, null]);
      if (send.opens.length > 0) expect(send.opens[0]).toBeGreaterThan(send.at);
      if (send.clicks.length > 0) expect(send.clicks[0]).toBeGreaterThan(send.at);
    }
    for (const { sends } of messagesOf("email")) {
      for (const send of sends) {
        if (send.clicks.length > 0) expect(send.clicks[0]).toBeGreaterThanOrEqual(send.opens[0]);
        expect(send.clicks.length === 0 || send.opens.length > 0).toBe(true);
      }
    }
  });

  it("credits each e-mail unsubscribe to a recent e-mail of its own profile, once, at its event's time", () => {
    const events = eventsOf(account, "Unsubscribed");
    const credited = messagesOf("email").flatMap((m) => m.sends).filter((s) => s.unsubscribedAt !== null);
    expect(credited.length).toBeGreaterThan(10);
    expect(credited.length).toBeLessThanOrEqual(events.length);
    const unsubscribedAt = new Map(events.map((e) => [e.profileId, e.timestamp * 1000]));
    for (const send of credited) expect(send.unsubscribedAt).toBe(unsubscribedAt.get(send.profileId));
    expect(new Set(credited.map((s) => s.profileId)).size).toBe(credited.length);
    expect(credited.filter((s) => s.spamComplaint).length).toBeGreaterThan(0);
  });

  it("attributes real orders: each to the last open or click of its profile within 5 days before it", () => {
    const placed = eventsOf(account, "Placed Order");
    const touches = allSends(account).flatMap((send) => [...send.opens, ...send.clicks].map((at) => ({ at, send })));
    let expected = 0;
    let expectedValue = 0;
    const lastTouch = new Map<DemoEvent, Send>();
    for (const order of placed) {
      const at = order.timestamp * 1000;
      const before = touches.filter((t) => t.send.profileId === order.profileId && t.at <= at && at - t.at <= ATTRIBUTION_WINDOW_MS);
      if (before.length === 0) continue;
      expected++;
      expectedValue += order.event_properties.$value as number;
      lastTouch.set(order, before.reduce((a, b) => (b.at > a.at ? b : a)).send);
    }
    const credits = attribute(account, metricId(account, "Placed Order"));
    const total = [...credits.values()].reduce((sum, c) => sum + c.conversions, 0);
    expect(total).toBe(expected);
    expect([...credits.values()].reduce((sum, c) => sum + c.value, 0)).toBeCloseTo(expectedValue, 2);
    for (const send of lastTouch.values()) expect(credits.has(send)).toBe(true);
    expect(total).toBeGreaterThan(200);
    expect(total).toBeLessThan(placed.length);
  });

  it("lets each segment's history end in today's members", () => {
    for (const segment of account.segments) {
      const current = segment.history.filter((s) => s.to === null).map((s) => s.profileId).sort();
      expect(current).toEqual(segment.members.map((m) => m.profileId).sort());
      for (const span of segment.history) expect(span.to === null || span.to > span.from).toBe(true);
    }
    expect(account.segments.some((s) => s.history.some((span) => span.to !== null))).toBe(true);
  });

  it("counts a form submit for each sign-up the form brought, at a believable rate", () => {
    const form = account.forms[0];
    const signups = eventsOf(account, "Subscribed to List").filter((e) => e.event_properties.$source === "Signup form");
    expect(form.submits).toEqual(signups.map((e) => e.timestamp * 1000));
    const uniques = form.days.reduce((sum, d) => sum + d.viewedUniques, 0);
    expect(form.submits.length / uniques).toBeGreaterThan(0.01);
    expect(form.submits.length / uniques).toBeLessThan(0.05);
    for (const d of form.days) {
      expect([d.viewedUniques <= d.viewed, d.closed <= d.viewed, d.viewed <= d.qualified]).toEqual([true, true, true]);
    }
  });
});

describe("demo marketing: believable rates", () => {
  const emailRows = (): SummaryRow[] => summary.filter((r) => r.name !== "SMS campaigns");

  it("keeps every e-mail row's rates in the usual ranges", () => {
    for (const row of emailRows()) {
      expect(row.open_rate, row.name).toBeGreaterThan(0.28);
      expect(row.open_rate, row.name).toBeLessThan(0.55);
      expect(row.bounce_rate, row.name).toBeLessThan(0.02);
      expect(row.unsubscribe_rate, row.name).toBeLessThan(0.005);
      expect(row.spam_complaint_rate, row.name).toBeLessThan(0.001);
    }
    for (const row of emailRows()) {
      expect(row.click_rate, row.name).toBeGreaterThan(0.01);
      expect(row.click_rate, row.name).toBeLessThan(0.06);
    }
    const rows = emailRows();
    const all = rows.reduce((sum, r) => sum + r.unsubscribe_rate * r.recipients, 0) / rows.reduce((sum, r) => sum + r.recipients, 0);
    expect(all).toBeGreaterThan(0.001);
  });

  it("keeps the SMS campaigns' rates in the usual ranges: no opens, clicks and revenue per recipient above e-mail's", () => {
    const sms = summary.find((r) => r.name === "SMS campaigns") as SummaryRow;
    const email = summary[0];
    expect(sms.open_rate).toBe(0);
    expect(sms.failed_rate).toBeLessThan(0.03);
    expect(sms.click_rate).toBeGreaterThan(0.04);
    expect(sms.click_rate).toBeLessThan(0.15);
    expect(sms.unsubscribe_rate).toBeGreaterThan(0.002);
    expect(sms.unsubscribe_rate).toBeLessThan(0.015);
    expect(sms.revenue_per_recipient).toBeGreaterThan(email.revenue_per_recipient);
  });

  it("converts better in every flow than in campaigns, best in abandoned carts", () => {
    const [campaigns, ...flows] = emailRows();
    expect(flows.map((f) => f.name)).toEqual(["Welcome Series", "Abandoned Cart", "Browse Abandonment", "Post-Purchase", "Winback"]);
    for (const flow of flows) expect(flow.conversion_rate, flow.name).toBeGreaterThan(campaigns.conversion_rate);
    const best = (key: "conversion_rate" | "revenue_per_recipient"): string => flows.reduce((a, b) => (b[key] > a[key] ? b : a)).name;
    expect([best("conversion_rate"), best("revenue_per_recipient")]).toEqual(["Abandoned Cart", "Abandoned Cart"]);
  });

  it("holds for the second account too, and the empty account has no marketing", () => {
    const second = marketingSummary(accountSetup("second").account) as SummaryRow[];
    expect(second[0].recipients).toBeGreaterThan(1000);
    for (const row of second.slice(1)) expect(row.conversion_rate, row.name).toBeGreaterThan(second[0].conversion_rate);
    const empty = accountSetup("empty").account;
    expect([empty.campaigns, empty.flows, empty.forms]).toEqual([[], [], []]);
    expect(accountSetup("second").account.timezone).not.toBe(account.timezone);
  });
});

/**
 * The statistics of campaign and flow reports, counted from sends (marketing.ts) as Klaviyo defines
 * them: rates are fractions 0–1 of delivered messages (open, click, unsubscribe, spam complaint and
 * conversion rate, revenue per recipient), of recipients (bounce, failed and delivery rate), or of
 * unique opens (click-to-open rate). An e-mail that did not arrive bounced, a text failed; texts
 * have no opens (Klaviyo does not track them). Each of the demo's texts is one segment and costs
 * one credit; what the account pays for credits is not modelled, so spend and ROI are 0.
 */
import type { Channel, Send } from "../marketing";
import type { Credit } from "./attribution";

/** The `statistics` a campaign or flow report may ask for (the spec's enum, test/routes checks it). */
export const MESSAGE_STATISTICS = [
  "average_order_value", "bounce_rate", "bounced", "bounced_or_failed", "bounced_or_failed_rate", "click_rate",
  "click_to_open_rate", "clicks", "clicks_unique", "conversion_rate", "conversion_uniques", "conversion_value",
  "conversions", "delivered", "delivery_rate", "failed", "failed_rate", "message_segment_count_sum", "open_rate",
  "opens", "opens_unique", "recipients", "revenue_per_recipient", "spam_complaint_rate", "spam_complaints",
  "text_message_credit_usage_amount", "text_message_roi", "text_message_spend", "unsubscribe_rate",
  "unsubscribe_uniques", "unsubscribes",
] as const;

export type MessageStatistic = (typeof MESSAGE_STATISTICS)[number];

/** What a set of sends adds up to. */
export interface Tally {
  recipients: number;
  delivered: number;
  bounced: number;
  failed: number;
  /** Text message segments sent (one per text here). */
  segments: number;
  opens: number;
  opensUnique: number;
  clicks: number;
  clicksUnique: number;
  unsubscribes: number;
  spamComplaints: number;
  conversions: number;
  /** Recipients with at least one conversion. */
  conversionUniques: number;
  conversionValue: number;
}

export function emptyTally(): Tally {
  return {
    recipients: 0, delivered: 0, bounced: 0, failed: 0, segments: 0, opens: 0, opensUnique: 0, clicks: 0, clicksUnique: 0,
    unsubscribes: 0, spamComplaints: 0, conversions: 0, conversionUniques: 0, conversionValue: 0,
  };
}

/** Adds `send` of a message on `channel` (and the conversions credited to it) to `t`. */
export function count(t: Tally, send: Send, credit: Credit | undefined, channel: Channel): void {
  t.recipients++;
  if (channel === "sms") t.segments++;
  if (send.bounced) {
    if (channel === "sms") t.failed++;
    else t.bounced++;
    return;
  }
  t.delivered++;
  t.opens += send.opens.length;
  t.opensUnique += send.opens.length > 0 ? 1 : 0;
  t.clicks += send.clicks.length;
  t.clicksUnique += send.clicks.length > 0 ? 1 : 0;
  t.unsubscribes += send.unsubscribedAt === null ? 0 : 1;
  t.spamComplaints += send.spamComplaint ? 1 : 0;
  if (credit) {
    t.conversions += credit.conversions;
    t.conversionUniques++;
    t.conversionValue += credit.value;
  }
}

/** `part / whole` to 4 decimals (0 when there is no whole): how the reports give rates. */
function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

function money(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** One statistic of a tally. */
export function statistic(name: MessageStatistic, t: Tally): number {
  switch (name) {
    case "recipients": return t.recipients;
    case "delivered": return t.delivered;
    case "delivery_rate": return rate(t.delivered, t.recipients);
    case "bounced": return t.bounced;
    case "bounce_rate": return rate(t.bounced, t.recipients);
    case "failed": return t.failed;
    case "failed_rate": return rate(t.failed, t.recipients);
    case "bounced_or_failed": return t.bounced + t.failed;
    case "bounced_or_failed_rate": return rate(t.bounced + t.failed, t.recipients);
    case "opens": return t.opens;
    case "opens_unique": return t.opensUnique;
    case "open_rate": return rate(t.opensUnique, t.delivered);
    case "clicks": return t.clicks;
    case "clicks_unique": return t.clicksUnique;
    case "click_rate": return rate(t.clicksUnique, t.delivered);
    case "click_to_open_rate": return rate(t.clicksUnique, t.opensUnique);
    case "unsubscribes": case "unsubscribe_uniques": return t.unsubscribes;
    case "unsubscribe_rate": return rate(t.unsubscribes, t.delivered);
    case "spam_complaints": return t.spamComplaints;
    case "spam_complaint_rate": return rate(t.spamComplaints, t.delivered);
    case "conversions": return t.conversions;
    case "conversion_uniques": return t.conversionUniques;
    case "conversion_value": return money(t.conversionValue);
    case "conversion_rate": return rate(t.conversionUniques, t.delivered);
    case "revenue_per_recipient": return t.delivered === 0 ? 0 : money(t.conversionValue / t.delivered);
    case "average_order_value": return t.conversions === 0 ? 0 : money(t.conversionValue / t.conversions);
    case "message_segment_count_sum": case "text_message_credit_usage_amount": return t.segments;
    case "text_message_roi": case "text_message_spend": return 0;
  }
}

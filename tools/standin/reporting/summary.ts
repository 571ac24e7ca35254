/**
 * Key figures of an account's marketing, as a Klaviyo user would first look at them: the e-mail
 * campaigns together, each flow, the SMS campaigns together, over all time, with conversions on the
 * revenue metric ("Placed Order"). The tests check them
 * against believable ranges; `npx tsx tools/standin/reporting/summary.ts` prints the demo's.
 */
import type { DemoAccount } from "../account";
import { generateAccount } from "../generator/generate";
import type { Channel, Message } from "../marketing";
import { attribute } from "./attribution";
import type { Credit } from "./attribution";
import { count, emptyTally, statistic } from "./message-stats";
import type { MessageStatistic } from "./message-stats";
import type { Send } from "../marketing";

/** The figures reported for each row. */
export const SUMMARY_STATISTICS = [
  "recipients", "bounce_rate", "failed_rate", "open_rate", "click_rate", "click_to_open_rate", "unsubscribe_rate", "spam_complaint_rate",
  "conversions", "conversion_rate", "conversion_value", "revenue_per_recipient",
] as const satisfies readonly MessageStatistic[];

export type SummaryRow = { name: string } & Record<(typeof SUMMARY_STATISTICS)[number], number>;

function row(name: string, messages: Message[], credits: Map<Send, Credit>): SummaryRow {
  const tally = emptyTally();
  for (const message of messages) for (const send of message.sends) count(tally, send, credits.get(send), message.channel);
  return { name, ...Object.fromEntries(SUMMARY_STATISTICS.map((s) => [s, statistic(s, tally)])) } as SummaryRow;
}

/**
 * "E-mail campaigns", one row per flow, then "SMS campaigns" when there are any, with conversions on
 * the revenue metric (the first "Placed Order" on an account that maps none); null without one.
 */
export function marketingSummary(account: DemoAccount): SummaryRow[] | null {
  const placed = account.mappedMetrics.revenue?.metricId ?? account.metrics.find((m) => m.name === "Placed Order")?.id;
  if (!placed) return null;
  const credits = attribute(account, placed);
  const campaigns = (channel: Channel): Message[] => account.campaigns.map((c) => c.message).filter((m) => m.channel === channel);
  const sms = campaigns("sms");
  return [
    row("E-mail campaigns", campaigns("email"), credits),
    ...account.flows.map((f) => row(f.name, f.steps.map((s) => s.message), credits)),
    ...(sms.length > 0 ? [row("SMS campaigns", sms, credits)] : []),
  ];
}

if (require.main === module) {
  console.table(marketingSummary(generateAccount()));
}

/**
 * Key figures of an account's marketing, as a Klaviyo user would first look at them: all campaigns
 * together and each flow, over all time, with conversions on "Placed Order". The tests check them
 * against believable ranges; `npx tsx tools/standin/reporting/summary.ts` prints the demo's.
 */
import type { DemoAccount } from "../account";
import { generateAccount } from "../generator/generate";
import type { EmailMessage } from "../marketing";
import { attribute } from "./attribution";
import type { Credit } from "./attribution";
import { count, emptyTally, statistic } from "./message-stats";
import type { MessageStatistic } from "./message-stats";
import type { Send } from "../marketing";

/** The figures reported for each row. */
export const SUMMARY_STATISTICS = [
  "recipients", "bounce_rate", "open_rate", "click_rate", "click_to_open_rate", "unsubscribe_rate", "spam_complaint_rate",
  "conversions", "conversion_rate", "conversion_value", "revenue_per_recipient",
] as const satisfies readonly MessageStatistic[];

export type SummaryRow = { name: string } & Record<(typeof SUMMARY_STATISTICS)[number], number>;

function row(name: string, messages: EmailMessage[], credits: Map<Send, Credit>): SummaryRow {
  const tally = emptyTally();
  for (const message of messages) for (const send of message.sends) count(tally, send, credits.get(send));
  return { name, ...Object.fromEntries(SUMMARY_STATISTICS.map((s) => [s, statistic(s, tally)])) } as SummaryRow;
}

/** "All campaigns", then one row per flow; null when the account has no "Placed Order" metric. */
export function marketingSummary(account: DemoAccount): SummaryRow[] | null {
  const placed = account.metrics.find((m) => m.name === "Placed Order");
  if (!placed) return null;
  const credits = attribute(account, placed.id);
  return [
    row("All campaigns", account.campaigns.map((c) => c.message), credits),
    ...account.flows.map((f) => row(f.name, f.steps.map((s) => s.message), credits)),
  ];
}

if (require.main === module) {
  console.table(marketingSummary(generateAccount()));
}

/**
 * Campaign and flow reports (`query_campaign_values`, `query_flow_values`, `query_flow_series`):
 * the messages the filter keeps, their sends within the time frame grouped by `group_by`, and the
 * statistics of each group (message-stats.ts). Everything is counted by send: a send in the time
 * frame counts with all its opens, clicks, unsubscribes and conversions up to now, however late
 * they came, which is how the numbers match Klaviyo's dashboards (and why they do not match events
 * counted by their own time).
 *
 * The demo has no tags, A/B variations or text messages: grouping by those attributes gives null.
 */
import type { DemoAccount, JsonObject } from "../account";
import type { EmailMessage } from "../marketing";
import { attribute } from "./attribution";
import { count, emptyTally, MESSAGE_STATISTICS, statistic } from "./message-stats";
import type { MessageStatistic, Tally } from "./message-stats";
import { messageFilterRules, passes } from "./report-filter";
import type { Row } from "./report-filter";
import type { ReportKind, ReportQuery } from "./report-request";
import { bucketOf, bucketStarts, dateTimes } from "./timeframe";

/** Attributes the demo never has a value for. */
const ABSENT = { tag_id: [], tag_name: [], text_message_format: null, variation: null, variation_name: null } as const;

const CAMPAIGN_GROUPS = ["campaign_id", "campaign_message_id", "campaign_message_name", "group", "group_name", "send_channel"];
const FLOW_GROUPS = ["flow_id", "flow_message_id", "flow_message_name", "flow_name", "send_channel"];
const SHARED_GROUPS = ["tag_id", "tag_name", "text_message_format", "variation", "variation_name"];

export const CAMPAIGN_VALUES: ReportKind = {
  type: "campaign-values-report",
  statistics: MESSAGE_STATISTICS,
  series: false,
  conversions: true,
  groupBy: { allowed: [...CAMPAIGN_GROUPS, ...SHARED_GROUPS], default: ["campaign_id", "campaign_message_id", "send_channel"], required: ["campaign_id", "campaign_message_id"] },
  filters: messageFilterRules(["campaign_id", "campaign_message_id", "campaign_message_name", "variation", "variation_name", "text_message_format"]),
};

export const FLOW_VALUES: ReportKind = {
  type: "flow-values-report",
  statistics: MESSAGE_STATISTICS,
  series: false,
  conversions: true,
  groupBy: { allowed: [...FLOW_GROUPS, ...SHARED_GROUPS], default: ["flow_id", "flow_message_id", "send_channel"], required: ["flow_message_id", "flow_id"] },
  filters: messageFilterRules(["flow_id", "flow_name", "flow_message_id", "flow_message_name", "variation", "variation_name", "text_message_format"]),
};

export const FLOW_SERIES: ReportKind = { ...FLOW_VALUES, type: "flow-series-report", series: true };

/** A message with what a report may filter and group it on. */
interface MessageRow {
  row: Row;
  message: EmailMessage;
}

function campaignRows(account: DemoAccount): MessageRow[] {
  return account.campaigns.map(({ id, message }) => ({
    message,
    row: { ...ABSENT, campaign_id: id, campaign_message_id: message.id, campaign_message_name: message.name, group: null, group_name: null, send_channel: "email" },
  }));
}

function flowRows(account: DemoAccount): MessageRow[] {
  return account.flows.flatMap((flow) =>
    flow.steps.map(({ message }) => ({
      message,
      row: { ...ABSENT, flow_id: flow.id, flow_name: flow.name, flow_message_id: message.id, flow_message_name: message.name, send_channel: "email" },
    })),
  );
}

/** A group of the report: its attributes, and a tally per bucket (one bucket for a values report). */
interface Group {
  groupings: JsonObject;
  tallies: Tally[];
  rows: Row[];
}

function grouped(rows: MessageRow[], query: ReportQuery, account: DemoAccount, starts: number[]): Group[] {
  const credits = attribute(account, query.conversionMetricId as string);
  const groups = new Map<string, Group>();
  const { start, end } = query.window;
  for (const { row, message } of rows) {
    if (!passes(row, query.filter)) continue;
    const groupings: JsonObject = Object.fromEntries(query.groupBy.map((name) => [name, groupValue(row[name])]));
    const key = JSON.stringify(groupings);
    for (const send of message.sends) {
      if (send.at < start || send.at >= end) continue;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { groupings, tallies: starts.map(() => emptyTally()), rows: [] }));
      if (!group.rows.includes(row)) group.rows.push(row);
      count(group.tallies[Math.max(0, bucketOf(starts, send.at))], send, credits.get(send));
    }
  }
  return [...groups.values()];
}

/** A grouping's value: a tag list (always empty here) is no value. */
function groupValue(held: Row[string] | undefined): string | null {
  return typeof held === "string" ? held : null;
}

/** `relationships` naming what the results are about (`campaigns`, or `flows` and `flow-messages`). */
function related(groups: Group[], names: Record<string, string>): JsonObject {
  const relationships: JsonObject = {};
  for (const [relation, attribute] of Object.entries(names)) {
    const ids = [...new Set(groups.flatMap((g) => g.rows.map((r) => r[attribute] as string)))];
    relationships[relation] = { data: ids.map((id) => ({ type: relation.replace(/s$/, ""), id })) };
  }
  return relationships;
}

/** The `data` of a campaign or flow report's answer. */
export function messageReport(kind: ReportKind, query: ReportQuery, account: DemoAccount): JsonObject {
  const campaigns = kind === CAMPAIGN_VALUES;
  const starts = query.interval ? bucketStarts(query.window, query.interval) : [query.window.start];
  const groups = grouped(campaigns ? campaignRows(account) : flowRows(account), query, account, starts);
  const results = groups.map((g) => ({
    groupings: g.groupings,
    statistics: Object.fromEntries(
      query.statistics.map((name) => {
        const values = g.tallies.map((t) => statistic(name as MessageStatistic, t));
        return [name, query.interval ? values : values[0]];
      }),
    ),
  }));
  const attributes: JsonObject = query.interval ? { results, date_times: dateTimes(starts, query.window.timeZone) } : { results };
  const names: Record<string, string> = campaigns ? { campaigns: "campaign_id" } : { flows: "flow_id", "flow-messages": "flow_message_id" };
  return { type: kind.type, attributes, relationships: related(groups, names) };
}

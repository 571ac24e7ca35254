/**
 * Campaign and flow reports (`query_campaign_values`, `query_flow_values`, `query_flow_series`):
 * the messages the filter keeps, their sends within the time frame grouped by `group_by`, and the
 * statistics of each group (message-stats.ts). Everything is counted by send: a send in the time
 * frame counts with all its opens, clicks, unsubscribes and conversions up to now, however late
 * they came, which is how the numbers match Klaviyo's dashboards (and why they do not match events
 * counted by their own time).
 *
 * The demo has no tags, A/B variations or MMS: grouping by those attributes gives null.
 */
import type { DemoAccount, JsonObject } from "../account";
import type { Message } from "../marketing";
import { attribute } from "./attribution";
import { count, emptyTally, MESSAGE_STATISTICS, statistic } from "./message-stats";
import type { MessageStatistic, Tally } from "./message-stats";
import { messageFilterRules, passes } from "./report-filter";
import type { Row } from "./report-filter";
import type { ReportKind, ReportQuery } from "./report-request";
import { bucketOf, bucketStarts, dateTimes } from "./timeframe";

/** What no message of the demo has: tags, variations, a text message format (its texts are plain SMS). */
const ABSENT = {
  tag_id: [],
  tag_name: [],
  text_message_format: null,
  variation: null,
  variation_name: null,
} as const;

const SHARED_GROUPS = ["tag_id", "tag_name", "text_message_format", "variation", "variation_name"];
const SHARED_FILTERS = ["variation", "variation_name", "text_message_format"];

/**
 * A campaign or flow report: what it groups by when not told (`required` and `send_channel`), what
 * else it may group by, and the scalar attributes it filters on besides `send_channel` and tags.
 */
function messageKind(type: string, required: string[], groups: string[], filtered: string[]): ReportKind {
  return {
    type,
    statistics: MESSAGE_STATISTICS,
    series: false,
    conversions: true,
    groupBy: { allowed: [...required, ...groups, "send_channel", ...SHARED_GROUPS], default: [...required, "send_channel"], required },
    filters: messageFilterRules([...required, ...filtered, ...SHARED_FILTERS]),
  };
}

export const CAMPAIGN_VALUES = messageKind(
  "campaign-values-report",
  ["campaign_id", "campaign_message_id"],
  ["campaign_message_name", "group", "group_name"],
  ["campaign_message_name"],
);
export const FLOW_VALUES = messageKind(
  "flow-values-report",
  ["flow_id", "flow_message_id"],
  ["flow_message_name", "flow_name"],
  ["flow_name", "flow_message_name"],
);
export const FLOW_SERIES: ReportKind = { ...FLOW_VALUES, type: "flow-series-report", series: true };

/** A message with what a report may filter and group it on. */
interface MessageRow {
  row: Row;
  message: Message;
}

function campaignRows(account: DemoAccount): MessageRow[] {
  return account.campaigns.map(({ id, message }) => ({
    message,
    row: {
      ...ABSENT,
      send_channel: message.channel,
      campaign_id: id,
      campaign_message_id: message.id,
      campaign_message_name: message.name,
      group: null,
      group_name: null,
    },
  }));
}

function flowRows(account: DemoAccount): MessageRow[] {
  return account.flows.flatMap((flow) =>
    flow.steps.map(({ message }) => ({
      message,
      row: { ...ABSENT, send_channel: message.channel, flow_id: flow.id, flow_name: flow.name, flow_message_id: message.id, flow_message_name: message.name },
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
      count(group.tallies[Math.max(0, bucketOf(starts, send.at))], send, credits.get(send), message.channel);
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

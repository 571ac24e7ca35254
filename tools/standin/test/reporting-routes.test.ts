/**
 * The stand-in's Reporting API and the campaigns and flows it reports on: answers counted by send
 * (so they differ from events counted by their own time), read in the company's time zone, with
 * the spec's enums and the 400s for what breaks its rules. Pacing and quota: reporting-limits.test.ts.
 */
import { mappedMetricId } from "../account";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPENAPI_SUBSET } from "../../paths";
import { CAMPAIGN_VALUES, FLOW_VALUES } from "../reporting/message-reports";
import { FORM_VALUES, SEGMENT_VALUES } from "../reporting/audience-reports";
import { INTERVALS, TIMEFRAME_KEYS } from "../reporting/timeframe";
import { AUTH, q, useStandIn } from "./stand-in";
import type { Doc, Errors } from "./stand-in";

const standIn = useStandIn();
const { get } = standIn;

/** Each report request dated a minute after the last, so the paced limits never stand in the way. */
let clock = Date.parse("2026-11-20T12:00:00Z");
async function report(type: string, attributes: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  clock += 61_000;
  return standIn.post(`/api/${type}s`, { data: { type, attributes } }, { ...AUTH, date: new Date(clock).toUTCString() });
}

type Result = { groupings: Record<string, string>; statistics: Record<string, number | number[]> };
type Report = { data: { attributes: { results: Result[]; date_times?: string[] } } };
/** The account's "Placed Order" metric, as `conversion_metric_id`. */
const placed = (): { conversion_metric_id: string } => ({ conversion_metric_id: mappedMetricId(standIn.server.account, "revenue") });
const results = (body: unknown): Result[] => (body as Report).data.attributes.results;
const sum = (values: number | number[]): number => (values as number[]).reduce((a, b) => a + b, 0);
const problem = (body: unknown): { detail: string; pointer?: string } => {
  const error = (body as Errors).errors[0];
  return { detail: error.detail, pointer: error.source?.pointer };
};

describe("the Reporting API's vocabulary is the spec's", () => {
  type Property = { items?: { enum?: string[] }; enum?: string[] };
  type Schema = { properties: Record<string, Property & { properties?: Record<string, Property> }> };
  const subset = JSON.parse(readFileSync(OPENAPI_SUBSET, "utf8")) as { components: { schemas: Record<string, Schema> } };
  const schemas = subset.components.schemas;
  const attribute = (schema: string, name: string): Property | undefined => schemas[schema].properties.attributes.properties?.[name];

  it("statistics, group-bys, time frame keys and intervals", () => {
    const kinds = { Campaign: CAMPAIGN_VALUES, Flow: FLOW_VALUES, Segment: SEGMENT_VALUES, Form: FORM_VALUES };
    for (const [name, kind] of Object.entries(kinds)) {
      const schema = `${name}ValuesRequestDTOResourceObject`;
      expect([...kind.statistics].sort(), schema).toEqual(attribute(schema, "statistics")?.items?.enum);
      expect([...kind.groupBy.allowed].sort(), schema).toEqual(attribute(schema, "group_by")?.items?.enum ?? []);
    }
    expect([...TIMEFRAME_KEYS]).toEqual(schemas.Timeframe.properties.key.enum);
    expect([...INTERVALS]).toEqual(attribute("FlowSeriesRequestDTOResourceObject", "interval")?.enum);
  });
});

describe("reports count by send", () => {
  it("answers a campaign values report per campaign sent in the time frame, with rates as fractions", async () => {
    const statistics = ["recipients", "delivered", "opens_unique", "open_rate", "click_rate"];
    const { status, body } = await report("campaign-values-report", { statistics, timeframe: { key: "last_90_days" }, ...placed() });
    expect(status).toBe(200);
    const rows = results(body);
    // The 90 whole days before today, in New York.
    const [start, end] = [Date.parse("2026-08-22T04:00:00Z"), Date.parse("2026-11-20T05:00:00Z")];
    const sent = standIn.server.account.campaigns.filter((c) => Date.parse(c.sendTime) >= start && Date.parse(c.sendTime) < end);
    expect(rows.map((r) => r.groupings.campaign_id)).toEqual(sent.map((c) => c.id));
    expect(Object.keys(rows[0].groupings)).toEqual(["campaign_id", "campaign_message_id", "send_channel"]);
    for (const [i, row] of rows.entries()) {
      expect(row.statistics.recipients).toBe(sent[i].message.sends.length);
      expect(row.statistics.open_rate).toBeCloseTo((row.statistics.opens_unique as number) / (row.statistics.delivered as number), 4);
      expect(row.statistics.click_rate).toBeGreaterThanOrEqual(0);
      expect(row.statistics.open_rate).toBeLessThanOrEqual(1);
    }
  });

  it("counts every open of a campaign sent in the window, however late, unlike the events of that window", async () => {
    const { account } = standIn.server;
    const lateOpen = (c: (typeof account.campaigns)[number]): boolean =>
      c.message.sends.some((s) => s.opens.some((at) => at > Date.parse(c.sendTime) + 3 * 3_600_000));
    const campaign = account.campaigns.find(lateOpen);
    if (!campaign) throw new Error("The demo account has no campaign opened hours after its send.");
    const sentAt = Date.parse(campaign.sendTime);
    // Two hours from the send, in New York wall-clock time (the company's zone).
    const wall = (ms: number): string => new Date(ms - 5 * 3_600_000).toISOString().slice(0, 19);
    const timeframe = { start: wall(sentAt), end: wall(sentAt + 2 * 3_600_000) };
    const { body } = await report("campaign-values-report", { statistics: ["opens"], timeframe, ...placed() });
    const allOpens = campaign.message.sends.reduce((n, s) => n + s.opens.length, 0);
    expect(results(body).map((r) => r.statistics.opens)).toEqual([allOpens]);
    const inWindow = campaign.message.sends.flatMap((s) => s.opens).filter((at) => at < sentAt + 2 * 3_600_000).length;
    expect(inWindow).toBeLessThan(allOpens);
  });

  it("groups flows by message, and a series adds up to the values of the same time frame", async () => {
    const group_by = ["flow_id", "flow_message_id", "flow_name", "flow_message_name"];
    const attributes = { statistics: ["recipients", "conversions"], timeframe: { key: "last_30_days" }, ...placed(), group_by };
    const values = results((await report("flow-values-report", attributes)).body);
    const series = await report("flow-series-report", { ...attributes, interval: "weekly" });
    const dates = (series.body as Report).data.attributes.date_times as string[];
    expect(dates[0]).toBe("2026-10-21T00:00:00-04:00");
    expect(values.map((r) => r.groupings.flow_name)).toContain("Abandoned Cart");
    for (const row of results(series.body)) {
      const same = values.find((v) => v.groupings.flow_message_id === row.groupings.flow_message_id);
      expect((row.statistics.recipients as number[]).length).toBe(dates.length);
      expect(sum(row.statistics.recipients)).toBe(same?.statistics.recipients);
      expect(sum(row.statistics.conversions)).toBe(same?.statistics.conversions);
    }
  });

  it("reads a custom time frame in the company's zone, ignoring its offset, and filters by attribute", async () => {
    const flow = standIn.server.account.flows[1];
    const timeframe = { start: "2025-11-28T00:00:00+00:00", end: "2025-12-02T00:00:00Z" };
    const filter = `equals(flow_id,"${flow.id}"),equals(send_channel,"email")`;
    const { body } = await report("flow-series-report", { statistics: ["recipients"], timeframe, interval: "daily", filter, ...placed() });
    const days = ["2025-11-28", "2025-11-29", "2025-11-30", "2025-12-01"].map((day) => `${day}T00:00:00-05:00`);
    expect((body as Report).data.attributes.date_times).toEqual(days);
    expect(new Set(results(body).map((r) => r.groupings.flow_id))).toEqual(new Set([flow.id]));
  });

  it("reports segment members over time and the sign-up form's views and submits", async () => {
    const statistics = ["total_members", "members_added", "members_removed", "net_members_changed"];
    const segments = results((await report("segment-values-report", { statistics, timeframe: { key: "this_year" } })).body);
    for (const row of segments) {
      const segment = standIn.server.account.segments.find((s) => s.id === row.groupings.segment_id);
      expect(row.statistics.total_members).toBe(segment?.members.length);
      const { members_added: added, members_removed: removed } = row.statistics as Record<string, number>;
      expect(row.statistics.net_members_changed).toBe(added - removed);
    }
    const formAttributes = { statistics: ["viewed_form", "submits", "submit_rate"], timeframe: { key: "last_month" }, interval: "weekly" };
    const [form] = results((await report("form-series-report", formAttributes)).body);
    const views = form.statistics.viewed_form as number[];
    expect((form.statistics.submits as number[]).every((n, i) => n <= views[i])).toBe(true);
  });
});

describe("reports refuse what breaks the spec's rules (400)", () => {
  const base = { timeframe: { key: "last_30_days" }, conversion_metric_id: "X" };
  /** A statistic each kind of report has. */
  const STATISTIC: Record<string, string> = { campaign: "recipients", flow: "recipients", segment: "total_members", form: "submits" };
  const A = "/data/attributes";
  const span = (start: string, end: string): { timeframe: { start: string; end: string } } => ({ timeframe: { start, end } });
  const cases: [string, string, Record<string, unknown>, RegExp, string][] = [
    ["an unknown statistic", "campaign-values-report", { statistics: ["recipients", "opens_rate"] },
      /'opens_rate' is not a statistic/, `${A}/statistics/1`],
    ["no conversion metric", "campaign-values-report", { conversion_metric_id: undefined },
      /'conversion_metric_id' is a required property/, `${A}/conversion_metric_id`],
    ["a metric the account lacks", "flow-values-report", { conversion_metric_id: "NoSuch" },
      /does not exist in this account/, `${A}/conversion_metric_id`],
    ["a time frame over a year", "segment-values-report", span("2025-01-01T00:00:00", "2026-01-01T00:00:01"),
      /at most one year/, `${A}/timeframe`],
    ["an unknown time frame key", "form-values-report", { timeframe: { key: "last_2_days" } },
      /not a time frame key/, `${A}/timeframe/key`],
    ["hourly over 7 days", "form-series-report", { interval: "hourly" }, /hourly series may span at most 7 days/, `${A}/interval`],
    ["daily over 60 days", "segment-series-report", { timeframe: { key: "last_90_days" }, interval: "daily" },
      /daily series may span at most 60 days/, `${A}/interval`],
    ["monthly over 52 weeks", "segment-series-report", { timeframe: { key: "last_12_months" }, interval: "monthly" },
      /monthly series may span at most 364 days/, `${A}/interval`],
    ["a series without an interval", "form-series-report", {}, /'interval' is a required property/, `${A}/interval`],
    ["a group-by without the required ones", "campaign-values-report", { group_by: ["campaign_id"] },
      /must include campaign_id and campaign_message_id/, `${A}/group_by`],
    ["a filter with OR", "flow-values-report", { filter: 'or(equals(flow_id,"a"),equals(flow_id,"b"))' }, /Only AND/, `${A}/filter`],
    ["an unknown channel", "campaign-values-report", { filter: 'equals(send_channel,"fax")' },
      /'fax' is not a value of 'send_channel'/, `${A}/filter`],
    ["segment data before June 2023", "segment-values-report", span("2023-01-01T00:00:00", "2023-12-01T00:00:00"),
      /unavailable before 2023-06-01/, `${A}/timeframe`],
  ];
  it.each(cases)("%s", async (_, type, attributes, detail, pointer) => {
    const { status, body } = await report(type, { statistics: [STATISTIC[type.split("-")[0]]], ...base, ...attributes });
    expect(status).toBe(400);
    expect(problem(body).detail).toMatch(detail);
    expect(problem(body).pointer).toBe(pointer);
  });

  it("accepts a weekly series over a whole year", async () => {
    const attributes = { statistics: ["total_members"], timeframe: { key: "last_365_days" }, interval: "weekly" };
    expect((await report("segment-series-report", attributes)).status).toBe(200);
  });
});

describe("campaigns and flows, what the reports are about", () => {
  it("lists campaigns only with a channel filter, and names each campaign's message", async () => {
    const refused = await get("/api/campaigns");
    expect([refused.status, (refused.body as Errors).errors[0].source?.parameter]).toEqual([400, "filter"]);
    const sms = (await get(`/api/campaigns${q({ filter: "equals(messages.channel,'sms')", include: "campaign-messages" })}`)).body as Doc;
    expect(sms.data.length).toBeGreaterThan(0);
    expect(sms.data.every((c) => String(c.attributes.name).startsWith("Text drop "))).toBe(true);
    const text = sms.included?.[0].attributes.definition as { channel: string; content: { body: string } };
    expect([text.channel, text.content.body.endsWith("Reply STOP to opt out")]).toEqual(["sms", true]);
    const query = { filter: "equals(messages.channel,'email')", sort: "-scheduled_at", "page[size]": "3", include: "campaign-messages" };
    const doc = (await get(`/api/campaigns${q(query)}`)).body as Doc;
    expect(doc.data.map((c) => c.attributes.name)).toEqual(["2026-11-17", "2026-11-13", "2026-11-10"].map((day) => `Weekly picks ${day}`));
    expect(doc.included?.map((m) => m.type)).toEqual(["campaign-message", "campaign-message", "campaign-message"]);
    expect(doc.links.next).not.toBeNull();
  });

  it("walks from a flow to its actions and its e-mails", async () => {
    const flows = (await get(`/api/flows${q({ filter: 'equals(name,"Abandoned Cart")' })}`)).body as Doc;
    expect(flows.data.map((f) => f.attributes.trigger_type)).toEqual(["Metric"]);
    const sendActions = q({ filter: 'equals(action_type,"send-email")' });
    const actions = (await get(`/api/flows/${flows.data[0].id}/flow-actions${sendActions}`)).body as Doc;
    expect(actions.data).toHaveLength(2);
    const messages = (await get(`/api/flow-actions/${actions.data[0].id}/flow-messages`)).body as Doc;
    const names = messages.data.map((m) => (m.attributes.definition as { name: string }).name);
    expect(names).toEqual(["Cart 1: You left something behind"]);
    expect((await get("/api/flow-messages/nope00")).status).toBe(404);
    expect((await get("/api/campaigns/nope00")).status).toBe(404);
  });
});

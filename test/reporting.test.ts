/**
 * The Reporting API helpers (src/reporting/): the pacer (slots per operation on the connection's
 * clock, the countdown, the cache, retries after Retry-After, the budget), the paced SDK object
 * (the `Date` header, its cache key) and the report rows.
 */
import type { ReportingApi } from "klaviyo-api";
import { describe, expect, it } from "vitest";
import { frozenClock, runningClock } from "../src/clock";
import { explainFailure, readFailure } from "../src/failures";
import { createReportPacer, pacedReporting, ReportBudgetError, seriesRows, valuesRows } from "../src/reporting";

const START = new Date("2026-11-20T12:00:00Z");

/** A pacer on a frozen clock, printing into `printed`. */
function pacerAt(start = START, budget?: number) {
  const clock = frozenClock(start);
  const printed: string[] = [];
  const pacer = createReportPacer({ clock, budget, print: (text) => void printed.push(text) });
  return { clock, pacer, output: () => printed.join("") };
}

/** An SDK-like failure: what axios throws for an HTTP answer. */
function httpError(status: number, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    isAxiosError: true,
    config: { method: "post", url: "https://a.klaviyo.com/api/campaign-values-reports" },
    response: { status, statusText: "", headers: { "content-type": "application/vnd.api+json", ...headers }, data: { errors: [{ id: "e", code: status === 429 ? "throttled" : "error", title: "", detail: "Request was throttled." }] } },
  });
}

describe("the report pacer", () => {
  it("spaces one operation's requests by its per-minute limit on the clock, dating each, with a countdown", async () => {
    const { clock, pacer, output } = pacerAt();
    const sentAt: string[] = [];
    const send = (key: string) => pacer.send("query_campaign_values", key, async (at) => void sentAt.push(at.toISOString()));
    await send("a");
    await send("b");
    await send("c");
    expect(sentAt).toEqual(["2026-11-20T12:00:00.000Z", "2026-11-20T12:00:30.000Z", "2026-11-20T12:01:00.000Z"]);
    expect(output()).toBe(
      "Waiting 30 s for the next query_campaign_values slot (2 a minute): 30 … 20 … 10 … go\n".repeat(2),
    );
    expect(clock.now().toISOString()).toBe("2026-11-20T12:01:00.000Z");
    expect(pacer.log()).toEqual([{ operation: "query_campaign_values", sent: 3, fromCache: 0, waitedSeconds: 60, budget: 23 }]);
  });

  it("waits only for what is left of the spacing, and not at all between two operations", async () => {
    const { clock, pacer, output } = pacerAt();
    await pacer.send("query_flow_values", "a", async () => undefined);
    await pacer.send("query_form_values", "b", async () => undefined);
    await clock.sleep(23_000);
    await pacer.send("query_flow_values", "c", async () => undefined);
    expect(output()).toBe("Waiting 7 s for the next query_flow_values slot (2 a minute): 7 … go\n");
  });

  it("answers a request it answered before from its cache, sending nothing, but never caches a failure", async () => {
    const { pacer, output } = pacerAt();
    let sent = 0;
    const answer = { body: "report" };
    const send = () => pacer.send("query_segment_values", "same body", async () => (sent += 1, answer));
    expect(await send()).toBe(answer);
    expect(await send()).toBe(answer);
    expect(sent).toBe(1);
    expect(output()).toBe("query_segment_values: answered from this connection's cache, no request sent\n");
    await expect(pacer.send("query_form_values", "x", async () => Promise.reject(httpError(500)))).rejects.toThrow(/500/);
    await expect(pacer.send("query_form_values", "x", async () => "now answered")).resolves.toBe("now answered");
    expect(pacer.log().map((l) => [l.operation, l.sent, l.fromCache])).toEqual([["query_segment_values", 1, 1], ["query_form_values", 2, 0]]);
  });

  it("sends one report at a time, in the order asked", async () => {
    const { pacer } = pacerAt();
    const events: string[] = [];
    const slow = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`${name} end`);
    };
    await Promise.all([pacer.send("query_flow_values", "1", slow("one")), pacer.send("query_form_values", "2", slow("two"))]);
    expect(events).toEqual(["one start", "one end", "two start", "two end"]);
  });

  it("retries a 429 after its Retry-After, waiting on the clock, and carries on", async () => {
    const { clock, pacer, output } = pacerAt();
    const answers: (() => Promise<string>)[] = [async () => Promise.reject(httpError(429, { "retry-after": "20" })), async () => "ok"];
    const sentAt: string[] = [];
    const result = await pacer.send("query_flow_series", "k", async (at) => (sentAt.push(at.toISOString()), (answers.shift() as () => Promise<string>)()));
    expect(result).toBe("ok");
    expect(sentAt).toEqual(["2026-11-20T12:00:00.000Z", "2026-11-20T12:00:20.000Z"]);
    expect(output()).toBe("query_flow_series answered 429; waiting 20 s as Retry-After asks: 20 … 10 … go\n");
    expect(clock.now().toISOString()).toBe("2026-11-20T12:00:20.000Z");
    expect(pacer.log()[0]).toMatchObject({ sent: 2, waitedSeconds: 20 });
  });

  it("gives up on a Retry-After of hours (a daily limit spent), saying how long to wait", async () => {
    const { pacer, output } = pacerAt();
    const error = await pacer.send("query_campaign_values", "k", async () => Promise.reject(httpError(429, { "retry-after": "43200" }))).catch((e: unknown) => e);
    expect(output()).toBe("");
    const failure = readFailure(error);
    expect(failure).toMatchObject({ kind: "rate-limit", status: 429, retryAfterSeconds: 43200, operation: "query_campaign_values" });
    expect(explainFailure(failure as NonNullable<typeof failure>, "read")).toBe(
      "POST /api/campaign-values-reports was rate limited (429): query_campaign_values allows 1 request a second, 2 a minute and 225 a day per account, " +
        "shared with the account's other apps. Wait about 12 hours (Klaviyo's Retry-After; a wait that long means a daily limit is spent) and run this cell again; it only reads, so that is safe.",
    );
  });

  it("does not retry a 500 or a dropped connection: the cell reports them", async () => {
    const { pacer } = pacerAt();
    let tries = 0;
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    await expect(pacer.send("query_flow_values", "a", async () => (tries += 1, Promise.reject(reset)))).rejects.toBe(reset);
    await expect(pacer.send("query_form_values", "b", async () => (tries += 1, Promise.reject(httpError(500))))).rejects.toThrow(/500/);
    expect(tries).toBe(2);
  });

  it("refuses to send beyond its budget, and says what to do", async () => {
    const { pacer } = pacerAt(START, 2);
    await pacer.send("query_segment_series", "1", async () => undefined);
    await pacer.send("query_segment_series", "2", async () => undefined);
    const refused = pacer.send("query_segment_series", "3", async () => undefined);
    await expect(refused).rejects.toBeInstanceOf(ReportBudgetError);
    await expect(refused).rejects.toThrow(/already sent 2 query_segment_series requests, its budget \(Klaviyo allows 225 a day per account.*group_by.*set-up cell/);
    expect(readFailure(await refused.catch((e: unknown) => e))).toMatchObject({ kind: "helper" });
  });

  it("on a running clock, really waits", async () => {
    const pacer = createReportPacer({ clock: runningClock(), print: () => undefined });
    await pacer.send("query_form_series", "a", async () => undefined);
    const started = Date.now();
    const clock = runningClock();
    await clock.sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});

describe("the paced SDK object", () => {
  /** A stand-in for the SDK's ReportingApi: records each call with the headers it would send. */
  function fakeApi() {
    const calls: { method: string; body: unknown; options: unknown; date: string }[] = [];
    const api = {
      defaultHeaders: {} as Record<string, string>,
      async queryCampaignValues(body: unknown, options?: unknown) {
        calls.push({ method: "queryCampaignValues", body, options, date: this.defaultHeaders.Date });
        return { response: { status: 200 }, body: { data: { attributes: { results: [] } } } };
      },
      async queryFlowValues(body: unknown, options?: unknown) {
        calls.push({ method: "queryFlowValues", body, options, date: this.defaultHeaders.Date });
        return { response: { status: 200 }, body: {} };
      },
    };
    return { api, calls };
  }

  it("sends each report through the pacer, dated from its clock, and answers a repeat from the cache", async () => {
    const { api, calls } = fakeApi();
    const { pacer } = pacerAt();
    const reporting = pacedReporting(api as unknown as ReportingApi, pacer);
    const query = { data: { type: "campaign-values-report" as const, attributes: { statistics: ["opens" as const], timeframe: { key: "last_30_days" as const }, conversionMetricId: "M1" } } };
    const first = await reporting.queryCampaignValues(query);
    expect(await reporting.queryCampaignValues(query)).toBe(first);
    await reporting.queryCampaignValues(query, { fieldsCampaignValuesReport: ["results"] });
    await reporting.queryFlowValues({ data: { type: "flow-values-report", attributes: { statistics: ["opens"], timeframe: { key: "last_30_days" }, conversionMetricId: "M1" } } });
    expect(calls.map((c) => [c.method, c.date])).toEqual([
      ["queryCampaignValues", "Fri, 20 Nov 2026 12:00:00 GMT"],
      ["queryCampaignValues", "Fri, 20 Nov 2026 12:00:30 GMT"],
      ["queryFlowValues", "Fri, 20 Nov 2026 12:00:30 GMT"],
    ]);
    expect(calls[1].options).toEqual({ fieldsCampaignValuesReport: ["results"] });
    expect(reporting.pacer.log().map((l) => [l.operation, l.sent, l.fromCache])).toEqual([["query_campaign_values", 2, 1], ["query_flow_values", 1, 0]]);
  });
});

describe("report rows", () => {
  it("flattens a values report to one row per group: groupings, then statistics", () => {
    const results = [{ groupings: { campaign_id: "C1", send_channel: "email" }, statistics: { opens: 12, open_rate: 0.4 } }];
    expect(valuesRows(results)).toEqual([{ campaign_id: "C1", send_channel: "email", opens: 12, open_rate: 0.4 }]);
  });

  it("flattens a series report to one row per group and bucket, dated in the account's time zone", () => {
    const dates = [new Date("2026-11-01T04:00:00Z"), new Date("2026-11-08T05:00:00Z")];
    const results = [{ groupings: { flow_id: "F1" }, statistics: { recipients: [3, 5], conversion_value: [10, 0] } }];
    expect(seriesRows(dates, results, "America/New_York")).toEqual([
      { date: "2026-11-01", flow_id: "F1", recipients: 3, conversion_value: 10 },
      { date: "2026-11-08", flow_id: "F1", recipients: 5, conversion_value: 0 },
    ]);
  });
});

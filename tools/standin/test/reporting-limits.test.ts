/**
 * The Reporting API's limits on the stand-in (http/paced-limits.ts): 1/s, 2/m and 225 a day per
 * operation, counted on the account's clock: a request's `Date` header moves it (a guide pacing
 * itself on a virtual clock never waits for real), a 429 moves it by its `Retry-After`.
 */
import { describe, expect, it } from "vitest";
import { PacedWindows } from "../http/paced-limits";
import type { Admission } from "../http/paced-limits";
import type { Request } from "../http/request";
import { AUTH, useStandIn } from "./stand-in";

const REPORTING = { burstPerSecond: 1, steadyPerMinute: 2, perDay: 225 };
const NOW = Date.parse("2026-11-20T12:00:00Z");

/** A request dated `offsetMs` after the demo's now, or undated. */
function request(offsetMs?: number): Request {
  const headers = offsetMs === undefined ? {} : { date: new Date(NOW + offsetMs).toUTCString() };
  return { method: "POST", path: "/api/flow-values-reports", query: new Map(), headers, body: "" };
}

/** What an admission says: its status and its rate-limit or retry headers. */
function seen(admission: Admission): [number, string] {
  if ("refused" in admission) return [admission.refused.status, `Retry-After ${admission.refused.headers?.["Retry-After"]}`];
  const h = admission.headers;
  return [200, `${h["RateLimit-Limit"]}/${h["RateLimit-Remaining"]} reset ${h["RateLimit-Reset"]}`];
}

describe("paced limits (unit)", () => {
  it("allow 2 a minute and 1 a second on the requests' own dates, per operation", () => {
    const windows = new PacedWindows(NOW);
    const admit = (offset: number, operation = "query_flow_values"): [number, string] =>
      seen(windows.admit(operation, REPORTING, request(offset)));
    expect(admit(0)).toEqual([200, "2/1 reset 60"]);
    expect(admit(500)).toEqual([429, "Retry-After 1"]);
    expect(admit(1_000)).toEqual([200, "2/0 reset 59"]);
    expect(admit(20_000, "query_campaign_values")).toEqual([200, "2/1 reset 40"]);
    expect(admit(20_000)).toEqual([429, "Retry-After 40"]);
    // The 429 moved the clock on by those 40 s (one clock for the account): as if the client waited.
    expect(admit(20_000)).toEqual([200, "2/1 reset 60"]);
    // A paced client: one every 30 s, never refused.
    const paced = [90_000, 120_000, 150_000, 180_000].map((t) => admit(t).join(" "));
    expect(paced).toEqual(["200 2/0 reset 30", "200 2/1 reset 60", "200 2/0 reset 30", "200 2/1 reset 60"]);
  });

  it("move an undated client's clock by the wait a 429 asked for, so retrying as told gets through", () => {
    const windows = new PacedWindows(NOW);
    const admit = (): [number, string] => seen(windows.admit("query_form_values", REPORTING, request()));
    expect([admit(), admit(), admit(), admit(), admit()]).toEqual([
      [200, "2/1 reset 60"],
      [429, "Retry-After 1"],
      [200, "2/0 reset 59"],
      [429, "Retry-After 59"],
      [200, "2/1 reset 60"],
    ]);
  });

  it("allow 225 a day (00:00 to 00:00 UTC), then ask to wait for the next day", () => {
    const windows = new PacedWindows(NOW);
    const statuses = Array.from({ length: 225 }, (_, i) => windows.admit("query_campaign_values", REPORTING, request(i * 30_000)));
    expect(statuses.every((a) => "headers" in a)).toBe(true);
    const spentAt = 225 * 30_000;
    const untilMidnight = (Date.parse("2026-11-21T00:00:00Z") - (NOW + spentAt)) / 1000;
    expect(seen(windows.admit("query_campaign_values", REPORTING, request(spentAt)))).toEqual([429, `Retry-After ${untilMidnight}`]);
    expect(seen(windows.admit("query_flow_series", REPORTING, request(spentAt)))[0]).toBe(200);
    expect(seen(windows.admit("query_campaign_values", REPORTING, request(spentAt + untilMidnight * 1000)))[0]).toBe(200);
  });
});

describe("paced limits (HTTP)", () => {
  const standIn = useStandIn();
  const report = (statistic: string): unknown => ({
    data: { type: "segment-values-report", attributes: { statistics: [statistic], timeframe: { key: "last_30_days" } } },
  });
  const body = report("total_members");
  type Seen = [number, string | null, string | null, string | null];
  /** A report dated `date` ms after now (undated without), and its status, remaining, reset and retry-after. */
  const send = async (date?: number, payload: unknown = body): Promise<Seen> => {
    const headers = date === undefined ? AUTH : { ...AUTH, date: new Date(NOW + date).toUTCString() };
    const { status, headers: h } = await standIn.post("/api/segment-values-reports", payload, headers);
    return [status, h.get("ratelimit-remaining"), h.get("ratelimit-reset"), h.get("retry-after")];
  };

  it("answers a burst with 429 and Retry-After, counts refusals of the request too, and lets a dated client through", async () => {
    expect(await send(0, report("opens"))).toEqual([400, "1", "60", null]);
    expect(await send(0)).toEqual([429, null, null, "1"]);
    expect(await send(1_000)).toEqual([200, "0", "59", null]);
    expect(await send(2_000)).toEqual([429, null, null, "58"]);
    expect(await send(60_000)).toEqual([200, "1", "60", null]);
    expect(await send(90_000)).toEqual([200, "0", "30", null]);
    expect(await send()).toEqual([429, null, null, "30"]);
    expect(await send()).toEqual([200, "1", "60", null]);
  });
});

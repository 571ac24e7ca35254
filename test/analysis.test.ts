import { describe, expect, expectTypeOf, it } from "vitest";
import type { EventResponseObjectResource } from "klaviyo-api";
import type { RawResource } from "../src/pagination";
import { classifyBuyers, firstOrderByProfile, orderEvent, type EventLike, type OrderEvent } from "../src/analysis";

const start = new Date("2025-11-28T00:00:00Z");
const window = { start, end: new Date("2025-12-02T00:00:00Z") };
const history: OrderEvent[] = [
  { profileId: "old", datetime: "2024-06-01T10:00:00Z" },
  { profileId: "old", datetime: "2023-01-01T00:00:00+02:00" }, // earlier, other offset
  { profileId: "new", datetime: new Date("2025-11-28T09:00:00Z") },
  { profileId: "edge", datetime: "2025-11-27T23:59:59.999Z" },
];
const bfcm: OrderEvent[] = [
  { profileId: "old", datetime: "2025-11-28T12:00:00Z" },
  { profileId: "new", datetime: new Date("2025-11-28T09:00:00Z") },
  { profileId: "new", datetime: "2025-11-29T10:00:00Z" },
  { profileId: "edge", datetime: "2025-12-01T23:30:00Z" },
  { profileId: "fresh", datetime: "2025-12-01T23:30:00Z" },
  { profileId: "early", datetime: "2025-11-27T10:00:00Z" }, // before the window: ignored
  { profileId: "late", datetime: "2025-12-02T00:00:00Z" }, // the end is exclusive: ignored
];

describe("firstOrderByProfile", () => {
  it("keeps each profile's earliest order, comparing instants rather than strings", () => {
    const first = firstOrderByProfile(history);
    expect(first.get("old")?.toISOString()).toBe("2022-12-31T22:00:00.000Z");
    expect(first.size).toBe(3);
  });

  it("accepts async iterables", async () => {
    async function* stream() { yield* history; }
    expect(await firstOrderByProfile(stream())).toEqual(firstOrderByProfile(history));
  });

  it("names the profile of an unreadable datetime", () => {
    expect(() => firstOrderByProfile([{ profileId: "p9", datetime: "yesterday" }])).toThrow(/profile p9.*"yesterday"/);
  });
});

describe("classifyBuyers", () => {
  it("splits buyers by an order before the window and counts orders per day", () => {
    const split = classifyBuyers(bfcm, firstOrderByProfile(history), window);
    expect([...split.returning].sort()).toEqual(["edge", "old"]);
    expect([...split.firstTime].sort()).toEqual(["fresh", "new"]);
    expect(split.perDay).toEqual([
      { day: "2025-11-28", firstTimeOrders: 1, returningOrders: 1 },
      { day: "2025-11-29", firstTimeOrders: 1, returningOrders: 0 },
      { day: "2025-12-01", firstTimeOrders: 1, returningOrders: 1 },
    ]);
  });

  it("refuses an empty or invalid window", () => {
    expect(() => classifyBuyers([], new Map(), { start, end: start })).toThrow(/start before end/);
  });

  it("uses the given time zone for day boundaries, and async input", async () => {
    async function* stream() { yield* bfcm; }
    const split = await classifyBuyers(stream(), firstOrderByProfile(history), window, { timeZone: "America/New_York" });
    expect(split.perDay.map((r) => r.day)).toEqual(["2025-11-28", "2025-11-29", "2025-12-01"]);
    expect(split.perDay[0]).toEqual({ day: "2025-11-28", firstTimeOrders: 1, returningOrders: 1 });
    const late = [{ profileId: "x", datetime: "2025-11-29T03:00:00Z" }];
    expect(classifyBuyers(late, new Map(), window).perDay[0].day).toBe("2025-11-29");
    expect(classifyBuyers(late, new Map(), window, { timeZone: "America/New_York" }).perDay[0].day).toBe("2025-11-28");
  });
});

describe("orderEvent", () => {
  it("reads SDK-shaped and raw events, skipping anonymous ones", () => {
    expectTypeOf<EventResponseObjectResource>().toMatchTypeOf<EventLike>();
    expectTypeOf<RawResource>().toMatchTypeOf<EventLike>();
    expect(orderEvent({ attributes: { datetime: new Date(0) }, relationships: { profile: { data: { id: "p1" } } } })).toEqual({ profileId: "p1", datetime: new Date(0) });
    expect(orderEvent({ attributes: { datetime: "2025-11-28T00:00:00Z" }, relationships: { profile: { data: [{ id: "p2" }] } } })?.profileId).toBe("p2");
    expect(orderEvent({ attributes: { datetime: "2025-11-28T00:00:00Z" } })).toBeUndefined();
    expect(orderEvent({ relationships: { profile: { data: { id: "p1" } } } })).toBeUndefined();
  });

  it("reduces 200 000 events in under a second", () => {
    const events: OrderEvent[] = Array.from({ length: 200_000 }, (_, i) => ({ profileId: `p${i % 10_000}`, datetime: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() }));
    const t0 = performance.now();
    const first = firstOrderByProfile(events);
    const ms = performance.now() - t0;
    expect(first.size).toBe(10_000);
    expect(first.get("p1")?.toISOString()).toBe("2024-01-01T00:01:00.000Z");
    expect(ms).toBeLessThan(1000);
  });
});

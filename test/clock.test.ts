/** The connection's clock (src/clock.ts): frozen in replay and with KLAVIYO_CLOCK, moved on only by waiting; running live. */
import { describe, expect, it } from "vitest";
import { frozenClock, makeClock } from "../src/clock";

describe("the clock", () => {
  it("in replay stands at the recording time, and a wait moves it on at once", async () => {
    const clock = makeClock("replay", new Date("2026-11-20T12:00:00Z"), undefined);
    expect(clock.frozen).toBe(true);
    const before = Date.now();
    await clock.sleep(30_000);
    expect(Date.now() - before).toBeLessThan(1000);
    expect(clock.now().toISOString()).toBe("2026-11-20T12:00:30.000Z");
    clock.now().setFullYear(2000);
    expect(clock.now().toISOString()).toBe("2026-11-20T12:00:30.000Z");
  });

  it("is frozen at KLAVIYO_CLOCK in live and record mode, and runs without it", async () => {
    expect(makeClock("record", undefined, new Date("2026-01-02T03:04:05Z")).now().toISOString()).toBe("2026-01-02T03:04:05.000Z");
    const running = makeClock("live", undefined, undefined);
    expect(running.frozen).toBe(false);
    expect(Math.abs(running.now().getTime() - Date.now())).toBeLessThan(1000);
    const before = Date.now();
    await running.sleep(30);
    expect(Date.now() - before).toBeGreaterThanOrEqual(25);
  });

  it("refuses replay without a recording time, and ignores a negative wait", async () => {
    expect(() => makeClock("replay", undefined, undefined)).toThrow(/recordedAt/);
    const clock = frozenClock(new Date("2026-11-20T12:00:00Z"));
    await clock.sleep(-5);
    expect(clock.now().toISOString()).toBe("2026-11-20T12:00:00.000Z");
  });
});

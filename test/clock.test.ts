/** The connection's clock (src/clock.ts): frozen in replay and with KLAVIYO_CLOCK, moved on only by waiting; running live. */
import { afterEach, describe, expect, it } from "vitest";
import { frozenClock, makeClock, runningClock, useConnectionClock } from "../src/clock";
import { retryCall } from "../src/retry/engine";
import { pollJob } from "../src/server-side/jobs";
import { createPacer } from "../src/server-side/pacing";

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

describe("helpers that wait, on the connection's clock", () => {
  afterEach(() => useConnectionClock(runningClock()));

  it("poll a job, pace sends and retry a 429 at once in replay, moving the clock on by what they waited", async () => {
    const clock = frozenClock(new Date("2026-11-20T12:00:00Z"));
    useConnectionClock(clock);
    const started = Date.now();

    const answers = ["processing", "complete"].map((status) => ({ body: { data: { id: "J1", attributes: { status, totalCount: 1, completedCount: status === "complete" ? 1 : 0 } } } }));
    await pollJob(async () => answers.shift()!, { intervalMs: 5_000, print: () => {} });

    const pacer = createPacer({ perMinute: 6 }); // one slot every 10 s
    for (let i = 0; i < 3; i++) await pacer.next();

    const statuses = [429, 200];
    const { attempts } = await retryCall(async () => ({ status: statuses.shift()! }), {
      maxAttempts: 2, retryOn: [429], answered: (r) => ({ status: r.status, retryAfter: r.status === 429 ? "3" : undefined }), failed: () => undefined,
    });

    expect(Date.now() - started, "real time spent waiting").toBeLessThan(1_000);
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    // 5 s between the polls, two 10 s pacer slots, the 3 s Retry-After.
    expect(clock.now().toISOString()).toBe("2026-11-20T12:00:28.000Z");
  });
});

/**
 * The server-side guide's helpers (src/server-side/): polling a bulk job with a progress line and
 * pacing requests to a steady rate. `withRetry`, which runs on the retry engine, is tested with it
 * in retry.test.ts.
 */
import { describe, expect, it } from "vitest";
import { createPacer, JobTimeoutError, pacedSchedule, pollJob, progressLine } from "../src/server-side";
import type { JobResource } from "../src/server-side";

const job = (status: string, completedCount: number, failedCount = 0): { body: { data: JobResource } } => ({ body: { data: { id: "J1", attributes: { status, totalCount: 3, completedCount, failedCount } } } });

describe("pollJob", () => {
  it("polls until the job is complete, printing one line per poll and sleeping between polls", async () => {
    const answers = [job("queued", 0), job("processing", 1), job("complete", 2, 1)];
    const lines: string[] = [];
    const sleeps: number[] = [];
    const done = await pollJob(async () => answers.shift() as ReturnType<typeof job>, { intervalMs: 250, print: (l) => lines.push(l), sleep: async (ms) => void sleeps.push(ms) });
    expect(done.data.attributes.status).toBe("complete");
    expect(lines).toEqual(["J1 queued     0 of 3 done", "J1 processing 1 of 3 done", "J1 complete   2 of 3 done, 1 failed"]);
    expect(sleeps).toEqual([250, 250]);
  });

  it("stops at a cancelled job, and gives up after maxPolls with an error that says how to go on", async () => {
    const cancelled = await pollJob(async () => job("cancelled", 0), { print: () => undefined, sleep: async () => undefined });
    expect(cancelled.data.attributes.status).toBe("cancelled");
    const slow = pollJob(async () => job("processing", 1), { maxPolls: 2, print: () => undefined, sleep: async () => undefined });
    await expect(slow).rejects.toBeInstanceOf(JobTimeoutError);
    await expect(slow).rejects.toThrow(/still "processing" after 2 polls \(1 of 3 done\).*poll it again later/);
    expect(progressLine(job("queued", 0).body.data)).toBe("J1 queued     0 of 3 done");
  });
});

describe("pacing", () => {
  it("spaces slots evenly from the first, and does not wait when a request already took its share", async () => {
    let clock = 1000;
    const waits: number[] = [];
    const pacer = createPacer({ perMinute: 120, now: () => clock, sleep: async (ms) => { waits.push(ms); clock += ms; } });
    expect(pacer.intervalMs).toBe(500);
    await pacer.next(); // t=1000, slot 0
    clock += 100;
    await pacer.next(); // slot 1 at 1500: waits 400
    clock += 900; // a slow request: now 2400, slot 2 at 2000 is past
    await pacer.next();
    await pacer.next(); // slot 3 at 2500: waits 100
    expect(waits).toEqual([400, 100]);
    expect(pacer.sent).toBe(4);
  });

  it("plans a schedule at the rate, and refuses a rate that is not positive", () => {
    expect(pacedSchedule(3, 120)).toEqual([0, 0.5, 1]);
    expect(pacedSchedule(0, 120)).toEqual([]);
    expect(() => createPacer({ perMinute: 0 })).toThrow(RangeError);
  });
});

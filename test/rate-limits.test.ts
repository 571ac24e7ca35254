/** The rate-limit facts (src/rate-limits.ts); retrying a 429 is tested in retry.test.ts. */
import { describe, expect, it } from "vitest";
import { RATE_LIMITS, minimumSeconds } from "../src/rate-limits";
import { GUIDE_OPERATIONS } from "../src/guide-operations";
import { OPERATIONS } from "../src/operations";

describe("rate-limit table", () => {
  it("gives the least time for a number of requests", () => {
    expect(minimumSeconds(350, RATE_LIMITS.get_events)).toBeCloseTo(1);
    expect(minimumSeconds(3501, RATE_LIMITS.get_events)).toBeCloseTo(60 + 1 / 350);
    expect(minimumSeconds(0, RATE_LIMITS.get_events)).toBe(0);
  });

  it("holds every guide operation, with the spec's limits (src/operations.ts) and the notes its prose gives", () => {
    expect(Object.keys(RATE_LIMITS)).toEqual([...GUIDE_OPERATIONS]);
    for (const op of GUIDE_OPERATIONS) {
      const { method, path, rateLimit } = OPERATIONS[op];
      expect(RATE_LIMITS[op], op).toMatchObject({ method, path, ...rateLimit });
    }
    // As Klaviyo's document states them (revision 2026-07-15).
    expect(RATE_LIMITS.create_list).toEqual({ method: "POST", path: "/api/lists", burstPerSecond: 10, steadyPerMinute: 150, perDay: 150 });
    expect(RATE_LIMITS.get_list).toEqual({ method: "GET", path: "/api/lists/{id}", burstPerSecond: 75, steadyPerMinute: 750, note: "with additional-fields[list]=profile_count: 1/s, 15/m" });
  });
});

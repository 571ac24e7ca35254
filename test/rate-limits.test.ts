/** The rate-limit facts (src/rate-limits.ts); retrying a 429 is tested in retry.test.ts. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { RATE_LIMITS, minimumSeconds, type GuideOperation } from "../src/rate-limits";

describe("rate-limit table", () => {
  it("gives the least time for a number of requests", () => {
    expect(minimumSeconds(350, RATE_LIMITS.get_events)).toBeCloseTo(1);
    expect(minimumSeconds(3501, RATE_LIMITS.get_events)).toBeCloseTo(60 + 1 / 350);
    expect(minimumSeconds(0, RATE_LIMITS.get_events)).toBe(0);
  });

  const specPath = process.env.KLAVIYO_OPENAPI_SPEC;
  describe.skipIf(!specPath)(`matches x-klaviyo-ratelimit in the spec${specPath ? "" : " (SKIPPED: set KLAVIYO_OPENAPI_SPEC to the spec's stable.json)"}`, () => {
    it("for every guide operation", () => {
      type Op = { operationId?: string; "x-klaviyo-ratelimit"?: { burst: string; steady: string; daily?: string } };
      const spec = JSON.parse(readFileSync(specPath ?? "", "utf8")) as { paths: Record<string, Record<string, Op>> };
      const found = new Map<string, { method: string; path: string; limit: Op["x-klaviyo-ratelimit"] }>();
      for (const [path, ops] of Object.entries(spec.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          if (op && typeof op === "object" && op.operationId) found.set(op.operationId, { method: method.toUpperCase(), path, limit: op["x-klaviyo-ratelimit"] });
        }
      }
      for (const [op, ours] of Object.entries(RATE_LIMITS) as Array<[GuideOperation, (typeof RATE_LIMITS)[GuideOperation]]>) {
        const theirs = found.get(op);
        expect(theirs, `${op} missing from the spec`).toBeDefined();
        expect({ method: ours.method, path: ours.path }).toEqual({ method: theirs?.method, path: theirs?.path });
        expect({
          burst: `${ours.burstPerSecond}/s`, steady: `${ours.steadyPerMinute}/m`, ...(ours.perDay ? { daily: `${ours.perDay}/d` } : {}),
        }, op).toEqual(theirs?.limit);
      }
    });
  });
});

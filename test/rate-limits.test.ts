import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiKeySession, EventsApi } from "klaviyo-api";
import { RATE_LIMITS, describeAttempts, fetchWithRetry, guideRetryPolicy, minimumSeconds, parseRetryAfter } from "../src/rate-limits";
import { GUIDE_OPERATIONS } from "../src/guide-operations";
import { OPERATIONS } from "../src/operations";

/** 127.0.0.1 server: each path answers 429 (Retry-After: 1) on its first request, then 202. */
let server: Server;
let base = "";
const hits = new Map<string, number[]>();
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const key = req.url ?? "";
      const times = hits.get(key) ?? [];
      times.push(Date.now());
      hits.set(key, times);
      if (times.length === 1) {
        res.writeHead(429, { "Retry-After": "1", "Content-Type": "application/vnd.api+json" });
        res.end(JSON.stringify({ errors: [{ id: "x", code: "throttled", title: "Request was throttled.", detail: "Request was throttled. Expected available in 1 second." }] }));
      } else {
        res.writeHead(202);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("SDK retry policy", () => {
  it("is configured for guides: retry codes, 3 attempts in all, 10 s cap", () => {
    const p = guideRetryPolicy();
    expect(p.retryCodes).toEqual([429, 503, 504, 524]);
    expect(p.numRetries).toBe(3);
    expect(p.maxInterval).toBe(10);
  });

  it("retries a 429 with Retry-After: 1 and returns the 202", async () => {
    const events = new EventsApi(new ApiKeySession("pk_test_fake", guideRetryPolicy()));
    events.basePath = `${base}/sdk`;
    const r = await events.createEvent({
      data: { type: "event", attributes: { properties: {}, metric: { data: { type: "metric", attributes: { name: "Test" } } }, profile: { data: { type: "profile", attributes: { email: "a@example.com" } } } } },
    });
    expect(r.response.status).toBe(202);
    const times = hits.get("/sdk/api/events") ?? [];
    expect(times).toHaveLength(2);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(1000);
  }, 15_000);
});

describe("fetchWithRetry", () => {
  it("waits Retry-After (≥ 1 s) against a real server, then returns the 202 and reports it", async () => {
    const started = Date.now();
    const { response, attempts } = await fetchWithRetry(`${base}/raw`, { method: "POST", body: "{}" });
    expect(response.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(attempts).toEqual([{ status: 429, waitedMs: 1000, reason: "retry-after" }, { status: 202 }]);
    expect(describeAttempts(attempts)).toBe("429 → waited 1 s (Retry-After) → 202");
  }, 10_000);

  /** A fake transport answering the given statuses in order. */
  function answers(...specs: Array<[number, Record<string, string>?]>) {
    let i = 0;
    return async () => {
      const [status, headers] = specs[Math.min(i++, specs.length - 1)];
      return new Response(status === 204 ? null : "{}", { status, headers });
    };
  }

  it("backs off exponentially with jitter when there is no Retry-After, capped, and stops at maxAttempts", async () => {
    const waits: number[] = [];
    const { response, attempts } = await fetchWithRetry("http://127.0.0.1/x", {}, {
      fetch: answers([503], [503], [503], [503]),
      maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 1000, random: () => 1, sleep: async (ms) => { waits.push(ms); },
    });
    expect(response.status).toBe(503);
    expect(attempts).toHaveLength(4);
    expect(waits).toEqual([400, 800, 1000]);
    const low: number[] = [];
    await fetchWithRetry("http://127.0.0.1/x", {}, { fetch: answers([504], [200]), baseDelayMs: 400, random: () => 0, sleep: async (ms) => { low.push(ms); } });
    expect(low).toEqual([200]);
  });

  it("honours an HTTP-date Retry-After and gives up on one longer than maxRetryAfterMs", async () => {
    const now = Date.parse("2026-11-27T10:00:00Z");
    const waits: number[] = [];
    const date = new Date(now + 3000).toUTCString();
    const r = await fetchWithRetry("http://127.0.0.1/x", {}, { fetch: answers([429, { "retry-after": date }], [200]), now: () => now, sleep: async (ms) => { waits.push(ms); } });
    expect(r.response.status).toBe(200);
    expect(waits).toEqual([3000]);
    const long = await fetchWithRetry("http://127.0.0.1/x", {}, { fetch: answers([429, { "retry-after": "120" }], [200]), sleep: async () => { throw new Error("must not wait"); } });
    expect(long.response.status).toBe(429);
    expect(long.attempts).toEqual([{ status: 429 }]);
  });

  it("does not retry other statuses", async () => {
    const r = await fetchWithRetry("http://127.0.0.1/x", {}, { fetch: answers([500], [200]), sleep: async () => { throw new Error("must not wait"); } });
    expect(r.attempts).toEqual([{ status: 500 }]);
  });

  it("parses Retry-After forms", () => {
    expect(parseRetryAfter("1", 0)).toBe(1000);
    expect(parseRetryAfter(" 2.5 ", 0)).toBe(2500);
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:05 GMT", 1000)).toBe(4000);
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:05 GMT", 9000)).toBe(0);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

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

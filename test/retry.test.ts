/**
 * The one retry engine (src/retry/) and its two entry points: `fetchWithRetry` (raw fetch: a
 * retryable status arrives as an answer, `Retry-After` honoured) and `withRetry` (SDK calls: a
 * 500, a 502 or a network error arrives thrown), plus the SDK's own retry policy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiKeySession, EventsApi } from "klaviyo-api";
import { describeAttempts, fetchWithRetry, guideRetryPolicy, parseRetryAfter, RetriesExhaustedError, retryCall, type CallReader } from "../src/retry";
import { describeRetries, failureOf, withRetry } from "../src/server-side";
import { STAND_IN_PRIVATE_KEY } from "./support/keys";

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

/** A fake transport answering the given statuses in order; `sent` keeps every response it gave. */
function answers(...specs: Array<[number, Record<string, string>?]>) {
  const sent: Response[] = [];
  const fetch = async () => {
    const [status, headers] = specs[Math.min(sent.length, specs.length - 1)];
    sent.push(new Response(status === 204 ? null : "{}", { status, headers }));
    return sent[sent.length - 1];
  };
  return Object.assign(fetch, { sent });
}

const axiosError = (status: number) => Object.assign(new Error(`Request failed with status code ${status}`), { isAxiosError: true, response: { status } });
const network = (code: string) => Object.assign(new Error("socket hang up"), { code });
/** An SDK call that throws `failures` in order, then resolves with a 202. */
function sdkCall(...failures: unknown[]) {
  const ok = { response: { status: 202 } };
  return Object.assign(async () => {
    const next = failures.shift();
    if (next) throw next;
    return ok;
  }, { ok });
}

describe("SDK retry policy", () => {
  it("is configured for guides: retry codes, 3 attempts in all, 10 s cap", () => {
    const p = guideRetryPolicy();
    expect(p.retryCodes).toEqual([429, 503, 504, 524]);
    expect(p.numRetries).toBe(3);
    expect(p.maxInterval).toBe(10);
  });

  it("retries a 429 with Retry-After: 1 and returns the 202", async () => {
    const events = new EventsApi(new ApiKeySession(STAND_IN_PRIVATE_KEY, guideRetryPolicy()));
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

describe("the retry engine", () => {
  it("backs off alike for a status answered (fetch) and one thrown (SDK): doubled, jittered, capped", async () => {
    const options = { maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 1000, random: () => 1 };
    const fetchWaits: number[] = [];
    await fetchWithRetry("http://127.0.0.1/x", {}, { ...options, fetch: answers([503]), sleep: async (ms) => { fetchWaits.push(ms); } });
    const sdkWaits: number[] = [];
    await expect(withRetry(sdkCall(axiosError(500), axiosError(500), axiosError(500), axiosError(500)), { ...options, sleep: async (ms) => { sdkWaits.push(ms); } })).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(fetchWaits).toEqual([400, 800, 1000]);
    expect(sdkWaits).toEqual(fetchWaits);
  });

  it("refuses a maxAttempts that is not a whole number of at least 1, before any try", async () => {
    let calls = 0;
    const reader: CallReader<number> = { maxAttempts: 3, retryOn: [], answered: (n) => ({ status: n }), failed: () => undefined };
    for (const maxAttempts of [0, 1.5, Number.NaN]) {
      await expect(retryCall(async () => ++calls, reader, { maxAttempts })).rejects.toThrow(RangeError);
    }
    expect(calls).toBe(0);
    await expect(withRetry(sdkCall(), { maxAttempts: 0 })).rejects.toThrow(/maxAttempts must be an integer ≥ 1, got 0/);
  });

  it("rethrows at once, untried again, what the reader does not know", async () => {
    const bug = new TypeError("bug");
    const reader: CallReader<number> = { maxAttempts: 3, retryOn: [500], answered: (n) => ({ status: n }), failed: () => undefined };
    let calls = 0;
    await expect(retryCall(async () => { calls++; throw bug; }, reader)).rejects.toBe(bug);
    expect(calls).toBe(1);
  });

  it("parses Retry-After forms", () => {
    expect(parseRetryAfter("1", 0)).toBe(1000);
    expect(parseRetryAfter(" 2.5 ", 0)).toBe(2500);
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:05 GMT", 1000)).toBe(4000);
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:05 GMT", 9000)).toBe(0);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it("describes the tries in one line, with or without the waits", () => {
    const tries = [{ status: 429, waitedMs: 1000, reason: "retry-after" as const }, { status: "ECONNRESET", waitedMs: 750, reason: "backoff" as const }, { status: 202 }];
    expect(describeAttempts(tries)).toBe("429 → waited 1 s (Retry-After) → ECONNRESET → waited 0.8 s (backoff) → 202");
    expect(describeAttempts(tries, { waits: false })).toBe("429 → ECONNRESET → 202");
    expect(describeRetries(tries)).toBe(describeAttempts(tries, { waits: false }));
  });
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

  it("backs off exponentially with jitter when there is no Retry-After, capped, and stops at maxAttempts", async () => {
    const waits: number[] = [];
    const transport = answers([503], [503], [503], [503]);
    const { response, attempts } = await fetchWithRetry("http://127.0.0.1/x", {}, {
      fetch: transport,
      maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 1000, random: () => 1, sleep: async (ms) => { waits.push(ms); },
    });
    expect(response.status).toBe(503);
    expect(attempts).toHaveLength(4);
    expect(waits).toEqual([400, 800, 1000]);
    // The answers retried were read to their end before the wait; the one returned is left to the caller.
    expect(transport.sent.map((r) => r.bodyUsed)).toEqual([true, true, true, false]);
    const low: number[] = [];
    await fetchWithRetry("http://127.0.0.1/x", {}, { fetch: answers([504], [200]), baseDelayMs: 400, random: () => 0, sleep: async (ms) => { low.push(ms); } });
    expect(low).toEqual([200]);
  });

  it("makes 3 requests by default, and returns the last answer when they all ask for another", async () => {
    const { response, attempts } = await fetchWithRetry("http://127.0.0.1/x", {}, { fetch: answers([429, { "retry-after": "0" }]), sleep: async () => undefined });
    expect(response.status).toBe(429);
    expect(attempts).toEqual([{ status: 429, waitedMs: 0, reason: "retry-after" }, { status: 429, waitedMs: 0, reason: "retry-after" }, { status: 429 }]);
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

  it("does not retry other statuses, nor a network error", async () => {
    const r = await fetchWithRetry("http://127.0.0.1/x", {}, { fetch: answers([500], [200]), sleep: async () => { throw new Error("must not wait"); } });
    expect(r.attempts).toEqual([{ status: 500 }]);
    const dropped = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
    let calls = 0;
    await expect(fetchWithRetry("http://127.0.0.1/x", {}, { fetch: async () => { calls++; throw dropped; } })).rejects.toBe(dropped);
    expect(calls).toBe(1);
  });
});

describe("withRetry", () => {
  const noWait = { sleep: async () => undefined, random: () => 0.5 };

  it("retries a 500, a 502 and a dropped connection, then returns the success and every try", async () => {
    const call = sdkCall(axiosError(500), network("ECONNRESET"), axiosError(502));
    const { result, attempts } = await withRetry(call, noWait);
    expect(result).toBe(call.ok);
    expect(describeRetries(attempts)).toBe("500 → ECONNRESET → 502 → 202");
    expect(attempts.slice(0, 3).map((a) => a.waitedMs)).toEqual([375, 750, 1500]);
    expect(attempts.slice(0, 3).map((a) => a.reason)).toEqual(["backoff", "backoff", "backoff"]);
  });

  it("reads a failure thrown before the call returns a promise like a rejected one", async () => {
    let calls = 0;
    const { attempts } = await withRetry(() => {
      if (calls++ === 0) throw network("ECONNRESET");
      return Promise.resolve({ response: { status: 202 } });
    }, noWait);
    expect(describeRetries(attempts)).toBe("ECONNRESET → 202");
  });

  it("does not retry a 400, a 429 the SDK already retried, or an error that is not an HTTP or network failure", async () => {
    for (const error of [axiosError(400), axiosError(429), new TypeError("bug"), Object.assign(new Error("blocked"), { name: "WriteBlockedError" })]) {
      let calls = 0;
      await expect(withRetry(async () => { calls++; throw error; }, noWait)).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it("retries the statuses it is given instead of 500 and 502", async () => {
    const { attempts } = await withRetry(sdkCall(axiosError(503)), { ...noWait, retryOn: [503] });
    expect(describeRetries(attempts)).toBe("503 → 202");
    const only500 = axiosError(500);
    await expect(withRetry(sdkCall(only500), { ...noWait, retryOn: [503] })).rejects.toBe(only500);
  });

  it("gives up after maxAttempts with every try and the last error", async () => {
    const last = axiosError(500);
    const run = withRetry(async () => { throw last; }, { ...noWait, maxAttempts: 2 });
    await expect(run).rejects.toBeInstanceOf(RetriesExhaustedError);
    await expect(run).rejects.toMatchObject({ cause: last, attempts: [{ status: 500, waitedMs: 375 }, { status: 500 }] });
    await expect(run).rejects.toThrow("Gave up after 2 tries (500 → 500).");
  });

  it("tries 4 times by default", async () => {
    const run = withRetry(async () => { throw network("ETIMEDOUT"); }, noWait);
    await expect(run).rejects.toMatchObject({ attempts: [{ status: "ETIMEDOUT" }, { status: "ETIMEDOUT" }, { status: "ETIMEDOUT" }, { status: "ETIMEDOUT" }] });
  });

  it("reads the failure of axios, fetch (undici) and plain Node errors", () => {
    expect(failureOf(axiosError(502))).toBe(502);
    expect(failureOf(Object.assign(new TypeError("fetch failed"), { cause: { code: "UND_ERR_SOCKET" } }))).toBe("UND_ERR_SOCKET");
    expect(failureOf(network("ENOENT"))).toBeUndefined();
    expect(failureOf(undefined)).toBeUndefined();
  });
});

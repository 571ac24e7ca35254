import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ListCreateQuery } from "klaviyo-api";
import { readConfig } from "../src/config";
import { connect, disconnect } from "../src/connect";
import { WriteBlockedError } from "../src/errors";
import { redactHeaders } from "../src/write-guard";
import { guideEnv } from "./support/env";
import { startLocalServer, type LocalServer } from "./support/local-server";
import { describeResult } from "../src/client-side";
import { REAL_LOOKING_KEY } from "./support/keys";

const KEY = REAL_LOOKING_KEY;
const newList: ListCreateQuery = { data: { type: "list", attributes: { name: "Guide demo list" } } };

let server: LocalServer;
beforeEach(async () => {
  server = await startLocalServer((req) =>
    req.method === "POST"
      ? { status: 201, body: { data: { type: "list", id: "L1", attributes: { name: "Guide demo list" } } } }
      : { status: 200, body: { data: [], links: { self: "https://a.klaviyo.com/api/lists", next: null } } });
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(async () => {
  disconnect();
  await server.close();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("write guard in live mode without KLAVIYO_ALLOW_WRITES", () => {
  beforeEach(() => guideEnv({ KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_PUBLIC_KEY: "PubKey1", KLAVIYO_BASE_URL: server.url }));

  it("blocks SDK and fetch writes before they leave, and lets reads through", async () => {
    const kv = await connect("customer-data");
    expect(kv.mode).toBe("live");
    expect(kv.writesAllowed).toBe(false);
    const error = await kv.lists.createList(newList).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteBlockedError);
    expect((error as WriteBlockedError).request).toMatchObject({ method: "POST", url: `${server.url}/api/lists`, body: newList });
    await expect(fetch(`${server.url}/api/lists`, { method: "DELETE", headers: kv.serverHeaders() })).rejects.toBeInstanceOf(WriteBlockedError);
    expect(server.requests).toHaveLength(0);
    await kv.lists.getLists();
    expect(server.requests.map((r) => r.method)).toEqual(["GET"]);
  });

  it("lets Query Metric Aggregates through: a POST that only reads", async () => {
    const kv = await connect("customer-data");
    const query = { data: { type: "metric-aggregate" as const, attributes: { metricId: "M1", measurements: ["count" as const], filter: ["greater-or-equal(datetime,2025-10-01T00:00:00Z)", "less-than(datetime,2025-11-01T00:00:00Z)"] } } };
    await kv.metrics.queryMetricAggregates(query).catch(() => undefined);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /api/metric-aggregates"]);
    await expect(kv.lists.createList(newList)).rejects.toBeInstanceOf(WriteBlockedError);
  });

  it("kv.write prints the request it would have sent, key redacted, and returns sent:false", async () => {
    const kv = await connect("customer-data");
    vi.mocked(console.log).mockClear();
    const result = await kv.write("create a list", () => kv.lists.createList(newList));
    expect(result.sent).toBe(false);
    if (!("request" in result)) throw new Error("kv.write did not report the request it held back");
    expect(result.request.headers.Authorization).toBe("Klaviyo-API-Key pk_…(redacted)");
    const printed = vi.mocked(console.log).mock.calls.map((c) => String(c[0])).join("\n");
    expect(printed).toContain("Not sent (writes are off): create a list");
    expect(printed).toContain(`POST ${server.url}/api/lists`);
    expect(printed).toContain('"name": "Guide demo list"');
    expect(printed).toContain("KLAVIYO_ALLOW_WRITES=1");
    expect(printed).not.toContain(KEY);
    expect(server.requests).toHaveLength(0);
  });

  it("kv.write rethrows errors that are not the guard's", async () => {
    const kv = await connect("customer-data");
    await expect(kv.write("fail", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });

  it("the client-side requester is guarded too, and says so in its result", async () => {
    const kv = await connect("client-side");
    const result = await kv.client.send("/client/events", { data: {} });
    expect(result.outcome).toBe("not-sent");
    if (result.outcome !== "not-sent") return;
    expect(result.request.method).toBe("POST");
    expect(result.request.url).toContain("/client/events?company_id=");
    expect(describeResult(result)).toMatch(/^Not sent: .*writes are off[\s\S]*KLAVIYO_ALLOW_WRITES=1/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("KLAVIYO_ALLOW_WRITES: only 1 turns writes on", () => {
  it.each(["1", " 1 "])("%j turns them on", (value) => {
    expect(readConfig("customer-data", { KLAVIYO_ALLOW_WRITES: value }, "/project").allowWrites).toBe(true);
  });

  it.each(["0", "false", "no", "off", "", "yes", "true", "01"])("%j leaves them off", (value) => {
    expect(readConfig("customer-data", { KLAVIYO_ALLOW_WRITES: value }, "/project").allowWrites).toBe(false);
  });

  it.each(["0", "false"])("=%s in live mode: the write never reaches the server", async (value) => {
    guideEnv({ KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_BASE_URL: server.url, KLAVIYO_ALLOW_WRITES: value });
    const kv = await connect("customer-data");
    expect(kv.writesAllowed).toBe(false);
    await expect(kv.lists.createList(newList)).rejects.toBeInstanceOf(WriteBlockedError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("write guard with KLAVIYO_ALLOW_WRITES=1", () => {
  it("sends the write and kv.write returns sent:true with the result", async () => {
    guideEnv({ KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_BASE_URL: server.url, KLAVIYO_ALLOW_WRITES: "1" });
    const kv = await connect("customer-data");
    expect(kv.writesAllowed).toBe(true);
    const result = await kv.write("create a list", () => kv.lists.createList(newList));
    expect(result.sent && result.result.body.data.id).toBe("L1");
    expect(server.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([["POST", "/api/lists", `Klaviyo-API-Key ${KEY}`]]);
  });
});

describe("redactHeaders", () => {
  it("hides the key in Authorization and anywhere else", () => {
    expect(redactHeaders({ Authorization: `Klaviyo-API-Key ${KEY}`, "X-Debug": `key=${KEY}`, revision: "2026-07-15" }))
      .toEqual({ Authorization: "Klaviyo-API-Key pk_…(redacted)", "X-Debug": "key=pk_…(redacted)", revision: "2026-07-15" });
  });
});

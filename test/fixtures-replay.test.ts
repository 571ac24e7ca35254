import { rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PROJECT_ROOT, scratchDir } from "../tools/paths";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { connect, disconnect } from "../src/connect";
import { FixtureMissingError } from "../src/errors";
import type { FixtureFile } from "../src/fixtures/format";
import { guideEnv } from "./support/env";
import { startLocalServer } from "./support/local-server";

const RECORDED_AT = "2026-11-20T12:00:00.000Z";
const profile = (id: string, email: string, first: string) => ({
  type: "profile", id,
  attributes: { email, first_name: first, last_name: "Archer", created: "2025-03-04T05:06:07+00:00", properties: {} },
  links: { self: `https://a.klaviyo.com/api/profiles/${id}` },
});

const fixture: FixtureFile = {
  about: "Hand-written test fixture.", revision: "2026-07-15", recordedAt: RECORDED_AT, publicKey: "DemoCo",
  interactions: [
    { scope: "https://a.klaviyo.com", method: "GET", path: "/api/profiles?page%5Bsize%5D=2", body: "", status: 200,
      response: { data: [profile("P1", "ada@example.com", "Avery"), profile("P2", "bo@example.com", "Blake")], links: { self: "https://a.klaviyo.com/api/profiles", next: null } },
      headers: { "content-type": "application/vnd.api+json" } },
    { scope: "https://a.klaviyo.com", method: "GET", path: "/api/profiles?sort=-created&filter=equals%28email%2C%22ada%40example.com%22%29", body: "", status: 200,
      response: { data: [profile("P1", "ada@example.com", "Avery")], links: { self: "https://a.klaviyo.com/api/profiles", next: null } },
      headers: { "content-type": "application/vnd.api+json" } },
    { scope: "https://a.klaviyo.com", method: "POST", path: "/client/events?company_id=DemoCo", body: { data: { type: "event", attributes: { value: 1, name: "x" } } },
      status: 429, response: { errors: [{ id: "e1", code: "throttled", title: "Request was throttled.", detail: "Try again." }] },
      headers: { "content-type": "application/vnd.api+json", "retry-after": "1" } },
    { scope: "https://a.klaviyo.com", method: "POST", path: "/client/events?company_id=DemoCo", body: { data: { type: "event", attributes: { value: 1, name: "x" } } },
      status: 202, response: "", headers: {} },
    // Written by hand with a personal address (a recording would have scrubbed it): replay still
    // knows the request, because it scrubs both sides of the comparison the same way.
    { scope: "https://a.klaviyo.com", method: "POST", path: "/client/profiles?company_id=DemoCo", body: { data: { type: "profile", attributes: { email: "sam.real@gmail.com" } } },
      status: 202, response: "", headers: {} },
  ],
};

let dir: string;
beforeEach(() => {
  dir = scratchDir("replay");
  writeFileSync(join(dir, "customer-data.json"), JSON.stringify(fixture, null, 2));
  guideEnv({ KLAVIYO_MODE: "replay", KLAVIYO_FIXTURES_DIR: dir });
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(() => {
  disconnect();
  rmSync(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const eventBody = (value: number) => JSON.stringify({ data: { attributes: { name: "x", value }, type: "event" } });
const postEvent = (value: number) =>
  fetch("https://a.klaviyo.com/client/events?company_id=DemoCo", { method: "POST", headers: { "content-type": "application/vnd.api+json" }, body: eventBody(value) });

describe("replay", () => {
  it("prints one line naming the fixture file and recording time, and freezes the clock", async () => {
    const kv = await connect("customer-data");
    expect(console.log).toHaveBeenCalledTimes(1);
    expect(vi.mocked(console.log).mock.calls[0][0]).toBe(
      `Mode: replay: answers come from ${relative(PROJECT_ROOT, join(dir, "customer-data.json"))} (recorded ${RECORDED_AT}, account with public key DemoCo). No request leaves this process.`,
    );
    expect(kv.mode).toBe("replay");
    expect(kv.publicKey).toBe("DemoCo");
    expect(kv.revision).toBe("2026-07-15");
    expect(kv.now().toISOString()).toBe(RECORDED_AT);
    expect(kv.serverHeaders().Authorization).not.toMatch(/pk_/);
  });

  it("answers SDK calls, typed, and again on a repeat", async () => {
    const kv = await connect("customer-data");
    for (let run = 0; run < 2; run++) {
      const { body } = await kv.profiles.getProfiles({ pageSize: 2 });
      expect(body.data.map((p) => p.attributes.firstName)).toEqual(["Avery", "Blake"]);
      expect(body.data[0].attributes.created).toBeInstanceOf(Date);
    }
  });

  it("matches queries regardless of their order", async () => {
    const kv = await connect("customer-data");
    const { body } = await kv.profiles.getProfiles({ filter: 'equals(email,"ada@example.com")', sort: "-created" });
    expect(body.data).toHaveLength(1);
  });

  it("answers plain fetch, raw snake_case JSON:API", async () => {
    const kv = await connect("customer-data");
    const res = await fetch(`${kv.baseUrl}/api/profiles?page%5Bsize%5D=2`, { headers: kv.serverHeaders() });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { data: { attributes: { first_name: string } }[] };
    expect(doc.data[1].attributes.first_name).toBe("Blake");
  });

  it("fails an unrecorded SDK request at once, naming method, URL and what to do", async () => {
    const kv = await connect("customer-data");
    const started = Date.now();
    const error = await kv.profiles.getProfiles({ pageSize: 3 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(FixtureMissingError);
    const message = (error as Error).message;
    expect(message).toContain("GET https://a.klaviyo.com/api/profiles?page%5Bsize%5D=3");
    expect(message).toContain(join(dir, "customer-data.json"));
    expect(message).toContain("npm run fixtures");
    expect(message).toContain("KLAVIYO_PRIVATE_KEY");
  });

  it("rejects an unrecorded fetch with the request's body instead of resolving nock's 501", async () => {
    await connect("customer-data");
    const error = await postEvent(2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FixtureMissingError);
    expect((error as FixtureMissingError).request).toEqual({
      method: "POST", url: "https://a.klaviyo.com/client/events?company_id=DemoCo",
      body: { data: { attributes: { name: "x", value: 2 }, type: "event" } },
    });
    expect((error as Error).message).toContain('"value": 2');
  });

  it("is strict on query and path but not on JSON key order", async () => {
    await connect("customer-data");
    await expect(fetch("https://a.klaviyo.com/api/profiles?page%5Bsize%5D=2&extra=1")).rejects.toBeInstanceOf(FixtureMissingError);
    await expect(fetch("https://a.klaviyo.com/api/profiles/")).rejects.toBeInstanceOf(FixtureMissingError);
    await expect(fetch("https://a.klaviyo.com/api/profiles?page%5Bsize%5D=2", { method: "DELETE" })).rejects.toBeInstanceOf(FixtureMissingError);
    expect((await postEvent(1)).status).toBe(429); // key order differs from the fixture's body
  });

  it("identifies a recorded request and an outgoing one the same way, scrubbing both", async () => {
    await connect("customer-data");
    const body = JSON.stringify({ data: { attributes: { email: "sam.real@gmail.com" }, type: "profile" } });
    const res = await fetch("https://a.klaviyo.com/client/profiles?company_id=DemoCo", { method: "POST", headers: { "content-type": "application/vnd.api+json" }, body });
    expect(res.status).toBe(202);
  });

  it("serves a request recorded twice in order, then repeats the last answer", async () => {
    await connect("customer-data");
    const first = await postEvent(1);
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("1");
    expect((await postEvent(1)).status).toBe(202);
    expect((await postEvent(1)).status).toBe(202);
  });

  it("starts the order afresh when connect() runs again", async () => {
    await connect("customer-data");
    expect((await postEvent(1)).status).toBe(429);
    await connect("customer-data");
    expect((await postEvent(1)).status).toBe(429);
  });

  it("lets no request leave the process, not even to 127.0.0.1", async () => {
    const server = await startLocalServer(() => ({ status: 200, body: { data: [] } }));
    try {
      const kv = await connect("customer-data");
      await expect(fetch(`${server.url}/api/profiles`)).rejects.toThrow();
      kv.profiles.basePath = server.url;
      await expect(kv.profiles.getProfiles()).rejects.toThrow(/Disallowed net connect/);
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it("says which file is missing and how to make it", async () => {
    guideEnv({ KLAVIYO_MODE: "replay", KLAVIYO_FIXTURES_DIR: join(dir, "nowhere") });
    const error = await connect("client-side").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FixtureMissingError);
    expect((error as Error).message).toMatch(/nowhere\/client-side\.json, and it does not exist[\s\S]*npm run fixtures[\s\S]*KLAVIYO_PUBLIC_KEY/);
  });
});

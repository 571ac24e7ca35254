import { rmSync, readFileSync, writeFileSync } from "node:fs";
import { scratchDir } from "../tools/paths";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { connect, disconnect } from "../src/connect";
import { findProjectRoot, loadConfig, readConfig } from "../src/config";
import { FixtureMissingError, MissingKeyError } from "../src/errors";
import type { FixtureFile } from "../src/fixtures/format";
import { GUIDES, type Guide } from "../src/guides";
import { guideParams } from "../src/params";
import { guideEnv } from "./support/env";
import { useSandbox } from "./support/sandbox";
import { REAL_LOOKING_KEY } from "./support/keys";

const ROOT = "/project";
const KEY = REAL_LOOKING_KEY;

describe("mode selection", () => {
  it.each([
    ["customer-data", {}, "replay"],
    ["customer-data", { KLAVIYO_PRIVATE_KEY: KEY }, "live"],
    ["customer-data", { KLAVIYO_PUBLIC_KEY: "PubKey1" }, "replay"],
    ["client-side", { KLAVIYO_PUBLIC_KEY: "PubKey1" }, "live"],
    ["client-side", { KLAVIYO_PRIVATE_KEY: KEY }, "replay"],
    ["customer-data", { KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_MODE: "replay" }, "replay"],
    ["customer-data", { KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_MODE: "RECORD" }, "record"],
    ["customer-data", { KLAVIYO_PRIVATE_KEY: "  " }, "replay"],
  ] as const)("%s with %j -> %s", (guide, env, mode) => {
    expect(readConfig(guide, env, ROOT).mode).toBe(mode);
  });

  it("has the contract's defaults and reads the other variables", () => {
    expect(readConfig("customer-data", {}, ROOT)).toMatchObject({
      baseUrl: "https://a.klaviyo.com", allowWrites: false, clock: undefined, envFile: "/project/.env", fixtureFile: "/project/data/customer-data.json",
    });
    const c = readConfig("client-side", { KLAVIYO_BASE_URL: "http://127.0.0.1:4010/", KLAVIYO_ALLOW_WRITES: "1", KLAVIYO_CLOCK: "2026-11-20T12:00:00Z", KLAVIYO_FIXTURES_DIR: "fx" }, ROOT);
    expect(c).toMatchObject({ baseUrl: "http://127.0.0.1:4010", allowWrites: true, fixtureFile: "/project/fx/client-side.json" });
    expect(c.clock?.toISOString()).toBe("2026-11-20T12:00:00.000Z");
  });

  it("says which key to set, and where, when live or record lacks it", () => {
    expect(() => readConfig("customer-data", { KLAVIYO_MODE: "live" }, ROOT)).toThrow(MissingKeyError);
    expect(() => readConfig("customer-data", { KLAVIYO_MODE: "record", KLAVIYO_PUBLIC_KEY: "PubKey1" }, ROOT))
      .toThrow(/KLAVIYO_MODE=record sends real requests for the "customer-data" guide, but KLAVIYO_PRIVATE_KEY is not set\.\nAdd a line `KLAVIYO_PRIVATE_KEY=…` to \/project\/\.env/);
    expect(() => readConfig("client-side", { KLAVIYO_MODE: "live", KLAVIYO_PRIVATE_KEY: KEY }, ROOT)).toThrow(/KLAVIYO_PUBLIC_KEY is not set/);
  });

  it.each(GUIDES)("$id takes its key variable ($keyVariable) and its fixture file from the registry", (entry) => {
    const other = entry.keyVariable === "KLAVIYO_PRIVATE_KEY" ? "KLAVIYO_PUBLIC_KEY" : "KLAVIYO_PRIVATE_KEY";
    expect(readConfig(entry.id, { [entry.keyVariable]: "key1" }, ROOT)).toMatchObject({ mode: "live", keyVariable: entry.keyVariable, fixtureFile: `/project/data/${entry.fixture}` });
    expect(readConfig(entry.id, { [other]: "key1" }, ROOT).mode).toBe("replay");
  });

  it("refuses a guide that is not registered instead of giving it another guide's key", () => {
    const unknown = () => readConfig("no-such-guide" as Guide, { KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_PUBLIC_KEY: "PubKey1" }, ROOT);
    expect(unknown).toThrow(RangeError);
    expect(unknown).toThrow(`Unknown guide "no-such-guide"; use one of: ${GUIDES.map((g) => g.id).join(", ")} (registered in src/guides.ts).`);
  });

  it("rejects an unknown mode or clock with the fix", () => {
    expect(() => readConfig("customer-data", { KLAVIYO_MODE: "offline" }, ROOT)).toThrow(/KLAVIYO_MODE="offline" is not a mode; use replay, live or record/);
    expect(() => readConfig("customer-data", { KLAVIYO_CLOCK: "yesterday" }, ROOT)).toThrow(/KLAVIYO_CLOCK="yesterday" is not an ISO 8601 instant/);
  });
});

describe("project root and .env", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("finds the package named klaviyo-guides from any folder below it", () => {
    const root = findProjectRoot();
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name).toBe("klaviyo-guides");
    expect(findProjectRoot(join(root, "src", "fixtures"))).toBe(root);
  });

  it("loads .env from the project root without overriding the environment", () => {
    const root = scratchDir("root");
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "klaviyo-guides" }));
    writeFileSync(join(root, ".env"), `KLAVIYO_PRIVATE_KEY=${KEY}\nKLAVIYO_MODE=live\n`);
    vi.stubEnv("KLAVIYO_PRIVATE_KEY", undefined);
    vi.stubEnv("KLAVIYO_MODE", "replay");
    try {
      const config = loadConfig("customer-data", root);
      expect(config.privateKey).toBe(KEY);
      expect(config.mode).toBe("replay");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("connect", () => {
  const box = useSandbox("connect", () => ({ status: 200, body: { data: [], links: { self: "https://a.klaviyo.com/api/lists", next: null } } }));

  it("prints one line in live mode, with the public key and never the private key", async () => {
    guideEnv({ KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_PUBLIC_KEY: "PubKey1", KLAVIYO_BASE_URL: box.server.url, KLAVIYO_CLOCK: "2026-01-02T03:04:05Z" });
    const kv = await connect("customer-data");
    expect(vi.mocked(console.log).mock.calls).toEqual([[
      `Mode: live: requests go to ${box.server.url} for the account with public key PubKey1. Writes are off (set KLAVIYO_ALLOW_WRITES=1).`,
    ]]);
    expect(kv.now().toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect(kv.serverHeaders()).toEqual({ Authorization: `Klaviyo-API-Key ${KEY}`, revision: "2026-07-15", accept: "application/vnd.api+json" });
    for (const api of [kv.profiles, kv.lists, kv.segments, kv.metrics, kv.events]) expect(api.basePath).toBe(box.server.url);
  });

  it("uses the real time in live mode without KLAVIYO_CLOCK", async () => {
    guideEnv({ KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_BASE_URL: box.server.url });
    const kv = await connect("customer-data");
    expect(Math.abs(kv.now().getTime() - Date.now())).toBeLessThan(5000);
  });

  it("registers its hooks once however often it runs (a re-run cell)", async () => {
    const originalFetch = globalThis.fetch;
    guideEnv({ KLAVIYO_MODE: "record", KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_BASE_URL: box.server.url, KLAVIYO_FIXTURES_DIR: box.dir });
    await connect("customer-data");
    const kv = await connect("customer-data");
    await kv.lists.getLists();
    await fetch(`${box.server.url}/api/lists?page%5Bsize%5D=5`);
    const file = JSON.parse(readFileSync(join(box.dir, "customer-data.json"), "utf8")) as FixtureFile;
    expect(file.interactions.map((i) => i.path)).toEqual(["/api/lists", "/api/lists?page%5Bsize%5D=5"]);
    disconnect();
    expect(globalThis.fetch).toBe(originalFetch);
  });

  it("treats an empty fixture as a miss, and leaves no nock state behind when switching to live", async () => {
    const fixture: FixtureFile = { about: "", revision: "2026-07-15", recordedAt: "2026-11-20T12:00:00.000Z", publicKey: "DemoCo", interactions: [] };
    writeFileSync(join(box.dir, "customer-data.json"), JSON.stringify(fixture));
    guideEnv({ KLAVIYO_MODE: "replay", KLAVIYO_FIXTURES_DIR: box.dir, KLAVIYO_BASE_URL: box.server.url });
    const replay = await connect("customer-data");
    await expect(replay.lists.getLists()).rejects.toBeInstanceOf(FixtureMissingError);
    await expect(fetch(`${box.server.url}/api/lists`)).rejects.toBeInstanceOf(FixtureMissingError);
    guideEnv({ KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_BASE_URL: box.server.url });
    const live = await connect("customer-data");
    await live.lists.getLists();
    expect((await fetch(`${box.server.url}/api/lists`)).status).toBe(200);
    expect(box.server.requests).toHaveLength(2);
  });

  it("replays a recording made with writes off and parameters set as that run went: the same values, the write refused again (not a missing fixture)", async () => {
    const runGuide = async () => {
      const kv = await connect("customer-data");
      const params = guideParams(kv, { newsletterList: "Newsletter" });
      const write = await kv.write("Create the list", () => kv.lists.createList({ data: { type: "list", attributes: { name: params.newsletterList } } }));
      return { writesAllowed: kv.writesAllowed, params, sent: write.sent, printed: vi.mocked(console.log).mock.calls.slice(1).map((c) => String(c[0])) };
    };
    guideEnv({ KLAVIYO_MODE: "record", KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_BASE_URL: box.server.url, KLAVIYO_FIXTURES_DIR: box.dir });
    vi.stubEnv("KLAVIYO_PARAM_NEWSLETTER_LIST", "VIP");
    const recorded = await runGuide();
    expect(recorded).toMatchObject({ writesAllowed: false, params: { newsletterList: "VIP" }, sent: false });
    vi.mocked(console.log).mockClear();
    // Later, with nothing of that run in the environment.
    guideEnv({ KLAVIYO_MODE: "replay", KLAVIYO_FIXTURES_DIR: box.dir, KLAVIYO_BASE_URL: box.server.url });
    vi.stubEnv("KLAVIYO_PARAM_NEWSLETTER_LIST", "");
    const replayed = await runGuide();
    expect(vi.mocked(console.log).mock.calls[0][0]).toMatch(/Writes are off, as they were when it was recorded\.$/);
    expect({ ...replayed, printed: replayed.printed.slice(1) }).toEqual({ ...recorded, printed: recorded.printed.slice(1) });
    expect(box.server.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });
});

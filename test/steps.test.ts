/**
 * kv.read, kv.after and kv.write (src/steps.ts, src/failures.ts) against a local server that refuses
 * the way Klaviyo does: each failure costs one step and one line that says what to do, the steps
 * that need it say they are skipped, a 401 is said once, and nothing is written after a failed read.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { connect, disconnect, type Connection } from "../src/connect";
import { describeResult } from "../src/client-side";
import { collectAll } from "../src/pagination";
import { STEP_FAILED, STEP_SKIPPED } from "../src/steps";
import { scratchDir } from "../tools/paths";
import { guideEnv } from "./support/env";
import { startLocalServer, type Answer, type LocalServer, type SeenRequest } from "./support/local-server";
import { REAL_LOOKING_KEY } from "./support/keys";

const KEY = REAL_LOOKING_KEY;
const page = (type: string, ids: string[], next: string | null = null) => ({ data: ids.map((id) => ({ type, id, attributes: { name: `${type} ${id}` } })), links: { self: "https://a.klaviyo.com/api/x", next } });
const refusal = (status: number, code: string, title: string, detail: string) => ({ status, body: { errors: [{ id: "e1", status, code, title, detail }] } });
const FORBIDDEN = refusal(403, "permission_denied", "You do not have permission to perform this action.", "These credentials do not have the required scopes.");
const UNAUTHENTICATED = refusal(401, "not_authenticated", "Authentication credentials were not provided.", "Incorrect authentication credentials.");

/** What the server answers, by `METHOD /path`; anything else is a 200 with an empty page. */
let answers: Record<string, Answer | ((request: SeenRequest) => Answer)>;
let server: LocalServer;
let printed: string[];

beforeEach(async () => {
  answers = {};
  server = await startLocalServer((request) => {
    const answer = answers[`${request.method} ${request.url.split("?")[0]}`];
    if (typeof answer === "function") return answer(request);
    return answer ?? { status: 200, body: page("list", []) };
  });
  printed = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void printed.push(String(line)));
  guideEnv({ KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_BASE_URL: server.url, KLAVIYO_ALLOW_WRITES: "1" });
});
afterEach(async () => {
  process.stdout.write = stdoutWrite;
  disconnect();
  await server.close();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Connects and forgets the mode line, so `printed` holds only what the steps said. */
async function connected(): Promise<Connection> {
  const kv = await connect("customer-data");
  printed.length = 0;
  return kv;
}

const readLists = (kv: Connection) => kv.read("the lists", () => collectAll((cursor) => kv.lists.getLists({ pageCursor: cursor })), []);
const readMetrics = (kv: Connection) => kv.read("the metrics", () => collectAll((cursor) => kv.metrics.getMetrics({ pageCursor: cursor })), []);
const createList = (kv: Connection, options?: { needs: object[] }) => kv.write("create the list", () => kv.lists.createList({ data: { type: "list", attributes: { name: "Buyers" } } }), options);

/** What separates two notebook cells: tslab gives each cell its own `process.stdout.write`. */
const stdoutWrite = process.stdout.write;
const nextCell = async () => {
  process.stdout.write = stdoutWrite.bind(process.stdout);
};

/** Every line is one line, starts with one of the two prefixes, and shows no stack or axios dump. */
function expectOneLiners(lines: readonly string[]): void {
  for (const line of lines) {
    expect(line).not.toContain("\n");
    expect(line.startsWith(STEP_FAILED) || line.startsWith(STEP_SKIPPED), line).toBe(true);
    expect(line).not.toMatch(/AxiosError|\n\s+at |node_modules/);
  }
}

describe("a read refused for a missing scope (403)", () => {
  beforeEach(() => {
    answers["GET /api/metrics"] = FORBIDDEN;
  });

  it("gives the fallback and prints one line naming the request, the operation and the scope it needs", async () => {
    const kv = await connected();
    const metrics = await readMetrics(kv);
    expect(metrics).toEqual([]);
    expect(printed).toEqual([
      "Could not read the metrics: GET /api/metrics was refused (403 permission_denied): get_metrics needs the scope metrics:read, which this key lacks. Add it to the key in Klaviyo (Settings › API keys) and run this cell again.",
    ]);
  });

  it("names every scope of an operation that needs several", async () => {
    answers["GET /api/lists/L1/profiles"] = FORBIDDEN;
    const kv = await connected();
    await kv.read("the list's members", () => kv.lists.getProfilesForList("L1"), undefined);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain("GET /api/lists/L1/profiles was refused (403 permission_denied): get_profiles_for_list needs the scopes lists:read and profiles:read, and this key lacks at least one. Add them to the key");
  });

  it("skips what depends on it, in one line, and runs what does not", async () => {
    answers["GET /api/lists"] = { status: 200, body: page("list", ["L1", "L2"]) };
    const kv = await connected();
    const metrics = await readMetrics(kv);
    await nextCell();
    const names = kv.after([metrics], () => metrics.map((m) => m.attributes.name), ["(not read)"]);
    const lists = await readLists(kv);
    const counted = kv.after([lists], () => lists.length, -1);
    expect(names).toEqual(["(not read)"]);
    expect(counted).toBe(2);
    expect(printed).toHaveLength(2);
    expect(printed[1]).toBe("Skipped: needs the metrics, which could not be read above.");
    expectOneLiners(printed);
  });

  it("passes the refusal down a chain: a dependent of a skipped step names the read that failed", async () => {
    const kv = await connected();
    const metrics = await readMetrics(kv);
    await nextCell();
    const picked = kv.after([metrics], () => ({ first: metrics.at(0) }), { first: undefined });
    await nextCell();
    const shown = await kv.read("the events of that metric", async () => ["read"], [], { needs: [picked] });
    await nextCell();
    kv.after([picked, shown], () => printed.push("ran"));
    expect(shown).toEqual([]);
    expect(printed.slice(1)).toEqual(Array(3).fill("Skipped: needs the metrics, which could not be read above."));
    expect(server.requests.filter((r) => r.url.startsWith("/api/events"))).toEqual([]);
  });

  it("says nothing more in the cell whose read just failed: its line said why", async () => {
    const kv = await connected();
    const metrics = await readMetrics(kv);
    kv.after([metrics], () => printed.push("shown"));
    const again = await kv.read("the metrics' events", async () => ["read"], [], { needs: [metrics] });
    expect(again).toEqual([]);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^Could not read the metrics: /);
    await nextCell();
    kv.after([again], () => printed.push("shown"));
    expect(printed[1]).toBe("Skipped: needs the metrics, which could not be read above.");
  });

  it("keeps the mark on each object of a destructured fallback", async () => {
    const kv = await connected();
    const { lists, metrics } = await kv.read("the lists and metrics", async () => ({ lists: await readLists(kv), metrics: (await kv.metrics.getMetrics()).body.data }), { lists: [], metrics: [] });
    await nextCell();
    expect(kv.after([lists], () => "ran", "skipped")).toBe("skipped");
    expect(kv.after([metrics], () => "ran", "skipped")).toBe("skipped");
    expect(printed.at(-1)).toBe("Skipped: needs the lists and metrics, which could not be read above.");
  });
});

describe("a revoked key (401 on every /api request)", () => {
  beforeEach(() => {
    answers["GET /api/lists"] = UNAUTHENTICATED;
    answers["GET /api/metrics"] = UNAUTHENTICATED;
    answers["POST /api/lists"] = UNAUTHENTICATED;
  });

  it("is said once, with where to make a key; later reads and writes send nothing and point back", async () => {
    const kv = await connected();
    await readLists(kv);
    await nextCell();
    const metrics = await readMetrics(kv);
    await nextCell();
    const created = await createList(kv);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /api/lists"]);
    expect(metrics).toEqual([]);
    expect(created).toMatchObject({ sent: false });
    expect(printed).toHaveLength(3);
    expect(printed[0]).toBe("Could not read the lists: GET /api/lists was refused (401 not_authenticated): the private key is wrong or revoked. Create a private key in Klaviyo (Settings › API keys), set KLAVIYO_PRIVATE_KEY to it in .env and run the guide again from the set-up cell; until then no more requests are sent with this key.");
    expect(printed[1]).toBe('Skipped: the private key was refused (401) above, at "read the lists"; this read was not sent. Fix the key and run the guide again from the set-up cell.');
    expect(printed[2]).toMatch(/^Skipped: the private key was refused \(401\) above, .*; nothing was sent\./);
    await nextCell();
    kv.after([created], () => printed.push("ran"));
    expect(printed[3]).toBe('Skipped: needs "create the list", which was not sent above.');
    expectOneLiners(printed);
  });

  it("is forgotten by a new connection (the set-up cell run again)", async () => {
    let kv = await connected();
    await readLists(kv);
    answers["GET /api/lists"] = { status: 200, body: page("list", ["L1"]) };
    kv = await connected();
    expect(await readLists(kv)).toHaveLength(1);
    expect(printed).toEqual([]);
  });
});

describe("rate limits, Klaviyo's side and the network", () => {
  it("a 429 that outlasts the SDK's retries: says so, with the endpoint's limits, and that re-running a read is safe", async () => {
    answers["GET /api/metrics"] = { ...refusal(429, "throttled", "Request was throttled.", "Expected available in 0 seconds."), headers: { "retry-after": "0" } };
    const kv = await connected();
    await readMetrics(kv);
    expect(server.requests).toHaveLength(3);
    expect(printed).toEqual([
      "Could not read the metrics: GET /api/metrics was still rate limited (429) after 3 tries: get_metrics allows 10 requests a second and 150 a minute per account, shared with the account's other apps. Wait a minute and run this cell again; it only reads, so that is safe.",
    ]);
  });

  it("a 500 on a read: Klaviyo's side, safe to run again", async () => {
    answers["GET /api/metrics"] = refusal(500, "error", "A server error occurred.", "Something went wrong.");
    const kv = await connected();
    await readMetrics(kv);
    expect(printed).toEqual([
      "Could not read the metrics: GET /api/metrics failed on Klaviyo's side (500 error — A server error occurred.: Something went wrong.). Run this cell again: it only reads, so that is safe; if it keeps failing, see https://status.klaviyo.com.",
    ]);
  });

  it("a 500 on a write: it may have been applied, so check first", async () => {
    answers["POST /api/lists"] = refusal(500, "error", "A server error occurred.", "Something went wrong.");
    const kv = await connected();
    const created = await createList(kv);
    expect(created).toEqual({ sent: false, problem: printed[0] });
    expect(printed[0]).toMatch(/^Could not create the list: POST \/api\/lists failed on Klaviyo's side \(500 error .*\)\. Klaviyo may have applied it before failing: check the account \(read it back\) before you run this cell again/);
     await nextCell();
    kv.after([created], () => printed.push("ran"));
    expect(printed[1]).toBe('Skipped: needs "create the list", which failed above.');
  });

  it("a dropped connection on a read and on a write", async () => {
    answers["GET /api/metrics"] = { status: 0, drop: true };
    answers["POST /api/lists"] = { status: 0, drop: true };
    const kv = await connected();
    await readMetrics(kv);
    await nextCell();
    await createList(kv);
    expect(printed[0]).toBe("Could not read the metrics: GET /api/metrics got no answer (ECONNRESET): the connection failed or dropped. Check your network and run this cell again: it only reads, so that is safe.");
    expect(printed[1]).toBe("Could not create the list: POST /api/lists got no answer (ECONNRESET): the connection failed or dropped. Klaviyo may have received it: check the account (read it back) before you run this cell again.");
  });

  it("plain fetch: a dropped connection names the request, and a refused answer the cell throws on is described from the wire", async () => {
    answers["GET /api/profiles"] = { status: 0, drop: true };
    answers["GET /api/segments"] = FORBIDDEN;
    const kv = await connected();
    const firstPage = async (path: string) => {
      const res = await fetch(`${kv.baseUrl}${path}`, { headers: kv.serverHeaders() });
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      return (await res.json()) as { data: unknown[] };
    };
    expect(await kv.read("the first page of profiles", () => firstPage("/api/profiles"), { data: [] })).toEqual({ data: [] });
    await kv.read("the first page of segments", () => firstPage("/api/segments"), { data: [] });
    expect(printed[0]).toMatch(/^Could not read the first page of profiles: GET \/api\/profiles got no answer \((UND_ERR_SOCKET|ECONNRESET)\)/);
    expect(printed[1]).toMatch(/^Could not read the first page of segments: GET \/api\/segments was refused \(403 permission_denied\): get_segments needs the scope segments:read/);
  });

  it("plain fetch in kv.write: a failed answer is a failure, an invalid request is the cell's to show", async () => {
    answers["POST /api/events"] = (request) => (request.body.includes('"bad"') ? refusal(400, "invalid", "Invalid input.", "Bad body.") : FORBIDDEN);
    const kv = await connected();
    const post = (body: object) => fetch(`${kv.baseUrl}/api/events`, { method: "POST", headers: kv.serverHeaders(), body: JSON.stringify(body) });
    const refused = await kv.write("send one event", () => post({ good: true }));
    await nextCell();
    const invalid = await kv.write("send a bad event", () => post({ bad: true }));
    expect(refused.sent).toBe(false);
    expect(printed).toEqual([expect.stringMatching(/^Could not send one event: POST \/api\/events was refused \(403 permission_denied\): create_event needs the scope events:write/)]);
    expect(invalid.sent && invalid.result.status).toBe(400);
  });

  it("the client-side requester: a dropped connection is a result whose one line says what to check", async () => {
    answers["POST /client/events"] = { status: 0, drop: true };
    const kv = await connected();
    const result = await kv.client.createEvent({ metric: "Hello World", profile: { email: "sam@example.com" }, properties: {} });
    expect(result.outcome).toBe("failed");
    expect(describeResult(result)).toMatch(/^Could not send \/client\/events: POST \/client\/events got no answer \((UND_ERR_SOCKET|ECONNRESET)\): the connection failed or dropped\. Klaviyo may have received it: check the account/);
    expectOneLiners([describeResult(result)]);
  });

  it("an SDK write the API refuses as invalid (400) is thrown, for the cell to show", async () => {
    answers["POST /api/lists"] = refusal(400, "invalid", "Invalid input.", "Name is required.");
    const kv = await connected();
    await expect(createList(kv)).rejects.toMatchObject({ response: { status: 400 } });
    expect(printed).toEqual([]);
  });
});

describe("writes in a loop", () => {
  it("a cell that waits between its writes (a paced backfill) is still one cell", async () => {
    answers["POST /api/lists"] = FORBIDDEN;
    const kv = await connected();
    for (let i = 0; i < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await createList(kv);
    }
    expect(printed).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it("a cell stops writing at its first failed write: one line, and the rest is not sent", async () => {
    answers["POST /api/events"] = FORBIDDEN;
    const kv = await connected();
    const results = [];
    for (const id of ["A", "B", "C"]) results.push(await kv.write(`send event ${id}`, () => kv.events.createEvent({ data: { type: "event", attributes: { properties: {}, uniqueId: id, metric: { data: { type: "metric", attributes: { name: "M" } } }, profile: { data: { type: "profile", attributes: { email: "a@example.com" } } } } } })));
    expect(results.map((r) => r.sent)).toEqual([false, false, false]);
    expect(server.requests).toHaveLength(1);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^Could not send event A: POST \/api\/events was refused \(403 permission_denied\): create_event needs the scope events:write/);
    await nextCell();
    answers["POST /api/events"] = { status: 202 };
    expect((await kv.write("send event A", () => kv.events.createEvent({ data: { type: "event", attributes: { properties: {}, metric: { data: { type: "metric", attributes: { name: "M" } } }, profile: { data: { type: "profile", attributes: { email: "a@example.com" } } } } } }))).sent).toBe(true);
  });

  it("after a 401, a cell of several writes says so once", async () => {
    answers["GET /api/lists"] = UNAUTHENTICATED;
    const kv = await connected();
    await readLists(kv);
    await nextCell();
    for (let i = 0; i < 3; i++) await createList(kv);
    expect(printed).toHaveLength(2);
    expect(printed[1]).toMatch(/^Skipped: the private key was refused \(401\) above/);
    expect(server.requests).toHaveLength(1);
  });
});

describe("no write after a failed read it depends on", () => {
  it("the write is skipped in one line and never reaches the server; with the read, it is sent", async () => {
    answers["GET /api/lists"] = FORBIDDEN;
    const kv = await connected();
    const lists = await readLists(kv);
    await nextCell();
    const created = await createList(kv, { needs: [lists] });
    expect(created).toEqual({ sent: false, problem: "Skipped: needs the lists, which could not be read above; nothing was sent." });
    expect(printed.at(-1)).toBe("problem" in created ? created.problem : "");
    expect(server.requests.map((r) => r.method)).toEqual(["GET"]);
    // A write that was skipped is a missing input too.
    await nextCell();
    kv.after([created], () => printed.push("ran"));
    expect(printed.at(-1)).toBe("Skipped: needs the lists, which could not be read above.");

    answers["GET /api/lists"] = { status: 200, body: page("list", []) };
    answers["POST /api/lists"] = { status: 201, body: { data: { type: "list", id: "L9", attributes: { name: "Buyers" } } } };
    const read = await readLists(kv);
    expect((await createList(kv, { needs: [read] })).sent).toBe(true);
  });
});

describe("helpers' own errors", () => {
  it("a next link without a cursor keeps PaginationError's message, on one line", async () => {
    answers["GET /api/lists"] = { status: 200, body: page("list", ["L1"], "https://a.klaviyo.com/api/lists?page%5Bsize%5D=10") };
    const kv = await connected();
    expect(await readLists(kv)).toEqual([]);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^Could not read the lists: Pagination stopped after page 1 \(the first page\): its links\.next .* carries no page\[cursor\]/);
    expectOneLiners(printed);
  });

  it("a replay miss says what it says, on one line", async () => {
    const dir = scratchDir("steps-replay");
    try {
      writeFileSync(join(dir, "customer-data.json"), JSON.stringify({ about: "test", revision: "2026-07-15", recordedAt: "2026-11-20T12:00:00.000Z", publicKey: "DemoCo", interactions: [] }));
      guideEnv({ KLAVIYO_MODE: "replay", KLAVIYO_FIXTURES_DIR: dir });
      const kv = await connected();
      await readMetrics(kv);
      expect(printed).toHaveLength(1);
      expect(printed[0]).toMatch(/^Could not read the metrics: Replay has no recorded answer for this request, so it was not sent: GET https:\/\/a\.klaviyo\.com\/api\/metrics body: \(none\) Fixture file: .* re-record with `npm run fixtures`/);
      expectOneLiners(printed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a bug in the step's own code is thrown, not hidden", async () => {
    const kv = await connected();
    await expect(kv.read("the lists", async () => (undefined as unknown as { x: number }).x, 0)).rejects.toBeInstanceOf(TypeError);
  });

  it("needs must be the objects steps returned: a primitive cannot be told from a fallback; undefined needs nothing", async () => {
    const kv = await connected();
    expect(() => kv.after([3 as unknown as object], () => 1, 0)).toThrow(/needs\[0\] is a number: pass the object an earlier step returned/);
    expect(kv.after([undefined], () => 1, 0)).toBe(1);
  });
});

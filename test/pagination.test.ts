import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import nock from "nock";
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { ApiKeySession, ListsApi, type ListMemberResponseObjectResourceExtended } from "klaviyo-api";
import { collectAll, items, pages, rawItems, rawPages, sameOrigin, PageRequestError, type SdkPage } from "../src/pagination";

const LOCAL = "http://127.0.0.1:4999";

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** A fake SDK call over `total` numbered items, `size` per page; records the cursors it was given. */
function fakeSdk(total: number, size: number, seen: Array<string | undefined> = []) {
  return async (cursor?: string): Promise<SdkPage<number>> => {
    seen.push(cursor);
    const start = cursor ? Number(new URL(cursor).searchParams.get("page[cursor]")) : 0;
    const data = Array.from({ length: Math.min(size, total - start) }, (_, i) => start + i);
    const next = start + size < total ? `https://a.klaviyo.com/api/x?page%5Bcursor%5D=${start + size}` : undefined;
    return { body: { data, links: { next } } };
  };
}

describe("SDK pagination", () => {
  it("follows links.next, passing the whole next URL as the cursor", async () => {
    const seen: Array<string | undefined> = [];
    const all = await collectAll(fakeSdk(25, 10, seen));
    expect(all).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(seen).toEqual([undefined, "https://a.klaviyo.com/api/x?page%5Bcursor%5D=10", "https://a.klaviyo.com/api/x?page%5Bcursor%5D=20"]);
  });

  it("stops at limit without requesting more pages, and at maxPages", async () => {
    const seen: Array<string | undefined> = [];
    const got: number[] = [];
    for await (const n of items(fakeSdk(100, 10, seen), { limit: 15 })) got.push(n);
    expect(got).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(seen).toHaveLength(2);
    const sizes: number[] = [];
    for await (const p of pages(fakeSdk(100, 10), { maxPages: 3 })) sizes.push(p.length);
    expect(sizes).toEqual([10, 10, 10]);
  });

  it("refuses a server that repeats the same next link", async () => {
    const stuck = async () => ({ body: { data: [1], links: { next: "https://a.klaviyo.com/api/x?page%5Bcursor%5D=same" } } });
    await expect(collectAll(stuck)).rejects.toThrow(/same links.next/);
  });

  it("rejects negative or fractional bounds", async () => {
    await expect(collectAll(fakeSdk(1, 1), { limit: -1 })).rejects.toThrow(/limit must be a non-negative integer/);
  });

  it("types items as the SDK's model and re-sends filter/sort through the closure", async () => {
    const page1 = { data: [{ type: "profile", id: "p1", attributes: { email: "a@example.com" } }], links: { self: "x", next: "https://a.klaviyo.com/api/lists/L1/profiles?page%5Bcursor%5D=c2&page%5Bsize%5D=1" } };
    const page2 = { data: [{ type: "profile", id: "p2", attributes: { email: "b@example.com" } }], links: { self: "x" } };
    const scope = nock(LOCAL)
      .get("/api/lists/L1/profiles").query({ "page[size]": "1", sort: "-joined_group_at" }).reply(200, page1)
      .get("/api/lists/L1/profiles").query({ "page[size]": "1", sort: "-joined_group_at", "page[cursor]": "c2" }).reply(200, page2);
    const lists = new ListsApi(new ApiKeySession("pk_test_fake"));
    lists.basePath = LOCAL;
    const emails: string[] = [];
    for await (const profile of items((cursor) => lists.getProfilesForList("L1", { pageCursor: cursor, pageSize: 1, sort: "-joined_group_at" }))) {
      expectTypeOf(profile).toEqualTypeOf<ListMemberResponseObjectResourceExtended>();
      emails.push(profile.attributes.email ?? "");
    }
    expect(emails).toEqual(["a@example.com", "b@example.com"]);
    expect(scope.isDone()).toBe(true);
  });
});

describe("raw pagination", () => {
  it("rewrites https://a.klaviyo.com next links to the first URL's origin and keeps included", async () => {
    nock(LOCAL)
      .get("/api/events").query({ "page[size]": "2" })
      .reply(200, { data: [{ type: "event", id: "e1" }, { type: "event", id: "e2" }], included: [{ type: "metric", id: "m" }], links: { next: "https://a.klaviyo.com/api/events?page%5Bsize%5D=2&page%5Bcursor%5D=k" } })
      .get("/api/events").query({ "page[size]": "2", "page[cursor]": "k" })
      .reply(200, { data: [{ type: "event", id: "e3" }], links: { next: null } });
    const docs = [];
    for await (const doc of rawPages(`${LOCAL}/api/events?page%5Bsize%5D=2`, { headers: { revision: "2026-07-15" } })) docs.push(doc);
    expect(docs.map((d) => d.data.map((e) => e.id))).toEqual([["e1", "e2"], ["e3"]]);
    expect(docs[0].included).toEqual([{ type: "metric", id: "m" }]);
  });

  it("throws PageRequestError naming status and URL on a non-2xx page", async () => {
    nock(LOCAL).get("/api/events").reply(400, { errors: [{ detail: "bad filter" }] });
    const run = async () => { for await (const e of rawItems(`${LOCAL}/api/events`, { headers: {} })) void e; };
    await expect(run()).rejects.toThrow(PageRequestError);
    await expect((async () => { nock(LOCAL).get("/api/events").reply(400, "bad filter"); await run(); })()).rejects.toThrow(/answered 400.*bad filter/);
  });

  it("sameOrigin keeps path and query", () => {
    expect(sameOrigin("https://a.klaviyo.com/api/events/?page%5Bcursor%5D=a%2Bb", "http://127.0.0.1:1")).toBe("http://127.0.0.1:1/api/events/?page%5Bcursor%5D=a%2Bb");
  });
});

describe("memory while streaming 100 000 items", () => {
  // gc() on demand without a CLI flag: V8 exposes it to contexts created after the flag is set.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const heap = () => { gc(); return process.memoryUsage().heapUsed; };

  it("served by nock, 100 pages of 1000 events of ~1 KB each, heap growth stays < 30 MB", async () => {
    const pageSize = 1000;
    const total = 100_000;
    const filler = "x".repeat(900);
    nock(LOCAL).persist().get("/api/events").query(true).reply((request) => {
      const start = Number(new URL(request.url).searchParams.get("page[cursor]") ?? 0);
      const data = Array.from({ length: pageSize }, (_, i) => ({ type: "event", id: `e${start + i}`, attributes: { datetime: "2025-11-28T00:00:00Z", note: filler } }));
      const next = start + pageSize < total ? `https://a.klaviyo.com/api/events?page%5Bsize%5D=1000&page%5Bcursor%5D=${start + pageSize}` : null;
      return [200, { data, links: { next } }];
    });
    const before = heap();
    let count = 0;
    let peak = 0;
    for await (const ev of rawItems(`${LOCAL}/api/events?page%5Bsize%5D=1000`, { headers: {} })) {
      count += 1;
      if (ev.id !== `e${count - 1}`) throw new Error(`out of order at ${count}: ${ev.id}`);
      if (count % 10_000 === 0) peak = Math.max(peak, heap() - before);
    }
    expect(count).toBe(total);
    // Retaining the items would add ≥ 100 MB (100 000 × ~1 KB).
    expect(peak).toBeLessThan(30 * 1024 * 1024);
  }, 60_000);
});

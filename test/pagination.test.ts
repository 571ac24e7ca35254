import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import nock from "nock";
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { ApiKeySession, ListsApi, type ListMemberResponseObjectResourceExtended } from "klaviyo-api";
import { collectAll, cursorOf, items, pages, progressPrinter, rawItems, rawPages, sameOrigin, DEFAULT_PAGE_BOUND, PageRequestError, PaginationError, type SdkPage, type SweepProgress } from "../src/pagination";
import { STAND_IN_PRIVATE_KEY } from "./support/keys";

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

  it("ends on links.next null, absent, or no links at all", async () => {
    for (const links of [{ next: null }, {}, undefined]) {
      const seen: Array<string | undefined> = [];
      const last = async (cursor?: string): Promise<SdkPage<{ id: string }>> => {
        seen.push(cursor);
        return cursor ? { body: { data: [{ id: "b" }], links } } : { body: { data: [{ id: "a" }], links: { next: "https://a.klaviyo.com/api/x?page%5Bcursor%5D=2" } } };
      };
      expect(await collectAll(last)).toEqual([{ id: "a" }, { id: "b" }]);
      expect(seen).toHaveLength(2);
    }
  });

  it("rejects negative or fractional bounds", async () => {
    await expect(collectAll(fakeSdk(1, 1), { limit: -1 })).rejects.toThrow(/limit must be a non-negative integer/);
    await expect(collectAll(fakeSdk(1, 1), { pageBound: 1.5 })).rejects.toThrow(/pageBound must be a non-negative integer/);
  });

  it("types items as the SDK's model and re-sends filter/sort through the closure", async () => {
    const page1 = { data: [{ type: "profile", id: "p1", attributes: { email: "a@example.com" } }], links: { self: "x", next: "https://a.klaviyo.com/api/lists/L1/profiles?page%5Bcursor%5D=c2&page%5Bsize%5D=1" } };
    const page2 = { data: [{ type: "profile", id: "p2", attributes: { email: "b@example.com" } }], links: { self: "x" } };
    const scope = nock(LOCAL)
      .get("/api/lists/L1/profiles").query({ "page[size]": "1", sort: "-joined_group_at" }).reply(200, page1)
      .get("/api/lists/L1/profiles").query({ "page[size]": "1", sort: "-joined_group_at", "page[cursor]": "c2" }).reply(200, page2);
    const lists = new ListsApi(new ApiKeySession(STAND_IN_PRIVATE_KEY));
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

/** A fake SDK call that answers `answer(n)` for its n-th request (from 1) and counts requests. */
function scripted<T>(answer: (n: number, cursor?: string) => SdkPage<T>) {
  const seen: Array<string | undefined> = [];
  const fetchPage = async (cursor?: string): Promise<SdkPage<T>> => {
    seen.push(cursor);
    if (seen.length > 50) throw new Error("the guard let more than 50 requests through");
    return answer(seen.length, cursor);
  };
  return { fetchPage, seen };
}

const link = (cursor: string) => `https://a.klaviyo.com/api/lists/L1/profiles?page%5Bsize%5D=2&page%5Bcursor%5D=${cursor}`;
const ids = (...names: string[]) => names.map((id) => ({ id }));

/** Runs a sweep to its error; returns what was yielded and the error. */
async function sweepToError<T>(fetchPage: (cursor?: string) => Promise<SdkPage<T>>, opts = {}): Promise<{ got: T[]; error: PaginationError }> {
  const got: T[] = [];
  try {
    for await (const item of items(fetchPage, opts)) got.push(item);
  } catch (error) {
    if (error instanceof PaginationError) return { got, error };
    throw error;
  }
  throw new Error("the sweep ended without a PaginationError");
}

describe("pagination guards", () => {
  it("stops on a next link that repeats the cursor of an earlier page (a loop of two), before requesting it", async () => {
    // Page 1 → cursor A, page 2 → cursor B, page 3 → cursor A again.
    const { fetchPage, seen } = scripted((n) => ({ body: { data: ids(`p${n}a`, `p${n}b`), links: { next: link(n === 2 ? "B" : "A") } } }));
    const { got, error } = await sweepToError(fetchPage);
    expect(error.reason).toBe("repeated-cursor");
    expect(seen).toEqual([undefined, link("A"), link("B")]);
    expect(got).toHaveLength(6);
    expect(error.message).toContain("Pagination stopped after page 3");
    expect(error.message).toContain(`(${link("B")})`); // which request answered it
    expect(error.message).toMatch(/repeats page\[cursor\]=A, already used for page 2/);
    expect(error.message).toMatch(/no more requests were sent/);
  });

  it("stops on a next link that repeats the current page's own link", async () => {
    const stuck = scripted((n) => ({ body: { data: ids(`x${n}`), links: { next: link("same") } } }));
    const { error } = await sweepToError(stuck.fetchPage);
    expect(error.reason).toBe("repeated-cursor");
    expect(stuck.seen).toHaveLength(2);
    // A stuck server that also repeats its data (Prism's static examples) is caught one step earlier, on the page.
    const static_ = scripted(() => ({ body: { data: ids("x"), links: { next: link("same") } } }));
    expect((await sweepToError(static_.fetchPage)).error.reason).toBe("repeated-page");
    expect(static_.seen).toHaveLength(2);
  });

  it("stops on a next link without page[cursor], which the SDK would turn into a request for page 1", async () => {
    const { fetchPage, seen } = scripted(() => ({ body: { data: ids("a"), links: { next: "https://a.klaviyo.com/api/lists/L1/profiles?page%5Bsize%5D=2" } } }));
    const { got, error } = await sweepToError(fetchPage);
    expect(error.reason).toBe("cursorless-next");
    expect(seen).toEqual([undefined]);
    expect(got).toEqual(ids("a"));
    expect(error.message).toMatch(/after page 1 \(the first page\).*carries no page\[cursor\].*ask for the first page again/);
  });

  it("SDK: a cursorless next link stops after one request instead of asking for page 1 forever", async () => {
    const paths: string[] = [];
    nock(LOCAL).persist().get("/api/lists/L1/profiles").query(true).reply((request) => {
      paths.push(request.url);
      return [200, { data: [{ type: "profile", id: "p1", attributes: { email: "a@example.com" } }], links: { self: "x", next: "https://a.klaviyo.com/api/lists/L1/profiles?page%5Bsize%5D=1" } }];
    });
    const lists = new ListsApi(new ApiKeySession(STAND_IN_PRIVATE_KEY));
    lists.basePath = LOCAL;
    // What the guard prevents: handed that link as pageCursor, the SDK sends page 1's request again.
    await lists.getProfilesForList("L1", { pageSize: 1 });
    await lists.getProfilesForList("L1", { pageSize: 1, pageCursor: "https://a.klaviyo.com/api/lists/L1/profiles?page%5Bsize%5D=1" });
    expect(paths[1]).toBe(paths[0]);
    paths.length = 0;
    await expect(collectAll((cursor) => lists.getProfilesForList("L1", { pageCursor: cursor, pageSize: 1 }))).rejects.toThrow(/carries no page\[cursor\]/);
    expect(paths).toHaveLength(1);
  });

  it("stops on a page whose items repeat an earlier page under a new cursor", async () => {
    // Cursors advance (c2, c3, …) but pages 3 and later repeat page 1's items.
    const { fetchPage, seen } = scripted((n) => ({ body: { data: n === 2 ? ids("c", "d") : ids("a", "b"), links: { next: link(`c${n + 1}`) } } }));
    const { got, error } = await sweepToError(fetchPage);
    expect(error.reason).toBe("repeated-page");
    expect(seen).toHaveLength(3);
    expect(got.map((x) => x.id)).toEqual(["a", "b", "c", "d"]); // page 3 is not yielded again
    expect(error.message).toMatch(/after page 3 \(.*c3\): it holds the same 2 item ids as page 1/);
  });

  it("does not mistake pages without ids, or empty pages, for repeats", async () => {
    const { fetchPage } = scripted((n) => ({ body: { data: n < 3 ? [7] : [], links: { next: n < 4 ? link(`c${n + 1}`) : null } } }));
    expect(await collectAll(fetchPage)).toEqual([7, 7]);
  });

  it(`stops after pageBound pages (default ${DEFAULT_PAGE_BOUND}) when the server still has a next page, naming the option`, async () => {
    const endless = scripted((n) => ({ body: { data: ids(`i${n}`), links: { next: link(`c${n + 1}`) } } }));
    const { got, error } = await sweepToError(endless.fetchPage, { pageBound: 5 });
    expect(error.reason).toBe("page-bound");
    expect(endless.seen).toHaveLength(5);
    expect(got).toHaveLength(5);
    expect(error.message).toMatch(/5 items in 5 pages and links\.next still points further .*pageBound option \(default 10000\).*\{ pageBound: N \}/);
    // A sweep that ends at the bound, or that maxPages or limit end first, is not an error.
    expect(await collectAll(fakeSdk(10, 2), { pageBound: 5 })).toHaveLength(10);
    expect(await collectAll(endless.fetchPage, { pageBound: 3, maxPages: 3 })).toHaveLength(3);
    expect(await collectAll(fakeSdk(100, 10), { pageBound: 2, limit: 20 })).toHaveLength(20);
  });

  it("the default bound applies without options", async () => {
    let n = 0;
    const endless = async (): Promise<SdkPage<number>> => ({ body: { data: [n], links: { next: link(`c${++n}`) } } });
    const { error } = await sweepToError(endless);
    expect(error.reason).toBe("page-bound");
    expect(n).toBe(DEFAULT_PAGE_BOUND);
  });

  it("raw sweeps get the same guards", async () => {
    let requests = 0;
    nock(LOCAL).persist().get("/api/events").query(true).reply(() => {
      requests += 1;
      return [200, { data: [{ type: "event", id: "e1" }], links: { next: "https://a.klaviyo.com/api/events?page%5Bsize%5D=1" } }];
    });
    const run = async () => { for await (const e of rawItems(`${LOCAL}/api/events?page%5Bsize%5D=1`, { headers: {} })) void e; };
    await expect(run()).rejects.toThrow(/carries no page\[cursor\]/);
    expect(requests).toBe(1);
  });

  it("reports progress after every page and once at the end", async () => {
    const reports: SweepProgress[] = [];
    await collectAll(fakeSdk(25, 10), { onProgress: (p) => reports.push(p) });
    expect(reports.map(({ pages: p, items: i, done }) => [p, i, done])).toEqual([[1, 10, false], [2, 20, false], [3, 25, false], [3, 25, true]]);
    expect(reports.every((r) => r.elapsedMs >= 0)).toBe(true);
    const lines: string[] = [];
    await collectAll(fakeSdk(25, 10), { onProgress: progressPrinter("members", { everyPages: 2, elapsed: false, log: (l) => lines.push(l) }) });
    expect(lines).toEqual(["members: 2 pages, 20 items", "members: 3 pages, 25 items (done)"]);
    const timed: string[] = [];
    await collectAll(fakeSdk(5, 10), { onProgress: progressPrinter("x", { log: (l) => timed.push(l) }) });
    expect(timed).toEqual([expect.stringMatching(/^x: 1 page, 5 items, \d+\.\d s \(done\)$/)]);
  });

  it("cursorOf reads page[cursor] from absolute and relative links", () => {
    expect(cursorOf(link("a%2Bb"))).toBe("a+b");
    expect(cursorOf("/api/x?page[cursor]=k")).toBe("k");
    expect(cursorOf("https://a.klaviyo.com/api/x")).toBeUndefined();
    expect(cursorOf(undefined)).toBeUndefined();
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

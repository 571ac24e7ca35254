/**
 * Cursor pagination for Klaviyo's JSON:API collections.
 *
 * Every collection answers one page and a `links.next` URL (absent or `null` on the last page). Two
 * traps shape this module:
 * - The SDK accepts the whole `links.next` URL as `pageCursor`, but keeps only its `page[cursor]`
 *   value: `filter`, `sort`, `pageSize` and sparse fieldsets must be sent again on every page. So the
 *   caller passes a closure that re-sends them, and this module only threads the cursor through.
 * - Raw `fetch` callers follow `links.next` verbatim, except that its origin is replaced by the
 *   origin of the first URL: the local stand-in server (and recordings of it) answer with
 *   `https://a.klaviyo.com` links, as the real API does.
 *
 * Every sweep is bounded: it stops with a {@link PaginationError} on a next link that repeats a
 * cursor, a next link without `page[cursor]` (the SDK would drop it and ask for page 1 again), a page
 * whose items are those of a page already seen, and after `pageBound` pages. A server that misbehaves
 * costs a few requests, not thousands.
 *
 * Pages are fetched lazily, one at a time, and nothing is kept once yielded (only a cursor and a
 * 20-byte digest per page), so streaming 100 000 events keeps memory flat.
 */
import { createHash } from "node:crypto";
import { GuideError } from "./errors";

/** The part of an SDK collection response that pagination needs (`{ response, body }` from klaviyo-api). */
export interface SdkPage<T> {
  body: { data: T[]; links?: { next?: string | null } };
}

/** Fetches one page; `pageCursor` is `undefined` for the first page, then the previous `links.next`. */
export type FetchPage<T> = (pageCursor?: string) => Promise<SdkPage<T>>;

/** How many pages a sweep may fetch before it stops with an error, unless told otherwise. */
export const DEFAULT_PAGE_BOUND = 10_000;

/** Where a sweep stands, after each page. */
export interface SweepProgress {
  pages: number;
  items: number;
  /** Milliseconds since the first request was sent. */
  elapsedMs: number;
  /** True on the last report, once the sweep ended normally. */
  done: boolean;
}

/** Bounds and reporting for a sweep; all optional. */
export interface PageOptions {
  /** Stop after this many items (the last page is cut). */
  limit?: number;
  /** Stop quietly after this many pages (you asked for a sample). */
  maxPages?: number;
  /**
   * Safety bound: a sweep that still has a next link after this many pages throws a
   * PaginationError instead of carrying on (default DEFAULT_PAGE_BOUND). Raise it for a sweep you
   * know is that long.
   */
  pageBound?: number;
  /** Called after every page, and once more with `done: true` at the end (see `progressPrinter`). */
  onProgress?: (progress: SweepProgress) => void;
}

/** Why a sweep was stopped. */
export type PaginationStop = "repeated-cursor" | "cursorless-next" | "repeated-page" | "page-bound";

/** Thrown when a sweep stops because the server is not advancing or the sweep is longer than its bound. */
export class PaginationError extends GuideError {
  constructor(
    readonly reason: PaginationStop,
    /** Pages fetched so far (the last one included). */
    readonly pages: number,
    /** The request that answered the offending page (`"the first page"` or its `links.next`). */
    readonly request: string,
    /** The next link that was not followed, when there is one. */
    readonly next: string | undefined,
    detail: string,
  ) {
    super(`Pagination stopped after page ${pages} (${request}): ${detail}`);
  }
}

/**
 * Yields each page's `data` array, following `links.next` until it is absent or `null`. Throws a
 * PaginationError (after yielding the pages before it) when the server stops advancing or the
 * sweep passes `pageBound` pages.
 *
 * @example
 * for await (const page of pages((cursor) => kv.profiles.getProfiles({ pageCursor: cursor, pageSize: 100 }), { maxPages: 3 })) {
 *   console.log(page.length);
 * }
 */
export async function* pages<T>(fetchPage: FetchPage<T>, opts: PageOptions = {}): AsyncGenerator<T[]> {
  checkBounds(opts);
  const bound = opts.pageBound ?? DEFAULT_PAGE_BOUND;
  const started = performance.now();
  const report = (pagesSoFar: number, itemsSoFar: number, done: boolean) =>
    opts.onProgress?.({ pages: pagesSoFar, items: itemsSoFar, elapsedMs: performance.now() - started, done });
  /** page[cursor] value → the page that was fetched with it. */
  const cursorsSeen = new Map<string, number>();
  /** Digest of a page's item ids → the page number that first returned them. */
  const pagesSeen = new Map<string, number>();
  let cursor: string | undefined;
  let count = 0;
  let pageNumber = 0;
  while (opts.maxPages === undefined || pageNumber < opts.maxPages) {
    if (opts.limit !== undefined && count >= opts.limit) break;
    const { body } = await fetchPage(cursor);
    pageNumber += 1;
    const request = cursor ?? "the first page";
    const stop = (reason: PaginationStop, next: string | undefined, detail: string) => new PaginationError(reason, pageNumber, request, next, detail);

    const signature = pageSignature(body.data);
    const earlier = signature === undefined ? undefined : pagesSeen.get(signature);
    if (earlier !== undefined) {
      throw stop("repeated-page", undefined, `it holds the same ${body.data.length} item ids as page ${earlier}, so the server is answering the same page under a new cursor. No more requests were sent; the items of page ${pageNumber} were not yielded again. Check the cursor the request carried, or narrow the sweep (a date filter) and report the endpoint.`);
    }
    if (signature !== undefined) pagesSeen.set(signature, pageNumber);

    let data = body.data;
    if (opts.limit !== undefined && count + data.length > opts.limit) data = data.slice(0, opts.limit - count);
    count += data.length;
    yield data;
    report(pageNumber, count, false);

    const next = body.links?.next ?? undefined;
    if (!next) break;
    const wantsMore = (opts.maxPages === undefined || pageNumber < opts.maxPages) && (opts.limit === undefined || count < opts.limit);
    if (!wantsMore) break;
    const nextCursor = cursorOf(next);
    if (nextCursor === undefined) {
      throw stop("cursorless-next", next, `its links.next ${next} carries no page[cursor], and following it would ask for the first page again (the SDK keeps only page[cursor] from a next link). ${count} items were read; no more requests were sent. The server's next link is malformed: report it, or read one page at a time with maxPages.`);
    }
    const usedBy = cursorsSeen.get(nextCursor);
    if (usedBy !== undefined) {
      throw stop("repeated-cursor", next, `its links.next repeats page[cursor]=${nextCursor}, already used for page ${usedBy}, so the sweep would loop. ${count} items were read; no more requests were sent. The server is not advancing the cursor: check that the closure passes the cursor it is given, and report the endpoint if it does.`);
    }
    if (pageNumber >= bound) {
      throw stop("page-bound", next, `${count} items in ${pageNumber} pages and links.next still points further (${next}). That is the pageBound option (default ${DEFAULT_PAGE_BOUND}). Narrow the sweep (a shorter date window, a filter), or pass { pageBound: N } with a larger N if it really needs more pages.`);
    }
    cursorsSeen.set(nextCursor, pageNumber + 1);
    cursor = next;
  }
  report(pageNumber, count, true);
}

/**
 * A ready-made `onProgress`: one line every `everyPages` pages and one at the end, e.g.
 * `events: 40 pages, 8,000 items, 12.4 s`. The elapsed time varies from run to run, so leave it
 * out (`elapsed: false`) where outputs are compared.
 *
 * @example
 * for await (const ev of items(fetchPage, { onProgress: progressPrinter("earlier orders", { everyPages: 20 }) })) …
 */
export function progressPrinter(label: string, options: { everyPages?: number; elapsed?: boolean; log?: (line: string) => void } = {}): (p: SweepProgress) => void {
  const every = options.everyPages ?? 10;
  const log = options.log ?? ((line: string) => console.log(line));
  return (p) => {
    if (!p.done && p.pages % every !== 0) return;
    const time = options.elapsed === false ? "" : `, ${(p.elapsedMs / 1000).toFixed(1)} s`;
    log(`${label}: ${p.pages.toLocaleString("en-US")} page${p.pages === 1 ? "" : "s"}, ${p.items.toLocaleString("en-US")} items${time}${p.done ? " (done)" : ""}`);
  };
}

/** The `page[cursor]` value of a next link (a URL, absolute or not), or undefined when it has none. */
export function cursorOf(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  try {
    return new URL(link, "https://a.klaviyo.com").searchParams.get("page[cursor]") ?? undefined;
  } catch {
    return undefined;
  }
}

/** A digest of a page's item ids, or undefined when the page is empty or its items have no ids. */
function pageSignature(data: readonly unknown[]): string | undefined {
  if (data.length === 0) return undefined;
  const hash = createHash("sha1");
  for (const item of data) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== "string" && typeof id !== "number") return undefined;
    hash.update(`${String(id)}\u0000`);
  }
  return hash.digest("base64");
}

/**
 * Yields items one by one across pages. Re-send filter and sort inside the closure: the SDK keeps
 * only `page[cursor]` from the next link.
 *
 * @example
 * for await (const profile of items((cursor) => kv.lists.getProfilesForList(listId, { pageCursor: cursor, pageSize: 100 }))) {
 *   console.log(profile.attributes.email);
 * }
 */
export async function* items<T>(fetchPage: FetchPage<T>, opts: PageOptions = {}): AsyncGenerator<T> {
  for await (const page of pages(fetchPage, opts)) yield* page;
}

/**
 * Collects every item into one array. Use `items()` instead for large sweeps.
 *
 * @example
 * const lists = await collectAll((cursor) => kv.lists.getLists({ pageCursor: cursor }));
 */
export async function collectAll<T>(fetchPage: FetchPage<T>, opts: PageOptions = {}): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages(fetchPage, opts)) all.push(...page);
  return all;
}

/** A JSON:API resource as the raw API returns it (snake_case attributes). */
export interface RawResource {
  type: string;
  id: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: { type: string; id: string } | Array<{ type: string; id: string }> | null; links?: Record<string, string> }>;
  links?: Record<string, string>;
}

/** One raw JSON:API collection page. */
export interface RawDocument<R extends RawResource = RawResource> {
  data: R[];
  links?: { self?: string; next?: string | null; prev?: string | null };
  included?: RawResource[];
  meta?: Record<string, unknown>;
}

/** How a raw page is fetched; defaults to the global `fetch` at call time (so nock and the write guard see it). */
export type RawFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Options for raw sweeps. */
export interface RawPageOptions extends PageOptions {
  /** Replace the transport, e.g. with `(u, i) => fetchWithRetry(u, i).then((r) => r.response)`. */
  fetch?: RawFetch;
}

/** Thrown when a page request answers with a non-2xx status. */
export class PageRequestError extends GuideError {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: string,
  ) {
    super(`GET ${url} answered ${status} while paginating: ${body.slice(0, 300) || "(empty body)"}. Check the filter and sort (they are part of this URL) and the key's scopes.`);
  }
}

/**
 * Raw `fetch` pagination: requests `url`, then each `links.next` with its origin rewritten to
 * `url`'s origin. Yields whole documents (so `included` stays available).
 *
 * @example
 * const url = `${kv.baseUrl}/api/events?fields%5Bevent%5D=datetime&page%5Bsize%5D=1000`;
 * for await (const doc of rawPages(url, { headers: kv.serverHeaders() }, { maxPages: 2 })) console.log(doc.data.length);
 */
export async function* rawPages<R extends RawResource = RawResource>(
  url: string,
  init: RequestInit & { headers: Record<string, string> },
  opts: RawPageOptions = {},
): AsyncGenerator<RawDocument<R>> {
  const origin = new URL(url).origin;
  const send: RawFetch = opts.fetch ?? ((u, i) => globalThis.fetch(u, i));
  const fetchPage = async (cursor?: string): Promise<{ body: RawDocument<R> }> => {
    const target = cursor === undefined ? url : sameOrigin(cursor, origin);
    const res = await send(target, { ...init, method: "GET" });
    const text = await res.text();
    if (!res.ok) throw new PageRequestError(res.status, target, text);
    return { body: JSON.parse(text) as RawDocument<R> };
  };
  // pages() yields only `data`; keep the whole document by remembering the last body.
  let last: RawDocument<R> | undefined;
  const remembering = async (cursor?: string) => {
    const page = await fetchPage(cursor);
    last = page.body;
    return page;
  };
  for await (const data of pages(remembering, opts)) {
    if (last) yield { ...last, data };
    last = undefined;
  }
}

/**
 * Raw items across pages (each a JSON:API resource), for sweeps that only need `data`.
 *
 * @example
 * for await (const ev of rawItems(url, { headers: kv.serverHeaders() })) ev.relationships?.profile?.data;
 */
export async function* rawItems<R extends RawResource = RawResource>(
  url: string,
  init: RequestInit & { headers: Record<string, string> },
  opts: RawPageOptions = {},
): AsyncGenerator<R> {
  for await (const doc of rawPages<R>(url, init, opts)) yield* doc.data;
}

/** `next` with its origin replaced by `origin` (path and query kept). */
export function sameOrigin(next: string, origin: string): string {
  const parsed = new URL(next, origin);
  return origin + parsed.pathname + parsed.search;
}

function checkBounds(opts: PageOptions): void {
  for (const key of ["limit", "maxPages", "pageBound"] as const) {
    const v = opts[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      throw new RangeError(`Pagination option ${key} must be a non-negative integer, got ${String(v)}.`);
    }
  }
}

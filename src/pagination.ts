/**
 * Cursor pagination for Klaviyo's JSON:API collections.
 *
 * Every collection answers one page and a `links.next` URL. Two traps shape this module:
 * - The SDK accepts the whole `links.next` URL as `pageCursor`, but keeps only its `page[cursor]`
 *   value: `filter`, `sort`, `pageSize` and sparse fieldsets must be sent again on every page. So the
 *   caller passes a closure that re-sends them, and this module only threads the cursor through.
 * - Raw `fetch` callers follow `links.next` verbatim, except that its origin is replaced by the
 *   origin of the first URL: the local stand-in server (and recordings of it) answer with
 *   `https://a.klaviyo.com` links, as the real API does.
 *
 * Pages are fetched lazily, one at a time, and nothing is kept once yielded, so streaming
 * 100 000 events keeps memory flat.
 */
import { GuideError } from "./errors";

/** The part of an SDK collection response that pagination needs (`{ response, body }` from klaviyo-api). */
export interface SdkPage<T> {
  body: { data: T[]; links?: { next?: string | null } };
}

/** Fetches one page; `pageCursor` is `undefined` for the first page, then the previous `links.next`. */
export type FetchPage<T> = (pageCursor?: string) => Promise<SdkPage<T>>;

/** Bounds for a sweep; both optional, both stop before the next request is sent. */
export interface PageOptions {
  /** Stop after this many items (the last page is cut). */
  limit?: number;
  /** Stop after this many pages. */
  maxPages?: number;
}

/**
 * Yields each page's `data` array, following `links.next` until it is absent.
 *
 * @example
 * for await (const page of pages((cursor) => kv.profiles.getProfiles({ pageCursor: cursor, pageSize: 100 }), { maxPages: 3 })) {
 *   console.log(page.length);
 * }
 */
export async function* pages<T>(fetchPage: FetchPage<T>, opts: PageOptions = {}): AsyncGenerator<T[]> {
  checkBounds(opts);
  let cursor: string | undefined;
  let count = 0;
  let pageNumber = 0;
  while (opts.maxPages === undefined || pageNumber < opts.maxPages) {
    if (opts.limit !== undefined && count >= opts.limit) return;
    const { body } = await fetchPage(cursor);
    pageNumber += 1;
    let data = body.data;
    if (opts.limit !== undefined && count + data.length > opts.limit) data = data.slice(0, opts.limit - count);
    count += data.length;
    yield data;
    const next = body.links?.next ?? undefined;
    if (!next) return;
    if (next === cursor) {
      throw new PaginationStalledError(pageNumber, next);
    }
    cursor = next;
  }
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

/** Thrown when a page's `links.next` is the cursor just used: following it would loop forever. */
export class PaginationStalledError extends GuideError {
  constructor(
    /** The page (from 1) that repeated the cursor. */
    readonly page: number,
    /** The repeated `links.next`. */
    readonly next: string,
  ) {
    super(`Pagination stopped: page ${page} returned the same links.next as the page before (${next}); the server is not advancing the cursor.`);
  }
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
  for (const key of ["limit", "maxPages"] as const) {
    const v = opts[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      throw new RangeError(`Pagination option ${key} must be a non-negative integer, got ${String(v)}.`);
    }
  }
}

/**
 * Benchmark (issue 3): finding Black Friday / Cyber Monday first-time buyers in a large account.
 *
 *   (a) the 2022 guide's way: page through the BFCM orders, then ONE request per order asking for
 *       that profile's first order (filter by profile and metric, sort by datetime, page size 1);
 *   (b) one paginated sweep of order events with a sparse fieldset (datetime only), reduced in
 *       memory by src/analysis.ts.
 *
 * The account (10 000 customers, 100 000 orders over the two years before the demo clock) is
 * generated in-process from a seeded PRNG and served by nock as the API would answer: filters,
 * sort, page size, cursors, `https://a.klaviyo.com` next links. Both approaches use the real SDK
 * (klaviyo-api) and the guide helpers. Prints figures; asserts nothing.
 *
 * Run: npx tsx scripts/bench-bfcm.ts
 */
import nock from "nock";
import { ApiKeySession, EventsApi } from "klaviyo-api";
import { items } from "../src/pagination";
import { and, equals, greaterOrEqual, lessThan } from "../src/filters";
import { classifyBuyers, firstOrderByProfile, orderEvent, type OrderEvent } from "../src/analysis";
import { RATE_LIMITS, guideRetryPolicy, minimumSeconds } from "../src/rate-limits";
import { dataFrame, loadDanfo } from "../src/display/danfo";
import { API_ORIGIN as ORIGIN } from "../src/api-origin";

const METRIC_ID = "BenchOrd";
const NOW = Date.parse("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const BFCM_START = new Date("2025-11-28T00:00:00Z");
const BFCM_END = new Date("2025-12-02T00:00:00Z"); // exclusive: Black Friday through Cyber Monday

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Order { id: string; profileId: string; ms: number }

/**
 * Orders over the two years before NOW: every customer's first order at their (weighted random)
 * arrival, the rest spread over customers already arrived. Day weights: slow growth, busier
 * weekends and Decembers, Black Friday–Cyber Monday ×8.
 */
function generateAccount(customers: number, orders: number, seed: number): Order[] {
  const rand = prng(seed);
  const start = NOW - 730 * DAY;
  const weights: number[] = [];
  for (let d = 0; d < 730; d++) {
    const date = new Date(start + d * DAY);
    const md = date.getUTCMonth() * 100 + date.getUTCDate();
    const bfcm = (date.getUTCFullYear() === 2024 && md >= 1029 && md <= 1102) || (date.getUTCFullYear() === 2025 && md >= 1028 && md <= 1101);
    weights.push((1 + d / 730) * ([0, 6].includes(date.getUTCDay()) ? 1.2 : 1) * (date.getUTCMonth() === 11 ? 1.5 : 1) * (bfcm ? 8 : 1));
  }
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative[cumulative.length - 1];
  const randomTime = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return start + lo * DAY + Math.floor(rand() * 86_400) * 1000; // whole seconds, as the API's datetimes
  };
  const arrivals = Array.from({ length: customers }, randomTime).sort((a, b) => a - b);
  const out: Order[] = arrivals.map((ms, i) => ({ id: "", profileId: `01BENCHPROFILE${String(i).padStart(5, "0")}`, ms }));
  while (out.length < orders) {
    const ms = randomTime();
    // customers arrived by then: arrivals is sorted, so find how many
    let lo = 0;
    let hi = arrivals.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (arrivals[mid] <= ms) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) continue;
    out.push({ id: "", profileId: out[Math.floor(rand() * lo)].profileId, ms });
  }
  out.sort((a, b) => a.ms - b.ms);
  out.forEach((o, i) => (o.id = `BENCHEV${String(i).padStart(6, "0")}`));
  return out;
}

/** The `/api/events` answers of revision 2026-07-15 for the filters this benchmark sends. */
function serveEvents(orders: Order[], counter: { requests: number }): void {
  const byProfile = new Map<string, Order[]>();
  for (const o of orders) (byProfile.get(o.profileId) ?? byProfile.set(o.profileId, []).get(o.profileId)!).push(o);
  const firstIndexAtOrAfter = (ms: number) => {
    let lo = 0;
    let hi = orders.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (orders[mid].ms < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const resource = (o: Order) => ({
    type: "event",
    id: o.id,
    attributes: { datetime: new Date(o.ms).toISOString().replace(".000Z", "+00:00") },
    relationships: {
      profile: { data: { type: "profile", id: o.profileId }, links: { self: `${ORIGIN}/api/events/${o.id}/relationships/profile/`, related: `${ORIGIN}/api/events/${o.id}/profile/` } },
      metric: { data: { type: "metric", id: METRIC_ID }, links: { self: `${ORIGIN}/api/events/${o.id}/relationships/metric/`, related: `${ORIGIN}/api/events/${o.id}/metric/` } },
    },
    links: { self: `${ORIGIN}/api/events/${o.id}/` },
  });

  nock(ORIGIN).persist().get("/api/events").query(true).reply((request) => {
    counter.requests += 1;
    const url = new URL(request.url);
    const q = url.searchParams;
    const filter = q.get("filter") ?? "";
    if (q.get("sort") !== "datetime") return [400, { errors: [{ detail: "this stand-in only sorts by datetime" }] }];
    if (q.get("fields[event]") !== "datetime") return [400, { errors: [{ detail: "expected fields[event]=datetime" }] }];
    if (!filter.includes(`equals(metric_id,"${METRIC_ID}")`)) return [400, { errors: [{ detail: "expected a metric_id filter" }] }];
    const profile = /equals\(profile_id,"([^"]+)"\)/.exec(filter)?.[1];
    const from = /greater-or-equal\(datetime,([^,)]+)\)/.exec(filter)?.[1];
    const to = /less-than\(datetime,([^,)]+)\)/.exec(filter)?.[1];
    let lo = 0;
    let hi = orders.length;
    let source = orders;
    if (profile) {
      source = byProfile.get(profile) ?? [];
      hi = source.length;
    }
    if (from) lo = profile ? source.findIndex((o) => o.ms >= Date.parse(from)) : firstIndexAtOrAfter(Date.parse(from));
    if (to) hi = profile ? source.findIndex((o) => o.ms >= Date.parse(to)) : firstIndexAtOrAfter(Date.parse(to));
    if (lo < 0) lo = source.length;
    if (hi < 0) hi = source.length;
    const size = Number(q.get("page[size]") ?? 200);
    const offset = lo + Number(q.get("page[cursor]") ?? 0);
    const end = Math.min(offset + size, hi);
    const links: { self: string; next?: string } = { self: url.href.replace(url.origin, ORIGIN) };
    if (end < hi) {
      const next = new URL(url.href.replace(url.origin, ORIGIN));
      next.searchParams.set("page[cursor]", String(end - lo));
      links.next = next.href;
    }
    return [200, { data: source.slice(offset, end).map(resource), links }, { "Content-Type": "application/vnd.api+json" }];
  });
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function fmtDuration(seconds: number): string {
  return seconds >= 120 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}

async function main(): Promise<void> {
  nock.disableNetConnect();
  const t0 = performance.now();
  const orders = generateAccount(10_000, 100_000, 20251128);
  const counter = { requests: 0 };
  serveEvents(orders, counter);
  const events = new EventsApi(new ApiKeySession("pk_bench_not_a_key", guideRetryPolicy()));
  const inWindow = orders.filter((o) => o.ms >= BFCM_START.getTime() && o.ms < BFCM_END.getTime()).length;
  console.log(`Account: ${new Set(orders.map((o) => o.profileId)).size} customers, ${orders.length} orders ${new Date(orders[0].ms).toISOString().slice(0, 10)} … ${new Date(orders[orders.length - 1].ms).toISOString().slice(0, 10)}; BFCM 2025 (${BFCM_START.toISOString().slice(0, 10)} – Cyber Monday): ${inWindow} orders. Generated in ${fmtMs(performance.now() - t0)}.`);

  const bfcmFilter = and(equals("metric_id", METRIC_ID), greaterOrEqual("datetime", BFCM_START), lessThan("datetime", BFCM_END));
  const pageOf = (filter: string, pageSize: number) => (cursor?: string) =>
    events.getEvents({ filter, sort: "datetime", fieldsEvent: ["datetime"], pageSize, pageCursor: cursor });

  // (a) 2022: BFCM orders, then one "first order of this profile" request per order (not deduplicated, as the 2022 guide did).
  counter.requests = 0;
  let t = performance.now();
  const bfcmOrders: OrderEvent[] = [];
  for await (const ev of items(pageOf(bfcmFilter, 1000))) {
    const o = orderEvent(ev);
    if (o) bfcmOrders.push(o);
  }
  const firstTimeA = new Set<string>();
  const returningA = new Set<string>();
  for (const o of bfcmOrders) {
    const r = await events.getEvents({ filter: and(equals("profile_id", o.profileId), equals("metric_id", METRIC_ID)), sort: "datetime", fieldsEvent: ["datetime"], pageSize: 1 });
    const first = r.body.data[0]?.attributes.datetime;
    (first && first.getTime() < BFCM_START.getTime() ? returningA : firstTimeA).add(o.profileId);
  }
  const requestsA = counter.requests;
  const timeA = performance.now() - t;
  const uniqueBuyers = new Set(bfcmOrders.map((o) => o.profileId)).size;

  // (b) one sweep of every order up to the window's end, datetime only, reduced in memory.
  counter.requests = 0;
  t = performance.now();
  const sweep: OrderEvent[] = [];
  for await (const ev of items(pageOf(and(equals("metric_id", METRIC_ID), lessThan("datetime", BFCM_END)), 1000))) {
    const o = orderEvent(ev);
    if (o) sweep.push(o);
  }
  const tReduce = performance.now();
  const split = classifyBuyers(sweep, firstOrderByProfile(sweep), { start: BFCM_START, end: BFCM_END });
  const reduceMs = performance.now() - tReduce;
  const requestsB = counter.requests;
  const timeB = performance.now() - t;
  nock.cleanAll();

  const same = split.firstTime.size === firstTimeA.size && [...split.firstTime].every((id) => firstTimeA.has(id)) && split.returning.size === returningA.size;
  console.log("");
  console.log("Find BFCM 2025 first-time buyers (served by nock, no network latency):");
  console.log(`  (a) 2022 way, one request per BFCM order (${bfcmOrders.length} orders, ${uniqueBuyers} buyers, no dedupe): ${requestsA} requests, ${fmtMs(timeA)}`);
  console.log(`      deduplicating buyers would still need ${Math.ceil(bfcmOrders.length / 1000) + uniqueBuyers} requests`);
  console.log(`  (b) one sweep, fields[event]=datetime, page[size]=1000 (${sweep.length} events): ${requestsB} requests, ${fmtMs(timeB)} (of which in-memory reduction ${fmtMs(reduceMs)})`);
  console.log(`  ratio: ${(requestsA / requestsB).toFixed(1)}× fewer requests (goal ≥ 50×); same answer: ${same ? "yes" : "NO"} (${split.firstTime.size} first-time, ${split.returning.size} returning buyers)`);
  const limit = RATE_LIMITS.get_events;
  console.log(`  under get_events' limits (${limit.burstPerSecond}/s, ${limit.steadyPerMinute}/min per account) the least time is (a) ${fmtDuration(minimumSeconds(requestsA, limit))}, (b) ${fmtDuration(minimumSeconds(requestsB, limit))}; (a) spends more than the account's whole get_events minute budget, so other integrations on it get 429s meanwhile.`);
  const rtt = 0.15; // an ASSUMED round trip per sequential request, for scale only (not measured)
  console.log(`  sequentially at an assumed ${rtt * 1000} ms per request: (a) ≈ ${fmtDuration(requestsA * rtt)}, (b) ≈ ${fmtDuration(requestsB * rtt)}`);
  for (const n of [10_000, 100_000]) {
    console.log(`  a store with ${n} BFCM orders: (a) ≥ ${fmtDuration(minimumSeconds(n, limit))} from the rate limit alone`);
  }

  // In-memory analysis on 200 000 events (plain Map loop).
  const rand = prng(7);
  const big: OrderEvent[] = Array.from({ length: 200_000 }, () => ({
    profileId: `p${Math.floor(rand() * 20_000)}`,
    datetime: new Date(NOW - 730 * DAY + Math.floor(rand() * 730 * DAY)).toISOString(),
  }));
  t = performance.now();
  const bigSplit = classifyBuyers(big, firstOrderByProfile(big), { start: BFCM_START, end: BFCM_END });
  const bigMs = performance.now() - t;
  console.log("");
  console.log(`In-memory analysis, 200 000 events, 20 000 profiles (firstOrderByProfile + classifyBuyers): ${fmtMs(bigMs)} (goal ≤ 1 s; ${bigSplit.firstTime.size + bigSplit.returning.size} buyers classified)`);

  // The same first-order reduction as a danfojs group-by, by number of groups.
  t = performance.now();
  loadDanfo();
  console.log(`danfojs-node load: ${fmtMs(performance.now() - t)}`);
  for (const groups of [5_000, 10_000, 20_000]) {
    const rows = big.map((e, i) => ({ profile: `p${i % groups}`, ms: Date.parse(e.datetime as string) }));
    const tFrame = performance.now();
    const df = dataFrame(rows, ["profile", "ms"]);
    const frameMs = performance.now() - tFrame;
    const tGroup = performance.now();
    const first = df.groupby(["profile"]).agg({ ms: "min" });
    const groupMs = performance.now() - tGroup;
    const tMap = performance.now();
    const viaMap = firstOrderByProfile(rows.map((r) => ({ profileId: r.profile, datetime: new Date(r.ms) })));
    const mapMs = performance.now() - tMap;
    console.log(`  ${groups} groups × 200 000 rows: danfo groupby.agg(min) ${fmtMs(groupMs)} (+ DataFrame ${fmtMs(frameMs)}), Map loop ${fmtMs(mapMs)}; ${first.shape[0] === viaMap.size ? "same group count" : "group counts DIFFER"}`);
  }
  console.log("  danfo's group-by grows faster than the number of groups: reduce event streams with analysis.ts, give danfo the small tables.");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

/**
 * Benchmark (issue 3): finding Black Friday / Cyber Monday first-time buyers in a large account.
 *
 *   (a) the 2022 guide's way: page through the BFCM orders, then ONE request per order asking for
 *       that profile's first order (filter by profile and metric, sort by datetime, page size 1);
 *   (b) one paginated sweep of order events with a sparse fieldset (datetime only), reduced in
 *       memory by src/analysis.ts.
 *
 * The account is the demo account's generator (tools/standin/generator/) at a larger size (by
 * default 10 000 customers and 20 times the demo store's orders: about 20 000 "Placed Order"
 * events, about 560 of them in BFCM 2025: a believable peak since issue 23's demo, not the old
 * 60× spike, so (a) against (b) is now about 47× where the spike gave more than 50×), served over
 * HTTP on 127.0.0.1 by the demo stand-in
 * (tools/standin/server.ts), which answers as the API does: filters, sort, page size, cursors,
 * `https://a.klaviyo.com` next links. Both approaches use the real SDK (klaviyo-api) and the guide
 * helpers. Prints figures; asserts nothing.
 *
 * Run: npx tsx tools/bench/bfcm.ts [--customers N] [--order-rate R]
 */
import { parseArgs } from "node:util";
import { ApiKeySession, EventsApi } from "klaviyo-api";
import { items } from "../../src/pagination";
import { and, equals, greaterOrEqual, lessThan } from "../../src/filters";
import { classifyBuyers, firstOrderByProfile, orderEvent, type OrderEvent } from "../../src/analysis";
import { RATE_LIMITS, minimumSeconds } from "../../src/rate-limits";
import { guideRetryPolicy } from "../../src/retry";
import { dataFrame, loadDanfo } from "../../src/display/danfo";
import { sdkAxios } from "../../src/http/transport";
import { BFCM_2025, DEMO_NOW } from "../standin/account";
import { generateAccount, type AccountSize } from "../standin/generator/generate";
import { Random } from "../standin/random";
import { startDemoServer } from "../standin/server";
import { STAND_IN_PRIVATE_KEY } from "../standin/guide-settings";

const NOW = Date.parse(DEMO_NOW);
const DAY = 86_400_000;
const BFCM_START = new Date(BFCM_2025.start);
const BFCM_END = new Date(BFCM_2025.end); // exclusive: Black Friday through Cyber Monday
const DEFAULT_SIZE: AccountSize = { customers: 10_000, orderRate: 20 };

function sizeFromArgs(): AccountSize {
  const { values } = parseArgs({ options: { customers: { type: "string" }, "order-rate": { type: "string" } } });
  return {
    customers: values.customers === undefined ? DEFAULT_SIZE.customers : Number(values.customers),
    orderRate: values["order-rate"] === undefined ? DEFAULT_SIZE.orderRate : Number(values["order-rate"]),
  };
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function fmtDuration(seconds: number): string {
  return seconds >= 120 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}

async function main(): Promise<void> {
  const size = sizeFromArgs();
  const t0 = performance.now();
  const account = generateAccount(undefined, size);
  const metricId = account.metrics.find((m) => m.name === "Placed Order" && m.integration.name === "Shopify")?.id;
  if (metricId === undefined) throw new Error("The demo account has no Shopify \"Placed Order\" metric; tools/standin/generator/metrics.ts changed its metrics.");
  const orders = account.events.filter((e) => e.metricId === metricId);
  const generatedMs = performance.now() - t0;
  const server = await startDemoServer({ account });
  const counter = { requests: 0 };
  sdkAxios().interceptors.request.use((config) => {
    counter.requests += 1;
    return config;
  });
  const events = new EventsApi(new ApiKeySession(STAND_IN_PRIVATE_KEY, guideRetryPolicy()));
  events.basePath = server.url;
  const inWindow = orders.filter((o) => o.timestamp * 1000 >= BFCM_START.getTime() && o.timestamp * 1000 < BFCM_END.getTime()).length;
  console.log(`Account: the demo generator at ${size.customers} customers and ${size.orderRate}× the demo store's orders: ${new Set(orders.map((o) => o.profileId)).size} of them placed ${orders.length} orders ${orders[0].datetime.slice(0, 10)} … ${orders[orders.length - 1].datetime.slice(0, 10)}; BFCM 2025 (${BFCM_START.toISOString().slice(0, 10)} – Cyber Monday): ${inWindow} orders. Generated in ${fmtMs(generatedMs)}.`);

  const bfcmFilter = and(equals("metric_id", metricId), greaterOrEqual("datetime", BFCM_START), lessThan("datetime", BFCM_END));
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
    const r = await events.getEvents({ filter: and(equals("profile_id", o.profileId), equals("metric_id", metricId)), sort: "datetime", fieldsEvent: ["datetime"], pageSize: 1 });
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
  for await (const ev of items(pageOf(and(equals("metric_id", metricId), lessThan("datetime", BFCM_END)), 1000))) {
    const o = orderEvent(ev);
    if (o) sweep.push(o);
  }
  const tReduce = performance.now();
  const split = classifyBuyers(sweep, firstOrderByProfile(sweep), { start: BFCM_START, end: BFCM_END });
  const reduceMs = performance.now() - tReduce;
  const requestsB = counter.requests;
  const timeB = performance.now() - t;
  await server.close();

  const same = split.firstTime.size === firstTimeA.size && [...split.firstTime].every((id) => firstTimeA.has(id)) && split.returning.size === returningA.size;
  console.log("");
  console.log("Find BFCM 2025 first-time buyers (demo stand-in on 127.0.0.1, no network latency):");
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
  const rand = new Random(7);
  const big: OrderEvent[] = Array.from({ length: 200_000 }, () => ({
    profileId: `p${Math.floor(rand.next() * 20_000)}`,
    datetime: new Date(NOW - 730 * DAY + Math.floor(rand.next() * 730 * DAY)).toISOString(),
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

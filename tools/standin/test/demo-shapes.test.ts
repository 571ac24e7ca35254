/**
 * The second and the empty account (tools/standin/shapes.ts) and the stand-in's quirks for them:
 * what test/own-account.test.ts relies on, checked without starting a kernel.
 */
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { DEMO_FIRST_NAMES, DEMO_LAST_NAMES, isDemoEmail, isDemoPhone } from "../../../src/fixtures/scrub";
import { startDemoServer, type DemoServer } from "../server";
import { accountSetup, type AccountSetup } from "../shapes";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { STAND_IN_PRIVATE_KEY } from "../guide-settings";

const HEADERS = { authorization: `Klaviyo-API-Key ${STAND_IN_PRIVATE_KEY}`, revision: "2026-07-15" };

let second: AccountSetup;
let server: DemoServer;

beforeAll(async () => {
  second = accountSetup("second");
  server = await startDemoServer({ account: structuredClone(second.account), quirks: second.quirks });
});
afterAll(() => server.close());

/** GET with retries of 429 (the second account throttles); returns the body and how many 429s it met. */
async function get(
  path: string,
  srv: DemoServer = server,
): Promise<{
  body: {
    data:
      | Array<{ id: string; attributes: Record<string, unknown>; relationships?: Record<string, { data?: unknown }> }>
      | { relationships: Record<string, { data?: unknown }> };
    links: Record<string, string | null>;
  };
  throttled: number;
}> {
  for (let throttled = 0; ; throttled++) {
    const res = await fetch(`${srv.url}${path}`, { headers: HEADERS });
    if (res.status === 429) {
      expect(res.headers.get("retry-after")).toBe("1");
      continue;
    }
    expect(res.status, path).toBe(200);
    return { body: await res.json(), throttled };
  }
}

describe("the second account", () => {
  it("is not the demo: other list names and ids, no SMS, no mapped metric, and renamed maps demo values to its own", async () => {
    const names = second.account.lists.map((l) => l.name);
    expect(names).toEqual(["Email Subscribers", "Loyalty Club", "Preview List"]);
    expect(second.renamed.Newsletter).toBe("Email Subscribers");
    expect(second.renamed.t5P6xj).toBe(second.account.lists[0].id);
    expect(second.account.lists.map((l) => l.id)).not.toContain("t5P6xj");
    const metricNames = second.account.metrics.map((m) => m.name);
    expect(metricNames).toContain("Unsubscribed from Email Marketing");
    expect(metricNames).not.toContain("Unsubscribed");
    expect(metricNames).not.toContain("Unsubscribed from SMS");
    const mapped = (await get("/api/mapped-metrics/ordered_product")).body.data as { relationships: { metric: { data?: unknown } } };
    expect(mapped.relationships.metric.data).toBeUndefined();
  });

  it("has contact data the scrubber must replace: no demo e-mail, phone, first or last name", () => {
    for (const p of second.account.profiles) {
      const a = p.attributes;
      expect(isDemoEmail(a.email as string)).toBe(false);
      expect(DEMO_FIRST_NAMES).not.toContain(a.first_name);
      expect(DEMO_LAST_NAMES).not.toContain(a.last_name);
      if (a.phone_number !== null) {
        const phone = parsePhoneNumberFromString(a.phone_number as string);
        expect(phone?.isValid(), String(a.phone_number)).toBe(true);
        expect(isDemoPhone(a.phone_number as string)).toBe(false);
      }
    }
  });

  it("keeps events consistent: known metric and profile, sorted, unique ids, never before the profile existed", () => {
    const metrics = new Set(second.account.metrics.map((m) => m.id));
    const created = new Map(second.account.profiles.map((p) => [p.id, Date.parse(p.attributes.created as string)]));
    const ids = new Set<string>();
    const problems: string[] = [];
    let last = 0;
    for (const e of second.account.events) {
      if (!metrics.has(e.metricId)) problems.push(`${e.id}: unknown metric`);
      if (e.timestamp * 1000 <= (created.get(e.profileId) ?? Infinity)) problems.push(`${e.id}: before its profile was created`);
      if (e.timestamp < last) problems.push(`${e.id}: out of order`);
      if (ids.has(e.id)) problems.push(`${e.id}: id repeats`);
      ids.add(e.id);
      last = e.timestamp;
    }
    expect(problems).toEqual([]);
  });

  it("takes many pages to sweep: more than 4,000 earlier order lines, at most 1,000 a page", () => {
    const ordered = new Set(second.account.metrics.filter((m) => m.name === "Ordered Product").map((m) => m.id));
    const earlier = second.account.events.filter((e) => ordered.has(e.metricId) && e.datetime < "2025-11-28").length;
    expect(earlier).toBeGreaterThan(4000);
  });

  it("is served without end links (next/prev; the demo sends null) and with a 429 (Retry-After: 1) every 25th GET", async () => {
    const lists = await get("/api/lists");
    expect(Object.keys(lists.body.links)).toEqual(["self"]);
    const page1 = await get("/api/profiles?page%5Bsize%5D=100");
    expect("prev" in page1.body.links).toBe(false);
    expect(page1.body.links.next).toMatch(/page%5Bcursor%5D=/);
    let throttled = 0;
    for (let i = 0; i < 50; i++) throttled += (await get("/api/metrics")).throttled;
    expect(throttled).toBe(2);
  });
});

describe("the empty account", () => {
  it("answers every collection with no data, no next link, and no mapped metric", async () => {
    const empty = accountSetup("empty");
    const srv = await startDemoServer({ account: empty.account, quirks: empty.quirks });
    try {
      for (const path of ["/api/profiles", "/api/events", "/api/metrics", "/api/lists", "/api/segments"]) {
        const { body } = await get(path, srv);
        expect(body.data, path).toEqual([]);
        expect("next" in body.links, path).toBe(false);
      }
      const mapped = (await get("/api/mapped-metrics/ordered_product", srv)).body.data as { relationships: { metric: { data?: unknown } } };
      expect(mapped.relationships.metric.data).toBeUndefined();
    } finally {
      await srv.close();
    }
  });
});

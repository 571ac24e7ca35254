/**
 * Behaviour of the local Klaviyo stand-in (tools/standin/server.ts and its read routes) that the
 * guides and fixtures rely on: auth and revision checks, cursors that chain, filters and sorts,
 * includes and sparse fieldsets, list membership that agrees between endpoints, list writes.
 * Client-side endpoints: demo-client.test.ts. Shapes against the spec: spec-conformance.test.ts.
 */
import { describe, expect, it } from "vitest";
import { API_ORIGIN as origin } from "../../../src/api-origin";
import { BFCM_2025, mappedMetricId } from "../account";
import { startDemoServer } from "../server";
import { accountStats } from "../stats";
import { AUTH as auth, q, useStandIn } from "./stand-in";
import type { Doc, Errors } from "./stand-in";

const standIn = useStandIn();
const { get, post, sweep } = standIn;

describe("demo stand-in: protocol", () => {
  it("requires a private key and a revision header on /api/*, and answers unknown paths with errors[]", async () => {
    const noKey = await get("/api/profiles", { revision: "2026-07-15" });
    expect(noKey.status).toBe(401);
    expect((noKey.body as Errors).errors[0].code).toBe("not_authenticated");
    const publicKey = await get("/api/profiles", { revision: "2026-07-15", Authorization: "Klaviyo-API-Key DemoCo" });
    expect(publicKey.status).toBe(401);
    const noRevision = await get("/api/profiles", { Authorization: auth.Authorization });
    expect(noRevision.status).toBe(400);
    expect((noRevision.body as Errors).errors[0].source?.parameter).toBe("revision");
    const missing = await get("/api/nothing-here");
    expect(missing.status).toBe(404);
    expect((missing.body as Errors).errors[0]).toMatchObject({ code: "not_found", title: "Not found." });
  });

  it("sends JSON:API content type with charset and a Date frozen at the demo account's now", async () => {
    const res = await get("/api/lists");
    expect(res.headers.get("content-type")).toBe("application/vnd.api+json; charset=utf-8");
    expect(res.headers.get("date")).toBe("Fri, 20 Nov 2026 12:00:00 GMT");
  });

  it("sends RateLimit-* headers (the operation's steady window) on successful /api/* answers only", async () => {
    const lists = await get("/api/lists");
    expect([lists.headers.get("ratelimit-limit"), lists.headers.get("ratelimit-remaining"), lists.headers.get("ratelimit-reset")]).toEqual([
      "750",
      "749",
      "60",
    ]);
    const metrics = await get("/api/metrics");
    expect(metrics.headers.get("ratelimit-limit")).toBe("150");
    const events = await get(`/api/events${q({ "page[size]": "1" })}`);
    expect(events.headers.get("ratelimit-limit")).toBe("3500");
    const refused = await get(`/api/lists${q({ "page[size]": "11" })}`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("ratelimit-limit")).toBeNull();
  });

  it("enforces page size limits and declared parameters", async () => {
    expect((await get(`/api/profiles${q({ "page[size]": "101" })}`)).status).toBe(400);
    expect((await get(`/api/lists${q({ "page[size]": "11" })}`)).status).toBe(400);
    const metricsSize = await get(`/api/metrics${q({ "page[size]": "5" })}`);
    expect(metricsSize.status).toBe(400);
    expect((metricsSize.body as Errors).errors[0].source?.parameter).toBe("page[size]");
    expect((await get(`/api/events${q({ "page[size]": "1000" })}`)).status).toBe(200);
    expect((await get(`/api/events${q({ "page[size]": "1001" })}`)).status).toBe(400);
    expect((await get(`/api/profiles${q({ "page[cursor]": "garbage" })}`)).status).toBe(400);
  });
});

describe("demo stand-in: reading the account", () => {
  it("pages profiles by the default 20 with chaining next/prev links, each profile once", async () => {
    const first = (await get("/api/profiles")).body as Doc;
    expect(first.data).toHaveLength(20);
    expect(first.links.self).toBe(`${origin}/api/profiles`);
    // Past either end the link is null, not absent, as the live API sends it.
    expect(first.links.prev).toBeNull();
    const second = (await get(first.links.next as string)).body as Doc;
    expect(second.links.prev).toMatch(/^https:\/\/a\.klaviyo\.com\/api\/profiles\?/);
    const { pages, items } = await sweep(`/api/profiles${q({ "page[size]": "100" })}`);
    const profiles = standIn.server.account.profiles.length;
    expect(pages).toHaveLength(Math.ceil(profiles / 100));
    expect(pages[pages.length - 1].links).toHaveProperty("next", null);
    expect(new Set(items.map((p) => p.id)).size).toBe(profiles);
    expect((await get(first.links.next as string)).body).toEqual(second);
  });

  it("agrees on list membership across /lists/{id}/profiles, /relationships/profiles and include=lists", async () => {
    for (const list of standIn.server.account.lists) {
      const members = (await sweep(`/api/lists/${list.id}/profiles${q({ "page[size]": "100" })}`)).items;
      const ids = (await sweep(`/api/lists/${list.id}/relationships/profiles${q({ "page[size]": "100" })}`)).items;
      expect(members.map((m) => m.id)).toEqual(ids.map((m) => m.id));
      expect(members).toHaveLength(list.members.length);
      expect(members.every((m) => typeof m.attributes.joined_group_at === "string")).toBe(true);
      const count = (await get(`/api/lists/${list.id}${q({ "additional-fields[list]": "profile_count" })}`)).body as {
        data: { attributes: { profile_count: number } };
      };
      expect(count.data.attributes.profile_count).toBe(list.members.length);
    }
    const sample = standIn.server.account.lists[0].members[0].profileId;
    const profile = (await get(`/api/profiles/${sample}${q({ include: "lists" })}`)).body as {
      data: Doc["data"][number];
      included: Doc["included"];
    };
    const listIds = standIn.server.account.lists.filter((l) => l.members.some((m) => m.profileId === sample)).map((l) => l.id);
    expect(profile.data.relationships?.lists.data).toEqual(listIds.map((id) => ({ type: "list", id })));
    expect(profile.included?.map((i) => i.id)).toEqual(listIds);
  });

  it("filters and sorts list members by joined_group_at", async () => {
    const list = standIn.server.account.lists[0];
    const since = "2025-06-01T00:00:00Z";
    const query = q({ filter: `greater-or-equal(joined_group_at,${since})`, sort: "-joined_group_at", "page[size]": "100" });
    const { items } = await sweep(`/api/lists/${list.id}/profiles${query}`);
    const expected = list.members.filter((m) => Date.parse(m.joinedAt) >= Date.parse(since));
    expect(items).toHaveLength(expected.length);
    const joined = items.map((i) => i.attributes.joined_group_at as string);
    expect(joined).toEqual([...joined].sort().reverse());
  });

  it("adds subscriptions and predictive analytics only when asked, and honours sparse fieldsets", async () => {
    const plain = ((await get(`/api/profiles${q({ "page[size]": "1" })}`)).body as Doc).data[0].attributes;
    expect(plain.subscriptions).toBeUndefined();
    const extra = (
      (await get(`/api/profiles${q({ "page[size]": "1", "additional-fields[profile]": "subscriptions,predictive_analytics" })}`))
        .body as Doc
    ).data[0].attributes;
    expect(extra.subscriptions).toHaveProperty("email.marketing.consent");
    expect(extra.predictive_analytics).toHaveProperty("historic_clv");
    const sparse = ((await get(`/api/profiles${q({ "page[size]": "1", "fields[profile]": "email,location.city" })}`)).body as Doc).data[0]
      .attributes;
    expect(Object.keys(sparse).sort()).toEqual(["email", "location"]);
    expect(Object.keys(sparse.location as object)).toEqual(["city"]);
  });

  it("lists metrics with integrations, filters by integration, and maps ordered_product to Shopify's", async () => {
    const all = ((await get("/api/metrics")).body as Doc).data;
    expect(all.filter((m) => m.attributes.name === "Ordered Product")).toHaveLength(2);
    const woo = ((await get(`/api/metrics${q({ filter: 'equals(integration.name,"WooCommerce")' })}`)).body as Doc).data;
    expect(woo.map((m) => m.attributes.name).sort()).toEqual(["Ordered Product", "Placed Order"]);
    const mapped = (await get(`/api/mapped-metrics/ordered_product${q({ include: "metric" })}`)).body as {
      data: { relationships: { metric: { data: { id: string } } } };
      included: Doc["included"];
    };
    expect(mapped.included?.[0]).toMatchObject({
      type: "metric",
      attributes: { name: "Ordered Product", integration: { name: "Shopify" } },
    });
    expect(mapped.data.relationships.metric.data.id).toBe(mappedMetricId(standIn.server.account, "ordered_product"));
  });

  it("sweeps BFCM order events in a few pages of 1000 with sparse fields and includes, matching the account's numbers", async () => {
    const ordered = mappedMetricId(standIn.server.account, "ordered_product");
    const filter = `equals(metric_id,"${ordered}"),greater-or-equal(datetime,${BFCM_2025.start}),less-than(datetime,${BFCM_2025.end})`;
    const sparse = { "fields[event]": "datetime,event_properties", include: "profile", "fields[profile]": "email" };
    const { pages, items } = await sweep(`/api/events${q({ filter, "page[size]": "1000", ...sparse })}`);
    const stats = accountStats(standIn.server.account);
    expect(items).toHaveLength(stats.bfcm.orderedProductEvents);
    expect(pages).toHaveLength(1);
    expect(Object.keys(items[0].attributes).sort()).toEqual(["datetime", "event_properties"]);
    const buyers = new Set(items.map((e) => (e.relationships?.profile.data as { id: string }).id));
    expect(buyers.size).toBe(stats.bfcm.buyers);
    expect(pages[0].included?.every((i) => i.type === "profile" && Object.keys(i.attributes).join() === "email")).toBe(true);
    const all = await sweep(`/api/events${q({ filter: `equals(metric_id,"${ordered}")`, "page[size]": "1000" })}`);
    expect(all.pages.length).toBeGreaterThanOrEqual(2);
    expect(all.pages.length).toBeLessThanOrEqual(4);
  });

  it("gives every profile the conversations relationship, as the spec's profile resource has", async () => {
    const page = (await get(`/api/profiles${q({ "page[size]": "2" })}`)).body as Doc;
    for (const p of page.data) expect(Object.keys(p.relationships ?? {})).toEqual(["lists", "segments", "push-tokens", "conversations"]);
  });

  describe("POST /api/metric-aggregates", () => {
    type Aggregate = {
      data: {
        type: string;
        id: string;
        attributes: { dates: string[]; data: { dimensions: string[]; measurements: Record<string, number[]> }[] };
      };
    };
    const query = (attributes: Record<string, unknown>) => ({ data: { type: "metric-aggregate", attributes } });
    const metricId = (name: string) => standIn.server.account.metrics.find((m) => m.name === name)?.id as string;
    const eventsOf = (id: string, start: string, end: string) =>
      standIn.server.account.events.filter(
        (e) => e.metricId === id && e.timestamp * 1000 >= Date.parse(start) && e.timestamp * 1000 < Date.parse(end),
      );

    it("counts a metric's events per week from the window's start, agreeing with the events themselves", async () => {
      const id = metricId("Unsubscribed");
      const [start, end] = ["2025-10-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"];
      const window = [`greater-or-equal(datetime,${start})`, `less-than(datetime,${end})`];
      const attributes = { metric_id: id, measurements: ["count", "unique"], interval: "week", timezone: "UTC", filter: window };
      const res = await post("/api/metric-aggregates", query(attributes));
      expect(res.status).toBe(200);
      const body = res.body as Aggregate;
      expect(body.data.type).toBe("metric-aggregate");
      expect(body.data.attributes.dates[0]).toBe("2025-10-01T00:00:00+00:00");
      expect(body.data.attributes.dates[1]).toBe("2025-10-08T00:00:00+00:00");
      expect(body.data.attributes.dates).toHaveLength(18);
      const [row] = body.data.attributes.data;
      expect(row.dimensions).toEqual([]);
      expect(row.measurements.count).toHaveLength(18);
      const events = eventsOf(id, start, end);
      expect(row.measurements.count.reduce((a, b) => a + b, 0)).toBe(events.length);
      const firstWeek = eventsOf(id, start, "2025-10-08T00:00:00Z");
      expect(row.measurements.count[0]).toBe(firstWeek.length);
      expect(row.measurements.unique[0]).toBe(new Set(firstWeek.map((e) => e.profileId)).size);
    });

    it("sums $value and reads wall-clock bounds in the query's time zone", async () => {
      const id = metricId("Placed Order");
      const window = ["greater-or-equal(datetime,2025-11-28T00:00:00)", "less-than(datetime,2025-12-02T00:00:00)"];
      const attributes = { metric_id: id, measurements: ["sum_value", "count"], interval: "day", timezone: "America/Chicago" };
      const res = await post("/api/metric-aggregates", query({ ...attributes, filter: window }));
      const body = res.body as Aggregate;
      expect(body.data.attributes.dates).toEqual([
        "2025-11-28T00:00:00-06:00",
        "2025-11-29T00:00:00-06:00",
        "2025-11-30T00:00:00-06:00",
        "2025-12-01T00:00:00-06:00",
      ]);
      const events = eventsOf(id, "2025-11-28T06:00:00Z", "2025-12-02T06:00:00Z");
      const [row] = body.data.attributes.data;
      expect(row.measurements.count.reduce((a, b) => a + b, 0)).toBe(events.length);
      const total = events.reduce((s, e) => s + (e.event_properties.$value as number), 0);
      expect(row.measurements.sum_value.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 1);
    });

    it("refuses a query without its time range, longer than a year, with an unknown metric or with grouping", async () => {
      const id = metricId("Unsubscribed");
      const refusals = [
        query({ metric_id: id, measurements: ["count"], filter: ["greater-or-equal(datetime,2025-10-01T00:00:00Z)"] }),
        query({
          metric_id: id,
          measurements: ["count"],
          filter: ["greater-or-equal(datetime,2024-01-01T00:00:00Z)", "less-than(datetime,2025-06-01T00:00:00Z)"],
        }),
        query({
          metric_id: "nope00",
          measurements: ["count"],
          filter: ["greater-or-equal(datetime,2025-10-01T00:00:00Z)", "less-than(datetime,2025-11-01T00:00:00Z)"],
        }),
        query({
          metric_id: id,
          measurements: ["count"],
          by: ["$message"],
          filter: ["greater-or-equal(datetime,2025-10-01T00:00:00Z)", "less-than(datetime,2025-11-01T00:00:00Z)"],
        }),
      ];
      for (const body of refusals) {
        const res = await post("/api/metric-aggregates", body);
        expect(res.status).toBe(400);
        expect((res.body as Errors).errors[0].source?.pointer).toMatch(/^\/data\/attributes\//);
      }
    });
  });

  it("answers 'first order of this profile' with profile_id + metric_id, sort=datetime, page[size]=1", async () => {
    const ordered = mappedMetricId(standIn.server.account, "ordered_product");
    const someOrder = standIn.server.account.events.filter((e) => e.metricId === ordered)[500];
    const first = standIn.server.account.events.find((e) => e.metricId === ordered && e.profileId === someOrder.profileId);
    const filter = `equals(profile_id,"${someOrder.profileId}"),equals(metric_id,"${ordered}")`;
    const res = (await get(`/api/events${q({ filter, sort: "datetime", "page[size]": "1" })}`)).body as Doc;
    expect(res.data[0].id).toBe(first?.id);
    const latest = (
      await get(`/api/events${q({ filter: `and(equals(profile_id,"${someOrder.profileId}"))`, sort: "-timestamp", "page[size]": "1" })}`)
    ).body as Doc;
    expect(latest.data[0].attributes.datetime).toBe(
      standIn.server.account.profiles.find((p) => p.id === someOrder.profileId)?.attributes.last_event_date,
    );
  });

  it("refuses filters the API refuses: fields and operators not allowed, quoted datetimes", async () => {
    const bad = async (filter: string) => (await get(`/api/events${q({ filter })}`)) as { status: number; body: Errors };
    for (const filter of [
      'equals(email,"a@example.com")',
      'any(metric_id,["a","b"])',
      'greater-than(datetime,"2025-11-28T00:00:00Z")',
      "equals(metric_id,",
    ]) {
      const res = await bad(filter);
      expect(res.status, filter).toBe(400);
      expect(res.body.errors[0].source?.parameter).toBe("filter");
    }
  });
});

describe("demo stand-in: writes", () => {
  it("creates a list (201, deterministic id) and adds up to 1000 profiles (204) that then read back", async () => {
    const other = await startDemoServer();
    try {
      const body = { data: { type: "list", attributes: { name: "BFCM first-time buyers" } } };
      const created = await post("/api/lists", body);
      const again = await fetch(`${other.url}/api/lists`, { method: "POST", headers: auth, body: JSON.stringify(body) });
      expect(created.status).toBe(201);
      const id = (created.body as { data: { id: string } }).data.id;
      expect(((await again.json()) as { data: { id: string } }).data.id).toBe(id);
      const ids = standIn.server.account.profiles.slice(0, 5).map((p) => ({ type: "profile", id: p.id }));
      const added = await post(`/api/lists/${id}/relationships/profiles`, { data: ids });
      expect(added.status).toBe(204);
      expect(added.body).toBeUndefined();
      const members = (await sweep(`/api/lists/${id}/relationships/profiles`)).items;
      expect(members.map((m) => m.id).sort()).toEqual(ids.map((i) => i.id).sort());
      const tooMany = await post(`/api/lists/${id}/relationships/profiles`, { data: Array.from({ length: 1001 }, () => ids[0]) });
      expect(tooMany.status).toBe(400);
    } finally {
      await other.close();
    }
  });
});

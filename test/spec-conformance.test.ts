/**
 * Every recorded exchange in data/*.json, and a representative request to every operation of the
 * local stand-in, must agree with Klaviyo's OpenAPI document: operation exists, query parameters
 * declared and valid, request body valid, status declared, response body valid.
 * The spec is the committed subset of Klaviyo's OpenAPI document (test/support/openapi.ts), so
 * these checks run on every checkout.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServer } from "../tools/standin/server";
import type { DemoServer } from "../tools/standin/server";
import { specValidator } from "./support/openapi";
import type { SpecValidator } from "./support/openapi";
import { STAND_IN_PRIVATE_KEY } from "./support/keys";

const dataDir = resolve(__dirname, "..", "data");
const fixtureFiles = existsSync(dataDir) ? readdirSync(dataDir).filter((f) => f.endsWith(".json")).sort() : [];

interface Interaction {
  scope: string;
  method: string;
  path: string;
  body?: unknown;
  status: number;
  response?: unknown;
}

describe("OpenAPI conformance", () => {
  let spec: SpecValidator;
  beforeAll(() => {
    spec = specValidator();
  });

  describe("the validator", () => {
    it("lets sparse fieldsets omit required attributes, and only then", () => {
      const members = { data: [{ type: "profile", id: "P", attributes: { email: "a@example.com" }, links: { self: "https://a.klaviyo.com/api/profiles/P/" } }], links: { self: "https://a.klaviyo.com/api/lists/L/profiles" } };
      expect(spec.check({ method: "GET", path: "/api/lists/L/profiles?fields%5Bprofile%5D=email", status: 200, responseBody: members })).toEqual([]);
      expect(spec.check({ method: "GET", path: "/api/lists/L/profiles", status: 200, responseBody: members }).join("\n")).toMatch(/required property 'joined_group_at'/);
      const badType = { ...members, data: [{ ...members.data[0], attributes: { email: 42 } }] };
      expect(spec.check({ method: "GET", path: "/api/lists/L/profiles?fields%5Bprofile%5D=email", status: 200, responseBody: badType }).join("\n")).toMatch(/email must be string/);
    });

    it("accepts a well-formed exchange", () => {
      const ok = spec.check({ method: "GET", path: "/api/lists?page%5Bsize%5D=10", status: 200, responseBody: { data: [], links: { self: "https://a.klaviyo.com/api/lists" } } });
      expect(ok).toEqual([]);
    });

    it("reports an unknown operation, an undeclared or out-of-range parameter, and a bad status", () => {
      expect(spec.check({ method: "DELETE", path: "/api/events", status: 200 })[0]).toMatch(/no such operation/);
      expect(spec.check({ method: "GET", path: "/api/metrics?page%5Bsize%5D=50", status: 200, responseBody: { data: [] } }).join("\n")).toMatch(/'page\[size\]' is not declared/);
      expect(spec.check({ method: "GET", path: "/api/lists?page%5Bsize%5D=11", status: 200, responseBody: { data: [] } }).join("\n")).toMatch(/page\[size\]=11/);
      expect(spec.check({ method: "POST", path: "/api/lists", requestBody: { data: { type: "list", attributes: { name: "x" } } }, status: 200, responseBody: {} }).join("\n")).toMatch(/status 200 is not declared/);
    });

    it("reports bodies that break the schema, honouring nullable", () => {
      const profile = (email: unknown) => ({ data: [{ type: "profile", id: "P", attributes: { email, phone_number: null }, links: { self: "https://a.klaviyo.com/api/profiles/P/" } }], links: { self: "https://a.klaviyo.com/api/profiles" } });
      expect(spec.check({ method: "GET", path: "/api/profiles", status: 200, responseBody: profile(null) })).toEqual([]);
      expect(spec.check({ method: "GET", path: "/api/profiles", status: 200, responseBody: profile(42) }).join("\n")).toMatch(/email must be string/);
      expect(spec.check({ method: "POST", path: "/client/profiles?company_id=DemoCo", requestBody: { data: { type: "profile" } }, status: 202 }).join("\n")).toMatch(/request body: .*attributes/);
      expect(spec.check({ method: "POST", path: "/client/profiles", requestBody: { data: { type: "profile", attributes: {} } }, status: 202 }).join("\n")).toMatch(/company_id' is missing/);
      const refused = { errors: [{ id: "e1", code: "invalid", title: "Invalid input.", detail: "'metric' is a required property", source: { pointer: "/data/attributes/metric" } }] };
      expect(spec.check({ method: "POST", path: "/client/events?company_id=DemoCo", requestBody: { data: { type: "event", attributes: { properties: {} } } }, status: 400, responseBody: refused })).toEqual([]);
      expect(spec.check({ method: "POST", path: "/client/events?company_id=DemoCo", requestBody: { data: { type: "event", attributes: { properties: {} } } }, status: 400, responseBody: { errors: [{ code: "invalid" }] } }).join("\n")).toMatch(/response 400: .*required property 'id'/);
    });
  });

  describe("recorded fixtures (data/*.json)", () => {
    if (fixtureFiles.length === 0) {
      it.skip("no fixture files in data/ yet: record them with npm run fixtures", () => undefined);
    }
    for (const file of fixtureFiles) {
      it(`${file}: every interaction conforms`, () => {
        const fixture = JSON.parse(readFileSync(join(dataDir, file), "utf8")) as { revision?: string; interactions?: Interaction[] };
        expect(fixture.revision, `${file} revision`).toBe("2026-07-15");
        expect(Array.isArray(fixture.interactions) && fixture.interactions.length > 0, `${file} has interactions`).toBe(true);
        const problems = (fixture.interactions as Interaction[]).flatMap((i, n) =>
          spec.check({ method: i.method, path: i.path, requestBody: i.body, status: i.status, responseBody: i.response }).map((p) => `#${n} ${p}`),
        );
        expect(problems).toEqual([]);
      });
    }
  });

  describe("the local stand-in answers as the spec says", () => {
    let server: DemoServer;
    beforeAll(async () => {
      server = await startDemoServer();
    });
    afterAll(() => server.close());

    const headers = { Authorization: `Klaviyo-API-Key ${STAND_IN_PRIVATE_KEY}`, revision: "2026-07-15", accept: "application/vnd.api+json", "content-type": "application/vnd.api+json" };

    /** Sends a request to the stand-in (with `extra` headers) and checks the exchange against the spec. */
    async function exchange(method: string, path: string, requestBody?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; problems: string[]; body: unknown }> {
      const init = { method, headers: { ...headers, ...extra }, body: requestBody === undefined ? undefined : JSON.stringify(requestBody) };
      const res = await fetch(server.url + path, init);
      const text = await res.text();
      const body = text === "" ? undefined : (JSON.parse(text) as unknown);
      return { status: res.status, body, problems: spec.check({ method, path, requestBody, status: res.status, responseBody: body }) };
    }

    const q = (params: Record<string, string>): string => `?${new URLSearchParams(params).toString()}`;

    it("every GET operation, with filters, sorts, includes and sparse fieldsets", async () => {
      const { account } = server;
      const list = account.lists[0];
      const segment = account.segments[0];
      const profile = account.profiles[0];
      const event = account.events[account.events.length - 1];
      const ordered = account.mappedMetrics.ordered_product.metricId;
      const paths = [
        `/api/profiles${q({ "page[size]": "5", "additional-fields[profile]": "subscriptions,predictive_analytics", sort: "-created" })}`,
        `/api/profiles${q({ filter: `equals(email,"${profile.attributes.email as string}")`, "fields[profile]": "email,first_name,location.city" })}`,
        `/api/profiles/${profile.id}${q({ include: "lists,segments", "additional-fields[profile]": "subscriptions" })}`,
        `/api/lists`,
        `/api/lists/${list.id}${q({ "additional-fields[list]": "profile_count" })}`,
        `/api/lists/${list.id}/profiles${q({ "page[size]": "100", sort: "-joined_group_at", "additional-fields[profile]": "subscriptions" })}`,
        `/api/lists/${list.id}/relationships/profiles${q({ filter: "greater-or-equal(joined_group_at,2025-01-01T00:00:00Z)" })}`,
        `/api/segments${q({ "fields[segment]": "name,created,is_active,is_processing,is_starred" })}`,
        `/api/segments/${segment.id}${q({ "additional-fields[segment]": "profile_count" })}`,
        `/api/segments/${segment.id}/profiles${q({ "page[size]": "3" })}`,
        `/api/metrics`,
        `/api/metrics${q({ filter: 'equals(integration.name,"Shopify")', "fields[metric]": "name,integration" })}`,
        `/api/metrics/${ordered}`,
        `/api/mapped-metrics/ordered_product${q({ include: "metric" })}`,
        `/api/events${q({ filter: `and(equals(metric_id,"${ordered}"),greater-or-equal(datetime,2025-11-28T00:00:00Z),less-than(datetime,2025-12-02T00:00:00Z))`, "page[size]": "1000", sort: "datetime", "fields[event]": "datetime,event_properties", include: "metric,profile", "fields[profile]": "email" })}`,
        `/api/events${q({ filter: `equals(profile_id,"${event.profileId}"),equals(metric_id,"${event.metricId}")`, sort: "-timestamp", "page[size]": "1" })}`,
        `/api/events/${event.id}${q({ include: "metric" })}`,
        `/client/ip-allowlists/integration-egress${q({ company_id: "DemoCo" })}`,
      ];
      const results = await Promise.all(paths.map((p) => exchange("GET", p)));
      expect(results.map((r) => r.status)).toEqual(paths.map(() => 200));
      expect(results.flatMap((r) => r.problems)).toEqual([]);
    });

    it("campaigns and flows: lists with includes, one record, a flow's actions and messages (200)", async () => {
      const { account } = server;
      const campaign = account.campaigns[account.campaigns.length - 1];
      const flow = account.flows[1];
      const step = flow.steps[0];
      const paths = [
        `/api/campaigns${q({ filter: "equals(messages.channel,'email')", sort: "-scheduled_at", "page[size]": "5", include: "campaign-messages,tags" })}`,
        `/api/campaigns${q({ filter: `equals(messages.channel,'email'),greater-or-equal(scheduled_at,2025-11-01T00:00:00Z)`, "fields[campaign]": "name,send_time" })}`,
        `/api/campaigns/${campaign.id}${q({ include: "campaign-messages", "fields[campaign-message]": "definition,send_times" })}`,
        `/api/flows${q({ include: "flow-actions", "fields[flow]": "name,status,trigger_type" })}`,
        `/api/flows/${flow.id}`,
        `/api/flows/${flow.id}/flow-actions${q({ filter: 'equals(action_type,"send-email")' })}`,
        `/api/flow-actions/${step.sendActionId}/flow-messages`,
        `/api/flow-messages/${step.message.id}${q({ include: "flow-action" })}`,
      ];
      const results = await Promise.all(paths.map((p) => exchange("GET", p)));
      expect(results.map((r) => r.status)).toEqual(paths.map(() => 200));
      expect(results.flatMap((r) => r.problems)).toEqual([]);
    });

    it("the Reporting API: values and series of campaigns, flows, segments and forms (200), a 400 and a 429", async () => {
      const placed = server.account.mappedMetrics.revenue.metricId;
      // Dated 30 s apart, as a guide pacing itself to 2/m sends them; each operation has its own windows.
      let clock = Date.parse(server.account.now);
      const report = (type: string, attributes: Record<string, unknown>) => {
        clock += 30_000;
        return exchange("POST", `/api/${type}s`, { data: { type, attributes } }, { date: new Date(clock).toUTCString() });
      };
      const conversions = { conversion_metric_id: placed };
      const results = [
        await report("campaign-values-report", { statistics: ["recipients", "open_rate", "click_rate", "conversion_value"], timeframe: { key: "last_90_days" }, ...conversions }),
        await report("flow-values-report", { statistics: ["recipients", "conversion_rate"], timeframe: { start: "2026-01-01T00:00:00+00:00", end: "2026-07-01T00:00:00+00:00" }, group_by: ["flow_id", "flow_name", "flow_message_id", "flow_message_name"], ...conversions }),
        await report("flow-series-report", { statistics: ["opens_unique", "open_rate"], timeframe: { key: "last_30_days" }, interval: "daily", filter: 'equals(send_channel,"email")', ...conversions }),
        await report("segment-values-report", { statistics: ["total_members", "net_members_changed"], timeframe: { key: "last_12_months" } }),
        await report("segment-series-report", { statistics: ["members_added", "members_removed"], timeframe: { key: "last_90_days" }, interval: "weekly" }),
        await report("form-values-report", { statistics: ["viewed_form", "submits", "submit_rate"], timeframe: { key: "this_year" }, group_by: ["form_id", "form_version_id"] }),
        await report("form-series-report", { statistics: ["viewed_form_uniques", "submits"], timeframe: { key: "last_7_days" }, interval: "hourly" }),
      ];
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
      expect(results.flatMap((r) => r.problems)).toEqual([]);
      const refused = [
        await report("flow-series-report", { statistics: ["recipients"], timeframe: { key: "last_90_days" }, interval: "hourly", ...conversions }),
        await exchange("POST", "/api/flow-series-reports", { data: { type: "flow-series-report", attributes: { statistics: ["recipients"], timeframe: { key: "today" }, interval: "hourly", ...conversions } } }, { date: new Date(clock).toUTCString() }),
      ];
      expect(refused.map((r) => r.status)).toEqual([400, 429]);
      expect(refused.flatMap((r) => r.problems)).toEqual([]);
    });

    it("Query Metric Aggregates: a weekly count and a daily sum in a time zone (200)", async () => {
      const { account } = server;
      const unsubscribed = account.metrics.find((m) => m.name === "Unsubscribed")?.id as string;
      const placed = account.mappedMetrics.revenue.metricId;
      const queries = [
        { metric_id: unsubscribed, measurements: ["count"], interval: "week", timezone: "UTC", filter: ["greater-or-equal(datetime,2025-10-01T00:00:00.000Z)", "less-than(datetime,2026-02-01T00:00:00.000Z)"] },
        { metric_id: placed, measurements: ["count", "sum_value", "unique"], interval: "day", timezone: "America/New_York", filter: ["greater-or-equal(datetime,2025-11-28T00:00:00)", "less-than(datetime,2025-12-02T00:00:00)"] },
      ];
      const results = await Promise.all(queries.map((attributes) => exchange("POST", "/api/metric-aggregates", { data: { type: "metric-aggregate", attributes } })));
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      expect(results.flatMap((r) => r.problems)).toEqual([]);
    });

    it("writes: create list (201), add members (204), client endpoints (202)", async () => {
      const { account } = server;
      const created = await exchange("POST", "/api/lists", { data: { type: "list", attributes: { name: "BFCM 2025 first-time buyers" } } });
      expect(created.status).toBe(201);
      const listId = (created.body as { data: { id: string } }).data.id;
      const added = await exchange("POST", `/api/lists/${listId}/relationships/profiles`, { data: account.profiles.slice(0, 3).map((p) => ({ type: "profile", id: p.id })) });
      expect(added.status).toBe(204);
      const profile = { data: { type: "profile", attributes: { email: "conformance@example.com" } } };
      const client = [
        await exchange("POST", "/client/events?company_id=DemoCo", { data: { type: "event", attributes: { properties: { a: 1 }, metric: { data: { type: "metric", attributes: { name: "Hello World" } } }, profile } } }),
        await exchange("POST", "/client/event-bulk-create?company_id=DemoCo", { data: { type: "event-bulk-create", attributes: { profile, events: { data: [{ type: "event", attributes: { properties: {}, metric: { data: { type: "metric", attributes: { name: "Customer Review" } } }, unique_id: "r1" } }] } } } }),
        await exchange("POST", "/client/subscriptions?company_id=DemoCo", { data: { type: "subscription", attributes: { profile }, relationships: { list: { data: { type: "list", id: listId } } } } }),
        await exchange("POST", "/client/profiles?company_id=DemoCo", { data: { type: "profile", attributes: { email: "conformance@example.com", first_name: "Con", phone_number: "+12125550123" } } }),
        await exchange("POST", "/client/profiles?company_id=DemoCo", { data: { type: "profile", attributes: { email: "conformance@example.com", phone_number: "+11234567890" } } }),
        await exchange("POST", "/client/reviews?company_id=DemoCo", { data: { type: "review", attributes: { review_type: "review", email: "conformance@example.com", author: "Con F.", content: "Fits well.", rating: 4, product: { external_id: "7411200003", integration_key: "shopify" } } } }),
      ];
      expect(client.map((c) => c.status)).toEqual([202, 202, 202, 202, 202, 202]);
      expect([created, added, ...client].flatMap((r) => r.problems)).toEqual([]);
    });

    it("server-side writes and jobs (tools/standin/routes/): events, profiles, imports, consent, suppressions", async () => {
      const { account } = server;
      const profile = { data: { type: "profile", attributes: { email: "server-side@example.com" } } };
      const metric = (name: string) => ({ data: { type: "metric", attributes: { name } } });
      const event = { data: { type: "event", attributes: { properties: { OrderId: "1001" }, value: 9.99, value_currency: "USD", unique_id: "1001", backfill: false, time: "2026-11-19T10:00:00Z", metric: metric("Placed Order"), profile } } };
      const bulkEvents = { data: { type: "event-bulk-create-job", attributes: { "events-bulk-create": { data: [{ type: "event-bulk-create", attributes: { backfill: true, profile, events: { data: [{ type: "event", attributes: { properties: {}, unique_id: "900", time: "2025-03-01T10:00:00Z", metric: metric("Placed Order") } }] } } }] } } } };
      const imported = await exchange("POST", `/api/profile-import${q({ "additional-fields[profile]": "subscriptions" })}`, { data: { type: "profile", attributes: { email: "new-import@example.com", first_name: "Nia", properties: { tier: "gold" } } } });
      const reimported = await exchange("POST", "/api/profile-import", { data: { type: "profile", attributes: { email: "new-import@example.com", first_name: null } } });
      const target = account.profiles[1];
      const patched = await exchange("PATCH", `/api/profiles/${target.id}${q({ "fields[profile]": "email,phone_number" })}`, { data: { type: "profile", id: target.id, attributes: { phone_number: "+12025550143" } } });
      const listId = account.lists.find((l) => l.opt_in_process === "single_opt_in")?.id as string;
      const bulkImport = await exchange("POST", "/api/profile-bulk-import-jobs", { data: { type: "profile-bulk-import-job", attributes: { profiles: { data: [{ type: "profile", attributes: { email: "bulk1@example.com" } }, { type: "profile", attributes: { email: "not an email" } }] } }, relationships: { lists: { data: [{ type: "list", id: listId }] } } } });
      const jobId = (bulkImport.body as { data: { id: string } }).data.id;
      const polls = [
        await exchange("GET", `/api/profile-bulk-import-jobs/${jobId}`),
        await exchange("GET", `/api/profile-bulk-import-jobs/${jobId}${q({ include: "lists", "fields[list]": "name" })}`),
        await exchange("GET", `/api/profile-bulk-import-jobs/${jobId}/import-errors${q({ "page[size]": "100" })}`),
      ];
      const subscriber = (consent: Record<string, unknown>) => ({ type: "profile", attributes: { email: "consent@example.com", phone_number: "+12125550177", subscriptions: consent } });
      const subscribe = await exchange("POST", "/api/profile-subscription-bulk-create-jobs", { data: { type: "profile-subscription-bulk-create-job", attributes: { custom_source: "Checkout", historical_import: true, profiles: { data: [subscriber({ email: { marketing: { consent: "SUBSCRIBED", consented_at: "2024-05-01T09:00:00Z" } }, sms: { marketing: { consent: "SUBSCRIBED", consented_at: "2024-05-01T09:00:00Z" } } })] } }, relationships: { list: { data: { type: "list", id: listId } } } } });
      const unsubscribe = await exchange("POST", "/api/profile-subscription-bulk-delete-jobs", { data: { type: "profile-subscription-bulk-delete-job", attributes: { profiles: { data: [subscriber({ email: { marketing: { consent: "UNSUBSCRIBED" } } })] } }, relationships: { list: { data: { type: "list", id: listId } } } } });
      const suppress = await exchange("POST", "/api/profile-suppression-bulk-create-jobs", { data: { type: "profile-suppression-bulk-create-job", attributes: { profiles: { data: [{ type: "profile", attributes: { email: "consent@example.com" } }] } } } });
      const suppressJob = (suppress.body as { data: { id: string } }).data.id;
      const unsuppress = await exchange("POST", "/api/profile-suppression-bulk-delete-jobs", { data: { type: "profile-suppression-bulk-delete-job", attributes: { profiles: { data: [{ type: "profile", attributes: { email: "consent@example.com" } }] } } } });
      const unsuppressJob = (unsuppress.body as { data: { id: string } }).data.id;
      const results = [
        await exchange("POST", "/api/events", event),
        await exchange("POST", "/api/event-bulk-create-jobs", bulkEvents),
        imported, reimported, patched, bulkImport, ...polls, subscribe, unsubscribe, suppress, unsuppress,
        await exchange("GET", `/api/profile-suppression-bulk-create-jobs/${suppressJob}`),
        await exchange("GET", `/api/profile-suppression-bulk-delete-jobs/${unsuppressJob}`),
      ];
      expect(results.map((r) => r.status)).toEqual([202, 202, 201, 200, 200, 202, 200, 200, 200, 202, 202, 202, 202, 200, 200]);
      expect(results.flatMap((r) => r.problems)).toEqual([]);
      const refused = [
        await exchange("POST", "/api/events", { data: { type: "event", attributes: { properties: {}, backfill: "yes", metric: metric("Placed Order"), profile } } }),
        await exchange("POST", "/api/profile-import", { data: { type: "profile", attributes: { email: "not an email" } } }),
        await exchange("GET", "/api/profile-bulk-import-jobs/nope00"),
      ];
      expect(refused.map((r) => r.status)).toEqual([400, 400, 404]);
      // The first body breaks the spec on purpose (backfill must be boolean); its answer must still be a declared error.
      expect(refused.flatMap((r) => r.problems).filter((p) => !p.startsWith("request body"))).toEqual([]);
    });

    it("errors: 400 (phone, email, SMS region, missing field), 401, 404 and the demo 429 are declared error shapes", async () => {
      const bad = (attributes: Record<string, unknown>) => ({ data: { type: "profile", attributes } });
      const results = [
        await exchange("POST", "/client/profiles?company_id=DemoCo", bad({ phone_number: "+11234567890" })),
        await exchange("POST", "/client/profiles?company_id=DemoCo", bad({ email: "not an email" })),
        await exchange("POST", "/client/subscriptions?company_id=DemoCo", { data: { type: "subscription", attributes: { profile: { data: { type: "profile", attributes: { phone_number: "+14165550123", subscriptions: { sms: { marketing: { consent: "SUBSCRIBED" } } } } } } }, relationships: { list: { data: { type: "list", id: server.account.lists[0].id } } } } }),
        await exchange("POST", "/client/events?company_id=DemoCo", { data: { type: "event", attributes: { properties: {}, metric: { data: { type: "metric", attributes: { name: "Rate Limit Demo" } } }, profile: bad({ email: "rate@example.com" }) } } }),
        await exchange("GET", "/api/lists/nope00"),
        await exchange("GET", "/client/ip-allowlists/egress?company_id=DemoCo"),
      ];
      const res = await fetch(`${server.url}/api/profiles`, { headers: { revision: "2026-07-15" } });
      const unauthorized = spec.check({ method: "GET", path: "/api/profiles", status: res.status, responseBody: await res.json() });
      expect(results.map((r) => r.status)).toEqual([400, 400, 400, 429, 404, 404]);
      expect(res.status).toBe(401);
      // The phone/email bodies are spec-valid requests; the server refuses their content.
      expect([...results.flatMap((r) => r.problems), ...unauthorized]).toEqual([]);
    });
  });
});

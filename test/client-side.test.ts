import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  clientEvent,
  clientEventsBulk,
  clientHeaders,
  clientProfile,
  clientSubscription,
  createClientApi,
  describeResult,
  type ClientBulkEventInput,
  type ClientResult,
} from "../src/client-side";
import { formatApiErrors } from "../src/api-errors";
import { ValidationError, validateClientEventsBulk } from "../src/client-side/validation";

interface ReviewProperties {
  rating: 1 | 2 | 3 | 4 | 5;
  review_text: string | null;
  catalog_item_id: string;
}

const ANA = { email: "ana@example.com" };
const AT = new Date("2026-11-20T12:00:00.000Z");

describe("body builders produce the 2026-07-15 wire bodies", () => {
  it("clientEvent: metric and profile as relationships-style wrappers, snake_case, Date as ISO", () => {
    const body = clientEvent<ReviewProperties>({
      metric: "Customer Review",
      profile: { ...ANA, firstName: "Ana" },
      properties: { rating: 4, review_text: null, catalog_item_id: "SKU-1" },
      time: AT,
      value: 19.99,
      valueCurrency: "USD",
      uniqueId: "review-2",
    });
    expect(body).toStrictEqual({
      data: {
        type: "event",
        attributes: {
          properties: { rating: 4, review_text: null, catalog_item_id: "SKU-1" },
          time: "2026-11-20T12:00:00.000Z",
          value: 19.99,
          value_currency: "USD",
          unique_id: "review-2",
          metric: { data: { type: "metric", attributes: { name: "Customer Review" } } },
          profile: { data: { type: "profile", attributes: { email: "ana@example.com", first_name: "Ana" } } },
        },
      },
    });
  });

  it("clientEvent: a profile known only by id goes on data.id with empty attributes", () => {
    const body = clientEvent({ metric: "Hello World", profile: { id: "01HPROFILE" }, properties: {}, backfill: true });
    expect(body).toStrictEqual({
      data: {
        type: "event",
        attributes: {
          properties: {},
          backfill: true,
          metric: { data: { type: "metric", attributes: { name: "Hello World" } } },
          profile: { data: { type: "profile", id: "01HPROFILE", attributes: {} } },
        },
      },
    });
  });

  it("clientEventsBulk: one profile, events without profiles", () => {
    const body = clientEventsBulk({ phoneNumber: "+12015550123" }, [
      { metric: "Customer Review", properties: { rating: 5 }, uniqueId: "r1" },
      { metric: "Customer Review", properties: { rating: 3 }, uniqueId: "r2", time: "2026-11-20T12:00:00Z" },
    ]);
    expect(body).toStrictEqual({
      data: {
        type: "event-bulk-create",
        attributes: {
          profile: { data: { type: "profile", attributes: { phone_number: "+12015550123" } } },
          events: {
            data: [
              { type: "event", attributes: { properties: { rating: 5 }, unique_id: "r1", metric: { data: { type: "metric", attributes: { name: "Customer Review" } } } } },
              { type: "event", attributes: { properties: { rating: 3 }, time: "2026-11-20T12:00:00Z", unique_id: "r2", metric: { data: { type: "metric", attributes: { name: "Customer Review" } } } } },
            ],
          },
        },
      },
    });
  });

  it("clientEventsBulk builds any number of events: the 1000-event limit is checked once, by validation", () => {
    const events = Array.from({ length: 1001 }, (_, i) => ({ metric: "Viewed Product", properties: {}, uniqueId: `v${i}` }));
    expect(clientEventsBulk(ANA, events).data.attributes.events.data).toHaveLength(1001);
    const refusal = (() => {
      try {
        validateClientEventsBulk(ANA, events);
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).message).toContain("holds 1001 events; a request takes 1 to 1000. Split them into batches of at most 1000");
  });

  it("clientSubscription: profile inside attributes, list in relationships, no consent object unless asked", () => {
    expect(clientSubscription({ listId: "Y6nRLr", profile: ANA })).toStrictEqual({
      data: {
        type: "subscription",
        attributes: { profile: { data: { type: "profile", attributes: { email: "ana@example.com" } } } },
        relationships: { list: { data: { type: "list", id: "Y6nRLr" } } },
      },
    });
  });

  it("clientSubscription: consent shorthand and per-type consent map to SubscriptionChannels", () => {
    const body = clientSubscription({
      listId: "Y6nRLr",
      profile: { ...ANA, phoneNumber: "+12015550123" },
      consent: { email: "SUBSCRIBED", sms: { marketing: "SUBSCRIBED", transactional: "SUBSCRIBED" } },
      customSource: "Footer sign-up form",
    });
    expect(body).toStrictEqual({
      data: {
        type: "subscription",
        attributes: {
          custom_source: "Footer sign-up form",
          profile: {
            data: {
              type: "profile",
              attributes: {
                email: "ana@example.com",
                phone_number: "+12015550123",
                subscriptions: {
                  email: { marketing: { consent: "SUBSCRIBED" } },
                  sms: { marketing: { consent: "SUBSCRIBED" }, transactional: { consent: "SUBSCRIBED" } },
                },
              },
            },
          },
        },
        relationships: { list: { data: { type: "list", id: "Y6nRLr" } } },
      },
    });
  });

  it("clientProfile: identifiers and names as attributes, location and properties passed through", () => {
    const body = clientProfile({
      email: "new@example.com",
      externalId: "crm-7",
      anonymousId: "anon-1",
      kx: "kx-token",
      firstName: "New",
      lastName: "Test",
      location: { city: "Boston", country: "United States", latitude: 42.36 },
      properties: { favorite_color: "blue" },
    });
    expect(body).toStrictEqual({
      data: {
        type: "profile",
        attributes: {
          email: "new@example.com",
          external_id: "crm-7",
          anonymous_id: "anon-1",
          _kx: "kx-token",
          first_name: "New",
          last_name: "Test",
          location: { city: "Boston", country: "United States", latitude: 42.36 },
          properties: { favorite_color: "blue" },
        },
      },
    });
  });
});

/** Compile-time contract: checked by `npm run typecheck`; never called. */
export function typeContract(): void {
  clientEvent<ReviewProperties>({
    metric: "Customer Review",
    profile: ANA,
    // @ts-expect-error a rating of 6 is outside ReviewProperties
    properties: { rating: 6, review_text: null, catalog_item_id: "SKU-1" },
  });
  const bulk: ClientBulkEventInput<ReviewProperties>[] = [
    // @ts-expect-error catalog_item_id is required by ReviewProperties
    { metric: "Customer Review", properties: { rating: 5, review_text: "ok" } },
  ];
  void bulk;
  const r = {} as ClientResult;
  if (r.outcome === "accepted") {
    const nothing: undefined = r.body;
    void nothing;
  } else if (r.outcome === "rejected") {
    void r.errors[0]?.detail;
  }
  // @ts-expect-error the SDK-style camelCase key does not exist on the input
  clientProfile({ phone_number: "+12015550123" });
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

describe("createClientApi against a local server", () => {
  let server: Server;
  let baseUrl = "";
  const seen: Seen[] = [];
  let replies: Reply[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
        const reply = replies.shift() ?? { status: 202 };
        res.writeHead(reply.status, reply.headers ?? {});
        res.end(reply.body ?? "");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    seen.length = 0;
    replies = [];
  });

  const client = () => createClientApi({ baseUrl, publicKey: "Demo Co", revision: "2026-07-15" });

  it("POSTs to /client/events with company_id, JSON:API headers, no Authorization; 202 is accepted with an undefined body", async () => {
    const event = { metric: "Hello World", profile: ANA, properties: { greeting: "hi" }, time: AT };
    const result = await client().createEvent(event);
    expect(result).toStrictEqual({ status: 202, outcome: "accepted", body: undefined, attempts: [{ status: 202 }] });
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/client/events?company_id=Demo%20Co");
    expect(req?.headers.revision).toBe("2026-07-15");
    expect(req?.headers["content-type"]).toBe("application/vnd.api+json");
    expect(req?.headers.accept).toBe("application/vnd.api+json");
    expect(req?.headers.authorization).toBeUndefined();
    expect(JSON.parse(req?.body ?? "")).toStrictEqual(clientEvent(event));
  });

  it("each method uses its endpoint", async () => {
    const c = client();
    await c.createEvents(ANA, [{ metric: "Viewed Product", properties: {}, uniqueId: "v1" }]);
    await c.subscribe({ listId: "Y6nRLr", profile: ANA });
    await c.upsertProfile({ ...ANA, firstName: "Ana" });
    await c.send("/client/profiles", { data: { type: "profile", attributes: ANA } });
    expect(seen.map((s) => s.url.split("?")[0])).toStrictEqual(["/client/event-bulk-create", "/client/subscriptions", "/client/profiles", "/client/profiles"]);
    expect(JSON.parse(seen[2]?.body ?? "")).toStrictEqual(clientProfile({ ...ANA, firstName: "Ana" }));
  });

  it("a 202 flagged with X-Klaviyo-Partial-Failure is accepted and names the ignored fields", async () => {
    replies = [{ status: 202, headers: { "x-klaviyo-partial-failure": "phone_number" } }];
    const result = await client().upsertProfile({ ...ANA, phoneNumber: "+11234567890" }, { validate: false });
    expect(result).toStrictEqual({ status: 202, outcome: "accepted", body: undefined, attempts: [{ status: 202 }], partialFailure: ["phone_number"] });
    expect(describeResult(result)).toBe("202 Accepted (empty body: the request is queued); ignored: phone_number (X-Klaviyo-Partial-Failure)");
  });

  it("createReview POSTs the Klaviyo Reviews body to /client/reviews", async () => {
    const review = { reviewType: "review" as const, email: "ana@example.com", author: "Ana P.", content: "Warm.", rating: 5 as const, product: { externalId: "7411200003", integration: "shopify" as const }, orderId: "1001" };
    await client().createReview(review);
    expect(seen[0]?.url).toBe("/client/reviews?company_id=Demo%20Co");
    expect(JSON.parse(seen[0]?.body ?? "")).toStrictEqual({
      data: {
        type: "review",
        attributes: { review_type: "review", email: "ana@example.com", author: "Ana P.", content: "Warm.", rating: 5, product: { external_id: "7411200003", integration_key: "shopify" } },
        relationships: { order: { data: { type: "order", id: "1001" } } },
      },
    });
  });

  it("a 400 becomes the parsed errors[], formatted readably", async () => {
    replies = [{
      status: 400,
      headers: { "content-type": "application/vnd.api+json" },
      body: JSON.stringify({ errors: [{ id: "e1", status: 400, code: "invalid", title: "Invalid input.", detail: "Invalid phone number format", source: { pointer: "/data/attributes/phone_number" }, meta: {} }] }),
    }];
    const result = await client().upsertProfile({ phoneNumber: "+11234567890" }, { validate: false });
    expect(result.outcome).toBe("rejected");
    if (result.outcome !== "rejected") return;
    expect(result.status).toBe(400);
    expect(result.errors).toStrictEqual([{ id: "e1", status: 400, code: "invalid", title: "Invalid input.", detail: "Invalid phone number format", source: { pointer: "/data/attributes/phone_number" }, meta: {} }]);
    expect(formatApiErrors(result.errors, result.status)).toBe("400 invalid — Invalid input.: Invalid phone number format (at /data/attributes/phone_number)");
  });

  it("a non-JSON error body becomes one synthesized error that quotes it", async () => {
    replies = [{ status: 502, headers: { "content-type": "text/html" }, body: "<html><h1>Bad Gateway</h1></html>" }];
    const result = await client().send("/client/events", "{}");
    expect(result.outcome).toBe("rejected");
    if (result.outcome !== "rejected") return;
    expect(result.status).toBe(502);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.code).toBe("unparsed_error_body");
    expect(result.errors[0]?.detail).toContain("text/html");
    expect(result.errors[0]?.detail).toContain("Bad Gateway");
  });

  it("send() passes a string body through verbatim (the malformed-JSON lesson)", async () => {
    replies = [{ status: 400, body: JSON.stringify({ errors: [{ id: "e2", code: "parse_error", title: "Malformed request.", detail: "JSON parse error" }] }) }];
    const result = await client().send("/client/events", '{"data": "not closed"');
    expect(seen[0]?.body).toBe('{"data": "not closed"');
    expect(result.outcome !== "rejected" ? "" : formatApiErrors(result.errors, result.status)).toBe("400 parse_error — Malformed request.: JSON parse error");
  });

  it("a 2xx other than 202 is not reported as accepted", async () => {
    replies = [{ status: 200, body: "<html>login</html>" }];
    const result = await client().createEvent({ metric: "Hello World", profile: ANA, properties: {} });
    expect(result.outcome).toBe("rejected");
    if (result.outcome === "rejected") expect(result.errors[0]?.code).toBe("unexpected_status");
  });

  it("a 429 is retried after Retry-After and the attempts are reported", async () => {
    replies = [{ status: 429, headers: { "retry-after": "0" }, body: JSON.stringify({ errors: [{ id: "t", code: "throttled", title: "Request was throttled.", detail: "Try again." }] }) }, { status: 202 }];
    const result = await client().createEvent({ metric: "Hello World", profile: ANA, properties: {} });
    expect(result).toStrictEqual({ status: 202, outcome: "accepted", body: undefined, attempts: [{ status: 429, waitedMs: 0, reason: "retry-after" }, { status: 202 }] });
    expect(seen).toHaveLength(2);
  });

  it("invalid input is refused before sending, naming the field; validate:false sends it anyway", async () => {
    const bad = { phoneNumber: "+11234567890" };
    await expect(client().upsertProfile(bad)).rejects.toThrow(/phone_number = "\+11234567890": cannot be a real number: .*no area code 123/);
    expect(seen).toHaveLength(0);
    await client().upsertProfile(bad, { validate: false });
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]?.body ?? "")).toStrictEqual({ data: { type: "profile", attributes: { phone_number: "+11234567890" } } });
  });

  it("each method validates its own input", async () => {
    const c = client();
    await expect(c.createEvent({ metric: "x".repeat(128), profile: ANA, properties: {} })).rejects.toThrow(ValidationError);
    await expect(c.createEvents({}, [{ metric: "A", properties: {} }])).rejects.toThrow(/profile = \{\}: has no identifier/);
    await expect(c.subscribe({ listId: "", profile: { email: "ana example.com" } })).rejects.toThrow(/list\.id/);
    expect(seen).toHaveLength(0);
  });

  it("send() needs a path", async () => {
    await expect(client().send("client/events", {})).rejects.toThrow(/starting with "\/"/);
  });

  it("clientHeaders carries no Authorization", () => {
    expect(clientHeaders("2026-07-15")).toStrictEqual({ revision: "2026-07-15", "Content-Type": "application/vnd.api+json", Accept: "application/vnd.api+json" });
  });
});

describe("describeResult", () => {
  it("says 202 and the empty body, or the formatted errors, with the retries when there were any", () => {
    expect(describeResult({ status: 202, outcome: "accepted", body: undefined, attempts: [{ status: 202 }] })).toBe("202 Accepted (empty body: the request is queued)");
    expect(
      describeResult({ status: 202, outcome: "accepted", body: undefined, attempts: [{ status: 429, waitedMs: 1000, reason: "retry-after" }, { status: 202 }] }),
    ).toBe("202 Accepted (empty body: the request is queued) after 429 → waited 1 s (Retry-After) → 202");
    const rejected = describeResult({
      status: 400,
      outcome: "rejected",
      errors: [{ id: "e", code: "invalid", title: "Invalid input.", detail: "Invalid email address", source: { pointer: "/data/attributes/email" } }],
      attempts: [{ status: 400 }],
    });
    expect(rejected).toBe("400 invalid — Invalid input.: Invalid email address (at /data/attributes/email)");
  });
});

/**
 * The builders' bodies, sent as the requester sends them (POST, `company_id` query, 202 with no
 * body), checked against Klaviyo's OpenAPI document (its committed subset) with the shared
 * validator in test/support/openapi.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clientEvent, clientEventsBulk, clientProfile, clientReview, clientSubscription } from "../src/client-side";
import { MAX_BULK_EVENTS, MAX_METRIC_NAME_LENGTH } from "../src/client-side/validation";
import { OPENAPI_SUBSET } from "../tools/paths";
import type { SpecSubset } from "../tools/spec/derive";
import { specValidator } from "./support/openapi";

const spec = specValidator();
/** Problems the spec finds with this body POSTed to `path` and answered 202 with no body. */
const problems = (path: string, body: unknown) => spec.check({ method: "POST", path: `${path}?company_id=DemoCo`, requestBody: body, status: 202 });
const profile = { email: "ana@example.com", phoneNumber: "+12015550123", firstName: "Ana", location: { city: "Boston", latitude: 42.36 }, properties: { favorite_color: "blue" } };

describe("client-side bodies against the OpenAPI spec", () => {
  it("POST /client/events: EventCreateQueryV2", () => {
    expect(spec.operationId("POST", "/client/events")).toBe("create_client_event");
    expect(problems("/client/events", clientEvent({ metric: "Customer Review", profile, properties: { rating: 5, review_text: null }, time: new Date("2026-11-20T12:00:00Z"), value: 19.99, valueCurrency: "USD", uniqueId: "r1", backfill: false }))).toStrictEqual([]);
    expect(problems("/client/events", clientEvent({ metric: "Hello World", profile: { id: "01HPROFILE" }, properties: {} }))).toStrictEqual([]);
    // The check is not vacuous: the same body without its metric is refused.
    const body = clientEvent({ metric: "Hello World", profile, properties: {} });
    const { metric: _metric, ...withoutMetric } = body.data.attributes;
    expect(problems("/client/events", { data: { ...body.data, attributes: withoutMetric } })).not.toStrictEqual([]);
  });

  it("POST /client/event-bulk-create: EventsBulkCreateQuery", () => {
    expect(spec.operationId("POST", "/client/event-bulk-create")).toBe("bulk_create_client_events");
    const body = clientEventsBulk(profile, [{ metric: "Customer Review", properties: { rating: 4 }, uniqueId: "r1" }, { metric: "Viewed Product", properties: {}, time: "2026-11-20T12:00:00Z", value: 3 }]);
    expect(problems("/client/event-bulk-create", body)).toStrictEqual([]);
    expect(problems("/client/event-bulk-create", { data: { type: "event", attributes: {} } })).not.toStrictEqual([]);
  });

  it("POST /client/subscriptions: OnsiteSubscriptionCreateQuery", () => {
    expect(spec.operationId("POST", "/client/subscriptions")).toBe("create_client_subscription");
    expect(problems("/client/subscriptions", clientSubscription({ listId: "Y6nRLr", profile: { email: "ana@example.com" } }))).toStrictEqual([]);
    const full = clientSubscription({ listId: "Y6nRLr", profile, consent: { email: { marketing: "SUBSCRIBED", openTracking: "SUBSCRIBED" }, sms: { transactional: "SUBSCRIBED" }, whatsapp: "SUBSCRIBED" }, customSource: "Footer" });
    expect(problems("/client/subscriptions", full)).toStrictEqual([]);
    expect(problems("/client/subscriptions", { data: { type: full.data.type, attributes: full.data.attributes } })).not.toStrictEqual([]);
  });

  it("POST /client/profiles: OnsiteProfileCreateQuery", () => {
    expect(spec.operationId("POST", "/client/profiles")).toBe("create_client_profile");
    expect(problems("/client/profiles", clientProfile({ ...profile, externalId: "crm-7", anonymousId: "a1", kx: "k" }))).toStrictEqual([]);
    expect(problems("/client/profiles", { data: { type: "profiles", attributes: {} } })).not.toStrictEqual([]);
  });

  it("POST /client/reviews: ReviewCreateDTO", () => {
    expect(spec.operationId("POST", "/client/reviews")).toBe("create_client_review");
    const review = clientReview({ reviewType: "review", email: "ana@example.com", author: "Ana P.", content: "Warm and light.", rating: 5, title: "Great jacket", product: { externalId: "7411200003", integration: "shopify" }, orderId: "1001" });
    expect(problems("/client/reviews", review)).toStrictEqual([]);
    expect(problems("/client/reviews", clientReview({ reviewType: "store", email: "ana@example.com", author: "Ana P.", content: "Fast shipping." }))).toStrictEqual([]);
    const { content: _content, ...withoutContent } = review.data.attributes;
    expect(problems("/client/reviews", { data: { ...review.data, attributes: withoutContent } })).not.toStrictEqual([]);
  });

  it("the limits the validation enforces are the spec's (stated in its prose, derived as numbers)", () => {
    const { limits } = JSON.parse(readFileSync(OPENAPI_SUBSET, "utf8")) as SpecSubset;
    expect(limits).toEqual({ metricNameMaxLength: MAX_METRIC_NAME_LENGTH, bulkCreateClientEventsMaxEvents: MAX_BULK_EVENTS });
  });
});

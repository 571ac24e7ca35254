/**
 * tools/spec: the derivation on a small document of our own (facts kept, prose left out, the
 * output stable), and the committed files: every operation the fixtures, guides and stand-in use is
 * in them, and, where Klaviyo's document is on the machine, they are exactly what it gives.
 */
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { GUIDE_OPERATIONS } from "../../../src/guide-operations";
import { OPERATIONS } from "../../../src/operations";
import { OPENAPI_DOCUMENT, skipWithout } from "../../../test/support/requirements";
import { derive, stableJson, type JsonObject, type OpenApiDocument, type SpecSubset } from "../derive";
import { routeFinder } from "../match";
import { STANDIN_OPERATIONS, derivedFiles, findDocument, fixtureRequests, operationsOf, readDocument } from "../project";
import { OPENAPI_SUBSET } from "../../paths";

/** A document shaped like Klaviyo's, with prose everywhere the real one has it. */
function smallDocument(): OpenApiDocument {
  return {
    openapi: "3.0.2",
    info: { version: "2026-07-15" },
    paths: {
      "/api/lists/{id}": {
        get: {
          operationId: "get_list",
          summary: "Get List",
          description: "Get a list with the given list ID.",
          tags: ["Lists"],
          parameters: [
            { name: "id", in: "path", required: true, description: "Primary key", schema: { type: "string", description: "id", example: "Y6nRLr" } },
            { name: "fields[list]", in: "query", required: false, explode: false, description: "Sparse fieldsets", schema: { type: "array", items: { type: "string", enum: ["name", "created"] } } },
          ],
          responses: {
            "200": { description: "Success", content: { "application/vnd.api+json": { schema: { $ref: "#/components/schemas/GetListResponse" } } } },
            "4XX": { $ref: "#/components/responses/ClientError" },
          },
          "x-klaviyo-scopes": ["lists:read"],
          "x-klaviyo-ratelimit": { burst: "75/s", steady: "750/m" },
          "x-klaviyo-pre-release": "None",
        },
      },
      "/api/lists": {
        post: {
          operationId: "create_list",
          description: "Create a new list.",
          parameters: [],
          requestBody: { description: "The list", required: true, content: { "application/vnd.api+json": { schema: { $ref: "#/components/schemas/ListCreateQuery" } } } },
          responses: { "201": { description: "Created", content: { "application/vnd.api+json": { schema: { $ref: "#/components/schemas/GetListResponse" } } } } },
          "x-klaviyo-scopes": ["lists:write"],
          "x-klaviyo-ratelimit": { burst: "10/s", steady: "150/m", daily: "150/d" },
        },
        get: { operationId: "get_lists", parameters: [], responses: {}, "x-klaviyo-scopes": ["lists:read"], "x-klaviyo-ratelimit": { burst: "75/s", steady: "750/m" } },
      },
      // Where the limits stated only in prose are (see PROSE_LIMITS).
      "/client/event-bulk-create": { post: { operationId: "bulk_create_client_events", description: "Accepts a maximum of `1000` events per request.", responses: {} } },
    },
    components: {
      schemas: {
        GetListResponse: { type: "object", required: ["data"], properties: { data: { $ref: "#/components/schemas/List" } } },
        // A property called "description" is data, and stays; the keyword of that name does not.
        List: { type: "object", description: "A list", properties: { description: { type: "string", nullable: true, description: "What the list is for", example: "VIPs" }, name: { type: "string", example: "Newsletter" } } },
        ListCreateQuery: { type: "object", properties: { name: { type: "string", maxLength: 128 } }, "x-internal": true },
        Unused: { type: "string" },
        MetricCreateQueryResourceObject: { type: "object", properties: { attributes: { type: "object", properties: { name: { type: "string", description: "Must be less than 128 characters." } } } } },
      },
      responses: { ClientError: { description: "Client Error", content: { "application/vnd.api+json": { schema: { type: "object", required: ["errors"], properties: { errors: { type: "array" } } } } } } },
    },
  } as unknown as OpenApiDocument;
}

describe("derive", () => {
  it("keeps method, path, scopes, rate limits, parameters, bodies, statuses and referenced schemas; leaves prose and examples out", () => {
    const { facts, subset } = derive(smallDocument(), ["get_list", "create_list"]);
    expect(facts).toEqual({
      create_list: { method: "POST", path: "/api/lists", scopes: ["lists:write"], rateLimit: { burstPerSecond: 10, steadyPerMinute: 150, perDay: 150 } },
      get_list: { method: "GET", path: "/api/lists/{id}", scopes: ["lists:read"], rateLimit: { burstPerSecond: 75, steadyPerMinute: 750 } },
    });
    expect(subset.operations.get_list).toEqual({
      parameters: [
        { name: "id", in: "path", required: true, schema: { type: "string" } },
        { name: "fields[list]", in: "query", required: false, explode: false, schema: { type: "array", items: { type: "string", enum: ["name", "created"] } } },
      ],
      responses: {
        "200": { content: { "application/vnd.api+json": { schema: { $ref: "#/components/schemas/GetListResponse" } } } },
        "4XX": { $ref: "#/components/responses/ClientError" },
      },
    });
    expect(subset.operations.create_list.requestBody).toEqual({ required: true, content: { "application/vnd.api+json": { schema: { $ref: "#/components/schemas/ListCreateQuery" } } } });
    expect(subset.components).toEqual({
      schemas: {
        GetListResponse: { type: "object", required: ["data"], properties: { data: { $ref: "#/components/schemas/List" } } },
        List: { type: "object", properties: { description: { type: "string", nullable: true }, name: { type: "string" } } },
        ListCreateQuery: { type: "object", properties: { name: { type: "string", maxLength: 128 } } },
      },
      responses: { ClientError: { content: { "application/vnd.api+json": { schema: { type: "object", required: ["errors"], properties: { errors: { type: "array" } } } } } } },
    });
    expect(subset.limits).toEqual({ bulkCreateClientEventsMaxEvents: 1000, metricNameMaxLength: 127 });
    expect(subset.source).toEqual({ openapi: "3.0.2", version: "2026-07-15" });
    expect(JSON.stringify(subset.operations)).not.toMatch(/Primary key|Sparse|Success|"example"|"summary"/);
  });

  it("stops on a keyword it neither keeps nor knows as prose, on a missing operation and on an unreadable rate limit", () => {
    const doc = smallDocument();
    (doc.components.schemas.List as JsonObject).patternProperties = {};
    expect(() => derive(doc, ["get_list"])).toThrow(/#\/components\/schemas\/List: 'patternProperties' is neither a fact tools\/spec keeps nor prose/);
    expect(() => derive(smallDocument(), ["get_lists", "get_nothing"])).toThrow(/Operation get_nothing is not in Klaviyo's OpenAPI document/);
    const odd = smallDocument();
    odd.paths["/api/lists"].get["x-klaviyo-ratelimit"] = { burst: "75 per second", steady: "750/m" };
    expect(() => derive(odd, ["get_lists"])).toThrow(/get_lists: x-klaviyo-ratelimit.burst is "75 per second", not "N\/s"/);
  });

  it("finds the consent channels a request body accepts under `subscriptions`, through $refs, and none where it has no consent", () => {
    const doc = smallDocument();
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    doc.paths["/api/profile-subscription-bulk-create-jobs"] = {
      post: {
        operationId: "bulk_subscribe_profiles",
        requestBody: { required: true, content: { "application/vnd.api+json": { schema: ref("SubscribeQuery") } } },
        responses: {},
        "x-klaviyo-scopes": ["subscriptions:write"],
        "x-klaviyo-ratelimit": { burst: "75/s", steady: "750/m" },
      },
    };
    Object.assign(doc.components.schemas, {
      SubscribeQuery: { type: "object", properties: { data: { type: "object", properties: { attributes: { type: "object", properties: { subscriptions: { ...ref("SubscriptionChannels"), description: "Channels" } } } } } } },
      SubscriptionChannels: { type: "object", properties: { sms: { ...ref("SMSParameters"), nullable: true }, push: ref("PushParameters") } },
      SMSParameters: { type: "object", properties: { marketing: ref("Consent"), transactional: ref("Consent") } },
      PushParameters: { type: "object", required: ["marketing"], properties: { marketing: ref("Consent"), tokens: { type: "array", items: { type: "string" } } } },
      Consent: { type: "object", required: ["consent"], properties: { consent: { type: "string", enum: ["SUBSCRIBED"] } } },
    });
    const { consentChannels } = derive(doc, ["bulk_subscribe_profiles", "create_list", "get_list"]);
    expect(consentChannels).toEqual({
      bulk_subscribe_profiles: {
        sms: { consent: ["marketing", "transactional"], other: [], required: [] },
        push: { consent: ["marketing"], other: ["tokens"], required: ["marketing"] },
      },
    });
  });

  it("writes JSON with sorted keys, spread down to the depth asked", () => {
    expect(stableJson({ b: { d: [2, { z: 1, y: 2 }], c: 1 }, a: 0 }, 1)).toBe('{\n  "a": 0,\n  "b": {"c":1,"d":[2,{"y":2,"z":1}]}\n}');
    expect(stableJson({ b: 1, a: { c: 2 } }, 2)).toBe(stableJson({ a: { c: 2 }, b: 1 }, 2));
  });
});

describe("the committed facts and shapes", () => {
  const subset = JSON.parse(readFileSync(OPENAPI_SUBSET, "utf8")) as SpecSubset;

  it("hold every operation a fixture records", () => {
    const requests = fixtureRequests();
    expect(requests.length).toBeGreaterThan(0);
    const routes = Object.entries(OPERATIONS).map(([id, { method, path }]) => ({ method, template: path, value: id }));
    const found = operationsOf(requests, routes);
    const missing = requests.filter((_, i) => found[i] === undefined || !(found[i] as string in subset.operations)).map((r) => `data/${r.file}: ${r.method} ${r.path}`);
    expect(missing, "recorded requests no committed operation serves: run npm run spec and commit the result").toEqual([]);
  });

  it("hold every guide operation (RATE_LIMITS) and every operation only the stand-in serves, in both files", () => {
    for (const id of [...GUIDE_OPERATIONS, ...STANDIN_OPERATIONS]) expect(Object.keys(OPERATIONS), id).toContain(id);
    expect(Object.keys(subset.operations)).toEqual(Object.keys(OPERATIONS));
  });

  it("tell apart operations on one path by method, and a fixed path from a templated one", () => {
    const find = routeFinder(Object.entries(OPERATIONS).map(([id, { method, path }]) => ({ method, template: path, value: id })));
    expect(find("PATCH", "/api/profiles/01ABC")?.route.value).toBe("update_profile");
    expect(find("GET", "/api/profiles/01ABC/")?.route.value).toBe("get_profile");
    expect(find("GET", "/api/lists/Y6nRLr/relationships/profiles")?.route.value).toBe("get_profile_ids_for_list");
    expect(find("DELETE", "/api/lists/Y6nRLr")).toBeUndefined();
  });

  describe("against Klaviyo's OpenAPI document", () => {
    beforeEach((context) => skipWithout(context, OPENAPI_DOCUMENT));

    it("are exactly what npm run spec derives from it", () => {
      const files = derivedFiles(readDocument(findDocument() as string));
      for (const { path, text } of files) expect(readFileSync(path, "utf8"), `${path} is stale: run npm run spec and commit the result`).toBe(text);
    });
  });
});

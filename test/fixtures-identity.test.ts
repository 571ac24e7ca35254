import { parse as parseQuery } from "node:querystring";
import { describe, expect, it } from "vitest";
import { bodyIdentity, interactionKey, queryIdentity, requestIdentity } from "../src/fixtures/identity";
import { toInteraction } from "../src/fixtures/record";

const request = {
  method: "post",
  url: "http://127.0.0.1:9/client/events?company_id=DemoCo&filter=equals(email,%22sam.real@gmail.com%22)",
  headers: { authorization: "Klaviyo-API-Key pk_secret" },
  body: { data: { type: "event", attributes: { profile: { email: "sam.real@gmail.com" }, value: 1 } } },
};

describe("one request identity for record and replay", () => {
  it("gives a recorded interaction and the request it came from the same identity", () => {
    const recorded = toInteraction({ request, status: 202, headers: {}, response: "" });
    expect(recorded.path).not.toContain("sam.real"); // recording scrubbed it
    const url = new URL(request.url);
    const outgoing = requestIdentity({ method: request.method, path: url.pathname + url.search, body: request.body });
    expect(requestIdentity(recorded)).toEqual(outgoing);
    // The parts replay's interceptors compare, computed from what nock hands them.
    expect(queryIdentity(parseQuery(url.search.slice(1)))).toBe(outgoing.query);
    expect(bodyIdentity(JSON.parse(JSON.stringify(request.body)))).toBe(outgoing.body);
  });

  it("ignores query order, query encoding, body key order and method case; not values", () => {
    const a = interactionKey({ method: "GET", path: "/api/events?page%5Bsize%5D=5&sort=datetime", body: "" });
    expect(interactionKey({ method: "get", path: "/api/events?sort=datetime&page[size]=5", body: undefined })).toBe(a);
    expect(interactionKey({ method: "GET", path: "/api/events?sort=-datetime&page%5Bsize%5D=5", body: "" })).not.toBe(a);
    expect(interactionKey({ method: "POST", path: "/x", body: { a: 1, b: 2 } })).toBe(interactionKey({ method: "POST", path: "/x", body: { b: 2, a: 1 } }));
    expect(interactionKey({ method: "POST", path: "/x", body: { a: 1 } })).not.toBe(interactionKey({ method: "POST", path: "/x", body: { a: 2 } }));
  });
});

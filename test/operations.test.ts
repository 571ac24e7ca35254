/** Finding the operation a request was for (src/operations.ts), which a 403's line names with its scopes, and the scopes of several. */
import { describe, expect, it } from "vitest";
import { OPERATIONS, operationFor, scopesFor, type OperationId } from "../src/operations";

describe("operationFor", () => {
  it("finds every operation from its own method and path, ids filled in, with or without origin, query or trailing slash", () => {
    for (const [id, { method, path }] of Object.entries(OPERATIONS) as [OperationId, (typeof OPERATIONS)[OperationId]][]) {
      const filled = path.replace(/\{[^}]+\}/g, "Xy12Ab");
      expect(operationFor(method, filled), `${method} ${filled}`).toBe(id);
      expect(operationFor(method.toLowerCase(), `https://a.klaviyo.com${filled}/?page%5Bsize%5D=10`), `${method} ${filled}/?…`).toBe(id);
    }
  });

  it("tells a collection from one of its records and from a record's relationship", () => {
    expect(operationFor("GET", "/api/lists")).toBe("get_lists");
    expect(operationFor("GET", "/api/lists/L1")).toBe("get_list");
    expect(operationFor("GET", "/api/lists/L1/profiles")).toBe("get_profiles_for_list");
    expect(operationFor("GET", "/api/lists/L1/relationships/profiles")).toBe("get_profile_ids_for_list");
    expect(operationFor("GET", "/api/mapped-metrics/revenue")).toBe("get_mapped_metric");
  });

  it("knows nothing of a request this project does not make, or of a method the path does not take", () => {
    expect(operationFor("GET", "/api/accounts")).toBeUndefined();
    expect(operationFor("DELETE", "/api/lists/L1")).toBeUndefined();
    expect(operationFor("GET", "not a url at all ::")).toBeUndefined();
  });
});

describe("scopesFor", () => {
  it("joins the spec's scopes of several operations, writes first, each once", () => {
    expect(scopesFor(["bulk_suppress_profiles", "get_bulk_suppress_profiles_job", "get_profiles", "get_profiles_for_list"])).toEqual({
      write: ["profiles:write", "subscriptions:write"],
      read: ["lists:read", "profiles:read", "subscriptions:read"],
    });
    expect(scopesFor(["get_events"])).toEqual({ write: [], read: ["events:read"] });
    expect(scopesFor(["create_event", "bulk_create_events"])).toEqual({ write: ["events:write"], read: [] });
  });
});

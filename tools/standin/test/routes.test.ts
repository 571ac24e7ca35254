/**
 * The stand-in's one route table (tools/standin/routes.ts): how a request finds its route, and
 * that every route is the spec's operation by name, method and path and declares only query
 * parameters the spec declares for it (what a fault layer keyed by operation
 * id, and the rate limits, rely on). The rate-limit model is checked here as a unit.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../../src/operations";
import { OPENAPI_SUBSET } from "../../paths";
import { RateLimitWindows } from "../http/rate-limits";
import { RouteTable } from "../http/route";
import type { Route } from "../http/route";
import { ROUTES } from "../routes";

const route = (operation: string, method: Route["method"], path: string, extra: Partial<Route> = {}): Route => ({
  operation,
  method,
  path,
  query: {},
  handle: () => ({ status: 200 }),
  ...extra,
});

describe("the route table", () => {
  const table = new RouteTable([
    route("get_list", "GET", "/api/lists/{id}"),
    route("get_bulk_import_profiles_job", "GET", "/api/profile-bulk-import-jobs/{job_id}"),
    route("get_errors_for_bulk_import_profiles_job", "GET", "/api/profile-bulk-import-jobs/{id}/import-errors"),
  ]);

  it("finds a request's route with or without a trailing slash, its path values named as in the template", () => {
    const found = table.match("GET", "/api/lists/Y6nRLr/");
    expect(found).toMatchObject({ route: { operation: "get_list" }, params: { id: "Y6nRLr" } });
    expect(table.match("GET", "/api/profile-bulk-import-jobs/J1")).toMatchObject({ params: { job_id: "J1" } });
    expect(table.match("GET", "/api/profile-bulk-import-jobs/J1/import-errors")).toMatchObject({ params: { id: "J1" } });
  });

  it("tells an unknown path (404) from a known path with another method (405)", () => {
    expect(table.match("GET", "/api/lists/Y6nRLr/tags")).toBe("no such path");
    expect(table.match("DELETE", "/api/lists/Y6nRLr")).toBe("method not allowed");
  });

  it("refuses two routes for the same method and path", () => {
    expect(() => new RouteTable([route("get_list", "GET", "/api/lists/{id}"), route("get_list_again", "GET", "/api/lists/{id}")])).toThrow(
      /Two stand-in routes answer GET \/api\/lists\/\{id\}/,
    );
  });

  it("holds every operation once, by a unique operation id", () => {
    expect(() => new RouteTable(ROUTES)).not.toThrow();
    expect(new Set(ROUTES.map((r) => r.operation)).size).toBe(ROUTES.length);
  });
});

describe("the rate-limit model", () => {
  it("reports a fresh window on a successful answer of a `fresh` operation, and none on a refusal", () => {
    const windows = new RateLimitWindows();
    const lists = route("get_lists", "GET", "/api/lists");
    expect(windows.headers(lists, 200)).toEqual({ "RateLimit-Limit": "750", "RateLimit-Remaining": "749", "RateLimit-Reset": "60" });
    expect(windows.headers(lists, 200)["RateLimit-Remaining"]).toBe("749");
    expect(windows.headers(lists, 400)).toEqual({});
  });

  it("counts every answer of a `running` operation down, refusals included, per operation", () => {
    const windows = new RateLimitWindows();
    const events = route("create_event", "POST", "/api/events", { rateLimitWindow: "running" });
    const profiles = route("create_or_update_profile", "POST", "/api/profile-import", { rateLimitWindow: "running" });
    expect([200, 400, 202].map((status) => windows.headers(events, status)["RateLimit-Remaining"])).toEqual(["3499", "3498", "3497"]);
    expect(windows.headers(profiles, 201)["RateLimit-Remaining"]).toBe("749");
  });

  it("reports nothing for client-side operations or operations without a documented limit", () => {
    const windows = new RateLimitWindows();
    expect(windows.headers(route("create_client_event", "POST", "/client/events"), 202)).toEqual({});
    expect(windows.headers(route("get_segment", "GET", "/api/segments/{id}"), 200)).toEqual({});
  });
});

interface SubsetParameter {
  name: string;
  in: string;
}

/**
 * Every route is the spec's operation by name, method and path, and declares only query parameters
 * the spec declares for it: read from the facts and the subset `npm run spec` derives from Klaviyo's
 * document, so the check runs on every checkout.
 */
describe("every route against Klaviyo's OpenAPI document (the committed subset)", () => {
  const subset = JSON.parse(readFileSync(OPENAPI_SUBSET, "utf8")) as { operations: Record<string, { parameters?: SubsetParameter[] }> };

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("%s is the spec's operation of that name", (_, r) => {
    const facts = (OPERATIONS as Record<string, { method: string; path: string } | undefined>)[r.operation];
    expect(facts, `${r.operation} is not among the derived operations (npm run spec)`).toBeDefined();
    expect(facts && `${facts.method} ${facts.path}`).toBe(`${r.method} ${r.path}`);
    const declared = (subset.operations[r.operation]?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
    expect(Object.keys(r.query).filter((name) => !declared.includes(name))).toEqual([]);
  });
});

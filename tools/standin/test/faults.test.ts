/**
 * The stand-in's faults (tools/standin/faults/): their names, which requests each hits, and the
 * answers they give, shaped as Klaviyo's (status, `errors[]` wording, `source`), checked over HTTP
 * on a fresh demo stand-in per test; and that a stand-in started without faults has none.
 */
import { afterEach, describe, expect, it } from "vitest";
import { API_ORIGIN as origin } from "../../../src/api-origin";
import { API_SCOPES, parseFault, parseFaults, scopesOf } from "../faults/catalog";
import { FaultPlan } from "../faults/plan";
import type { FaultEvent } from "../faults/plan";
import { ROUTES } from "../routes";
import { startDemoServer, type DemoServer } from "../server";
import { AUTH, q } from "./stand-in";
import type { Doc, Errors } from "./stand-in";

const CLIENT = { revision: AUTH.revision, "content-type": "application/vnd.api+json" };

let server: DemoServer | undefined;
let fired: FaultEvent[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  fired = [];
});

/** A fresh demo stand-in with these faults, its firings collected in `fired`. */
async function withFaults(...names: string[]): Promise<DemoServer> {
  server = await startDemoServer({ faults: parseFaults(names), onFault: (e) => fired.push(e) });
  return server;
}

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch((server as DemoServer).url + path.replace(origin, ""), { headers: AUTH, ...init });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const newList = (name: string): RequestInit => ({
  method: "POST",
  headers: { ...AUTH, "content-type": "application/vnd.api+json" },
  body: JSON.stringify({ data: { type: "list", attributes: { name } } }),
});

const errorOf = (body: unknown) => (body as Errors).errors[0];
/** The first list's members, two a page: a sweep of many pages on the demo account. */
const membersPath = (s: DemoServer) => `/api/lists/${s.account.lists[0].id}/profiles${q({ "page[size]": "2" })}`;

describe("fault names", () => {
  it("parses every kind, with the request a one-off fault hits given as N, OPERATION or OPERATION:N", () => {
    expect(parseFault("no-metrics-read")).toEqual({ kind: "missing-scope", name: "no-metrics-read", scope: "metrics:read" });
    expect(parseFault("revoked-key")).toEqual({ kind: "revoked-key", name: "revoked-key" });
    expect(parseFault("revoked-key=get_metrics:2")).toEqual({ kind: "revoked-key", name: "revoked-key=get_metrics:2", from: { operation: "get_metrics", nth: 2 } });
    expect(parseFault("invalid-company-id=3")).toMatchObject({ kind: "invalid-company-id", from: { nth: 3 } });
    expect(parseFault("sweep-error")).toMatchObject({ kind: "sweep-error", which: { nth: 1 } });
    expect(parseFault("server-error=3")).toMatchObject({ which: { nth: 3 } });
    expect(parseFault("dropped-connection=get_events")).toMatchObject({ which: { operation: "get_events", nth: 1 } });
    const nth = { which: { operation: "get_profiles_for_list", nth: 2 } };
    expect(parseFault("next-without-cursor=get_profiles_for_list:2")).toMatchObject(nth);
    const names = parseFaults(["no-lists-read,invalid-company-id", "server-error=2"]).map((f) => f.name);
    expect(names).toEqual(["no-lists-read", "invalid-company-id", "server-error=2"]);
  });

  it("offers a missing-scope fault for every scope the spec gives the stand-in's /api/* operations", () => {
    expect(API_SCOPES).toEqual(expect.arrayContaining(["metrics:read", "lists:read", "events:write", "subscriptions:write"]));
    for (const scope of API_SCOPES) expect(parseFault(`no-${scope.replace(":", "-")}`)).toMatchObject({ scope });
  });

  it("refuses, saying what is allowed, an unknown fault, operation or number, a `=` on a persistent fault, a fault twice", () => {
    expect(() => parseFault("no-coffee-read")).toThrow(/not a fault the stand-in knows[\s\S]*revoked-key/);
    expect(() => parseFault("sweep-error=get_coupons")).toThrow(/not an operation the stand-in serves/);
    expect(() => parseFault("server-error=0")).toThrow(/not a request number/);
    expect(() => parseFault("no-metrics-read=2")).toThrow(/takes no "=…"/);
    expect(() => parseFaults(["sweep-error", "sweep-error"])).toThrow(/given twice/);
    expect(() => parseFault("daily-limit-spent")).toThrow(/no operation with a daily limit[\s\S]*query_flow_values/);
    expect(() => parseFault("daily-limit-spent=get_events")).toThrow(/no operation with a daily limit/);
  });
});

describe("persistent faults", () => {
  it("no-<scope>: 403 permission_denied, in Klaviyo's words, on exactly the /api/* operations whose spec scopes include it", async () => {
    const plan = new FaultPlan(parseFaults(["no-metrics-read"]));
    for (const route of ROUTES) {
      const refused = plan.refusal({ route, method: route.method, path: route.path, query: new Map() });
      const needs = route.path.startsWith("/api/") && scopesOf(route.operation).includes("metrics:read");
      expect(refused?.reply.status, route.operation).toBe(needs ? 403 : undefined);
    }
    await withFaults("no-metrics-read");
    const metrics = await call("/api/metrics");
    expect(metrics.status).toBe(403);
    const words = "You do not have permission to perform this action.";
    expect(errorOf(metrics.body)).toMatchObject({ code: "permission_denied", title: words, detail: words, source: { pointer: "/data/" } });
    expect(metrics.headers.get("content-type")).toBe("application/vnd.api+json; charset=utf-8");
    expect((await call("/api/profiles")).status).toBe(200);
    expect(fired).toEqual([{ fault: "no-metrics-read", operation: "get_metrics", method: "GET", path: "/api/metrics", status: 403 }]);
  });

  it("revoked-key: 401 authentication_failed on every /api/* request, writes included (not carried out), none on /client/*", async () => {
    const s = await withFaults("revoked-key");
    const lists = s.account.lists.length;
    for (const answer of [await call("/api/profiles"), await call("/api/lists", newList("Never made"))]) {
      expect(answer.status).toBe(401);
      const words = "Incorrect authentication credentials.";
      const error = { code: "authentication_failed", title: words, detail: words, source: { pointer: "/data/" } };
      expect(errorOf(answer.body)).toMatchObject(error);
    }
    expect(s.account.lists).toHaveLength(lists);
    // A request without a key is still told it sent none.
    expect(errorOf((await call("/api/profiles", { headers: { revision: AUTH.revision } })).body).code).toBe("not_authenticated");
    const allowList = await call(`/client/ip-allowlists/integration-egress?company_id=${s.account.companyId}`, { headers: CLIENT });
    expect(allowList.status).toBe(200);
    expect(fired.map((e) => e.operation)).toEqual(["get_profiles", "create_list"]);
  });

  it("revoked-key=WHICH: the key works until the request it sets in with, then 401 on every /api/* request, before a missing scope's 403", async () => {
    await withFaults("no-metrics-read", "revoked-key=get_metrics:2");
    expect((await call("/api/profiles")).status).toBe(200);
    expect((await call("/api/metrics")).status).toBe(403);
    expect((await call("/api/profiles")).status).toBe(200);
    expect((await call("/api/metrics")).status).toBe(401);
    expect((await call("/api/profiles")).status).toBe(401);
    expect((await call("/api/metrics")).status).toBe(401);
    expect(fired.map((e) => `${e.fault} ${e.status}`)).toEqual([
      "no-metrics-read 403",
      "revoked-key=get_metrics:2 401",
      "revoked-key=get_metrics:2 401",
      "revoked-key=get_metrics:2 401",
    ]);
  });

  it("invalid-company-id=N: /client/* requests are answered until the n-th, then each gets the 400", async () => {
    const s = await withFaults("invalid-company-id=2");
    const allowList = () => call(`/client/ip-allowlists/integration-egress?company_id=${s.account.companyId}`, { headers: CLIENT });
    expect((await allowList()).status).toBe(200);
    expect((await allowList()).status).toBe(400);
    expect((await allowList()).status).toBe(400);
    expect((await call("/api/profiles")).status).toBe(200);
  });

  it('invalid-company-id: 400 "Invalid Company ID" on every /client/* request, as Klaviyo answers an unknown public key', async () => {
    const s = await withFaults("invalid-company-id");
    const answer = await call(`/client/ip-allowlists/integration-egress?company_id=${s.account.companyId}`, { headers: CLIENT });
    expect(answer.status).toBe(400);
    const error = { code: "invalid", title: "Invalid input.", detail: "Invalid Company ID", source: { pointer: "/data" } };
    expect(errorOf(answer.body)).toMatchObject(error);
    expect((await call("/api/profiles")).status).toBe(200);
  });

  it("daily-limit-spent=OPERATION: 429 throttled on each of that operation's requests, Retry-After the seconds to 00:00 UTC of its Date", async () => {
    expect(parseFault("daily-limit-spent=query_flow_values")).toEqual({ kind: "daily-limit-spent", name: "daily-limit-spent=query_flow_values", operation: "query_flow_values" });
    const s = await withFaults("daily-limit-spent=query_segment_values");
    const now = Date.parse(s.account.now);
    const report = { data: { type: "segment-values-report", attributes: { statistics: ["total_members"], timeframe: { key: "last_30_days" } } } };
    const send = (headers: Record<string, string> = {}) =>
      call("/api/segment-values-reports", { method: "POST", headers: { ...AUTH, "content-type": "application/vnd.api+json", ...headers }, body: JSON.stringify(report) });
    const toMidnight = (at: number) => String((Math.floor(at / 86_400_000 + 1) * 86_400_000 - at) / 1000);
    for (const [answer, at] of [[await send(), now], [await send({ date: new Date(now + 90_000).toUTCString() }), now + 90_000]] as const) {
      expect(answer.status).toBe(429);
      expect(answer.headers.get("retry-after")).toBe(toMidnight(at));
      expect(errorOf(answer.body)).toMatchObject({ code: "throttled", detail: `Request was throttled. Expected available in ${toMidnight(at)} seconds.` });
    }
    // Other reports, with their own daily limits, are answered.
    const forms = { data: { type: "form-values-report", attributes: { statistics: ["submits"], timeframe: { key: "last_30_days" } } } };
    expect((await call("/api/form-values-reports", { method: "POST", headers: { ...AUTH, "content-type": "application/vnd.api+json" }, body: JSON.stringify(forms) })).status).toBe(200);
    expect(fired.map((e) => [e.operation, e.status])).toEqual([["query_segment_values", 429], ["query_segment_values", 429]]);
  });
});

describe("one-off faults", () => {
  it("sweep-error: a 500 with errors[] instead of the n-th later page, once; the same request again is answered", async () => {
    const s = await withFaults("sweep-error=2");
    const first = await call(membersPath(s));
    const second = await call((first.body as Doc).links.next as string);
    expect(second.status).toBe(200);
    const third = (second.body as Doc).links.next as string;
    const failed = await call(third);
    expect(failed.status).toBe(500);
    expect(errorOf(failed.body)).toMatchObject({ code: "error", title: "A server error occurred." });
    expect((await call(third)).status).toBe(200);
    const path = expect.stringContaining("/profiles");
    expect(fired).toEqual([{ fault: "sweep-error=2", operation: "get_profiles_for_list", method: "GET", path, status: 500 }]);
  });

  it("next-without-cursor: the first later page's links.next loses page[cursor] (its other parameters kept), once", async () => {
    const s = await withFaults("next-without-cursor");
    const first = (await call(membersPath(s))).body as Doc;
    expect(new URL(first.links.next as string).searchParams.has("page[cursor]")).toBe(true);
    const second = (await call(first.links.next as string)).body as Doc;
    const broken = new URL(second.links.next as string);
    expect([broken.searchParams.has("page[cursor]"), broken.searchParams.get("page[size]"), broken.origin]).toEqual([false, "2", origin]);
    expect(second.links.self).toContain("page%5Bcursor%5D=");
    // Following it reads the first page again, as a proxy that drops the cursor makes a client do.
    expect(((await call(second.links.next as string)).body as Doc).data).toEqual(first.data);
    const again = (await call(first.links.next as string)).body as Doc;
    expect(new URL(again.links.next as string).searchParams.has("page[cursor]")).toBe(true);
    expect(fired.map((e) => [e.fault, e.status])).toEqual([["next-without-cursor", 200]]);
  });

  it("dropped-connection: the n-th request gets no answer and is not carried out; the next one is answered", async () => {
    const s = await withFaults("dropped-connection=create_list");
    const lists = s.account.lists.length;
    await expect(call("/api/lists", newList("Dropped"))).rejects.toThrow(/fetch failed/);
    expect(s.account.lists).toHaveLength(lists);
    expect((await call("/api/lists", newList("Answered"))).status).toBe(201);
    const request = { operation: "create_list", method: "POST", path: "/api/lists" };
    expect(fired).toEqual([{ fault: "dropped-connection=create_list", ...request, status: "dropped" }]);
  });

  it("server-error: a 500 instead of the n-th request, /client/* included, which is not carried out", async () => {
    const s = await withFaults("server-error=2");
    const profiles = s.account.profiles.length;
    const body = JSON.stringify({ data: { type: "profile", attributes: { email: "fault@example.com" } } });
    const send = () => call(`/client/profiles?company_id=${s.account.companyId}`, { method: "POST", headers: CLIENT, body });
    expect((await call("/api/segments")).status).toBe(200);
    expect((await send()).status).toBe(500);
    expect(s.account.profiles).toHaveLength(profiles);
    expect((await send()).status).toBe(202);
    expect(fired.map((e) => e.operation)).toEqual(["create_client_profile"]);
  });

  it("two one-off faults aimed at the same request hit consecutive ones", async () => {
    await withFaults("server-error", "dropped-connection");
    expect((await call("/api/segments")).status).toBe(500);
    await expect(call("/api/segments")).rejects.toThrow(/fetch failed/);
    expect((await call("/api/segments")).status).toBe(200);
  });

  it("are counted only among requests a persistent fault lets through", async () => {
    await withFaults("no-lists-read", "server-error");
    expect((await call("/api/lists")).status).toBe(403);
    expect((await call("/api/segments")).status).toBe(500);
  });
});

describe("without faults", () => {
  it("answers as before and reports no fault", async () => {
    const s = await withFaults();
    const pages = [(await call(membersPath(s))).body as Doc];
    while (pages.length < 4) pages.push((await call(pages[pages.length - 1].links.next as string)).body as Doc);
    expect(pages.every((p) => new URL(p.links.next as string).searchParams.has("page[cursor]"))).toBe(true);
    expect(fired).toEqual([]);
  });
});

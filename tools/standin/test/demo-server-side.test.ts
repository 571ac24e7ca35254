/**
 * The stand-in's server-side write endpoints (routes/events.ts, profiles.ts, jobs.ts and consent.ts
 * in tools/standin), as the server-side guide relies on them: 202s that de-duplicate on unique_id, profile-import 201/200 and null
 * clearing, PATCH changing an identifier, bulk import jobs that move queued → processing → complete
 * and report a bad row, consent rules, suppressions, and the RateLimit-* headers. Shapes against the
 * spec are checked in spec-conformance.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServer } from "../server";
import type { DemoServer } from "../server";
import { STAND_IN_PRIVATE_KEY } from "../guide-settings";

let server: DemoServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(() => server.close());

const auth = {
  Authorization: `Klaviyo-API-Key ${STAND_IN_PRIVATE_KEY}`,
  revision: "2026-07-15",
  accept: "application/vnd.api+json",
  "content-type": "application/vnd.api+json",
};
type Answer = {
  status: number;
  body: {
    data?: { id: string; attributes: Record<string, unknown> } | Array<{ id: string; attributes: Record<string, unknown> }>;
    errors?: Array<{ detail: string; source?: { pointer?: string } }>;
  };
  headers: Headers;
};

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = auth): Promise<Answer> {
  const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

const order = (id: string, extra: Record<string, unknown> = {}) => ({
  data: {
    type: "event",
    attributes: {
      properties: { OrderId: id },
      value: 42.5,
      value_currency: "USD",
      unique_id: id,
      time: "2026-11-19T10:00:00Z",
      metric: { data: { type: "metric", attributes: { name: "Placed Order" } } },
      profile: { data: { type: "profile", attributes: { email: "dedupe@example.com" } } },
      ...extra,
    },
  },
});

function ordersOf(email: string): Array<{ event_properties: Record<string, unknown> }> {
  const profile = server.account.profiles.find((p) => p.attributes.email === email);
  return profile ? server.account.events.filter((e) => e.profileId === profile.id) : [];
}

describe("stand-in: server-side events", () => {
  it("answers 202 with no body, keeps one event per unique_id, and sends RateLimit headers", async () => {
    const first = await call("POST", "/api/events", order("ORD-1"));
    const again = await call("POST", "/api/events", order("ORD-1"));
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(first.body).toEqual({});
    expect(ordersOf("dedupe@example.com").map((e) => e.event_properties.$event_id)).toEqual(["ORD-1"]);
    expect(first.headers.get("ratelimit-limit")).toBe("3500");
    expect(Number(again.headers.get("ratelimit-remaining"))).toBe(Number(first.headers.get("ratelimit-remaining")) - 1);
  });

  it("refuses a non-boolean backfill and a malformed currency, naming the attribute", async () => {
    const backfill = await call("POST", "/api/events", order("ORD-2", { backfill: "yes" }));
    expect(backfill.status).toBe(400);
    expect(backfill.body.errors?.[0].source?.pointer).toBe("/data/attributes/backfill");
    const currency = await call("POST", "/api/events", order("ORD-3", { value_currency: "dollars" }));
    expect(currency.body.errors?.[0].source?.pointer).toBe("/data/attributes/value_currency");
  });

  it("bulk-creates events for several profiles, and fails a request that repeats a unique_id", async () => {
    const entry = (email: string, ids: string[]) => ({
      type: "event-bulk-create",
      attributes: {
        backfill: true,
        profile: { data: { type: "profile", attributes: { email } } },
        events: {
          data: ids.map((id) => ({
            type: "event",
            attributes: {
              properties: {},
              unique_id: id,
              time: "2025-01-02T03:04:05Z",
              metric: { data: { type: "metric", attributes: { name: "Placed Order" } } },
            },
          })),
        },
      },
    });
    const ok = await call("POST", "/api/event-bulk-create-jobs", {
      data: {
        type: "event-bulk-create-job",
        attributes: { "events-bulk-create": { data: [entry("bulk-a@example.com", ["A1", "A2"]), entry("bulk-b@example.com", ["B1"])] } },
      },
    });
    expect(ok.status).toBe(202);
    expect(ordersOf("bulk-a@example.com")).toHaveLength(2);
    const repeated = await call("POST", "/api/event-bulk-create-jobs", {
      data: { type: "event-bulk-create-job", attributes: { "events-bulk-create": { data: [entry("bulk-c@example.com", ["C1", "C1"])] } } },
    });
    expect(repeated.status).toBe(400);
    expect(repeated.body.errors?.[0].source?.pointer).toBe(
      "/data/attributes/events-bulk-create/data/0/attributes/events/data/1/attributes/unique_id",
    );
    expect(ordersOf("bulk-c@example.com")).toHaveLength(0);
  });
});

describe("stand-in: profiles", () => {
  it("profile-import creates (201), updates (200), and clears a field sent as null", async () => {
    const body = (attributes: Record<string, unknown>) => ({ data: { type: "profile", attributes } });
    const created = await call("POST", "/api/profile-import", body({ email: "import@example.com", first_name: "Ima", title: "Buyer" }));
    expect(created.status).toBe(201);
    const updated = await call("POST", "/api/profile-import", body({ email: "import@example.com", title: null }));
    expect(updated.status).toBe(200);
    const attrs = (updated.body.data as { attributes: Record<string, unknown> }).attributes;
    expect([attrs.first_name, attrs.title]).toEqual(["Ima", null]);
    expect((created.body.data as { id: string }).id).toBe((updated.body.data as { id: string }).id);
  });

  it("PATCH /api/profiles/{id} changes an identifier, and refuses one another profile has", async () => {
    const [a, b] = server.account.profiles;
    const changed = await call("PATCH", `/api/profiles/${a.id}`, {
      data: { type: "profile", id: a.id, attributes: { email: "changed@example.com" } },
    });
    expect(changed.status).toBe(200);
    expect((changed.body.data as { attributes: Record<string, unknown> }).attributes.email).toBe("changed@example.com");
    const taken = await call("PATCH", `/api/profiles/${a.id}`, {
      data: { type: "profile", id: a.id, attributes: { email: b.attributes.email } },
    });
    expect(taken.status).toBe(400);
    const wrongId = await call("PATCH", `/api/profiles/${a.id}`, { data: { type: "profile", id: b.id, attributes: {} } });
    expect(wrongId.body.errors?.[0].source?.pointer).toBe("/data/id");
  });

  it("a bulk import job moves queued → processing → complete across polls and reports the bad row", async () => {
    const rows = [{ email: "row1@example.com" }, { email: "not an email" }, { email: "row3@example.com", first_name: "Row" }];
    const created = await call("POST", "/api/profile-bulk-import-jobs", {
      data: {
        type: "profile-bulk-import-job",
        attributes: { profiles: { data: rows.map((attributes) => ({ type: "profile", attributes })) } },
      },
    });
    expect(created.status).toBe(202);
    const job = created.body.data as { id: string; attributes: Record<string, unknown> };
    const statuses = [job.attributes.status];
    let done = job;
    for (let i = 0; i < 3; i++) {
      done = (await call("GET", `/api/profile-bulk-import-jobs/${job.id}`)).body.data as typeof job;
      statuses.push(done.attributes.status);
    }
    expect(statuses).toEqual(["queued", "processing", "complete", "complete"]);
    expect([done.attributes.completed_count, done.attributes.failed_count]).toEqual([2, 1]);
    const errors = await call("GET", `/api/profile-bulk-import-jobs/${job.id}/import-errors`);
    const list = errors.body.data as unknown as Array<{ attributes: { source: { pointer: string }; original_payload: unknown } }>;
    expect(list.map((e) => e.attributes.source.pointer)).toEqual(["/data/attributes/profiles/data/1/attributes/email"]);
    expect(list[0].attributes.original_payload).toEqual({ email: "not an email" });
    expect(server.account.profiles.some((p) => p.attributes.email === "row3@example.com")).toBe(true);
  });
});

describe("stand-in: consent", () => {
  const subscribeBody = (profiles: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}, listId?: string) => ({
    data: {
      type: "profile-subscription-bulk-create-job",
      attributes: { profiles: { data: profiles.map((attributes) => ({ type: "profile", attributes })) }, ...extra },
      ...(listId ? { relationships: { list: { data: { type: "list", id: listId } } } } : {}),
    },
  });
  const emailConsent = (consentedAt?: string) => ({
    email: { marketing: { consent: "SUBSCRIBED", ...(consentedAt ? { consented_at: consentedAt } : {}) } },
  });

  it("subscribing removes an UNSUBSCRIBE suppression; a double opt-in list waits unless it is a historical import", async () => {
    const unsubscribed = server.account.profiles.find(
      (p) => (p.subscriptions as { email: { marketing: { consent: string } } }).email.marketing.consent === "UNSUBSCRIBED",
    );
    expect(unsubscribed).toBeDefined();
    const newsletter = server.account.lists.find((l) => l.opt_in_process === "double_opt_in");
    const vip = server.account.lists.find((l) => l.opt_in_process === "single_opt_in");
    const email = unsubscribed?.attributes.email as string;
    const pending = await call(
      "POST",
      "/api/profile-subscription-bulk-create-jobs",
      subscribeBody([{ email, subscriptions: emailConsent() }], {}, newsletter?.id),
    );
    expect(pending.status).toBe(202);
    expect((unsubscribed?.subscriptions as { email: { marketing: { consent: string } } }).email.marketing.consent).toBe("UNSUBSCRIBED");
    const direct = await call(
      "POST",
      "/api/profile-subscription-bulk-create-jobs",
      subscribeBody([{ email, subscriptions: emailConsent() }], {}, vip?.id),
    );
    expect(direct.status).toBe(202);
    const marketing = (unsubscribed?.subscriptions as { email: { marketing: { consent: string; suppression: unknown[] } } }).email
      .marketing;
    expect([marketing.consent, marketing.suppression]).toEqual(["SUBSCRIBED", []]);
    const historical = await call(
      "POST",
      "/api/profile-subscription-bulk-create-jobs",
      subscribeBody(
        [{ email: "history@example.com", subscriptions: emailConsent("2024-03-01T10:00:00Z") }],
        { historical_import: true },
        newsletter?.id,
      ),
    );
    expect(historical.status).toBe(202);
    const joined = server.account.profiles.find((p) => p.attributes.email === "history@example.com");
    expect(newsletter?.members.some((m) => m.profileId === joined?.id)).toBe(true);
  });

  it("refuses consented_at without historical_import, historical_import without it, and SMS where the account cannot send", async () => {
    const a = await call(
      "POST",
      "/api/profile-subscription-bulk-create-jobs",
      subscribeBody([{ email: "c1@example.com", subscriptions: emailConsent("2024-03-01T10:00:00Z") }]),
    );
    const b = await call(
      "POST",
      "/api/profile-subscription-bulk-create-jobs",
      subscribeBody([{ email: "c2@example.com", subscriptions: emailConsent() }], { historical_import: true }),
    );
    const c = await call(
      "POST",
      "/api/profile-subscription-bulk-create-jobs",
      subscribeBody([{ phone_number: "+442079460958", subscriptions: { sms: { marketing: { consent: "SUBSCRIBED" } } } }]),
    );
    expect([a.status, b.status, c.status]).toEqual([400, 400, 400]);
    expect(c.body.errors?.[0].source?.pointer).toBe("/data/attributes/profiles/data/0/attributes/phone_number");
  });

  it("records SMS transactional, WhatsApp and push consent where the profile's subscriptions keep them, and takes them back", async () => {
    const phone = "+12025550143";
    const subscribe = await call("POST", "/api/profile-subscription-bulk-create-jobs", subscribeBody([{
      phone_number: phone,
      subscriptions: { sms: { transactional: { consent: "SUBSCRIBED" } }, whatsapp: { marketing: { consent: "SUBSCRIBED" } }, push: { marketing: { consent: "SUBSCRIBED" } } },
    }]));
    expect(subscribe.status).toBe(202);
    const profile = server.account.profiles.find((p) => p.attributes.phone_number === phone);
    // A known profile without a phone number gets the one sent with SMS consent.
    const known = server.account.profiles.find((p) => p.attributes.phone_number === null && p.attributes.email !== null);
    const knownEmail = known?.attributes.email;
    expect((await call("POST", "/api/profile-subscription-bulk-create-jobs", subscribeBody([{ email: knownEmail, phone_number: "+12025550144", subscriptions: { sms: { transactional: { consent: "SUBSCRIBED" } } } }]))).status).toBe(202);
    expect(known?.attributes.phone_number).toBe("+12025550144");
    type Channels = { sms: Record<string, { consent: string; can_receive_sms_transactional?: boolean }>; whatsapp: Record<string, { consent: string; phone_number: string }>; mobile_push: Record<string, { consent: string }> };
    const subs = () => profile?.subscriptions as unknown as Channels;
    expect([subs().sms.transactional.consent, subs().sms.transactional.can_receive_sms_transactional, subs().sms.marketing.consent]).toEqual(["SUBSCRIBED", true, "NEVER_SUBSCRIBED"]);
    expect([subs().whatsapp.marketing.consent, subs().whatsapp.marketing.phone_number, subs().mobile_push.marketing.consent]).toEqual(["SUBSCRIBED", phone, "SUBSCRIBED"]);

    const unsubscribe = await call("POST", "/api/profile-subscription-bulk-delete-jobs", {
      data: { type: "profile-subscription-bulk-delete-job", attributes: { profiles: { data: [{ type: "profile", attributes: { phone_number: phone, subscriptions: { sms: { transactional: { consent: "UNSUBSCRIBED" } } } } }] } } },
    });
    expect(unsubscribe.status).toBe(202);
    expect(subs().sms.transactional.consent).toBe("UNSUBSCRIBED");
  });

  it("refuses a channel or sub-channel the body does not take, a missing required field, the wrong consent and a channel without its identifier", async () => {
    const refused = async (subscriptions: Record<string, unknown>, attributes: Record<string, unknown> = { phone_number: "+12025550143" }) => {
      const reply = await call("POST", "/api/profile-subscription-bulk-create-jobs", subscribeBody([{ ...attributes, subscriptions }]));
      expect(reply.status).toBe(400);
      return reply.body.errors?.[0].source?.pointer;
    };
    const at = "/data/attributes/profiles/data/0/attributes";
    expect(await refused({ fax: { marketing: { consent: "SUBSCRIBED" } } })).toBe(`${at}/subscriptions/fax`);
    // WhatsApp's conversational consent can be taken back, not given, through this request.
    expect(await refused({ whatsapp: { conversational: { consent: "SUBSCRIBED" } } })).toBe(`${at}/subscriptions/whatsapp/conversational`);
    expect(await refused({ push: { tokens: [] } })).toBe(`${at}/subscriptions/push/marketing`);
    expect(await refused({ sms: { transactional: { consent: "UNSUBSCRIBED" } } })).toBe(`${at}/subscriptions/sms/transactional/consent`);
    expect(await refused({ sms: { transactional: { consent: "SUBSCRIBED" } } }, { email: "no-phone@example.com" })).toBe(`${at}/phone_number`);
    expect(await refused({ sms: { transactional: { consent: "SUBSCRIBED" } } }, { phone_number: "+442079460958" })).toBe(`${at}/phone_number`);
  });

  it("unsubscribes, suppresses and unsuppresses (suppression jobs are resources that complete)", async () => {
    const email = "suppress-me@example.com";
    await call("POST", "/api/profile-subscription-bulk-create-jobs", subscribeBody([{ email, subscriptions: emailConsent() }]));
    const profile = server.account.profiles.find((p) => p.attributes.email === email);
    const marketing = () =>
      (
        profile?.subscriptions as {
          email: { marketing: { consent: string; suppression: Array<{ reason: string }>; can_receive_email_marketing: boolean } };
        }
      ).email.marketing;
    expect(marketing().consent).toBe("SUBSCRIBED");
    const suppress = await call("POST", "/api/profile-suppression-bulk-create-jobs", {
      data: {
        type: "profile-suppression-bulk-create-job",
        attributes: { profiles: { data: [{ type: "profile", attributes: { email } }] } },
      },
    });
    expect(suppress.status).toBe(202);
    const jobId = (suppress.body.data as { id: string }).id;
    await call("GET", `/api/profile-suppression-bulk-create-jobs/${jobId}`);
    await call("GET", `/api/profile-suppression-bulk-create-jobs/${jobId}`);
    expect(marketing().suppression.map((s) => s.reason)).toEqual(["USER_SUPPRESSED"]);
    expect(marketing().can_receive_email_marketing).toBe(false);
    const unsuppress = await call("POST", "/api/profile-suppression-bulk-delete-jobs", {
      data: {
        type: "profile-suppression-bulk-delete-job",
        attributes: { profiles: { data: [{ type: "profile", attributes: { email } }] } },
      },
    });
    const id2 = (unsuppress.body.data as { id: string }).id;
    await call("GET", `/api/profile-suppression-bulk-delete-jobs/${id2}`);
    await call("GET", `/api/profile-suppression-bulk-delete-jobs/${id2}`);
    expect(marketing().can_receive_email_marketing).toBe(true);
    const unsubscribe = await call("POST", "/api/profile-subscription-bulk-delete-jobs", {
      data: {
        type: "profile-subscription-bulk-delete-job",
        attributes: {
          profiles: {
            data: [{ type: "profile", attributes: { email, subscriptions: { email: { marketing: { consent: "UNSUBSCRIBED" } } } } }],
          },
        },
      },
    });
    expect(unsubscribe.status).toBe(202);
    expect([marketing().consent, marketing().suppression.map((s) => s.reason)]).toEqual(["UNSUBSCRIBED", ["UNSUBSCRIBE"]]);
  });

  it("unsubscribes a list's member from that list only, and anyone else globally", async () => {
    const vip = server.account.lists.find((l) => l.opt_in_process === "single_opt_in");
    const unsubscribeFrom = (email: string) =>
      call("POST", "/api/profile-subscription-bulk-delete-jobs", {
        data: {
          type: "profile-subscription-bulk-delete-job",
          attributes: { profiles: { data: [{ type: "profile", attributes: { email, subscriptions: { email: { marketing: { consent: "UNSUBSCRIBED" } } } } }] } },
          relationships: { list: { data: { type: "list", id: vip?.id } } },
        },
      });
    type Marketing = { consent: string; suppression: Array<{ reason: string }>; list_suppressions: Array<{ list_id: string; reason: string }> };
    const marketingOf = (email: string) =>
      (server.account.profiles.find((p) => p.attributes.email === email)?.subscriptions as { email: { marketing: Marketing } }).email.marketing;
    await call("POST", "/api/profile-subscription-bulk-create-jobs", subscribeBody([{ email: "member@example.com", subscriptions: emailConsent() }], {}, vip?.id));
    await call("POST", "/api/profile-subscription-bulk-create-jobs", subscribeBody([{ email: "outsider@example.com", subscriptions: emailConsent() }]));
    expect((await unsubscribeFrom("member@example.com")).status).toBe(202);
    expect((await unsubscribeFrom("outsider@example.com")).status).toBe(202);
    const member = marketingOf("member@example.com");
    expect([member.consent, member.suppression, member.list_suppressions.map((l) => [l.list_id, l.reason])]).toEqual(["SUBSCRIBED", [], [[vip?.id, "UNSUBSCRIBE"]]]);
    const memberId = server.account.profiles.find((p) => p.attributes.email === "member@example.com")?.id;
    expect(vip?.members.some((m) => m.profileId === memberId)).toBe(false);
    const outsider = marketingOf("outsider@example.com");
    expect([outsider.consent, outsider.suppression.map((x) => x.reason), outsider.list_suppressions]).toEqual(["UNSUBSCRIBED", ["UNSUBSCRIBE"], []]);
    await call("POST", "/api/profile-subscription-bulk-create-jobs", subscribeBody([{ email: "member@example.com", subscriptions: emailConsent() }], {}, vip?.id));
    expect(marketingOf("member@example.com").list_suppressions).toEqual([]);
  });

  it("still checks the key and the revision first, and leaves the other routes alone", async () => {
    expect((await call("POST", "/api/events", order("ORD-9"), { revision: "2026-07-15" })).status).toBe(401);
    expect((await call("GET", "/api/events?page%5Bsize%5D=1")).status).toBe(200);
    expect((await call("DELETE", "/api/events")).status).toBe(405);
  });
});

describe("PATCH /api/mapped-metrics/{id}", () => {
  const mapTo = (metricId: string) => ({ data: { type: "mapped-metric", id: "revenue", relationships: { metric: { data: { type: "metric", id: metricId } } } } });
  /** Requests a second apart by the client's Date header, so the 1/s burst is not what is tested. */
  const at = (second: number) => ({ ...auth, date: new Date(Date.parse(server.account.now) + second * 1000).toUTCString() });

  it("maps the purpose to the metric sent, refuses an unknown metric, and allows 15 a minute", async () => {
    const apiMetric = server.account.metrics.find((m) => m.integration.key === "api");
    expect(apiMetric).toBeDefined();
    const mapped = await call("PATCH", "/api/mapped-metrics/revenue", mapTo(apiMetric?.id ?? ""), at(0));
    expect(mapped.status).toBe(200);
    expect(server.account.mappedMetrics.revenue?.metricId).toBe(apiMetric?.id);

    const unknown = await call("PATCH", "/api/mapped-metrics/revenue", mapTo("NoSuch"), at(1));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0].source?.pointer).toBe("/data/relationships/metric/data/id");

    const statuses: number[] = [];
    for (let s = 2; s < 16; s++) statuses.push((await call("PATCH", "/api/mapped-metrics/revenue", mapTo(apiMetric?.id ?? ""), at(s))).status);
    expect(statuses.slice(0, 13).every((s) => s === 200)).toBe(true);
    expect(statuses[13]).toBe(429);
  });
});

describe("POST /api/data-privacy-deletion-jobs", () => {
  const deletion = (data: Record<string, unknown>) => ({ data: { type: "data-privacy-deletion-job", attributes: { profile: { data: { type: "profile", ...data } } } } });

  it("deletes the profiles with the identifier and their events, and refuses two identifiers", async () => {
    const person = server.account.profiles.find((p) => typeof p.attributes.email === "string" && server.account.events.some((e) => e.profileId === p.id));
    const email = person?.attributes.email as string;
    const both = await call("POST", "/api/data-privacy-deletion-jobs", deletion({ attributes: { email, phone_number: "+15005550006" } }));
    expect(both.status).toBe(400);
    expect(server.account.profiles.some((p) => p.id === person?.id)).toBe(true);

    const queued = await call("POST", "/api/data-privacy-deletion-jobs", deletion({ attributes: { email } }));
    expect(queued.status).toBe(202);
    expect(server.account.profiles.some((p) => p.attributes.email === email)).toBe(false);
    expect(server.account.events.some((e) => e.profileId === person?.id)).toBe(false);
  });
});

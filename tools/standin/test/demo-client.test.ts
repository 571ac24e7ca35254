/**
 * The stand-in's client-side endpoints (tools/standin/routes/client.ts) as the client-side guide
 * relies on them: 202s whose effect later reads see, company_id checks, partial failures on an
 * impossible phone number, SMS consent by region, reviews, 400s pointing at the field, and the
 * one demo 429.
 */
import { describe, expect, it } from "vitest";
import { RATE_LIMIT_DEMO_METRIC } from "../routes/client";
import { q, useStandIn } from "./stand-in";
import type { Doc, Errors } from "./stand-in";

const standIn = useStandIn();
const { get, post, sweep } = standIn;

describe("demo stand-in: client-side endpoints", () => {
  const client = { revision: "2026-07-15", accept: "application/vnd.api+json" };
  const event = (name: string, profile: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    data: {
      type: "event",
      attributes: {
        properties: { source: "test" },
        metric: { data: { type: "metric", attributes: { name } } },
        profile: { data: { type: "profile", attributes: profile } },
        ...extra,
      },
    },
  });

  /** POST to a client endpoint with the demo account's public key. */
  const send = (path: string, body: unknown) => post(`${path}?company_id=DemoCo`, body, client);
  const profileDoc = (attributes: Record<string, unknown>) => ({ data: { type: "profile", attributes } });
  const subscription = (listId: string, attributes: Record<string, unknown>) => ({
    data: {
      type: "subscription",
      attributes: { profile: profileDoc(attributes) },
      relationships: { list: { data: { type: "list", id: listId } } },
    },
  });

  it("accepts a client event (202, empty body) that then shows up in /api/events", async () => {
    const res = await send("/client/events", event("Hello World", { email: "hello@example.com" }, { time: "2026-11-20T11:00:00+00:00" }));
    expect(res.status).toBe(202);
    expect(res.body).toBeUndefined();
    const profile = standIn.server.account.profiles.find((p) => p.attributes.email === "hello@example.com");
    const events = (await get(`/api/events${q({ filter: `equals(profile_id,"${profile?.id}")`, include: "metric" })}`)).body as Doc;
    expect(events.included?.[0].attributes.name).toBe("Hello World");
  });

  it("answers a profile's events (from its index) exactly as a scan of all events would, also after a write", async () => {
    const someone = standIn.server.account.profiles[5];
    const ofProfile = `/api/events${q({ filter: `equals(profile_id,"${someone.id}")`, "page[size]": "1000" })}`;
    const scan = () => standIn.server.account.events.filter((e) => e.profileId === someone.id).map((e) => e.id);
    const before = scan();
    expect(((await get(ofProfile)).body as Doc).data.map((d) => d.id)).toEqual(before);
    expect((await send("/client/events", event("Index Check", { email: someone.attributes.email }))).status).toBe(202);
    expect(scan()).toHaveLength(before.length + 1);
    expect(((await get(ofProfile)).body as Doc).data.map((d) => d.id)).toEqual(scan());
  });

  it("refuses a missing or foreign company_id", async () => {
    expect((await post("/client/profiles", profileDoc({ email: "a@example.com" }), client)).status).toBe(400);
    const wrong = await post("/client/profiles?company_id=XyZ123", profileDoc({ email: "a@example.com" }), client);
    expect((wrong.body as Errors).errors[0].source?.parameter).toBe("company_id");
  });

  it("accepts an impossible phone sent with a valid email on the email alone, flagged by X-Klaviyo-Partial-Failure", async () => {
    const profile = await send("/client/profiles", profileDoc({ email: "partial@example.com", phone_number: "+11234567890" }));
    expect(profile.status).toBe(202);
    expect(profile.headers.get("x-klaviyo-partial-failure")).toBe("phone_number");
    expect(standIn.server.account.profiles.find((p) => p.attributes.email === "partial@example.com")?.attributes.phone_number).toBeNull();
    const ev = await send("/client/events", event("Hello World", { email: "partial@example.com", phone_number: "+11234567890" }));
    expect([ev.status, ev.headers.get("x-klaviyo-partial-failure")]).toEqual([202, "phone_number"]);
    const list = standIn.server.account.lists[0].id;
    const sub = await send("/client/subscriptions", subscription(list, { email: "partial@example.com", phone_number: "+11234567890" }));
    expect([sub.status, sub.headers.get("x-klaviyo-partial-failure")]).toEqual([202, "phone_number"]);
    const valid = await send("/client/profiles", profileDoc({ email: "partial@example.com" }));
    expect([valid.status, valid.headers.get("x-klaviyo-partial-failure")]).toEqual([202, null]);
  });

  it("refuses SMS consent for a region without a sending number (400), and accepts it for the US and Canada", async () => {
    const list = standIn.server.account.lists[0].id;
    const smsConsent = { sms: { marketing: { consent: "SUBSCRIBED" } } };
    const subscribe = (phone: string) =>
      send("/client/subscriptions", subscription(list, { phone_number: phone, subscriptions: smsConsent }));
    const gb = await subscribe("+442079460958");
    expect(gb.status).toBe(400);
    expect((gb.body as Errors).errors[0]).toMatchObject({
      code: "invalid",
      source: { pointer: "/data/attributes/profile/data/attributes/phone_number" },
    });
    expect((gb.body as Errors).errors[0].detail).toMatch(/no SMS sending number for region GB/);
    expect((await subscribe("+12025550143")).status).toBe(202);
    expect((await subscribe("+14165550123")).status).toBe(202);
  });

  it("accepts a Klaviyo Reviews review (POST /client/reviews, 202) and refuses one without content", async () => {
    const review = {
      data: {
        type: "review",
        attributes: {
          review_type: "review",
          email: "ana@example.com",
          author: "Ana P.",
          content: "Warm.",
          rating: 5,
          product: { external_id: "7411200003", integration_key: "shopify" },
        },
      },
    };
    const ok = await send("/client/reviews", review);
    expect([ok.status, ok.body]).toEqual([202, undefined]);
    const { content: _content, ...without } = review.data.attributes;
    const bad = await send("/client/reviews", { data: { ...review.data, attributes: without } });
    expect(bad.status).toBe(400);
    expect((bad.body as Errors).errors[0].source?.pointer).toBe("/data/attributes/content");
  });

  it("answers an invalid phone as the only identifier, malformed email and missing fields with 400 errors[] at the field", async () => {
    const phone = await send("/client/profiles", profileDoc({ phone_number: "+11234567890", first_name: "Pat" }));
    expect(phone.status).toBe(400);
    expect((phone.body as Errors).errors[0]).toMatchObject({
      code: "invalid",
      title: "Invalid input.",
      source: { pointer: "/data/attributes/phone_number" },
    });
    expect((phone.body as Errors).errors[0].detail).toMatch(/Invalid phone number format.*\+12015550123/);
    const bulk = await send("/client/event-bulk-create", {
      data: {
        type: "event-bulk-create",
        attributes: {
          profile: profileDoc({ email: "x@example.com", phone_number: "+11234567890" }),
          events: {
            data: [{ type: "event", attributes: { properties: {}, metric: { data: { type: "metric", attributes: { name: "X" } } } } }],
          },
        },
      },
    });
    expect(bulk.status).toBe(400);
    const nested = await send("/client/events", event("Ordered Product", { phone_number: "+11234567890" }));
    expect((nested.body as Errors).errors[0].source?.pointer).toBe("/data/attributes/profile/data/attributes/phone_number");
    const email = await send("/client/profiles", profileDoc({ email: "john smith@example" }));
    expect((email.body as Errors).errors[0]).toMatchObject({
      detail: "Invalid email address",
      source: { pointer: "/data/attributes/email" },
    });
    const noProps = await send("/client/events", {
      data: {
        type: "event",
        attributes: { metric: { data: { type: "metric", attributes: { name: "X" } } }, profile: profileDoc({ email: "a@example.com" }) },
      },
    });
    expect((noProps.body as Errors).errors[0].source?.pointer).toBe("/data/attributes/properties");
    const noList = await send("/client/subscriptions", {
      data: { type: "subscription", attributes: { profile: profileDoc({ email: "a@example.com" }) } },
    });
    expect((noList.body as Errors).errors[0].source?.pointer).toBe("/data/relationships");
    const notJson = await fetch(`${standIn.server.url}/client/profiles?company_id=DemoCo`, {
      method: "POST",
      headers: client,
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
  });

  it(`throttles the first "${RATE_LIMIT_DEMO_METRIC}" event once: 429 with Retry-After: 1, then 202`, async () => {
    const body = event(RATE_LIMIT_DEMO_METRIC, { email: "rate@example.com" }, { unique_id: "rate-1" });
    const first = await send("/client/events", body);
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("1");
    expect((first.body as Errors).errors[0].code).toBe("throttled");
    const second = await send("/client/events", body);
    expect(second.status).toBe(202);
    expect(
      (await send("/client/events", event(RATE_LIMIT_DEMO_METRIC, { email: "rate@example.com" }, { unique_id: "rate-2" }))).status,
    ).toBe(202);
  });

  it("subscribes to a single opt-in list at once and leaves double opt-in lists to the confirmation", async () => {
    const single = standIn.server.account.lists.find((l) => l.opt_in_process === "single_opt_in") as {
      id: string;
      members: { profileId: string }[];
    };
    const double = standIn.server.account.lists.find((l) => l.opt_in_process === "double_opt_in") as {
      id: string;
      members: { profileId: string }[];
    };
    const subscribe = (listId: string, email: string) => send("/client/subscriptions", subscription(listId, { email }));
    const before = double.members.length;
    expect((await subscribe(single.id, "single@example.com")).status).toBe(202);
    expect((await subscribe(double.id, "double@example.com")).status).toBe(202);
    const singleIds = (await sweep(`/api/lists/${single.id}/relationships/profiles${q({ "page[size]": "100" })}`)).items.map((m) => m.id);
    expect(singleIds).toContain(standIn.server.account.profiles.find((p) => p.attributes.email === "single@example.com")?.id);
    expect(double.members.length).toBe(before);
    expect((await subscribe("nope00", "x@example.com")).status).toBe(400);
  });

  it("checks a browser subscription's channels against what the spec says POST /client/subscriptions takes, and keeps transactional SMS consent on the profile", async () => {
    const single = standIn.server.account.lists.find((l) => l.opt_in_process === "single_opt_in") as { id: string };
    const subscribe = (attributes: Record<string, unknown>) => send("/client/subscriptions", subscription(single.id, attributes));
    // WhatsApp's conversational sub-channel can only be unsubscribed (bulk_unsubscribe_profiles).
    const conversational = await subscribe({ phone_number: "+12025550144", subscriptions: { whatsapp: { conversational: { consent: "SUBSCRIBED" } } } });
    expect(conversational.status).toBe(400);
    expect((conversational.body as Errors).errors[0].source).toEqual({ pointer: "/data/attributes/profile/data/attributes/subscriptions/whatsapp/conversational" });
    const fax = await subscribe({ email: "fax@example.com", subscriptions: { fax: { marketing: { consent: "SUBSCRIBED" } } } });
    expect(fax.status).toBe(400);
    expect((await subscribe({ email: "wrong@example.com", subscriptions: { email: { marketing: { consent: "UNSUBSCRIBED" } } } })).status).toBe(400);

    const accepted = await subscribe({ phone_number: "+12025550145", subscriptions: { sms: { transactional: { consent: "SUBSCRIBED" } } } });
    expect(accepted.status).toBe(202);
    const profile = standIn.server.account.profiles.find((p) => p.attributes.phone_number === "+12025550145");
    expect((profile?.subscriptions as { sms?: { transactional?: { consent?: string } } }).sms?.transactional?.consent).toBe("SUBSCRIBED");
  });
});

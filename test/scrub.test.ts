import { describe, expect, it } from "vitest";
import {
  DEMO_FIRST_NAMES, DEMO_LAST_NAMES, fakeEmail, fakeIp, fakePhone, isDemoEmail, scrubHeaders, scrubQuery, scrubText, scrubValue,
} from "../src/fixtures/scrub";
import { EMAIL_DETAIL, PHONE_DETAIL } from "../tools/standin/contacts";
import { REAL_LOOKING_KEY } from "./support/keys";

const KEY = REAL_LOOKING_KEY;

describe("scrubText", () => {
  it("keeps the demo stand-in's error texts as they are, so recorded 400s read the same", () => {
    expect(scrubText(PHONE_DETAIL)).toBe(PHONE_DETAIL);
    expect(scrubText(EMAIL_DETAIL)).toBe(EMAIL_DETAIL);
  });

  it("removes keys wherever they appear", () => {
    expect(scrubText(`Klaviyo-API-Key ${KEY} and again:${KEY}.`)).toBe("Klaviyo-API-Key pk_redacted and again:pk_redacted.");
  });

  it("replaces e-mails with stable fakes and keeps demo ones", () => {
    const out = scrubText("to jane.doe@gmail.com, cc Jane.Doe@Gmail.com, bcc ana@example.com");
    expect(out).toBe(`to ${fakeEmail("jane.doe@gmail.com")}, cc ${fakeEmail("jane.doe@gmail.com")}, bcc ana@example.com`);
    expect(fakeEmail("jane.doe@gmail.com")).toMatch(/^user-[0-9a-f]{10}@example\.com$/);
    expect(fakeEmail("a@b.co")).not.toBe(fakeEmail("c@b.co"));
  });

  it("keeps only addresses at example.com itself: look-alike domains are someone's and are replaced", () => {
    for (const lookalike of ["ana@notexample.com", "ana@example.com.evil.io", "ana@example.community", "ana.example.com@gmail.com"]) {
      expect(isDemoEmail(lookalike), lookalike).toBe(false);
      expect(scrubText(`to ${lookalike}.`), lookalike).toBe(`to ${fakeEmail(lookalike)}.`);
      expect(scrubValue({ attributes: { email: lookalike } }), lookalike).toEqual({ attributes: { email: fakeEmail(lookalike) } });
    }
    expect(isDemoEmail("Ana@Example.COM")).toBe(true);
    expect(scrubValue({ attributes: { email: "ana@example.com" } })).toEqual({ attributes: { email: "ana@example.com" } });
  });

  it("replaces real phone numbers in any common format, keeps demo and impossible ones", () => {
    const fake = fakePhone("+14155552671");
    expect(fake).toMatch(/^\+155501\d{5}$/);
    expect(scrubText("call +14155552671 or (415) 555-2671")).toBe(`call ${fake} or ${fake}`);
    expect(scrubText("+15550100123 +12015550123 +11234567890")).toBe("+15550100123 +12015550123 +11234567890");
    expect(scrubText(fake)).toBe(fake);
  });

  it("replaces IPs outside the documentation ranges", () => {
    const out = scrubText("from 8.8.4.4 via 192.0.2.7");
    expect(out).toBe(`from ${fakeIp("8.8.4.4")} via 192.0.2.7`);
    expect(fakeIp("8.8.4.4")).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/);
    expect(scrubText("version 1.2.3.4.5 and 2026-11-20T12:00:00Z")).toBe("version 1.2.3.4.5 and 2026-11-20T12:00:00Z");
  });

  it("replaces names in filter expressions", () => {
    const out = scrubText('equals(first_name,"Jane")');
    expect(out).toMatch(/^equals\(first_name,"(\w+)"\)$/);
    expect(DEMO_FIRST_NAMES).toContain(/"(\w+)"/.exec(out)?.[1]);
  });
});

describe("scrubValue", () => {
  const profile = {
    type: "profile", id: "01ABC",
    attributes: {
      email: "jane.doe@gmail.com", phone_number: "+14155552671", first_name: "Jane", last_name: "Doe", title: "Engineer",
      location: { address1: "742 Evergreen Terrace", address2: "Apt 5", city: "Springfield", region: "OR", zip: "97403", country: "US", ip: "8.8.4.4", latitude: 44.0521, longitude: "-123.0868" },
      properties: { note: "reach me at jane.doe@gmail.com", $first_name: "Jane", BillingAddress: { FirstName: "Jane", Phone: "(415) 555-2671" } },
    },
  };

  it("replaces personal fields, keeps the rest, and is stable across calls", () => {
    const out = scrubValue(profile) as typeof profile;
    const text = JSON.stringify(out);
    for (const secret of ["jane.doe@gmail.com", "4155552671", "555-2671", "Jane", "Doe", "Evergreen", "Apt 5", "8.8.4.4", "44.0521", "123.0868"]) {
      expect(text).not.toContain(secret);
    }
    expect(out.attributes.location).toMatchObject({ city: "Springfield", region: "OR", zip: "97403", country: "US", latitude: 44.1, longitude: "-123.1" });
    expect(out.attributes.title).toBe("Engineer");
    expect(out.id).toBe("01ABC");
    expect(DEMO_FIRST_NAMES).toContain(out.attributes.first_name);
    expect(DEMO_LAST_NAMES).toContain(out.attributes.last_name);
    // The same person gets the same fakes everywhere, so relations survive.
    expect(out.attributes.properties.$first_name).toBe(out.attributes.first_name);
    expect(out.attributes.properties.BillingAddress.Phone).toBe(out.attributes.phone_number);
    expect(out.attributes.properties.note).toBe(`reach me at ${out.attributes.email}`);
    expect(scrubValue(profile)).toEqual(out);
    expect(scrubValue(out)).toEqual(out);
  });

  it("does not touch list, metric or segment names", () => {
    expect(scrubValue({ type: "list", attributes: { name: "Newsletter" } })).toEqual({ type: "list", attributes: { name: "Newsletter" } });
  });
});

describe("scrubQuery and scrubHeaders", () => {
  it("scrubs filter values in queries", () => {
    expect(scrubQuery({ filter: 'equals(email,"jane.doe@gmail.com")', "page[size]": "5" }))
      .toEqual({ filter: `equals(email,"${fakeEmail("jane.doe@gmail.com")}")`, "page[size]": "5" });
  });

  it("keeps only a small stable set of response headers", () => {
    expect(scrubHeaders({ "Content-Type": "application/vnd.api+json", "content-length": "99", "content-encoding": "gzip", date: "Fri, 20 Nov 2026 12:00:00 GMT", "set-cookie": ["a=b"], "retry-after": "1", authorization: `Klaviyo-API-Key ${KEY}` }))
      .toEqual({ "content-type": "application/vnd.api+json", "retry-after": "1" });
  });
});

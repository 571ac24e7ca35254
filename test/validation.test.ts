import { describe, expect, it } from "vitest";
import {
  MAX_METRIC_NAME_LENGTH,
  ValidationError,
  validateClientEvent,
  validateClientEventsBulk,
  validateClientProfile,
  validateClientSubscription,
  validateEmail,
  validatePhoneNumber,
} from "../src/client-side/validation";

/** Runs `check` and returns the ValidationError it throws (fails the test when it does not throw). */
function refusal(check: () => void): ValidationError {
  try {
    check();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error("expected a ValidationError, none was thrown");
}

describe("validatePhoneNumber", () => {
  it("refuses the guides' +11234567890 and says why: area code 123 cannot exist", () => {
    const r = validatePhoneNumber("+11234567890");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/^cannot be a real number: /);
    expect(r.reason).toContain("area codes never start with 0 or 1");
    expect(r.reason).toContain("no area code 123");
  });

  it("accepts a real number in E.164", () => {
    expect(validatePhoneNumber("+12015550123")).toStrictEqual({ ok: true, e164: "+12015550123", country: "US" });
    expect(validatePhoneNumber("+442079460958")).toStrictEqual({ ok: true, e164: "+442079460958", country: "GB" });
  });

  it("refuses a real number not written in E.164 and offers the E.164 form", () => {
    expect(validatePhoneNumber("+1 (201) 555-0123")).toStrictEqual({ ok: false, reason: "is a real number but not written in E.164 (no spaces, dashes or brackets)", e164: "+12015550123" });
  });

  it("explains missing +, bad length, unknown country code and an unassigned exchange", () => {
    const reason = (v: string) => {
      const r = validatePhoneNumber(v);
      return r.ok ? "ok" : r.reason;
    };
    expect(reason("2015550123")).toContain('does not start with "+"');
    expect(reason("+1555010012")).toBe("has too few digits for a +1 number (9 after +1)");
    expect(reason("+1201555012345")).toBe("has too many digits for a +1 number (12 after +1)");
    expect(reason("+999123456")).toBe("does not start with a country calling code that exists");
    expect(reason("+12010550123")).toContain("never start with 0 or 1 (here 055)");
    expect(reason("")).toBe("is empty");
  });
});

describe("validateEmail", () => {
  it.each([
    ["new test@example.com", "contains whitespace"],
    ["ana.example.com", "has no @"],
    ["ana@@example.com", "has more than one @"],
    ["@example.com", "has nothing before the @"],
    ["ana@", "has nothing after the @"],
    ["ana@example", 'has a domain without a dot ("example")'],
    ["ana@example..com", 'has an empty part in its domain ("example..com")'],
    ["ana@example.c", 'has no valid top-level domain ("c")'],
  ])("refuses %j: %s", (value, reason) => {
    expect(validateEmail(value)).toStrictEqual({ ok: false, reason });
  });

  it("accepts ordinary addresses", () => {
    for (const v of ["ana@example.com", "ana.maria+shop@mail.example.co.uk", "o'neil@example.org"]) expect(validateEmail(v)).toStrictEqual({ ok: true });
  });
});

describe("ValidationError", () => {
  it("names the field, shows the value, says why and how to fix, for every problem", () => {
    const err = refusal(() => validateClientProfile({ email: "new test@example.com", phoneNumber: "+11234567890" }));
    expect(err.issues.map((i) => i.field)).toStrictEqual(["email", "phone_number"]);
    expect(err.field).toBe("email");
    expect(err.value).toBe("new test@example.com");
    expect(err.reason).toBe("contains whitespace");
    expect(err.message).toContain("Not sent: the profile has 2 problems:");
    expect(err.message).toContain('phone_number = "+11234567890": cannot be a real number');
    expect(err.message).toContain('Use a real number in E.164, e.g. "+12015550123"');
  });

  it("suggests the E.164 form when the number is real", () => {
    const err = refusal(() => validateClientProfile({ phoneNumber: "+1 201 555 0123" }));
    expect(err.issues[0]?.fix).toBe('Send "+12015550123".');
  });
});

describe("validateClientProfile", () => {
  it("needs an identifier", () => {
    const err = refusal(() => validateClientProfile({ firstName: "Ana" }));
    expect(err.field).toBe("profile");
    expect(err.reason).toContain("has no identifier");
  });

  it.each([{ email: "ana@example.com" }, { externalId: "crm-7" }, { anonymousId: "a1" }, { kx: "k" }, { id: "01H" }, { phoneNumber: "+12015550123" }])("accepts %j", (p) => {
    expect(() => validateClientProfile(p)).not.toThrow();
  });
});

describe("validateClientEvent", () => {
  const base = { metric: "Customer Review", profile: { email: "ana@example.com" }, properties: {} };

  it("takes metric names below 128 characters only", () => {
    expect(() => validateClientEvent({ ...base, metric: "m".repeat(MAX_METRIC_NAME_LENGTH) })).not.toThrow();
    const err = refusal(() => validateClientEvent({ ...base, metric: "m".repeat(128) }));
    expect(err.field).toBe("metric.name");
    expect(err.reason).toBe("has 128 characters; the API takes fewer than 128");
    expect(refusal(() => validateClientEvent({ ...base, metric: " " })).reason).toBe("is empty");
  });

  it("checks the profile with paths under profile.", () => {
    const err = refusal(() => validateClientEvent({ ...base, profile: { phoneNumber: "+11234567890" } }));
    expect(err.field).toBe("profile.phone_number");
  });

  it("limits properties to 400 keys", () => {
    const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(() => validateClientEvent({ ...base, properties: props(400) })).not.toThrow();
    expect(refusal(() => validateClientEvent({ ...base, properties: props(401) })).reason).toBe("has 401 keys; the API takes at most 400");
  });

  it("checks time, value and currency", () => {
    const err = refusal(() => validateClientEvent({ ...base, time: "yesterday", value: Number.NaN, valueCurrency: "usd" }));
    expect(err.issues.map((i) => i.field)).toStrictEqual(["time", "value", "value_currency"]);
    expect(refusal(() => validateClientEvent({ ...base, time: new Date("1989-06-01T00:00:00Z") })).field).toBe("time");
  });
});

describe("validateClientEventsBulk", () => {
  const profile = { email: "ana@example.com" };

  it("refuses more than 1000 events and an empty list", () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ metric: "Viewed Product", properties: {}, uniqueId: `v${i}` }));
    expect(refusal(() => validateClientEventsBulk(profile, many)).reason).toBe("holds 1001 events; a request takes 1 to 1000");
    expect(() => validateClientEventsBulk(profile, many.slice(0, 1000))).not.toThrow();
    expect(refusal(() => validateClientEventsBulk(profile, [])).field).toBe("events");
  });

  it("catches two events of one metric sharing a dedup key (same unique_id, or same second without one)", () => {
    const sameId = refusal(() => validateClientEventsBulk(profile, [{ metric: "Customer Review", properties: {}, uniqueId: "r" }, { metric: "Customer Review", properties: {}, uniqueId: "r" }]));
    expect(sameId.field).toBe("events[1].unique_id");
    const sameSecond = refusal(() =>
      validateClientEventsBulk(profile, [
        { metric: "Customer Review", properties: {}, time: "2026-11-20T12:00:00.100Z" },
        { metric: "Customer Review", properties: {}, time: "2026-11-20T12:00:00.900Z" },
      ]),
    );
    expect(sameSecond.reason).toContain("same second");
    expect(() => validateClientEventsBulk(profile, [{ metric: "A", properties: {} }, { metric: "B", properties: {} }])).not.toThrow();
  });

  it("prefixes per-event fields with their index", () => {
    expect(refusal(() => validateClientEventsBulk(profile, [{ metric: "A", properties: {}, uniqueId: "1" }, { metric: "", properties: {}, uniqueId: "2" }])).field).toBe("events[1].metric.name");
  });
});

describe("validateClientSubscription", () => {
  it("needs a list and an email or phone number", () => {
    const err = refusal(() => validateClientSubscription({ listId: "", profile: { externalId: "crm-7" } }));
    expect(err.issues.map((i) => i.field)).toStrictEqual(["list.id", "profile"]);
  });

  it("refuses consent for a channel the profile cannot receive", () => {
    const err = refusal(() => validateClientSubscription({ listId: "Y6nRLr", profile: { email: "ana@example.com" }, consent: { sms: "SUBSCRIBED" } }));
    expect(err.field).toBe("profile.subscriptions.sms");
  });

  it("accepts a plain email subscription", () => {
    expect(() => validateClientSubscription({ listId: "Y6nRLr", profile: { email: "ana@example.com" }, consent: { email: "SUBSCRIBED" } })).not.toThrow();
  });
});

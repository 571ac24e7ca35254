import { describe, expect, it } from "vitest";
import { describeSdkError, errorsFromResponse, formatApiErrors, parseApiErrors } from "../src/api-errors";
import { ValidationError } from "../src/client-side/validation";

const PHONE_ERROR = {
  id: "9a6c1d5e",
  code: "invalid",
  title: "Invalid input.",
  detail: "Invalid phone number format",
  source: { pointer: "/data/attributes/phone_number" },
};

describe("parseApiErrors", () => {
  it("reads errors[] from parsed JSON or JSON text", () => {
    expect(parseApiErrors({ errors: [PHONE_ERROR] })).toStrictEqual([PHONE_ERROR]);
    expect(parseApiErrors(JSON.stringify({ errors: [PHONE_ERROR] }))).toStrictEqual([PHONE_ERROR]);
  });

  it("keeps the undeclared status (as a number) and meta that live responses carry", () => {
    expect(parseApiErrors({ errors: [{ ...PHONE_ERROR, status: "400", meta: {} }] })).toStrictEqual([{ ...PHONE_ERROR, status: 400, meta: {} }]);
  });

  it("fills missing fields with empty strings rather than dropping the item", () => {
    expect(parseApiErrors({ errors: [{ detail: "Only a detail" }] })).toStrictEqual([{ id: "", code: "", title: "", detail: "Only a detail" }]);
  });

  it("returns [] for anything that is not an error document", () => {
    for (const body of ["", "<html></html>", "null", { data: [] }, { errors: "oops" }, undefined]) expect(parseApiErrors(body)).toStrictEqual([]);
  });
});

describe("errorsFromResponse", () => {
  it("synthesizes one error for an empty or non-JSON body", () => {
    expect(errorsFromResponse(500, "Internal Server Error", "")).toStrictEqual([
      { id: "local", code: "unparsed_error_body", title: "HTTP 500 Internal Server Error", detail: "The response body was empty.", status: 500 },
    ]);
    const [html] = errorsFromResponse(502, "Bad Gateway", "<h1>Bad Gateway</h1>", "text/html");
    expect(html?.detail).toBe('The response body (text/html) is not a JSON:API error document: "<h1>Bad Gateway</h1>"');
  });
});

describe("formatApiErrors", () => {
  it("prints status, code, title, detail and pointer on one line per error", () => {
    const second = { id: "2", code: "invalid", title: "Invalid input.", detail: "Invalid email address", source: { pointer: "/data/attributes/email" } };
    expect(formatApiErrors([PHONE_ERROR, second], 400)).toBe(
      "400 invalid — Invalid input.: Invalid phone number format (at /data/attributes/phone_number)\n" +
        "400 invalid — Invalid input.: Invalid email address (at /data/attributes/email)",
    );
  });

  it("names a query parameter, prefers an item's own status, and handles no errors", () => {
    const param = { id: "3", code: "missing", title: "Missing.", detail: "company_id is required", source: { parameter: "company_id" }, status: 401 };
    expect(formatApiErrors([param], 400)).toBe("401 missing — Missing.: company_id is required (query parameter company_id)");
    expect(formatApiErrors([])).toBe("(no errors)");
  });
});

describe("describeSdkError", () => {
  it("turns an AxiosError from klaviyo-api into the request line and its errors[]", () => {
    const err = Object.assign(new Error("Request failed with status code 400"), {
      isAxiosError: true as const,
      config: { method: "post", url: "https://a.klaviyo.com/api/profile-import" },
      response: { status: 400, statusText: "Bad Request", data: { errors: [PHONE_ERROR] }, headers: { "content-type": "application/vnd.api+json" } },
    });
    expect(describeSdkError(err)).toBe(
      "POST https://a.klaviyo.com/api/profile-import → 400 Bad Request\n400 invalid — Invalid input.: Invalid phone number format (at /data/attributes/phone_number)",
    );
  });

  it("shows Retry-After on a 429 and synthesizes an error for a non-JSON body", () => {
    const err = { isAxiosError: true, message: "429", config: { method: "get", url: "/api/events" }, response: { status: 429, statusText: "Too Many Requests", data: "slow down", headers: { "retry-after": "3" } } };
    expect(describeSdkError(err)).toBe(
      'GET /api/events → 429 Too Many Requests (Retry-After: 3 s)\n429 unparsed_error_body — HTTP 429 Too Many Requests: The response body (no content-type) is not a JSON:API error document: "slow down"',
    );
  });

  it("describes a network failure, a ValidationError and a non-error", () => {
    const network = { isAxiosError: true, message: "connect ECONNREFUSED 127.0.0.1:9", code: "ECONNREFUSED", config: { method: "get", url: "http://127.0.0.1:9/api/lists" } };
    expect(describeSdkError(network)).toBe("GET http://127.0.0.1:9/api/lists failed without a response: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9");
    const v = new ValidationError("profile", [{ field: "email", value: "x", reason: "has no @", fix: "Add one." }]);
    expect(describeSdkError(v)).toBe('ValidationError: Not sent: the profile has 1 problem:\n  - email = "x": has no @. Add one.');
    expect(describeSdkError("plain")).toBe("plain");
  });
});

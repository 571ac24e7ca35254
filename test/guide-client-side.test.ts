/**
 * The client-side guide, checked as a file (nothing is executed here; the runner's `--check` does
 * that): it answers every FAQ the original guide listed, it was committed executed and clean, it
 * stays small enough for nbviewer, and no key or real person's address slipped into it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { contentsProblems, executionProblems, foreignEmails, headingAt, loadNotebook, printed, structureProblems, text } from "./support/notebook";

const ROOT = join(__dirname, "..");
const NOTEBOOK = join(ROOT, "notebooks", "understanding-client-side-requests.ipynb");
const FIXTURE = join(ROOT, "data", "client-side.json");
const MAX_BYTES = 400 * 1024;

/**
 * The FAQs of the 2022 guide (seed README, "Understanding client-side requests"), each with the
 * anchor of the heading that answers it for revision 2026-07-15. Two questions are reworded for
 * this port: the guide is TypeScript, and an empty 202 body is `undefined`, not `None`.
 */
const FAQ_ANCHORS: readonly { question: string; anchor: string }[] = [
  { question: "Who is this guide meant for?", anchor: "who-is-this-guide-for" },
  { question: "What's a client-side request?", anchor: "what-is-a-client-side-request" },
  { question: "What do I need to follow along?", anchor: "what-do-i-need" },
  { question: "What's an SDK?", anchor: "what-is-an-sdk" },
  { question: "Where can I find Klaviyo's SDKs?", anchor: "where-are-klaviyos-sdks" },
  { question: "Why is this guide in Python and not JavaScript?", anchor: "why-typescript-on-node" },
  { question: "Where can I find examples of custom integrations using JavaScript?", anchor: "javascript-integration-examples" },
  { question: "Why might some metrics appear twice in my account?", anchor: "why-metrics-appear-twice" },
  { question: "How are metrics and events related?", anchor: "how-are-metrics-and-events-related" },
  { question: "Do I need to provide a schema for new event types?", anchor: "do-i-need-a-schema" },
  { question: "What happens if I upload events with the wrong data type?", anchor: "wrong-data-type" },
  { question: "How can event data be used in Flows/Templates?", anchor: "event-data-in-flows" },
  { question: "Why is my API response a 202?", anchor: "why-202" },
  { question: "Why is my API response a NoneType?", anchor: "why-body-empty" },
  { question: "How can rate limit issues be mitigated?", anchor: "rate-limits" },
  { question: "Why may Klaviyo reject a correctly formatted phone number?", anchor: "phone-rejected" },
  // Added for 2026 practice (issue 11).
  { question: "When is Klaviyo Reviews the better tool?", anchor: "klaviyo-reviews" },
  { question: "Why is an SMS subscription refused with a 400?", anchor: "sms-consent" },
  { question: "What does the SDK throw, and which errors are retried?", anchor: "sdk-errors" },
];

const guide = loadNotebook(NOTEBOOK);

describe("understanding-client-side-requests.ipynb", () => {
  it.each(FAQ_ANCHORS)("answers “$question” under a question heading (#$anchor)", ({ anchor }) => {
    expect(headingAt(guide, anchor), `no heading after <a id="${anchor}"></a>`).toMatch(/^###? .+\?$/);
  });

  it("links every anchor from the table of contents, and every link there resolves", () => {
    expect(contentsProblems(guide, FAQ_ANCHORS.map((f) => f.anchor))).toEqual([]);
  });

  it("is one small, valid tslab notebook with stable cell ids", () => {
    expect(structureProblems(guide, MAX_BYTES)).toEqual([]);
  });

  it("was committed executed, without errors", () => {
    expect(guide.code.length).toBeGreaterThan(10);
    expect(executionProblems(guide)).toEqual([]);
    expect(printed(guide)).toContain("202");
    expect(printed(guide)).toMatch(/429 → waited \d+(\.\d+)? s \(Retry-After\) → 202/);
  });

  it("imports only in the set-up cell, which connects as the client-side guide", () => {
    const withImports = guide.code.filter((c) => /^\s*import /m.test(text(c.source)));
    expect(withImports.map((c) => c.id)).toEqual(["setup"]);
    expect(text(withImports[0].source)).toContain('await connect("client-side")');
  });

  it("holds no key-like string and no e-mail address outside example.com", () => {
    expect(guide.raw).not.toMatch(/pk_[A-Za-z0-9]/);
    // "name@domain.tld" is the validation helper's pattern for an address, not an address.
    expect(foreignEmails(guide, ["name@domain.tld"])).toEqual([]);
  });

  it("has its recorded fixture, for the same account the guide connects to", () => {
    expect(existsSync(FIXTURE), "data/client-side.json: run npm run fixtures").toBe(true);
    const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { publicKey: string; interactions: { path: string }[] };
    expect(fixture.publicKey).toBe("DemoCo");
    const paths = new Set(fixture.interactions.map((i) => i.path.split("?")[0]));
    for (const path of ["/client/events", "/client/event-bulk-create", "/client/subscriptions", "/client/profiles", "/client/reviews", "/client/ip-allowlists/egress"]) {
      expect(paths.has(path), `no recorded ${path}`).toBe(true);
    }
  });

  it("shows both answers to an impossible phone number: dropped beside an email, 400 when alone", () => {
    const out = printed(guide);
    expect(out).toContain("202 Accepted (empty body: the request is queued); ignored: phone_number (X-Klaviyo-Partial-Failure)");
    expect(out).toMatch(/400 invalid — Invalid input\.: Invalid phone number format.*\(at \/data\/attributes\/phone_number\)/);
    expect(out).toMatch(/400 invalid — .*no sending number for region CA/);
  });
});

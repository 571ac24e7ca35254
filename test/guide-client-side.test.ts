/**
 * What only the client-side guide must show (the checks every guide shares, its FAQ list
 * included, are in test/guides.test.ts): the 202s and the rate-limit retry it prints, both answers
 * to an impossible phone number, the SMS-region refusal, and the client endpoints its fixture replays.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NOTEBOOKS_DIR, PROJECT_ROOT } from "../tools/paths";
import { guideEntry } from "../src/guides";
import { loadNotebook, printed } from "../tools/notebook";

const entry = guideEntry("client-side");
const guide = loadNotebook(join(NOTEBOOKS_DIR, entry.notebook));

describe(entry.notebook, () => {
  it("was committed executed, showing a 202 and a 429 retried after Retry-After", () => {
    expect(guide.code.length).toBeGreaterThan(10);
    expect(printed(guide)).toContain("202");
    expect(printed(guide)).toMatch(/429 → waited \d+(\.\d+)? s \(Retry-After\) → 202/);
  });

  it("has recorded every client endpoint it sends to", () => {
    const fixture = JSON.parse(readFileSync(join(PROJECT_ROOT, "data", entry.fixture), "utf8")) as { interactions: { path: string }[] };
    const paths = new Set(fixture.interactions.map((i) => i.path.split("?")[0]));
    for (const path of ["/client/events", "/client/event-bulk-create", "/client/subscriptions", "/client/profiles", "/client/reviews", "/client/ip-allowlists/egress"]) {
      expect(paths.has(path), `no recorded ${path}`).toBe(true);
    }
  });

  it("shows both answers to an impossible phone number: dropped beside an email, 400 when alone", () => {
    const out = printed(guide);
    expect(out).toContain("202 Accepted (empty body: the request is queued); ignored: phone_number (X-Klaviyo-Partial-Failure)");
    expect(out).toMatch(/400 invalid — Invalid input\.: Invalid phone number format.*\(at \/data\/attributes\/phone_number\)/);
    expect(out).toMatch(/400 invalid — .*no SMS sending number for region GB.*\(at \/data\/attributes\/profile\/data\/attributes\/phone_number\)/);
  });
});

import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../tools/paths";
import { describe, expect, it, vi } from "vitest";
import { connect } from "../src/connect";
import type { FixtureFile } from "../src/fixtures/format";
import { DEMO_FIRST_NAMES, fakeEmail, fakePhone } from "../src/fixtures/scrub";
import { guideEnv } from "./support/env";
import type { SeenRequest } from "./support/local-server";
import { useSandbox } from "./support/sandbox";
import { REAL_LOOKING_KEY } from "./support/keys";

const KEY = REAL_LOOKING_KEY;
const REAL_EMAIL = "jane.doe@gmail.com";
const REAL_PHONE = "+14155552671";
const PERSONAL = [KEY, REAL_EMAIL, "jane.doe%40gmail.com", "4155552671", "555-2671", "Jane", "Doe", "Evergreen", "Apt 5", "8.8.4.4"];

const janeProfile = {
  type: "profile", id: "01JANE",
  attributes: {
    email: REAL_EMAIL, phone_number: REAL_PHONE, first_name: "Jane", last_name: "Doe", created: "2025-03-04T05:06:07+00:00",
    location: { address1: "742 Evergreen Terrace", address2: "Apt 5", city: "Springfield", country: "US", ip: "8.8.4.4" },
    properties: { note: "call (415) 555-2671" },
  },
  links: { self: "https://a.klaviyo.com/api/profiles/01JANE" },
};
const demoProfile = {
  type: "profile", id: "01DEMO",
  attributes: { email: "ana@example.com", phone_number: "+15550100123", first_name: "Avery", last_name: "Archer", created: "2025-01-01T00:00:00+00:00", location: { ip: "192.0.2.10" }, properties: {} },
  links: { self: "https://a.klaviyo.com/api/profiles/01DEMO" },
};

/** A stand-in that answers like Klaviyo, plus one answer echoing the key it was sent. */
function answer(req: SeenRequest) {
  if (req.method === "GET" && req.url.startsWith("/api/profiles?")) {
    return { status: 200, body: { data: [janeProfile, demoProfile], links: { self: "https://a.klaviyo.com/api/profiles", next: null } } };
  }
  if (req.method === "GET" && req.url === "/api/profiles/01JANE") {
    return { status: 200, headers: { "set-cookie": "session=1", "ratelimit-remaining": "74" }, body: { data: janeProfile, meta: { echo: String(req.headers.authorization) } } };
  }
  if (req.method === "POST" && req.url.startsWith("/client/profiles?company_id=PubKey1")) return { status: 202 };
  return { status: 404, body: { errors: [{ id: "x", code: "not_found", title: "Not found", detail: req.url }] } };
}

const box = useSandbox("record", answer);

/** The same three cells, run in record and then in replay. */
async function runGuideCells() {
  const kv = await connect("customer-data");
  const sdk = await kv.profiles.getProfiles({ filter: `equals(email,"${REAL_EMAIL}")` });
  const raw = await fetch(`${kv.baseUrl}/api/profiles/01JANE`, { headers: kv.serverHeaders() });
  const rawDoc = (await raw.json()) as { data: typeof janeProfile };
  const write = await kv.client.send("/client/profiles", { data: { type: "profile", attributes: { email: REAL_EMAIL, first_name: "Jane", phone_number: REAL_PHONE } } });
  return { kv, sdk: sdk.body, rawDoc, write };
}

describe("record", () => {
  it("writes a scrubbed fixture with scope https://a.klaviyo.com that then replays", async () => {
    guideEnv({
      KLAVIYO_MODE: "record", KLAVIYO_PRIVATE_KEY: KEY, KLAVIYO_PUBLIC_KEY: "PubKey1", KLAVIYO_BASE_URL: box.server.url,
      KLAVIYO_FIXTURES_DIR: box.dir, KLAVIYO_ALLOW_WRITES: "1", KLAVIYO_CLOCK: "2026-11-20T12:00:00Z",
    });
    const live = await runGuideCells();
    expect(vi.mocked(console.log).mock.calls[0][0]).toBe(
      `Mode: record: requests go to ${box.server.url} for the account with public key PubKey1. Every exchange is saved, scrubbed, to ${relative(PROJECT_ROOT, join(box.dir, "customer-data.json"))}. Writes are on (KLAVIYO_ALLOW_WRITES=1).`,
    );
    expect(live.sdk.data[0].attributes.email).toBe(REAL_EMAIL); // live answers are untouched
    expect(live.write.outcome).toBe("accepted");
    expect(box.server.requests).toHaveLength(3);

    const text = readFileSync(join(box.dir, "customer-data.json"), "utf8");
    for (const secret of PERSONAL) {
      expect(text).not.toContain(secret);
      expect(decodeURIComponent(text)).not.toContain(secret);
    }
    const file = JSON.parse(text) as FixtureFile;
    expect(file.recordedAt).toBe("2026-11-20T12:00:00.000Z");
    expect(file.publicKey).toBe("PubKey1");
    expect(file.interactions.map((x) => [x.scope, x.method, x.status])).toEqual([
      ["https://a.klaviyo.com", "GET", 200], ["https://a.klaviyo.com", "GET", 200], ["https://a.klaviyo.com", "POST", 202],
    ]);
    const fake = fakeEmail(REAL_EMAIL);
    expect(decodeURIComponent(file.interactions[0].path)).toBe(`/api/profiles?filter=equals(email,"${fake}")`);
    const [listed, single, posted] = file.interactions.map((x) => JSON.stringify(x));
    for (const s of [listed, single, posted]) expect(s).toContain(fake);
    expect(listed).toContain(fakePhone(REAL_PHONE));
    expect(posted).toContain(fakePhone(REAL_PHONE));
    expect(listed).toContain("ana@example.com"); // demo data stays
    expect(listed).toContain("+15550100123");
    expect(listed).toContain("192.0.2.10");
    expect(single).toContain("pk_redacted");
    expect(file.interactions[1].headers).toEqual({ "content-type": "application/vnd.api+json", "ratelimit-remaining": "74" });
    expect(text.endsWith("}\n")).toBe(true);

    // Replay: same cells, no server, answers from the scrubbed file.
    await box.server.close();
    guideEnv({ KLAVIYO_MODE: "replay", KLAVIYO_FIXTURES_DIR: box.dir });
    const replayed = await runGuideCells();
    expect(replayed.kv.now().toISOString()).toBe("2026-11-20T12:00:00.000Z");
    expect(replayed.kv.publicKey).toBe("PubKey1");
    const jane = replayed.sdk.data[0].attributes;
    expect(jane.email).toBe(fake);
    expect(DEMO_FIRST_NAMES).toContain(jane.firstName);
    expect(jane.created).toBeInstanceOf(Date);
    expect(replayed.rawDoc.data.attributes.first_name).toBe(jane.firstName);
    expect(replayed.write.outcome).toBe("accepted");
    expect(box.server.requests).toHaveLength(3);
  });
});

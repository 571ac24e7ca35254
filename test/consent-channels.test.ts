/**
 * The consent channels table (src/consent-channels.ts), from the facts `npm run spec` derived
 * from Klaviyo's OpenAPI document into operations.generated.ts.
 */
import { describe, expect, it } from "vitest";
import { CONSENT_CHANNELS, consentChannelTable } from "../src/consent-channels";

describe("consentChannelTable", () => {
  const table = consentChannelTable(["bulk_subscribe_profiles", "bulk_unsubscribe_profiles"]);
  const row = (channel: string) => table.find((r) => r.channel === channel);

  it("has a row per channel and sub-channel any of the operations accepts, and says which accepts it", () => {
    expect(row("sms.transactional")).toEqual({ channel: "sms.transactional", bulk_subscribe_profiles: "yes", bulk_unsubscribe_profiles: "yes" });
    // WhatsApp's conversational messages can be unsubscribed from, not subscribed to.
    expect(row("whatsapp.conversational")).toEqual({ channel: "whatsapp.conversational", bulk_subscribe_profiles: "—", bulk_unsubscribe_profiles: "yes" });
    expect(table.map((r) => r.channel)).toContain("email.marketing");
    expect(new Set(table.map((r) => r.channel)).size).toBe(table.length);
  });

  it("lists a channel's other fields, marking the required ones", () => {
    expect(row("push (other fields)")).toEqual({ channel: "push (other fields)", bulk_subscribe_profiles: "tokens, anonymous_id", bulk_unsubscribe_profiles: "tokens (required)" });
    expect(row("sms (other fields)")).toBeUndefined();
  });

  it("reads every consent operation the guides call", () => {
    expect(Object.keys(CONSENT_CHANNELS).sort()).toEqual(["bulk_subscribe_profiles", "bulk_unsubscribe_profiles", "create_client_subscription"]);
  });
});

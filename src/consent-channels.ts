/**
 * Which consent channels each consent request accepts, as Klaviyo's OpenAPI document gives them
 * (the `subscriptions` object of the request body: `SubscriptionChannels` on subscribe,
 * `UnsubscriptionChannels` on unsubscribe). `npm run spec` derives them into
 * operations.generated.ts; this module types them and lays them out as a table.
 *
 * @example
 * CONSENT_CHANNELS.bulk_subscribe_profiles.sms.consent // ["marketing", "transactional"]
 */
import { CONSENT_CHANNELS as DERIVED } from "./operations.generated";

/** What a request body accepts for one channel (e.g. `sms`) under `subscriptions`. */
export interface ChannelParameters {
  /** Sub-channels that take a `consent` (e.g. `marketing`, `transactional`), in the document's order. */
  consent: readonly string[];
  /** The channel's other properties (push `tokens`, `anonymous_id`). */
  other: readonly string[];
  /** Properties required whenever the channel is sent. */
  required: readonly string[];
}

/** Channel (`email`, `sms`, `whatsapp`, `push`…) → what the body accepts for it. */
export type ConsentChannels = Record<string, ChannelParameters>;

/** An operation whose request body carries consent. */
export type ConsentOperationId = keyof typeof DERIVED;

/** Every consent operation this project uses, by operationId, with the channels its body accepts. */
export const CONSENT_CHANNELS: Readonly<Record<ConsentOperationId, ConsentChannels>> = DERIVED;

/**
 * One row per channel and sub-channel (e.g. `sms.transactional`), one column per operation: "yes"
 * where its body accepts it, "—" where not; then a row per channel that has other properties
 * (`push` with `tokens`), those that are required marked `(required)`.
 *
 * @example
 * consentChannelTable(["bulk_subscribe_profiles"])[0] // { channel: "email.marketing", bulk_subscribe_profiles: "yes" }
 */
export function consentChannelTable(operations: readonly ConsentOperationId[]): Record<string, string>[] {
  const accepts = (op: ConsentOperationId, channel: string): ChannelParameters | undefined => CONSENT_CHANNELS[op][channel];
  const channels = [...new Set(operations.flatMap((op) => Object.keys(CONSENT_CHANNELS[op])))];
  const rows: Record<string, string>[] = [];
  for (const channel of channels) {
    const subChannels = [...new Set(operations.flatMap((op) => accepts(op, channel)?.consent ?? []))];
    for (const sub of subChannels) {
      rows.push({ channel: `${channel}.${sub}`, ...Object.fromEntries(operations.map((op) => [op, accepts(op, channel)?.consent.includes(sub) ? "yes" : "—"])) });
    }
    if (operations.some((op) => (accepts(op, channel)?.other.length ?? 0) > 0)) {
      rows.push({
        channel: `${channel} (other fields)`,
        ...Object.fromEntries(operations.map((op) => {
          const parameters = accepts(op, channel);
          const names = (parameters?.other ?? []).map((name) => (parameters?.required.includes(name) ? `${name} (required)` : name));
          return [op, names.join(", ") || "—"];
        })),
      });
    }
  }
  return rows;
}

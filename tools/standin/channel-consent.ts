/**
 * The `subscriptions` object of a bulk subscribe or unsubscribe row, or of a browser's
 * `POST /client/subscriptions` (routes/client.ts), checked against what
 * Klaviyo's OpenAPI document says the body accepts (src/consent-channels.ts, derived by
 * `npm run spec`), and the consent it asks for written where the spec's Profile `subscriptions`
 * keeps it (`sms.transactional`, `whatsapp.*`, `mobile_push.marketing`, `email.open_tracking`).
 * E-mail and SMS marketing, which also move suppressions and list membership, stay in
 * routes/consent.ts.
 */
import { CONSENT_CHANNELS } from "../../src/consent-channels";
import { apiDatetime } from "./account";
import type { DemoProfile, JsonObject } from "./account";
import { smsRegionProblem } from "./contacts";
import { isObj } from "./http/body";
import type { Obj } from "./http/body";
import { invalid, refuse } from "./http/reply";

/** The consent a request sets: `SUBSCRIBED` on subscribe, `UNSUBSCRIBED` on unsubscribe. */
export type ConsentValue = "SUBSCRIBED" | "UNSUBSCRIBED";

/** What each consent operation sets. */
const SETS: Record<"bulk_subscribe_profiles" | "bulk_unsubscribe_profiles" | "create_client_subscription", ConsentValue> = {
  bulk_subscribe_profiles: "SUBSCRIBED",
  bulk_unsubscribe_profiles: "UNSUBSCRIBED",
  create_client_subscription: "SUBSCRIBED",
};
export type ConsentOperation = keyof typeof SETS;

/** The identifier a channel's consent belongs to; push consent belongs to a device's token. */
const IDENTIFIER: Record<string, "email" | "phone_number" | undefined> = { email: "email", sms: "phone_number", whatsapp: "phone_number" };

/**
 * The consents one row asks for, `"channel.sub-channel"` → when it was given. Refuses (400, with
 * a pointer under `at`) a channel or sub-channel the operation's body does not accept, a required
 * field left out, a consent other than the operation's, a channel without its identifier, SMS for
 * a region the account cannot send to, and `consented_at` outside a historical import (required
 * in one, and in the past).
 */
export function requestedConsents(operation: ConsentOperation, pAttrs: Obj, at: string, times: { now: string; stamp: () => string; historical: boolean }): Map<string, string> {
  const accepted = CONSENT_CHANNELS[operation];
  const value = SETS[operation];
  const asked = new Map<string, string>();
  for (const [channel, requested] of Object.entries(pAttrs.subscriptions as Obj)) {
    if (requested === null || requested === undefined) continue;
    const pointer = `${at}/subscriptions/${channel}`;
    const parameters = accepted[channel];
    if (!parameters) refuse(invalid(`'${channel}' is not a channel this request takes. Allowed: ${Object.keys(accepted).join(", ")}.`, { pointer }));
    if (!isObj(requested)) refuse(invalid(`'${channel}' must be an object`, { pointer }));
    const missing = parameters.required.find((name) => requested[name] === undefined || requested[name] === null);
    if (missing) refuse(invalid(`'${missing}' is a required property`, { pointer: `${pointer}/${missing}` }));
    for (const [sub, consent] of Object.entries(requested)) {
      if (consent === null || parameters.other.includes(sub)) continue;
      if (!parameters.consent.includes(sub)) refuse(invalid(`'${sub}' is not part of the '${channel}' channel. Allowed: ${[...parameters.consent, ...parameters.other].join(", ")}.`, { pointer: `${pointer}/${sub}` }));
      if (!isObj(consent) || consent.consent !== value) refuse(invalid(`'consent' must be '${value}'`, { pointer: `${pointer}/${sub}/consent` }));
      const identifier = IDENTIFIER[channel];
      if (identifier && typeof pAttrs[identifier] !== "string") refuse(invalid(`${channel} consent needs the profile's ${identifier}.`, { pointer: `${at}/${identifier}` }));
      const smsProblem = value === "SUBSCRIBED" && channel === "sms" ? smsRegionProblem(pAttrs.phone_number as string, at) : null;
      if (smsProblem) refuse(invalid(smsProblem.detail, { pointer: smsProblem.pointer }));
      asked.set(`${channel}.${sub}`, consentTime(consent, `${pointer}/${sub}`, sub, times));
    }
  }
  if (asked.size === 0) refuse(invalid(`Name at least one channel (${Object.keys(accepted).join(", ")}).`, { pointer: `${at}/subscriptions` }));
  return asked;
}

/**
 * When one consent was given: `consented_at` in a historical import (required there, but for open
 * tracking, whose parameters have no such field in the spec, and in the past), now otherwise.
 */
function consentTime(consent: Obj, pointer: string, sub: string, times: { now: string; stamp: () => string; historical: boolean }): string {
  const given = consent.consented_at;
  if (given === undefined || given === null) {
    if (times.historical && sub !== "open_tracking") refuse(invalid("'consented_at' is required for every profile when historical_import is true.", { pointer: `${pointer}/consented_at` }));
    return times.stamp();
  }
  if (!times.historical) refuse(invalid("'consented_at' is only allowed with historical_import: true.", { pointer: `${pointer}/consented_at` }));
  const ms = typeof given === "string" ? Date.parse(given) : NaN;
  if (Number.isNaN(ms) || ms >= Date.parse(times.now)) refuse(invalid("'consented_at' must be a datetime in the past.", { pointer: `${pointer}/consented_at` }));
  return apiDatetime(ms);
}

/**
 * Writes one consent beyond e-mail and SMS marketing where the spec's Profile `subscriptions` keeps
 * it, in that block's shape (`SMSTransactional`, `WhatsappMarketingChannel`…, `PushMarketing`,
 * `OpenTrackingConsent`).
 */
export function recordConsent(profile: DemoProfile, key: string, value: ConsentValue, at: string, updated: string, detail = ""): void {
  const subs = profile.subscriptions as Record<string, JsonObject>;
  const block = (name: string): JsonObject => (subs[name] ??= {});
  const can = value === "SUBSCRIBED";
  const [channel, sub] = key.split(".");
  if (channel === "sms") {
    block("sms")[sub] = { [`can_receive_sms_${sub}`]: can, consent: value, consent_timestamp: at, method: "API", method_detail: detail, last_updated: updated };
  } else if (channel === "whatsapp") {
    block("whatsapp")[sub] = { consent: value, can_receive: can, consent_timestamp: at, last_updated: updated, phone_number: profile.attributes.phone_number ?? null };
  } else if (channel === "push") {
    block("mobile_push")[sub] = { [`can_receive_push_${sub}`]: can, consent: value, consent_timestamp: at };
  } else if (channel === "email") {
    block("email")[sub] = { consent: value, can_receive: can, consent_timestamp: at, last_updated: updated };
  }
}

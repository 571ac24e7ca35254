/**
 * What makes an e-mail address or phone number acceptable to Klaviyo, the words of its 400s when
 * one is not, and where the demo account can collect SMS consent: one set of rules for the client
 * and the server routes.
 */
import { isValidPhoneNumber, parsePhoneNumberFromString } from "libphonenumber-js";
import type { Problem } from "./http/reply";

export const PHONE_DETAIL = "Invalid phone number format (Example of a valid format: +12015550123)";
export const EMAIL_DETAIL = "Invalid email address";
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Regions the demo account has an SMS sending number for: its US toll-free number reaches the US and Canada. */
export const SMS_SENDING_REGIONS: readonly string[] = ["US", "CA"];

/** Whether `value` is an e-mail address Klaviyo accepts. */
export function isEmail(value: unknown): value is string {
  return typeof value === "string" && EMAIL.test(value);
}

/** Whether an attribute was sent (not absent, not null) and is not a valid e-mail address. */
export function badEmail(value: unknown): boolean {
  return value !== undefined && value !== null && !isEmail(value);
}

/** Whether an attribute was sent (not absent, not null) and is not a possible phone number. */
export function badPhone(value: unknown): boolean {
  return value !== undefined && value !== null && (typeof value !== "string" || !isValidPhoneNumber(value));
}

/** The first problem with the e-mail or phone number among a profile's attributes (at `pointer`). */
export function contactProblem(attrs: Record<string, unknown>, pointer: string): Problem | null {
  if (badEmail(attrs.email)) return { detail: EMAIL_DETAIL, pointer: `${pointer}/email` };
  if (badPhone(attrs.phone_number)) return { detail: PHONE_DETAIL, pointer: `${pointer}/phone_number` };
  return null;
}

/** The region (ISO 3166 code) of a phone number, or "unknown". */
export function phoneRegion(phone: string): string {
  return parsePhoneNumberFromString(phone)?.country ?? "unknown";
}

/**
 * The refusal of SMS consent for a number the account has no sending number for, pointing at the
 * profile's `phone_number` (under `pointer`), or null. The detail names the region, not the number:
 * a number in an error text would be personal data in a recording.
 */
export function smsRegionProblem(phone: string, pointer: string): Problem | null {
  const region = phoneRegion(phone);
  if (SMS_SENDING_REGIONS.includes(region)) return null;
  const detail = `This account has no SMS sending number for region ${region}; SMS consent can only be collected where the account can send.`;
  return { detail, pointer: `${pointer}/phone_number` };
}

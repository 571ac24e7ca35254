/**
 * The demo account as the stand-in serves it: the records (profiles, lists, segments, metrics,
 * events, mapped and custom metrics, and the campaigns, flows and forms the reports count: marketing.ts) in
 * the shape the routes read and write, and the dates its story hangs on.
 * The seeded generator that fills it is tools/standin/generator/; other accounts are in shapes.ts.
 */
import type { Integration } from "./catalog";
import type { DemoCampaign, DemoFlow, DemoForm, MembershipSpan } from "./marketing";

/** JSON values as they appear in responses. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const DEMO_NOW = "2026-11-20T12:00:00Z";
export const DEMO_COMPANY_ID = "DemoCo";
/** The company's time zone (Klaviyo's account setting): the Reporting API reads its time frames in it. */
export const DEMO_TIMEZONE = "America/New_York";
/** First day with events; the account has more than two years of history before "now". */
export const HISTORY_START = "2024-09-01T00:00:00Z";
/** Black Friday 2025 00:00 UTC up to (excluding) the day after Cyber Monday. */
export const BFCM_2025 = { start: "2025-11-28T00:00:00Z", end: "2025-12-02T00:00:00Z" } as const;

export interface DemoProfile {
  id: string;
  /** Attributes exactly as GET /api/profiles returns them (snake_case, ISO datetimes with +00:00). */
  attributes: JsonObject;
  /** Returned only with additional-fields[profile]=subscriptions. */
  subscriptions: JsonObject;
  /** Returned only with additional-fields[profile]=predictive_analytics. */
  predictive_analytics: JsonObject;
}

export interface Membership {
  profileId: string;
  joinedAt: string;
}

export interface DemoGroup {
  id: string;
  name: string;
  created: string;
  updated: string;
  members: Membership[];
}

export interface DemoList extends DemoGroup {
  opt_in_process: "double_opt_in" | "single_opt_in";
}

export interface DemoSegment extends DemoGroup {
  is_active: boolean;
  is_processing: boolean;
  is_starred: boolean;
  /** Everyone who has been a member since the history starts, and when (`members` are those still in). */
  history: MembershipSpan[];
}

export interface DemoMetric {
  id: string;
  name: string;
  created: string;
  updated: string;
  integration: Integration;
}

export interface DemoEvent {
  id: string;
  metricId: string;
  profileId: string;
  /** Unix seconds. */
  timestamp: number;
  /** ISO 8601 with `T` and `+00:00`, as the API returns it. */
  datetime: string;
  uuid: string;
  event_properties: JsonObject;
}

/** The purposes Klaviyo's mapped metrics name (the spec's enum). */
export const MAPPED_METRIC_IDS = [
  "added_to_cart", "cancelled_sales", "ordered_product", "refunded_sales", "revenue", "started_checkout", "viewed_product",
] as const;
export type MappedMetricId = (typeof MAPPED_METRIC_IDS)[number];

/** What a purpose is mapped to: one metric or one custom metric (the other null). */
export interface MappedMetric {
  metricId: string | null;
  customMetricId: string | null;
  updated: string;
}

/** A custom metric: metrics counted as one, such as the orders of several stores. */
export interface DemoCustomMetric {
  id: string;
  name: string;
  created: string;
  updated: string;
  /** The spec's `CustomMetricDefinition`, as sent (snake_case). */
  definition: { aggregation_method: "count" | "value"; metric_groups: { metric_id: string; metric_filters: Json }[] };
}

export interface DemoAccount {
  now: string;
  companyId: string;
  profiles: DemoProfile[];
  lists: DemoList[];
  segments: DemoSegment[];
  metrics: DemoMetric[];
  /** Sorted by timestamp, then id. */
  events: DemoEvent[];
  /** The purposes the account maps; a purpose left out is not mapped. */
  mappedMetrics: Partial<Record<MappedMetricId, MappedMetric>>;
  customMetrics: DemoCustomMetric[];
  /** Metrics deleted in the app: their events remain, and no metric resolves for them. */
  deletedMetricIds: string[];
  /** An IANA zone name: the company's time zone. */
  timezone: string;
  /** E-mail campaigns, in send order. */
  campaigns: DemoCampaign[];
  flows: DemoFlow[];
  /** Sign-up forms. */
  forms: DemoForm[];
}

/** The metric the account maps `purpose` to; an error when it maps none (or a custom metric) to it. */
export function mappedMetricId(account: DemoAccount, purpose: MappedMetricId): string {
  const id = account.mappedMetrics[purpose]?.metricId;
  if (!id) throw new Error(`The account maps no metric to "${purpose}" (mappedMetrics in tools/standin/generator/metrics.ts).`);
  return id;
}

/** A profile's consent on a channel, as `subscriptions.*.marketing.consent` says it. */
export type Consent = "SUBSCRIBED" | "UNSUBSCRIBED" | "NEVER_SUBSCRIBED";

/** How consent was given or taken back, for `emailMarketing`; left out, the API's empty values. */
export interface ConsentSource {
  method: string | null;
  detail?: string;
  doubleOptin?: boolean;
  suppression?: Json[];
}

/** `subscriptions.email.marketing` as the API shows it, consent last changed `at`. */
export function emailMarketing(consent: Consent, at: string | null, source: ConsentSource = { method: null }): JsonObject {
  return {
    can_receive_email_marketing: consent === "SUBSCRIBED",
    consent,
    consent_timestamp: at,
    last_updated: at,
    method: source.method,
    method_detail: source.detail ?? "",
    custom_method_detail: null,
    double_optin: source.doubleOptin ?? null,
    suppression: source.suppression ?? [],
    list_suppressions: [],
  };
}

/** `subscriptions.sms.marketing` as the API shows it, consent last changed `at`. */
export function smsMarketing(consent: Consent, at: string | null, method: string | null = null, detail = ""): JsonObject {
  return {
    can_receive_sms_marketing: consent === "SUBSCRIBED",
    consent,
    consent_timestamp: at,
    method,
    method_detail: detail,
    last_updated: at,
  };
}

/** The order of `DemoAccount.events`: by timestamp, then id. */
export function byTimeThenId(a: DemoEvent, b: DemoEvent): number {
  return a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Klaviyo's datetime style: seconds precision, `+00:00` rather than `Z`. */
export function apiDatetime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "+00:00");
}

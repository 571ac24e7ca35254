/**
 * Request bodies of Klaviyo's client-side write endpoints, revision 2026-07-15, exactly as they
 * travel on the wire (JSON:API, snake_case keys).
 *
 * Why our own types: klaviyo-api@23 exports model classes for some of these shapes
 * (`EventCreateQueryV2`, `EventsBulkCreateQueryResourceObject`, `OnsiteProfileCreateQueryResourceObject`,
 * `SubscriptionChannels`), but they are camelCase (`valueCurrency`, `phoneNumber`) because the SDK's
 * serializer renames keys on the way out, it has no type at all for the subscription body, and it has
 * no client-side methods to send them with. A body we send with plain `fetch` must already be
 * snake_case, so these types describe the bytes, not the SDK's objects.
 *
 * Each type names the schema it mirrors in `components.schemas` of the spec. Where the spec marks a
 * field `nullable`, the type allows `null`.
 */

/** The only consent value the spec accepts on these endpoints. */
export type WireConsent = "SUBSCRIBED";

/** Mirrors `ProfileLocation`. */
export interface WireProfileLocation {
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  country?: string | null;
  latitude?: string | number | null;
  longitude?: string | number | null;
  region?: string | null;
  zip?: string | null;
  timezone?: string | null;
  ip?: string | null;
}

/** Mirrors `ProfileMetaPatchProperties`: edits applied to existing custom properties. */
export interface WirePatchProperties {
  append?: object | null;
  unappend?: object | null;
  unset?: string | string[] | null;
}

/** Mirrors `OnsiteProfileMeta` (and the identical `ProfileMeta`). */
export interface WireProfileMeta {
  patch_properties?: WirePatchProperties | null;
  /** Only `email` is supported: adds or removes secondary addresses. */
  patch_identifiers?: { append?: object; unappend?: object } | null;
}

/**
 * Profile attributes shared by every client-side profile shape. None is required by the schema;
 * the endpoints need at least one identifier (see `src/validation.ts`).
 */
export interface WireProfileAttributes {
  email?: string | null;
  /** E.164, e.g. "+12015550123". */
  phone_number?: string | null;
  external_id?: string | null;
  /** Klaviyo's web-tracking exchange id. */
  _kx?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  organization?: string | null;
  locale?: string | null;
  title?: string | null;
  image?: string | null;
  location?: WireProfileLocation | null;
  properties?: object | null;
}

/** Attributes of `OnsiteProfileCreateQueryResourceObject`: also accepts `anonymous_id`. */
export interface WireOnsiteProfileAttributes extends WireProfileAttributes {
  anonymous_id?: string | null;
}

/** Mirrors `OnsiteProfileCreateQueryResourceObject` (client profiles and the bulk-events profile). */
export interface WireOnsiteProfileResource {
  type: "profile";
  id?: string | null;
  attributes: WireOnsiteProfileAttributes;
  meta?: WireProfileMeta | null;
}

/** Mirrors `EventProfileCreateQueryResourceObject`: here `meta` sits inside `attributes`. */
export interface WireEventProfileResource {
  type: "profile";
  id?: string | null;
  attributes: WireOnsiteProfileAttributes & { meta?: WireProfileMeta | null };
}

/** Mirrors `MetricCreateQueryResourceObject`. The metric is created on first use. */
export interface WireMetricResource {
  type: "metric";
  attributes: {
    /** Must be less than 128 characters. */
    name: string;
    /** Advanced; leave unset so the default ("api") applies. */
    service?: string | null;
  };
}

/** Event attributes common to the single and the bulk endpoint. */
export interface WireEventAttributes<P extends object = object> {
  /** Free-form, at most 400 keys; Klaviyo infers the schema, no declaration needed. */
  properties: P;
  /** ISO 8601; defaults to the time of receipt; truncated to the second. */
  time?: string | null;
  value?: number | null;
  /** ISO 4217, e.g. "USD". */
  value_currency?: string | null;
  /** Dedup key per profile and metric; defaults to `time` to the second. */
  unique_id?: string | null;
  /** Record without triggering flows. */
  backfill?: boolean | null;
  metric: { data: WireMetricResource };
}

/** Mirrors `EventCreateQueryV2`: body of `POST /client/events`. */
export interface ClientEventBody<P extends object = object> {
  data: {
    type: "event";
    attributes: WireEventAttributes<P> & { profile: { data: WireEventProfileResource } };
  };
}

/** Mirrors `BaseEventCreateQueryBulkEntryResourceObject`: one event of a bulk request. */
export interface WireBulkEventEntry<P extends object = object> {
  type: "event";
  attributes: WireEventAttributes<P>;
}

/** Mirrors `EventsBulkCreateQuery`: body of `POST /client/event-bulk-create` (one profile, ≤ 1000 events). */
export interface ClientEventsBulkBody<P extends object = object> {
  data: {
    type: "event-bulk-create";
    attributes: {
      backfill?: boolean | null;
      profile: { data: WireOnsiteProfileResource };
      events: { data: WireBulkEventEntry<P>[] };
    };
  };
}

/** Mirrors `OnsiteProfileCreateQuery`: body of `POST /client/profiles` (create or update). */
export interface ClientProfileBody {
  data: WireOnsiteProfileResource;
}

/** Mirrors `SubscriptionParameters`. */
export interface WireSubscriptionParameters {
  consent: WireConsent;
  /** Only for historical imports; the client endpoint rejects it otherwise. */
  consented_at?: string | null;
}

/** Mirrors `PushTokenEntry` (push consent is normally handled by Klaviyo's mobile SDKs). */
export interface WirePushTokenEntry {
  token: string;
  platform: "android" | "ios";
  vendor: "apns" | "fcm";
  enablement_status?: "AUTHORIZED" | "DENIED" | "NOT_DETERMINED" | "PROVISIONAL" | "UNAUTHORIZED" | null;
  background?: "AVAILABLE" | "DENIED" | "RESTRICTED" | null;
  device_metadata?: object | null;
}

/**
 * Mirrors `SubscriptionChannels`. When present, only the channels listed here are subscribed; when
 * absent, Klaviyo subscribes the supplied email / phone number to marketing.
 */
export interface WireSubscriptionChannels {
  email?: { marketing?: WireSubscriptionParameters | null; open_tracking?: { consent: WireConsent } | null } | null;
  sms?: { marketing?: WireSubscriptionParameters | null; transactional?: WireSubscriptionParameters | null } | null;
  whatsapp?: { marketing?: WireSubscriptionParameters | null; transactional?: WireSubscriptionParameters | null } | null;
  push?: { marketing: WireSubscriptionParameters; tokens?: WirePushTokenEntry[] | null; anonymous_id?: string | null } | null;
}

/** Mirrors `ProfileUpsertQueryWithSubscriptionsResourceObject` (no `anonymous_id` here). */
export interface WireSubscriptionProfileResource {
  type: "profile";
  id?: string | null;
  attributes: WireProfileAttributes & {
    meta?: WireProfileMeta | null;
    subscriptions?: WireSubscriptionChannels | null;
  };
}

/** Mirrors `OnsiteSubscriptionCreateQuery`: body of `POST /client/subscriptions`. */
export interface ClientSubscriptionBody {
  data: {
    type: "subscription";
    attributes: {
      custom_source?: string | null;
      profile: { data: WireSubscriptionProfileResource };
    };
    relationships: { list: { data: { type: "list"; id: string } } };
  };
}

/** Mirrors `ReviewProductExternalId`: a product of the store's Shopify or WooCommerce catalog. */
export interface WireReviewProduct {
  external_id: string;
  integration_key: "shopify" | "woocommerce";
}

/** Mirrors `ReviewCreateDTO`: body of `POST /client/reviews` (Klaviyo Reviews). */
export interface ClientReviewBody {
  data: {
    type: "review";
    attributes: {
      review_type: "question" | "rating" | "review" | "store";
      email: string;
      author: string;
      content: string;
      /** 1–5; `null` for a question. */
      rating?: 1 | 2 | 3 | 4 | 5 | null;
      title?: string | null;
      product?: WireReviewProduct | null;
      incentive_type?: "coupon_or_discount" | "employee_review" | "free_product" | "loyalty_points" | "other" | "paid_promotion" | "sweepstakes_entry" | null;
      custom_questions?: { id: string; answers: string[] }[] | null;
      /** URLs or base-64 data URIs. */
      images?: string[] | null;
    };
    relationships?: { order?: { data: { type: "order"; id: string } } };
  };
}

/**
 * Builders that turn plain camelCase input into the exact JSON:API bodies of the client-side
 * endpoints (snake_case, nested `data` wrappers). A guide writes what it means:
 *
 * ```ts
 * clientEvent({ metric: "Customer Review", profile: { email: "ana@example.com" },
 *               properties: { rating: 5 }, uniqueId: "review-1" })
 * ```
 *
 * and gets the body the API expects, with no `undefined` keys left behind (fixtures match bodies
 * strictly, and a printed body should show only what was sent). Builders check nothing, not even
 * the spec's limits: `./validation.ts` does (and `ClientApi` runs it before sending), so that a guide
 * can still build an invalid body on purpose.
 */
import type {
  ClientEventBody,
  ClientEventsBulkBody,
  ClientProfileBody,
  ClientReviewBody,
  ClientSubscriptionBody,
  WireConsent,
  WireEventAttributes,
  WireOnsiteProfileAttributes,
  WireProfileLocation,
  WireReviewProduct,
  WireSubscriptionChannels,
} from "./wire";

/** Who a request is about. At least one identifier (`email`, `phoneNumber`, `externalId`, `anonymousId`, `kx` or `id`) is needed. */
export interface ClientProfileInput {
  /** Klaviyo's profile id, if known. */
  id?: string;
  email?: string;
  /** E.164, e.g. "+12015550123". */
  phoneNumber?: string;
  externalId?: string;
  anonymousId?: string;
  /** The `_kx` exchange id from Klaviyo's web tracking. */
  kx?: string;
  firstName?: string;
  lastName?: string;
  organization?: string;
  locale?: string;
  title?: string;
  image?: string;
  location?: WireProfileLocation;
  /** Custom profile properties, sent as they are. */
  properties?: object;
}

/**
 * One event without its profile, as the bulk endpoint takes them. `P` is the shape of
 * `properties`: declare it as an interface to have the compiler hold every event to it.
 */
export interface ClientBulkEventInput<P extends object = object> {
  /** Metric name, e.g. "Customer Review"; created on first use; at most `MAX_METRIC_NAME_LENGTH` characters. */
  metric: string;
  properties: P;
  /** When it happened; a `Date` is sent as ISO 8601 in UTC. Defaults to the time of receipt. */
  time?: Date | string;
  value?: number;
  /** ISO 4217 code, e.g. "USD". */
  valueCurrency?: string;
  /** Dedup key: a repeat for the same profile and metric is dropped. Defaults to `time` to the second. */
  uniqueId?: string;
  /** Record the event without triggering flows (for historical data). */
  backfill?: boolean;
}

/** One event for `POST /client/events`. */
export interface ClientEventInput<P extends object = object> extends ClientBulkEventInput<P> {
  profile: ClientProfileInput;
}

/** Email consent: "SUBSCRIBED" alone means marketing. */
export type EmailConsent = WireConsent | { marketing?: WireConsent; openTracking?: WireConsent };

/** SMS or WhatsApp consent: "SUBSCRIBED" alone means marketing. */
export type PhoneConsent = WireConsent | { marketing?: WireConsent; transactional?: WireConsent };

/**
 * Channels to subscribe. Omit the whole object to let Klaviyo subscribe the given email and/or
 * phone number to marketing; include it to subscribe exactly the channels listed.
 */
export interface ConsentInput {
  email?: EmailConsent;
  sms?: PhoneConsent;
  whatsapp?: PhoneConsent;
}

/** A subscription for `POST /client/subscriptions`: email and/or phone number, and the list to join. */
export interface ClientSubscriptionInput {
  listId: string;
  /** Needs `email` or `phoneNumber` (the channel(s) to subscribe). */
  profile: Omit<ClientProfileInput, "anonymousId">;
  consent?: ConsentInput;
  /** Stored on the consent records, e.g. "Footer sign-up form". */
  customSource?: string;
}

/** Drops keys whose value is `undefined`, so the body holds only what the caller gave. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function profileAttributes(p: ClientProfileInput): WireOnsiteProfileAttributes {
  return defined({
    email: p.email,
    phone_number: p.phoneNumber,
    external_id: p.externalId,
    anonymous_id: p.anonymousId,
    _kx: p.kx,
    first_name: p.firstName,
    last_name: p.lastName,
    organization: p.organization,
    locale: p.locale,
    title: p.title,
    image: p.image,
    location: p.location,
    properties: p.properties,
  });
}

function eventAttributes<P extends object>(e: ClientBulkEventInput<P>): WireEventAttributes<P> {
  return defined({
    properties: e.properties,
    time: e.time instanceof Date ? e.time.toISOString() : e.time,
    value: e.value,
    value_currency: e.valueCurrency,
    unique_id: e.uniqueId,
    backfill: e.backfill,
    metric: { data: { type: "metric" as const, attributes: { name: e.metric } } },
  });
}

/**
 * Body of `POST /client/events`.
 *
 * @example
 * interface ReviewProperties { rating: 1 | 2 | 3 | 4 | 5; review_text: string | null; catalog_item_id: string }
 * const body = clientEvent<ReviewProperties>({
 *   metric: "Customer Review", profile: { email: "ana@example.com" },
 *   properties: { rating: 5, review_text: null, catalog_item_id: "SKU-1" }, uniqueId: "review-1",
 * });
 */
export function clientEvent<P extends object>(e: ClientEventInput<P>): ClientEventBody<P> {
  const profile = defined({ type: "profile" as const, id: e.profile.id, attributes: profileAttributes(e.profile) });
  return { data: { type: "event", attributes: { ...eventAttributes(e), profile: { data: profile } } } };
}

/**
 * Body of `POST /client/event-bulk-create`: many events of one profile in one request. The
 * endpoint takes at most `MAX_BULK_EVENTS`; `validateClientEventsBulk` checks that, not this builder.
 *
 * @example
 * clientEventsBulk({ email: "ana@example.com" }, reviews.map((r) => ({ metric: "Customer Review", properties: r, uniqueId: r.id })))
 */
export function clientEventsBulk<P extends object>(
  profile: ClientProfileInput,
  events: readonly ClientBulkEventInput<P>[],
): ClientEventsBulkBody<P> {
  const profileData = defined({ type: "profile" as const, id: profile.id, attributes: profileAttributes(profile) });
  return {
    data: {
      type: "event-bulk-create",
      attributes: {
        profile: { data: profileData },
        events: { data: events.map((e) => ({ type: "event" as const, attributes: eventAttributes(e) })) },
      },
    },
  };
}

function consentOf(c: WireConsent | undefined): { consent: WireConsent } | undefined {
  return c === undefined ? undefined : { consent: c };
}

function emailChannel(c: EmailConsent): NonNullable<WireSubscriptionChannels["email"]> {
  if (typeof c === "string") return { marketing: { consent: c } };
  return defined({ marketing: consentOf(c.marketing), open_tracking: consentOf(c.openTracking) });
}

function phoneChannel(c: PhoneConsent): NonNullable<WireSubscriptionChannels["sms"]> {
  if (typeof c === "string") return { marketing: { consent: c } };
  return defined({ marketing: consentOf(c.marketing), transactional: consentOf(c.transactional) });
}

function subscriptionChannels(c: ConsentInput): WireSubscriptionChannels {
  return defined({
    email: c.email === undefined ? undefined : emailChannel(c.email),
    sms: c.sms === undefined ? undefined : phoneChannel(c.sms),
    whatsapp: c.whatsapp === undefined ? undefined : phoneChannel(c.whatsapp),
  });
}

/**
 * Body of `POST /client/subscriptions`: the profile goes inside `attributes`, the list in
 * `relationships` (the 2022 body had both as flat attributes).
 *
 * @example
 * clientSubscription({ listId: "Y6nRLr", profile: { email: "ana@example.com" }, consent: { email: "SUBSCRIBED" } })
 */
export function clientSubscription(s: ClientSubscriptionInput): ClientSubscriptionBody {
  const attributes = defined({
    ...profileAttributes(s.profile),
    subscriptions: s.consent === undefined ? undefined : subscriptionChannels(s.consent),
  });
  const profile = defined({ type: "profile" as const, id: s.profile.id, attributes });
  return {
    data: {
      type: "subscription",
      attributes: defined({ custom_source: s.customSource, profile: { data: profile } }),
      relationships: { list: { data: { type: "list", id: s.listId } } },
    },
  };
}

/**
 * Body of `POST /client/profiles` (create, or update the profile the identifiers point to).
 * Client endpoints cannot change an identifier a profile already has: the server answers 202 and
 * ignores it.
 *
 * @example
 * clientProfile({ email: "ana@example.com", firstName: "Ana", properties: { favorite_color: "blue" } })
 */
export function clientProfile(p: ClientProfileInput): ClientProfileBody {
  return { data: defined({ type: "profile" as const, id: p.id, attributes: profileAttributes(p) }) };
}

/** A review for Klaviyo Reviews (`POST /client/reviews`). */
export interface ClientReviewInput {
  /** "review" of a product, "store" review, "rating" only, or a "question". */
  reviewType: ClientReviewBody["data"]["attributes"]["review_type"];
  email: string;
  /** The name shown with the review. */
  author: string;
  content: string;
  rating?: 1 | 2 | 3 | 4 | 5;
  title?: string;
  /** The product in the store's Shopify or WooCommerce catalog, by its id there. */
  product?: { externalId: string; integration: WireReviewProduct["integration_key"] };
  /** The order the review is about, by its id in the store. */
  orderId?: string;
}

/**
 * Body of `POST /client/reviews`.
 *
 * @example
 * clientReview({ reviewType: "review", email: "ana@example.com", author: "Ana P.", content: "Warm and light.",
 *                rating: 5, product: { externalId: "7411200003", integration: "shopify" } })
 */
export function clientReview(r: ClientReviewInput): ClientReviewBody {
  const attributes = defined({
    review_type: r.reviewType,
    email: r.email,
    author: r.author,
    content: r.content,
    rating: r.rating,
    title: r.title,
    product: r.product === undefined ? undefined : { external_id: r.product.externalId, integration_key: r.product.integration },
  });
  const data: ClientReviewBody["data"] = { type: "review", attributes };
  if (r.orderId !== undefined) data.relationships = { order: { data: { type: "order", id: r.orderId } } };
  return { data };
}

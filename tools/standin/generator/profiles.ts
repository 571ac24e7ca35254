/**
 * A person as the API shows them: a profile with contact details and address, e-mail and SMS
 * consent that agrees with their sign-ups and unsubscribes, and predictive analytics computed from
 * their orders of the revenue metric (the account qualifies: more than 500 customers with orders,
 * over two years of them, orders in the last 30 days).
 */
import { apiDatetime, emailMarketing, smsMarketing } from "../account";
import type { DemoList, DemoProfile, JsonObject } from "../account";
import { DOC_IP_PREFIXES, PLACES, STREETS } from "../catalog";
import type { Random } from "../random";
import { DAY } from "./calendar";
import { orderTotal, round2 } from "./orders";
import type { Order } from "./orders";
import type { Person } from "./people";

/** Days between orders the model expects of a customer who has ordered once. */
const ONE_ORDER_GAP_DAYS = 200;
/** How likely a customer is to order again right after an order: once, or more often. */
const RETURN_ODDS = { once: 0.45, repeat: 0.85 };

/**
 * Predictive analytics of a customer whose orders (of the revenue metric) are `orders`, in time
 * order, as one consistent model: the chance they are still a customer fades with the time since
 * their last order, measured in their usual gap between orders; churn is its complement, the orders
 * expected in the next 365 days follow from it and the gap, and predicted CLV is those orders at
 * their average order value. Someone who never ordered has no predictions.
 */
function predictiveAnalytics(orders: Order[], nowMs: number, affinity: string[]): JsonObject {
  if (orders.length === 0) {
    return {
      historic_clv: 0, predicted_clv: null, total_clv: null, historic_number_of_orders: 0, predicted_number_of_orders: null,
      average_days_between_orders: null, average_order_value: null, churn_probability: null, expected_date_of_next_order: null,
      ranked_channel_affinity: affinity,
    };
  }
  const historic = round2(orders.map(orderTotal).reduce((a, b) => a + b, 0));
  const aov = round2(historic / orders.length);
  const last = orders[orders.length - 1].at;
  const gaps = orders.slice(1).map((o, i) => (o.at - orders[i].at) / DAY);
  const gap = gaps.length > 0 ? gaps.reduce((a, b) => a + b, 0) / gaps.length : null;
  const expectedGap = Math.max(gap ?? ONE_ORDER_GAP_DAYS, 14);
  const stillCustomer = (gap === null ? RETURN_ODDS.once : RETURN_ODDS.repeat) * Math.exp(-(nowMs - last) / DAY / (2 * expectedGap));
  const predictedOrders = round2((stillCustomer * 365) / expectedGap);
  const predictedClv = round2(predictedOrders * aov);
  return {
    historic_clv: historic,
    predicted_clv: predictedClv,
    total_clv: round2(historic + predictedClv),
    historic_number_of_orders: orders.length,
    predicted_number_of_orders: predictedOrders,
    average_days_between_orders: gap === null ? null : Math.round(gap),
    average_order_value: aov,
    churn_probability: round2(1 - stillCustomer),
    expected_date_of_next_order: gap === null ? null : apiDatetime(last + gap * DAY),
    ranked_channel_affinity: affinity,
  };
}

/** The profile of `p`, whose last event is `lastEvent` and whose orders of the revenue metric are `myOrders` (in time order). */
export function finishProfile(
  rng: Random,
  p: Person,
  lastEvent: string | null,
  lists: DemoList[],
  myOrders: Order[],
  nowMs: number,
): DemoProfile {
  const place = PLACES[p.placeIndex];
  const changes = [p.createdMs, p.newsletterJoinedMs, p.smsJoinedMs, p.emailUnsubMs, p.smsUnsubMs].filter(
    (x): x is number => x !== null && x < nowMs,
  );
  const updated = apiDatetime(Math.max(...changes));
  const inList = (name: string): boolean => lists.some((l) => l.name === name && l.members.some((m) => m.profileId === p.id));

  const emailUnsubscribed = p.emailUnsubMs === null ? null : apiDatetime(p.emailUnsubMs);
  const email =
    emailUnsubscribed !== null
      ? emailMarketing("UNSUBSCRIBED", emailUnsubscribed, {
          method: "EMAIL_UNSUBSCRIBE",
          suppression: [{ reason: "UNSUBSCRIBE", timestamp: emailUnsubscribed }],
        })
      : p.newsletterJoinedMs !== null
        ? emailMarketing("SUBSCRIBED", apiDatetime(p.newsletterJoinedMs), { method: "FORM", detail: "Signup form", doubleOptin: true })
        : emailMarketing("NEVER_SUBSCRIBED", null);
  const sms =
    p.smsUnsubMs !== null
      ? smsMarketing("UNSUBSCRIBED", apiDatetime(p.smsUnsubMs), "SMS", "STOP")
      : p.smsJoinedMs !== null
        ? smsMarketing("SUBSCRIBED", apiDatetime(p.smsJoinedMs), "TEXT", "JOIN")
        : smsMarketing("NEVER_SUBSCRIBED", null);

  return {
    id: p.id,
    attributes: {
      email: p.email,
      phone_number: p.phone,
      external_id: p.wholesale ? `WS-${p.id.slice(-6)}` : null,
      first_name: p.first,
      last_name: p.last,
      organization: p.wholesale ? `${p.last} Outfitters` : null,
      locale: "en-US",
      title: p.wholesale ? "Buyer" : null,
      image: null,
      created: apiDatetime(p.createdMs),
      updated,
      last_event_date: lastEvent,
      location: {
        address1: `${rng.int(10, 9899)} ${rng.pick(STREETS)}`,
        address2: rng.chance(0.2) ? `Apt ${rng.int(1, 40)}` : null,
        city: place.city,
        country: place.country,
        latitude: place.latitude,
        longitude: place.longitude,
        region: place.region,
        zip: place.zip,
        timezone: place.timezone,
        ip: `${rng.pick(DOC_IP_PREFIXES)}.${rng.int(1, 254)}`,
      },
      properties: {
        "Accepts Marketing": p.newsletterJoinedMs !== null && p.emailUnsubMs === null,
        "$source": p.wholesale ? "WooCommerce" : rng.pick(["Shopify", "Signup form", "Shopify"]),
        ...(inList("VIP") ? { "Shopify Tags": ["vip"] } : {}),
      },
    },
    subscriptions: {
      email: { marketing: email },
      sms: {
        marketing: sms,
        transactional: {
          can_receive_sms_transactional: false,
          consent: "NEVER_SUBSCRIBED",
          consent_timestamp: null,
          method: null,
          method_detail: "",
          last_updated: null,
        },
      },
      mobile_push: { marketing: { can_receive_push_marketing: false, consent: "NEVER_SUBSCRIBED", consent_timestamp: null } },
    },
    predictive_analytics: predictiveAnalytics(
      myOrders,
      nowMs,
      p.smsJoinedMs !== null && p.smsUnsubMs === null ? ["sms", "email", "push"] : ["email", "sms", "push"],
    ),
  };
}

/**
 * A person as the API shows them: a profile with contact details and address, e-mail and SMS
 * consent that agrees with their sign-ups and unsubscribes, and predictive analytics computed from
 * their orders.
 */
import { apiDatetime, emailMarketing, smsMarketing } from "../account";
import type { DemoList, DemoProfile } from "../account";
import { DOC_IP_PREFIXES, PLACES, STREETS } from "../catalog";
import type { Random } from "../random";
import { DAY } from "./calendar";
import { orderTotal, round2 } from "./orders";
import type { Order } from "./orders";
import type { Person } from "./people";

/** The profile of `p`, whose last event is `lastEvent` and whose orders are `myOrders` (in time order). */
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
  const totals = myOrders.map(orderTotal);
  const historic = round2(totals.reduce((a, b) => a + b, 0));
  const aov = totals.length > 0 ? round2(historic / totals.length) : null;
  const gaps = myOrders.slice(1).map((o, i) => (o.at - myOrders[i].at) / DAY);
  const avgGap = gaps.length > 0 ? Math.round((gaps.reduce((a, b) => a + b, 0) / gaps.length) * 10) / 10 : null;
  const lastOrderMs = myOrders.length > 0 ? myOrders[myOrders.length - 1].at : null;
  const predictedOrders = myOrders.length > 0 ? Math.round((0.4 + myOrders.length * 0.35) * 100) / 100 : 0.1;
  const churn = lastOrderMs === null ? 0.85 : Math.min(0.97, Math.round(((nowMs - lastOrderMs) / (400 * DAY) + 0.05) * 100) / 100);
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
    predictive_analytics: {
      historic_clv: historic,
      predicted_clv: round2(historic * 0.35 + (aov ?? 40) * predictedOrders),
      total_clv: round2(historic + historic * 0.35 + (aov ?? 40) * predictedOrders),
      historic_number_of_orders: myOrders.length,
      predicted_number_of_orders: predictedOrders,
      average_days_between_orders: avgGap,
      average_order_value: aov,
      churn_probability: churn,
      expected_date_of_next_order:
        lastOrderMs !== null && avgGap !== null ? apiDatetime(Math.max(nowMs + DAY, lastOrderMs + avgGap * DAY)) : null,
      ranked_channel_affinity: p.smsJoinedMs !== null && p.smsUnsubMs === null ? ["sms", "email", "push"] : ["email", "sms", "push"],
    },
  };
}

/**
 * Key figures of a demo account, computed from the data rather than asserted: the tests check
 * them against the brief (sizes, BFCM first-timer share) and `tsx tools/standin/stats.ts` prints them.
 */
import { BFCM_2025, mappedMetricId } from "./account";
import type { DemoAccount } from "./account";
import { generateAccount } from "./generator/generate";

export interface AccountStats {
  profiles: number;
  lists: { id: string; name: string; members: number }[];
  segments: { id: string; name: string; members: number }[];
  metrics: { id: string; name: string; integration: string }[];
  eventsByMetric: Record<string, number>;
  events: number;
  bfcm: { orderedProductEvents: number; orders: number; buyers: number; firstTimeBuyers: number; firstTimerShare: number };
  unsubscribes: { email: number; sms: number };
}

/**
 * "First-time buyer" = a BFCM buyer whose earliest Shopify "Ordered Product" event (the mapped
 * ordered_product metric) falls inside the BFCM window: the definition the customer-data guide uses.
 */
export function accountStats(account: DemoAccount): AccountStats {
  const metricName = new Map(account.metrics.map((m) => [m.id, `${m.name} (${m.integration.name})`]));
  for (const id of account.deletedMetricIds) metricName.set(id, "(a deleted metric)");
  const eventsByMetric: Record<string, number> = {};
  for (const e of account.events) {
    const key = `${metricName.get(e.metricId)} ${e.metricId}`;
    eventsByMetric[key] = (eventsByMetric[key] ?? 0) + 1;
  }
  const ordered = mappedMetricId(account, "ordered_product");
  const start = Date.parse(BFCM_2025.start) / 1000;
  const end = Date.parse(BFCM_2025.end) / 1000;
  const firstOrder = new Map<string, number>();
  const bfcmEvents = [];
  for (const e of account.events) {
    if (e.metricId !== ordered) continue;
    if (!firstOrder.has(e.profileId)) firstOrder.set(e.profileId, e.timestamp);
    if (e.timestamp >= start && e.timestamp < end) bfcmEvents.push(e);
  }
  const buyers = new Set(bfcmEvents.map((e) => e.profileId));
  const firstTimers = [...buyers].filter((id) => (firstOrder.get(id) as number) >= start);
  const byName = (name: string): number => account.events.filter((e) => metricName.get(e.metricId)?.startsWith(`${name} (`)).length;
  return {
    profiles: account.profiles.length,
    lists: account.lists.map((l) => ({ id: l.id, name: l.name, members: l.members.length })),
    segments: account.segments.map((s) => ({ id: s.id, name: s.name, members: s.members.length })),
    metrics: account.metrics.map((m) => ({ id: m.id, name: m.name, integration: m.integration.name })),
    eventsByMetric,
    events: account.events.length,
    bfcm: {
      orderedProductEvents: bfcmEvents.length,
      orders: new Set(bfcmEvents.map((e) => String(e.event_properties.OrderId))).size,
      buyers: buyers.size,
      firstTimeBuyers: firstTimers.length,
      firstTimerShare: buyers.size === 0 ? 0 : Math.round((firstTimers.length / buyers.size) * 1000) / 1000,
    },
    unsubscribes: { email: byName("Unsubscribed"), sms: byName("Unsubscribed from SMS") },
  };
}

if (require.main === module) {
  console.log(JSON.stringify(accountStats(generateAccount()), null, 2));
}

/**
 * The e-mail campaigns behind the account's "Received Email", "Opened Email" and "Clicked Email"
 * events: one campaign for each "Campaign Name" those events carry, its recipients the profiles
 * that received it, their opens and clicks the events' own times. Reports on them therefore count
 * exactly what those events hold, by send; added are the few addresses that bounced (no "Received
 * Email" for them, as in Klaviyo).
 */
import { apiDatetime } from "../account";
import type { DemoEvent, DemoList } from "../account";
import { newSend } from "../marketing";
import type { DemoCampaign, Send } from "../marketing";
import { ulid } from "../random";
import type { Random } from "../random";
import { DAY, HOUR } from "./calendar";
import { CAMPAIGN_SEND_HOUR, onNewsletter } from "./email";
import type { MetricKey } from "./metrics";
import type { Person } from "./people";

/** Chance, per delivered e-mail, of one more recipient whose address bounced. */
const BOUNCE_ODDS = 0.01;
const PREVIEW_TEXT = "New arrivals, trail-tested favourites and what our team is packing this week.";

/** The events of one campaign, by recipient. */
interface Received {
  subject: string;
  sends: Map<string, Send>;
}

/** The campaigns, in send order, built from the account's e-mail events (sorted by time). */
export function makeCampaigns(
  rng: Random,
  events: readonly DemoEvent[],
  metricId: (key: MetricKey) => string,
  people: readonly Person[],
  newsletter: DemoList,
): DemoCampaign[] {
  const [received, opened, clicked] = (["receivedEmail", "openedEmail", "clickedEmail"] as const).map(metricId);
  const byName = new Map<string, Received>();
  for (const e of events) {
    const name = e.event_properties["Campaign Name"];
    if (typeof name !== "string") continue;
    if (e.metricId === received) {
      const campaign = byName.get(name) ?? { subject: String(e.event_properties.Subject), sends: new Map<string, Send>() };
      byName.set(name, campaign);
      campaign.sends.set(e.profileId, newSend(e.profileId, e.timestamp * 1000));
    } else if (e.metricId === opened || e.metricId === clicked) {
      const send = byName.get(name)?.sends.get(e.profileId);
      if (send) (e.metricId === opened ? send.opens : send.clicks).push(e.timestamp * 1000);
    }
  }
  return [...byName.entries()].map(([name, campaign]) => {
    const delivered = [...campaign.sends.values()];
    // Every delivery came within 20 minutes of the hour it was sent.
    const sendAt = Math.floor(Math.min(...delivered.map((s) => s.at)) / HOUR) * HOUR;
    if (new Date(sendAt).getUTCHours() !== CAMPAIGN_SEND_HOUR) {
      throw new Error(`Campaign "${name}" was not sent at ${CAMPAIGN_SEND_HOUR}:00 UTC: its "Received Email" events say otherwise.`);
    }
    const sends = [...delivered, ...bounces(rng, delivered, people, sendAt)].sort((a, b) => a.at - b.at);
    const created = sendAt - 2 * DAY - rng.int(1, 8) * HOUR;
    return {
      id: ulid(rng, created),
      name,
      created: apiDatetime(created),
      scheduled: apiDatetime(sendAt - DAY),
      sendTime: apiDatetime(sendAt),
      audience: [newsletter.id],
      message: { id: ulid(rng, created), name, subject: campaign.subject, previewText: PREVIEW_TEXT, created: apiDatetime(created), sends },
    };
  });
}

/** Recipients whose address bounced: subscribers at the send who have no delivery of it. */
function bounces(rng: Random, delivered: Send[], people: readonly Person[], sendAt: number): Send[] {
  const count = delivered.filter(() => rng.chance(BOUNCE_ODDS)).length;
  if (count === 0) return [];
  const got = new Set(delivered.map((s) => s.profileId));
  const others = people.filter((p) => !got.has(p.id) && onNewsletter(p, sendAt));
  return rng
    .shuffle(others)
    .slice(0, count)
    .map((p) => newSend(p.id, sendAt + rng.int(0, 1200) * 1000, true));
}

/**
 * The campaigns behind the account's campaign events: one e-mail campaign for each "Campaign Name"
 * of its "Received Email", "Opened Email" and "Clicked Email" events, one text campaign for each of
 * its "Received SMS", "Failed to Deliver SMS", "Clicked SMS" and "Unsubscribed from SMS" events.
 * Recipients are the profiles the events name, their opens, clicks and STOP replies the events' own
 * times, so reports count exactly what the events hold, by send. Added are the few e-mail addresses
 * that bounced: subscribers with no "Received Email" of the campaign, as in Klaviyo.
 */
import { apiDatetime } from "../account";
import type { DemoEvent, DemoList } from "../account";
import { newSend } from "../marketing";
import type { DemoCampaign, Message, Send } from "../marketing";
import { ulid } from "../random";
import type { Random } from "../random";
import { DAY, HOUR } from "./calendar";
import { CAMPAIGN_SEND_HOUR, onNewsletter } from "./email";
import type { MetricKey } from "./metrics";
import type { Person } from "./people";
import { SMS_SEND_HOUR, smsBody } from "./sms";

const PREVIEW_TEXT = "New arrivals, trail-tested favourites and what our team is packing this week.";

/** The sends of one campaign, by recipient, and the subject its events carry. */
interface Sent {
  subject: string;
  sends: Map<string, Send>;
}

/** Which events make a campaign's sends, and what each later event adds to its recipient's send. */
interface ChannelEvents {
  /** A delivery: a send. */
  delivered: MetricKey;
  /** A send that did not arrive (an SMS that failed). */
  failed?: MetricKey;
  /** What recipients did after: each adds to their send. */
  after: Partial<Record<MetricKey, (send: Send, at: number) => void>>;
}

const EMAIL_EVENTS: ChannelEvents = {
  delivered: "receivedEmail",
  after: { openedEmail: (send, at) => send.opens.push(at), clickedEmail: (send, at) => send.clicks.push(at) },
};

const SMS_EVENTS: ChannelEvents = {
  delivered: "receivedSms",
  failed: "failedSms",
  after: {
    clickedSms: (send, at) => send.clicks.push(at),
    unsubscribedSms: (send, at) => {
      send.unsubscribedAt = at;
    },
  },
};

/** Each campaign's sends, by "Campaign Name", from the account's events (sorted by time). */
function sendsByCampaign(events: readonly DemoEvent[], metricId: (key: MetricKey) => string, channel: ChannelEvents): Map<string, Sent> {
  const key = new Map<string, MetricKey>(
    [channel.delivered, ...(channel.failed ? [channel.failed] : []), ...(Object.keys(channel.after) as MetricKey[])].map((k) => [metricId(k), k]),
  );
  const byName = new Map<string, Sent>();
  for (const e of events) {
    const name = e.event_properties["Campaign Name"];
    const kind = key.get(e.metricId);
    if (typeof name !== "string" || kind === undefined) continue;
    const at = e.timestamp * 1000;
    if (kind === channel.delivered || kind === channel.failed) {
      const campaign = byName.get(name) ?? { subject: String(e.event_properties.Subject), sends: new Map<string, Send>() };
      byName.set(name, campaign);
      campaign.sends.set(e.profileId, newSend(e.profileId, at, kind === channel.failed));
    } else {
      const send = byName.get(name)?.sends.get(e.profileId);
      if (send) channel.after[kind]?.(send, at);
    }
  }
  return byName;
}

/** The hour every send of a campaign went out in: its deliveries follow within minutes. */
function sendHour(name: string, sends: readonly Send[], expected: number): number {
  const sendAt = Math.floor(Math.min(...sends.map((s) => s.at)) / HOUR) * HOUR;
  if (new Date(sendAt).getUTCHours() !== expected) {
    throw new Error(`Campaign "${name}" was not sent at ${expected}:00 UTC: its delivery events say otherwise.`);
  }
  return sendAt;
}

/** The campaign resource around `message`, created two days or so before it went out at `sendAt`. */
function campaign(rng: Random, name: string, sendAt: number, audience: DemoList, message: (created: number) => Message): DemoCampaign {
  const created = sendAt - 2 * DAY - rng.int(1, 8) * HOUR;
  return {
    id: ulid(rng, created),
    name,
    created: apiDatetime(created),
    scheduled: apiDatetime(sendAt - DAY),
    sendTime: apiDatetime(sendAt),
    audience: [audience.id],
    message: message(created),
  };
}

/** The campaigns, e-mail and text, in send order, built from the account's events (sorted by time). */
export function makeCampaigns(
  rng: Random,
  events: readonly DemoEvent[],
  metricId: (key: MetricKey) => string,
  people: readonly Person[],
  lists: { newsletter: DemoList; sms: DemoList },
): DemoCampaign[] {
  const email = [...sendsByCampaign(events, metricId, EMAIL_EVENTS)].map(([name, sent]) => {
    const delivered = [...sent.sends.values()];
    const sendAt = sendHour(name, delivered, CAMPAIGN_SEND_HOUR);
    const sends = [...delivered, ...bounces(rng, delivered, people, sendAt)].sort((a, b) => a.at - b.at);
    return campaign(rng, name, sendAt, lists.newsletter, (created) => ({
      id: ulid(rng, created), name, channel: "email", subject: sent.subject, previewText: PREVIEW_TEXT, created: apiDatetime(created), sends,
    }));
  });
  const sms = [...sendsByCampaign(events, metricId, SMS_EVENTS)].map(([name, sent]) => {
    const sends = [...sent.sends.values()].sort((a, b) => a.at - b.at);
    const sendAt = sendHour(name, sends, SMS_SEND_HOUR);
    return campaign(rng, name, sendAt, lists.sms, (created) => ({
      id: ulid(rng, created), name, channel: "sms", body: smsBody(sendAt), created: apiDatetime(created), sends,
    }));
  });
  return [...email, ...sms].sort((a, b) => (a.sendTime < b.sendTime ? -1 : a.sendTime > b.sendTime ? 1 : 0));
}

/** Recipients whose e-mail bounced: subscribers at the send with no delivery of it (email.ts skipped their "Received Email"). */
function bounces(rng: Random, delivered: Send[], people: readonly Person[], sendAt: number): Send[] {
  const got = new Set(delivered.map((s) => s.profileId));
  return people.filter((p) => !got.has(p.id) && onNewsletter(p, sendAt)).map((p) => newSend(p.id, sendAt + rng.int(0, 1200) * 1000, true));
}

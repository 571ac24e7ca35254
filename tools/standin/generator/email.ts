/**
 * The store's e-mail marketing: newsletter sign-ups, and weekly campaigns (twice a week in the
 * holiday season) to everyone on the newsletter, with their opens and clicks and the few readers
 * who unsubscribe through a campaign's link, so unsubscribes follow the sending.
 */
import type { JsonObject } from "../account";
import type { Random } from "../random";
import { DAY, HOUR } from "./calendar";
import type { AddEvent } from "./events";
import type { Person } from "./people";

const MINUTE = 60_000;
/**
 * How often subscribers open a campaign: most read some of them, a third hardly ever do (so the
 * "Engaged" segment is not the whole list); about 35 % of delivered e-mails are opened.
 */
const READERS = { share: 0.65, open: 0.5, otherwise: 0.07 };
/** Share of openers who click. */
const CLICK_ODDS = 0.1;
/** Share of openers who unsubscribe through the e-mail's link: about 0.2 % of delivered e-mails. */
const UNSUBSCRIBE_ODDS = 0.006;
/** Share of campaign e-mails that bounce (soft bounces: the address stays on the newsletter), with no "Received Email". */
const BOUNCE_ODDS = 0.009;

/** "Subscribed to List" for every newsletter sign-up since the history starts. */
export function recordSignups(addEvent: AddEvent, people: Person[], startMs: number): void {
  for (const person of people) {
    const joined = person.newsletterJoinedMs;
    if (joined !== null && joined >= startMs) {
      addEvent("subscribedToList", person.id, joined, { List: "Newsletter", "$source": "Signup form" });
    }
  }
}

function campaignName(atMs: number): string {
  const d = new Date(atMs);
  return `Weekly picks ${d.toISOString().slice(0, 10)}`;
}

/** Campaigns go out at 15:00 UTC (the morning in the US); deliveries follow within 20 minutes. */
export const CAMPAIGN_SEND_HOUR = 15;

/** Whether `person` is on the newsletter at `at`: a campaign's audience. */
export function onNewsletter(person: Person, at: number): boolean {
  return person.newsletterJoinedMs !== null && person.newsletterJoinedMs < at && (person.emailUnsubMs === null || person.emailUnsubMs > at);
}

/**
 * Weekly campaigns (twice a week in November and December) to everyone on the newsletter when they
 * go out. A reader who unsubscribes through one leaves the newsletter (`emailUnsubMs`).
 */
export function sendCampaigns(rng: Random, addEvent: AddEvent, people: Person[], startMs: number, nowMs: number): void {
  const openOdds = new Map<string, number>();
  const opens = (person: Person): number => {
    let odds = openOdds.get(person.id);
    if (odds === undefined) openOdds.set(person.id, (odds = rng.chance(READERS.share) ? READERS.open : READERS.otherwise));
    return odds;
  };
  for (let day = startMs; day < nowMs; day += DAY) {
    const d = new Date(day);
    const holiday = d.getUTCMonth() >= 10;
    if (!(d.getUTCDay() === 2 || (holiday && d.getUTCDay() === 5))) continue;
    const sendAt = day + CAMPAIGN_SEND_HOUR * HOUR;
    const name = campaignName(sendAt);
    const subject = holiday ? "Gear up for the season" : "This week's trail picks";
    const props: JsonObject = { "Campaign Name": name, Subject: subject, "$message": name };
    for (const person of people.filter((p) => onNewsletter(p, sendAt))) {
      const received = sendAt + rng.int(0, 1200) * 1000;
      if (received >= nowMs || rng.chance(BOUNCE_ODDS)) continue;
      addEvent("receivedEmail", person.id, received, props);
      if (!rng.chance(opens(person))) continue;
      const opened = received + rng.int(2, 600) * MINUTE;
      if (opened >= nowMs) continue;
      addEvent("openedEmail", person.id, opened, props);
      const clicked = opened + rng.int(1, 15) * MINUTE;
      if (rng.chance(CLICK_ODDS) && clicked < nowMs) {
        addEvent("clickedEmail", person.id, clicked, { ...props, URL: "https://shop.example.com/collections/new" });
      }
      const left = opened + rng.int(1, 30) * MINUTE;
      if (rng.chance(UNSUBSCRIBE_ODDS) && left < nowMs) {
        person.emailUnsubMs = left;
        addEvent("unsubscribed", person.id, left, { "Campaign Name": name, List: "Newsletter" });
      }
    }
  }
}

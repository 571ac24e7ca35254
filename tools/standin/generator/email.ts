/**
 * The store's marketing: newsletter sign-ups, weekly e-mail campaigns (twice a week in the holiday
 * season) with their opens and clicks, and the e-mail and SMS unsubscribes that bunch up in the
 * busy season.
 */
import { BFCM_2025 } from "../account";
import type { JsonObject } from "../account";
import type { Random } from "../random";
import { DAY, HOUR } from "./calendar";
import type { AddEvent } from "./events";
import type { Person } from "./people";

/** "Subscribed to List" for every newsletter sign-up since the history starts. */
export function recordSignups(addEvent: AddEvent, people: Person[], startMs: number): void {
  for (const person of people) {
    const joined = person.newsletterJoinedMs;
    if (joined !== null && joined >= startMs) {
      addEvent("subscribedToList", person.id, joined, { List: "Newsletter", "$source": "Signup form" });
    }
  }
}

/**
 * About 140 e-mail and 65 SMS unsubscribes, most of them in the busy campaign season
 * (September 2025 to January 2026) so a weekly chart of the two channels has shape.
 */
export function assignUnsubscribes(rng: Random, people: Person[], startMs: number, nowMs: number): void {
  const seasonStart = Date.parse("2025-09-01T00:00:00Z");
  const seasonEnd = Date.parse("2026-02-01T00:00:00Z");
  const drawTime = (after: number): number | null => {
    const inSeason = rng.chance(0.65);
    const from = Math.max(after + DAY, inSeason ? seasonStart : startMs);
    const to = inSeason ? seasonEnd : nowMs - DAY;
    if (from >= to) return null;
    // Peaks right after campaign sends (Tuesdays) and in BFCM week.
    let at = from + Math.floor(rng.next() * (to - from));
    if (rng.chance(0.35)) {
      const bfcm = Date.parse(BFCM_2025.start);
      if (bfcm > from && bfcm < to) at = bfcm - 2 * DAY + Math.floor(rng.next() * 7 * DAY);
    }
    return at;
  };
  /** Up to `limit` people who joined the channel (at `joined`) leave it later, in random order. */
  const unsubscribe = (joined: (p: Person) => number | null, limit: number, leave: (p: Person, at: number) => void): void => {
    let left = 0;
    for (const person of rng.shuffle(people.filter((p) => joined(p) !== null))) {
      if (left >= limit) break;
      const at = drawTime(joined(person) as number);
      if (at !== null) {
        leave(person, at);
        left++;
      }
    }
  };
  unsubscribe(
    (p) => p.newsletterJoinedMs,
    140,
    (p, at) => (p.emailUnsubMs = at),
  );
  unsubscribe(
    (p) => p.smsJoinedMs,
    65,
    (p, at) => (p.smsUnsubMs = at),
  );
}

/** "Unsubscribed" (from the newsletter) and "Unsubscribed from SMS" events of the people who left. */
export function recordUnsubscribes(rng: Random, addEvent: AddEvent, people: Person[]): void {
  for (const person of people) {
    if (person.emailUnsubMs !== null) {
      addEvent("unsubscribed", person.id, person.emailUnsubMs, { "Campaign Name": campaignName(person.emailUnsubMs), List: "Newsletter" });
    }
    if (person.smsUnsubMs !== null) {
      addEvent("unsubscribedSms", person.id, person.smsUnsubMs, {
        Keyword: rng.pick(["STOP", "STOP", "UNSUBSCRIBE", "CANCEL"]),
        "$message": "SMS campaign",
      });
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

/** Weekly campaigns (twice a week in November and December) to a sample of subscribed people. */
export function sendCampaigns(rng: Random, addEvent: AddEvent, people: Person[], startMs: number, nowMs: number): void {
  for (let day = startMs; day < nowMs; day += DAY) {
    const d = new Date(day);
    const holiday = d.getUTCMonth() >= 10;
    if (!(d.getUTCDay() === 2 || (holiday && d.getUTCDay() === 5))) continue;
    const sendAt = day + CAMPAIGN_SEND_HOUR * HOUR;
    const name = campaignName(sendAt);
    const audience = people.filter((p) => onNewsletter(p, sendAt));
    for (const person of rng.shuffle(audience).slice(0, 45)) {
      const received = sendAt + rng.int(0, 1200) * 1000;
      if (received >= nowMs) continue;
      const subject = holiday ? "Gear up for the season" : "This week's trail picks";
      const props: JsonObject = { "Campaign Name": name, Subject: subject, "$message": name };
      addEvent("receivedEmail", person.id, received, props);
      if (rng.chance(0.36)) {
        const opened = received + rng.int(2, 600) * 60_000;
        if (opened < nowMs) {
          addEvent("openedEmail", person.id, opened, props);
          if (rng.chance(0.25) && opened + 60_000 < nowMs) {
            addEvent("clickedEmail", person.id, opened + rng.int(1, 15) * 60_000, {
              ...props,
              URL: "https://shop.example.com/collections/new",
            });
          }
        }
      }
    }
  }
}

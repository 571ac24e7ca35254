/**
 * The store's SMS marketing, sent from a US toll-free number (it reaches the US and Canada): people
 * join by texting JOIN ("Sent SMS", then "Consented to Receive SMS"), and text campaigns go out
 * every other Thursday and on Black Friday to everyone subscribed then. SMS opens are not tracked:
 * recipients click ("Clicked SMS"), a few messages fail to arrive ("Failed to Deliver SMS"), and a
 * few recipients reply STOP ("Unsubscribed from SMS").
 */
import type { JsonObject } from "../account";
import type { Random } from "../random";
import { BLACK_FRIDAYS, DAY, HOUR } from "./calendar";
import type { AddEvent } from "./events";
import type { Person } from "./people";

const MINUTE = 60_000;
/** Text campaigns go out at 17:00 UTC (midday on the US east coast). */
export const SMS_SEND_HOUR = 17;
/** The first Thursday of the fortnightly text campaigns. */
const FIRST_SMS_CAMPAIGN = "2024-09-12T00:00:00Z";
/** Shares of sends that fail, of delivered texts clicked, and of delivered texts answered STOP. */
const FAILED_ODDS = 0.015;
const CLICK_ODDS = 0.07;
/** Chance that a recipient who ordered within 5 days of a text came through its link (clicked it shortly before). */
const BRINGS_ORDER_ODDS = 0.35;
const STOP_ODDS = 0.007;
const STOP_WORDS = ["STOP", "STOP", "STOP", "UNSUBSCRIBE", "CANCEL"];


/** The text of a campaign sent at `at`. */
export function smsBody(at: number): string {
  const onBlackFriday = BLACK_FRIDAYS.some((friday) => at >= Date.parse(friday) && at < Date.parse(friday) + DAY);
  return onBlackFriday
    ? "DemoCo Outfitters: Black Friday is on. 20% off sitewide until Monday: https://www.example.com/s/bf Reply STOP to opt out"
    : "DemoCo Outfitters: new trail gear just landed. See what's new: https://www.example.com/s/new Reply STOP to opt out";
}

/** Whether `person` can receive text marketing at `at`: a text campaign's audience. */
function onSms(person: Person, at: number): boolean {
  return person.smsJoinedMs !== null && person.smsJoinedMs < at && (person.smsUnsubMs === null || person.smsUnsubMs > at);
}

/** The campaign's name in Klaviyo. */
function smsCampaignName(day: number): string {
  return `Text drop ${new Date(day).toISOString().slice(0, 10)}`;
}

/** "Sent SMS" (the JOIN text) and "Consented to Receive SMS" for every SMS sign-up since the history starts. */
export function recordSmsSignups(addEvent: AddEvent, people: Person[], startMs: number): void {
  for (const person of people) {
    const joined = person.smsJoinedMs;
    if (joined === null || joined - MINUTE < startMs) continue;
    addEvent("sentSms", person.id, joined - MINUTE, { Body: "JOIN", "$source": "Keyword" });
    addEvent("consentedSms", person.id, joined, { Method: "TEXT", "Method Detail": "JOIN" });
  }
}

/** The days text campaigns go out: every other Thursday, and Black Friday. */
function smsCampaignDays(startMs: number, nowMs: number): number[] {
  const days: number[] = [];
  for (let day = Math.max(startMs, Date.parse(FIRST_SMS_CAMPAIGN)); day < nowMs; day += 14 * DAY) days.push(day);
  for (const friday of BLACK_FRIDAYS) if (Date.parse(friday) < nowMs) days.push(Date.parse(friday));
  return days.sort((a, b) => a - b);
}

/**
 * When a recipient of a text delivered at `delivered` clicked it: shortly before an order of theirs
 * within 5 days that the text brought, or now and then anyway; null when they did not.
 */
function clickTime(rng: Random, delivered: number, orderTimes: readonly number[] | undefined): number | null {
  const order = orderTimes?.find((at) => at > delivered + 10 * MINUTE && at <= delivered + 5 * DAY);
  if (order !== undefined && rng.chance(BRINGS_ORDER_ODDS)) return order - rng.int(3, Math.min(120, Math.floor((order - delivered) / MINUTE) - 5)) * MINUTE;
  return rng.chance(CLICK_ODDS) ? delivered + rng.int(1, 180) * MINUTE : null;
}

/**
 * The text campaigns' sends and what followed; a recipient who answers STOP leaves SMS
 * (`smsUnsubMs`). `orderTimes` are each profile's Shopify order times, in order.
 */
export function sendSmsCampaigns(
  rng: Random,
  addEvent: AddEvent,
  people: Person[],
  orderTimes: ReadonlyMap<string, readonly number[]>,
  startMs: number,
  nowMs: number,
): void {
  for (const day of smsCampaignDays(startMs, nowMs)) {
    const sendAt = day + SMS_SEND_HOUR * HOUR;
    const name = smsCampaignName(day);
    const props: JsonObject = { "Campaign Name": name, "$message": name };
    for (const person of people.filter((p) => onSms(p, sendAt))) {
      const delivered = sendAt + rng.int(0, 300) * 1000;
      if (delivered >= nowMs) continue;
      if (rng.chance(FAILED_ODDS)) {
        addEvent("failedSms", person.id, delivered, { ...props, "Failure Type": rng.pick(["Device Unreachable", "Device Disconnected"]) });
        continue;
      }
      addEvent("receivedSms", person.id, delivered, props);
      const clicked = clickTime(rng, delivered, orderTimes.get(person.id));
      if (clicked !== null && clicked < nowMs) addEvent("clickedSms", person.id, clicked, { ...props, URL: "https://www.example.com/s/new" });
      const stopped = delivered + rng.int(1, 240) * MINUTE;
      if (rng.chance(STOP_ODDS) && stopped < nowMs) {
        person.smsUnsubMs = stopped;
        addEvent("unsubscribedSms", person.id, stopped, { ...props, Keyword: rng.pick(STOP_WORDS) });
      }
    }
  }
}

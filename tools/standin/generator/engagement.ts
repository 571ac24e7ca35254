/**
 * What recipients do with the flow e-mails (opens, clicks, repeat opens, bounces), and which message
 * each e-mail unsubscribe came through. Campaign engagement is not drawn here: it is read from the
 * account's own "Opened Email" and "Clicked Email" events (campaigns.ts).
 */
import { newSend } from "../marketing";
import type { EmailMessage, Send } from "../marketing";
import type { Random } from "../random";
import { DAY } from "./calendar";
import { wholeSecond } from "./flow-entries";
import type { Person } from "./people";

const MINUTE = 60_000;

/** How a message's recipients behave: chances per delivered e-mail, and mean extra opens and clicks. */
export interface Engagement {
  open: number;
  /** Chance that an opener clicks. */
  click: number;
  /** Mean further opens of an opener, and further clicks of a clicker. */
  reopens: number;
  reclicks: number;
}

/** Share of flow e-mails that bounce (soft bounces: the address keeps receiving). */
const BOUNCE_ODDS = 0.006;
/** An unsubscribe counts for the last e-mail delivered to the person at most this long before it. */
const UNSUBSCRIBE_REACH = 3 * DAY;
/** Share of those unsubscribes whose recipient also marked the e-mail as spam. */
const SPAM_ODDS = 0.15;

/** Times after `from`, `count` of them, `minMinutes` to `maxMinutes` apart from `from`, before `nowMs`, sorted. */
function later(rng: Random, from: number, count: number, minMinutes: number, maxMinutes: number, nowMs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = from + rng.int(minMinutes, maxMinutes) * MINUTE;
    if (at < nowMs) times.push(at);
  }
  return times.sort((a, b) => a - b);
}

/** Chance that the recipient of an e-mail that brought an order clicked it (the others opened it). */
const CONVERTER_CLICK_ODDS = 0.6;

/**
 * One flow e-mail to `profileId` at `at` and what followed. With `convertsAt`, the recipient opened
 * (and mostly clicked) it shortly before that time: the order it brought, attributed when the
 * reports run.
 */
export function drawSend(rng: Random, profileId: string, at: number, odds: Engagement, nowMs: number, convertsAt?: number): Send {
  const send = newSend(profileId, at);
  if (convertsAt !== undefined && convertsAt - at > 10 * MINUTE) {
    const click = convertsAt - rng.int(3, Math.min(120, Math.floor((convertsAt - at) / MINUTE) - 5)) * MINUTE;
    send.opens = [Math.max(at + MINUTE, click - rng.int(1, 10) * MINUTE)];
    if (rng.chance(CONVERTER_CLICK_ODDS)) send.clicks = [click];
    return send;
  }
  if (rng.chance(BOUNCE_ODDS)) return newSend(profileId, at, true);
  if (!rng.chance(odds.open)) return send;
  const opened = at + rng.int(2, 600) * MINUTE;
  if (opened >= nowMs) return send;
  send.opens = [opened, ...later(rng, opened, rng.poisson(odds.reopens), 10, 2880, nowMs)];
  if (rng.chance(odds.click) && opened + 15 * MINUTE < nowMs) {
    const clicked = opened + rng.int(1, 15) * MINUTE;
    send.clicks = [clicked, ...later(rng, clicked, rng.poisson(odds.reclicks), 1, 600, nowMs)];
  }
  return send;
}

/**
 * Credits each e-mail unsubscribe (the person's "Unsubscribed" event) to the last e-mail delivered
 * to them before it, when that came at most three days earlier; a few of those recipients also
 * marked the e-mail as spam. The others unsubscribed some other way (a preference page, a reply).
 */
export function creditUnsubscribes(rng: Random, people: readonly Person[], messages: readonly EmailMessage[]): void {
  const sendsOf = new Map<string, Send[]>();
  for (const message of messages) {
    for (const send of message.sends) {
      if (send.bounced) continue;
      const own = sendsOf.get(send.profileId);
      if (own) own.push(send);
      else sendsOf.set(send.profileId, [send]);
    }
  }
  for (const person of people) {
    if (person.emailUnsubMs === null) continue;
    const at = wholeSecond(person.emailUnsubMs);
    let last: Send | undefined;
    for (const send of sendsOf.get(person.id) ?? []) if (send.at <= at && (!last || send.at > last.at)) last = send;
    if (last && at - last.at <= UNSUBSCRIBE_REACH) {
      last.unsubscribedAt = at;
      last.spamComplaint = rng.chance(SPAM_ODDS);
    }
  }
}

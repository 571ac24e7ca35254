/**
 * The store's customers before they become profiles: who they are, where they live, when they
 * signed up, and (filled in later by the campaigns, email.ts and sms.ts) when they unsubscribed.
 */
import { FIRST_NAMES, LAST_NAMES, PLACES } from "../catalog";
import { Random, ulid } from "../random";
import { DAY } from "./calendar";

const WHOLESALE_BUYERS = 40;

export interface Person {
  id: string;
  createdMs: number;
  first: string;
  last: string;
  email: string;
  phone: string | null;
  placeIndex: number;
  wholesale: boolean;
  newsletterJoinedMs: number | null;
  smsJoinedMs: number | null;
  emailUnsubMs: number | null;
  smsUnsubMs: number | null;
}

/** Fictional numbers per area code: 555-0100 to 555-0199. */
const NUMBERS_PER_AREA = 100;

/** `count` people in order of sign-up, with fictional phone numbers that never repeat. */
export function makePeople(rng: Random, nowMs: number, count: number): Person[] {
  const earliest = Date.parse("2024-06-01T00:00:00Z");
  const usedPhones = new Set<string>();
  const capacity = PLACES.length * NUMBERS_PER_AREA;
  /** Numbers taken per area code. */
  const takenInArea = new Map<string, number>();
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    // Skewed toward earlier sign-ups so most people have a history by BFCM 2025.
    const createdMs = earliest + Math.floor(Math.pow(rng.next(), 1.35) * (nowMs - 10 * DAY - earliest));
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const placeIndex = rng.int(0, PLACES.length - 1);
    let phone: string | null = null;
    if (rng.chance(0.6)) {
      const area = PLACES[placeIndex].areaCode;
      do {
        phone = `+1${area}55501${String(rng.int(0, 99)).padStart(2, "0")}`;
      } while (usedPhones.has(phone) && usedPhones.size < capacity - 20 && (takenInArea.get(area) ?? 0) < NUMBERS_PER_AREA);
      if (usedPhones.has(phone)) phone = null;
      else {
        usedPhones.add(phone);
        takenInArea.set(area, (takenInArea.get(area) ?? 0) + 1);
      }
    }
    const joinsNewsletter = rng.chance(0.6);
    people.push({
      id: ulid(rng, createdMs),
      createdMs,
      first,
      last,
      email: `${first}.${last}.${String(i + 1).padStart(3, "0")}@example.com`.toLowerCase(),
      phone,
      placeIndex,
      wholesale: i % 20 === 7 && people.filter((p) => p.wholesale).length < WHOLESALE_BUYERS,
      newsletterJoinedMs: joinsNewsletter ? createdMs + rng.int(1, 72) * 60_000 : null,
      smsJoinedMs: phone !== null && rng.chance(0.55) ? createdMs + rng.int(1, 30) * DAY : null,
      emailUnsubMs: null,
      smsUnsubMs: null,
    });
  }
  people.sort((a, b) => a.createdMs - b.createdMs);
  for (const p of people) if (p.smsJoinedMs !== null && p.smsJoinedMs >= nowMs) p.smsJoinedMs = null;
  return people;
}

/**
 * Other accounts for tests, beside the demo: what a reader's own account may look like.
 *
 * - `second`: the demo generator with another seed, reshaped so that nothing a guide could have
 *   hard-coded still holds: other list names and ids, another name for the e-mail unsubscribe
 *   metric, no SMS (no SMS metric, list, events or campaigns), no mapped metrics, the company in London's
 *   time zone (reports read their time frames in it), four times as many earlier
 *   orders (so sweeps take many pages), and contact data that is *not* demo data (names outside the
 *   scrubber's lists, e-mails @example.org, London phone numbers, other streets), so a recording of
 *   it proves the scrubbing. Served with `null` links at the ends and a 429 every few requests.
 * - `empty`: a new account: no profiles, events, metrics, lists, segments, mapped metrics,
 *   campaigns, flows or forms.
 *
 * Each is a pure function of its seed; nothing reads the clock or `Math.random`.
 */
import { apiDatetime, byTimeThenId, DEMO_NOW, DEMO_TIMEZONE } from "./account";
import type { DemoAccount, DemoEvent, DemoList, DemoProfile, JsonObject } from "./account";
import { generateAccount } from "./generator/generate";
import { Random, shortId } from "./random";

/** The accounts the stand-in can serve. */
export type AccountName = "demo" | "second" | "empty";
export const ACCOUNT_NAMES: readonly AccountName[] = ["demo", "second", "empty"];

/** Stand-in behaviour that differs between accounts (see startDemoServer). */
export interface ServerQuirks {
  /**
   * Leave `next` and `prev` out at the ends of a collection. The spec makes both optional; the live
   * API has sent `null`, which is what the stand-in sends otherwise. Guides must handle both.
   */
  absentEndLinks?: boolean;
  /** Answer every n-th GET /api/* request with 429 and `Retry-After: 1` (each then succeeds when retried). */
  throttleEvery?: number;
}

/** An account and how the stand-in serves it. */
export interface AccountSetup {
  name: AccountName;
  account: DemoAccount;
  quirks: ServerQuirks;
  /**
   * Demo values (list names and ids, metric names) → this account's, for the ones that exist under
   * another name. A guide parameter whose demo default is a key here should be set to the value.
   */
  renamed: Record<string, string>;
}

export const SECOND_SEED = 424242;
export const SECOND_COMPANY_ID = "SecondCo";
export const EMPTY_COMPANY_ID = "EmptyCo";
/** Another company time zone than the demo's, so report time frames are read in it. */
export const SECOND_TIMEZONE = "Europe/London";

/** Demo list name → the second account's; lists not named here are dropped. */
const SECOND_LISTS: Record<string, string> = { Newsletter: "Email Subscribers", VIP: "Loyalty Club", "Sample Data List": "Preview List" };
/** Demo metric name → the second account's; the SMS metrics are dropped with their events. */
const SECOND_METRICS: Record<string, string> = { Unsubscribed: "Unsubscribed from Email Marketing" };
const DROPPED_METRICS = new Set([
  "Sent SMS", "Consented to Receive SMS", "Received SMS", "Clicked SMS", "Failed to Deliver SMS", "Unsubscribed from SMS",
]);
const DROPPED_LISTS = new Set(["SMS Subscribers"]);
/** Each earlier order line is repeated this many times, weeks apart, before BFCM 2025. */
const EARLIER_ORDER_COPIES = 3;

/** Not in the scrubber's demo lists, and none is part of another (so a text search is exact). */
const FIRST_NAMES = [
  "Amara", "Bastian", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hanne", "Ines", "Joaquin", "Keiko",
  "Mirela", "Nikhil", "Oksana", "Priya", "Rafael", "Soren", "Tamsin", "Yusuf", "Zofia"
];
const LAST_NAMES = [
  "Abernathy", "Brennan", "Castellanos", "Dubois", "Eriksen", "Fontaine", "Gallagher", "Haddad", "Iwasaki",
  "Jankowski", "Kowalczyk", "Lindqvist", "Mbeki", "Novak", "Okonkwo", "Petrov", "Quintero", "Rasmussen",
  "Szabo", "Takahashi"
];
const STREETS = ["Harbour Road", "Mill Lane", "Station Parade", "Orchard Close", "Canal Walk"];

/** Builds the named account (the demo's is `generateAccount()` itself). */
export function accountSetup(name: AccountName): AccountSetup {
  if (name === "demo") return { name, account: generateAccount(), quirks: {}, renamed: {} };
  if (name === "empty") return { name, account: emptyAccount(), quirks: { absentEndLinks: true }, renamed: {} };
  return secondAccount(generateAccount(), generateAccount(SECOND_SEED));
}

/** A new account with nothing in it. */
export function emptyAccount(): DemoAccount {
  return {
    now: DEMO_NOW,
    companyId: EMPTY_COMPANY_ID,
    profiles: [],
    lists: [],
    segments: [],
    metrics: [],
    events: [],
    // No metric is mapped: the stand-in answers GET /api/mapped-metrics/{id} without relationships.metric.data.
    mappedMetrics: {},
    customMetrics: [],
    deletedMetricIds: [],
    timezone: DEMO_TIMEZONE,
    campaigns: [],
    flows: [],
    forms: [],
  };
}

/**
 * Reshapes `raw` (the generator's output for another seed) into the second account; `demo` is the
 * demo account, read only for the ids of its lists (so `renamed` maps them too).
 */
export function secondAccount(demo: DemoAccount, raw: DemoAccount): AccountSetup {
  const rng = new Random(SECOND_SEED);
  const dropped = new Set(raw.metrics.filter((m) => DROPPED_METRICS.has(m.name)).map((m) => m.id));
  const metrics = raw.metrics.filter((m) => !dropped.has(m.id)).map((m) => ({ ...m, name: SECOND_METRICS[m.name] ?? m.name }));
  const lists: DemoList[] = raw.lists
    .filter((l) => !DROPPED_LISTS.has(l.name))
    .map((l) => ({ ...l, name: SECOND_LISTS[l.name] ?? l.name }));

  const renamed: Record<string, string> = { ...SECOND_METRICS, ...SECOND_LISTS };
  for (const list of demo.lists) {
    const twin = raw.lists.find((l) => l.name === list.name);
    if (twin && !DROPPED_LISTS.has(list.name)) renamed[list.id] = twin.id;
  }

  const profiles = raw.profiles.map((p, i) => foreignProfile(p, i, rng));
  const created = new Map(profiles.map((p) => [p.id, Date.parse(p.attributes.created as string)]));
  const events = raw.events.filter((e) => !dropped.has(e.metricId)).map((e) => renameListProperty(e));
  events.push(...earlierOrderCopies(raw, events, created, rng));
  events.sort(byTimeThenId);

  const account: DemoAccount = {
    ...raw,
    companyId: SECOND_COMPANY_ID,
    profiles,
    lists,
    metrics,
    events,
    mappedMetrics: {},
    campaigns: raw.campaigns.filter((c) => c.message.channel !== "sms"),
    timezone: SECOND_TIMEZONE,
  };
  return { name: "second", account, quirks: { absentEndLinks: true, throttleEvery: 25 }, renamed };
}

/** The same person under a name, e-mail, phone and street that are not demo data. */
function foreignProfile(p: DemoProfile, index: number, rng: Random): DemoProfile {
  const first = FIRST_NAMES[index % FIRST_NAMES.length];
  const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length];
  const a = p.attributes;
  const location = a.location as JsonObject;
  // Manchester's drama range +44 161 496 0000–0999: valid numbers that belong to no one, and none
  // of them the number the server-side guide subscribes (London's range), which a comparison of
  // runs would otherwise take for this account's personal data.
  const phone = a.phone_number === null ? null : `+44161496${String(index % 1000).padStart(4, "0")}`;
  const attributes: JsonObject = {
    ...a,
    email: `${first}.${last}.${index + 1}@example.org`.toLowerCase(),
    phone_number: phone,
    first_name: first,
    last_name: last,
    organization: a.organization === null ? null : `Wholesale account ${index + 1}`,
    location: {
      ...location,
      address1: `${rng.int(1, 240)} ${rng.pick(STREETS)}`,
      address2: location.address2 === null ? null : `Flat ${rng.int(1, 30)}`,
    },
  };
  return { ...p, attributes };
}

function renameListProperty(e: DemoEvent): DemoEvent {
  const list = e.event_properties.List;
  if (typeof list !== "string" || !SECOND_LISTS[list]) return e;
  return { ...e, event_properties: { ...e.event_properties, List: SECOND_LISTS[list] } };
}

/** Copies of Ordered Product lines before BFCM 2025, 2, 4 and 6 weeks earlier, never before the profile existed. */
function earlierOrderCopies(raw: DemoAccount, events: DemoEvent[], created: Map<string, number>, rng: Random): DemoEvent[] {
  const ordered = new Set(raw.metrics.filter((m) => m.name === "Ordered Product").map((m) => m.id));
  const bfcmStart = Date.parse("2025-11-28T00:00:00Z") / 1000;
  const copies: DemoEvent[] = [];
  for (const e of events) {
    if (!ordered.has(e.metricId) || e.timestamp >= bfcmStart) continue;
    for (let k = 1; k <= EARLIER_ORDER_COPIES; k++) {
      const timestamp = e.timestamp - k * 14 * 86_400;
      if (timestamp * 1000 <= (created.get(e.profileId) ?? Infinity) || timestamp * 1000 < Date.parse(raw.events[0].datetime)) continue;
      const orderId = `${String(e.event_properties.OrderId)}-${k}`;
      copies.push({
        ...e,
        id: shortId(rng, 12),
        timestamp,
        datetime: apiDatetime(timestamp * 1000),
        uuid: `${e.uuid.slice(0, -1)}${k}`,
        event_properties: {
          ...e.event_properties,
          OrderId: orderId,
          "$event_id": `${orderId}:${String(e.event_properties["$event_id"]).split(":")[1]}`,
        },
      });
    }
  }
  return copies;
}

/**
 * The store's five e-mail flows (Welcome Series, Abandoned Cart, Browse Abandonment, Post-Purchase,
 * Winback): each a chain of waits and e-mails, sent to the profiles that entered it
 * (flow-entries.ts) while the flow filter lets them through and they have not unsubscribed. How
 * recipients respond follows the usual pattern: triggered e-mails are opened and clicked more than
 * campaigns, abandoned carts most of all.
 */
import { ATTRIBUTION_WINDOW_MS } from "../reporting/attribution";
import type { DemoEvent } from "../account";
import type { DemoFlow, FlowStep, FlowTriggerType } from "../marketing";
import { shortId } from "../random";
import type { Random } from "../random";
import { DAY, HOUR } from "./calendar";
import { drawSend } from "./engagement";
import type { Engagement } from "./engagement";
import { browseEntries, checkoutEntries, orderEntries, OrderBook, signupEntries } from "./flow-entries";
import type { FlowEntry } from "./flow-entries";
import type { Order } from "./orders";
import type { Person } from "./people";

interface StepSpec {
  name: string;
  subject: string;
  previewText: string;
  /** Wait after the previous step (after the trigger, for the first). */
  delay: { unit: "hours" | "days"; value: number };
  engagement: Engagement;
}

interface FlowSpec {
  name: string;
  triggerType: FlowTriggerType;
  created: string;
  updated: string;
  steps: StepSpec[];
  /**
   * Chance that an order ending the flow (its filter) while it runs, up to the attribution window
   * after its last e-mail, came through it: the recipient opened and clicked the last e-mail before.
   */
  bringsBack: number;
}

const step = (name: string, subject: string, previewText: string, delay: StepSpec["delay"], open: number, click: number): StepSpec => ({
  name,
  subject,
  previewText,
  delay,
  engagement: { open, click, reopens: 0.5, reclicks: 0.3 },
});

const flow = (name: string, triggerType: FlowTriggerType, dates: [string, string], bringsBack: number, steps: StepSpec[]): FlowSpec => ({
  name,
  triggerType,
  created: dates[0],
  updated: dates[1],
  bringsBack,
  steps,
});

const hours = (value: number): StepSpec["delay"] => ({ unit: "hours", value });
const days = (value: number): StepSpec["delay"] => ({ unit: "days", value });

const FLOWS: Record<"welcome" | "cart" | "browse" | "postPurchase" | "winback", FlowSpec> = {
  welcome: flow("Welcome Series", "Added to List", ["2024-06-01T10:30:00+00:00", "2025-03-04T14:12:09+00:00"], 0.7, [
    step("Welcome 1: Welcome to the trail", "Welcome to the trail 🌲", "Here's what makes our gear different.", hours(0), 0.55, 0.1),
    step("Welcome 2: Our best-sellers", "The gear our customers love most", "Five favourites, trail-tested.", days(2), 0.46, 0.08),
    step("Welcome 3: 10% off your first order", "A little something for your first order", "10% off, this week only.", days(2), 0.44, 0.09),
    step("Welcome 4: Your 10% ends soon", "Your 10% ends Sunday", "Still deciding? Here's some help choosing.", days(6), 0.4, 0.08),
  ]),
  cart: flow("Abandoned Cart", "Metric", ["2024-06-03T16:05:00+00:00", "2025-10-20T09:41:27+00:00"], 0.8, [
    step("Cart 1: You left something behind", "You left something behind", "Your cart is saved for you.", hours(4), 0.48, 0.06),
    step("Cart 2: Still thinking it over?", "Still thinking it over?", "Questions? Our team is here to help.", hours(20), 0.42, 0.05),
  ]),
  browse: flow("Browse Abandonment", "Metric", ["2024-06-03T16:20:00+00:00", "2025-05-12T11:03:45+00:00"], 0.4, [
    step("Browse 1: Still looking?", "Still looking?", "The gear you were eyeing is still here.", days(2), 0.42, 0.08),
  ]),
  postPurchase: flow("Post-Purchase", "Metric", ["2024-06-04T09:00:00+00:00", "2025-02-11T18:50:00+00:00"], 0, [
    step("Post-purchase 1: Caring for your gear", "Getting the most out of your new gear", "Care tips from our team.", days(3), 0.52, 0.08),
    step("Post-purchase 2: How is it going?", "How's it going out there?", "Tell us what you think: leave a review.", days(11), 0.45, 0.07),
  ]),
  winback: flow("Winback", "Metric", ["2024-08-19T13:30:00+00:00", "2025-01-07T10:15:00+00:00"], 0.7, [
    step("Winback 1: We miss you", "We miss you on the trail", "See what's new since your last visit.", days(120), 0.31, 0.07),
    step("Winback 2: 15% to come back", "15% off to welcome you back", "Our thanks for coming back, this week only.", days(14), 0.29, 0.08),
  ]),
};

/** What the flows are sent from: the account's people, orders and product views. */
export interface FlowSources {
  people: readonly Person[];
  orders: readonly Order[];
  /** The "Viewed Product" and "Checkout Started" events, in time order. */
  views: readonly DemoEvent[];
  checkouts: readonly DemoEvent[];
  startMs: number;
  nowMs: number;
}

/** The five flows with everything they sent, in a fixed order of random draws. */
export function makeFlows(rng: Random, sources: FlowSources): DemoFlow[] {
  const { people, startMs, nowMs } = sources;
  const book = new OrderBook(sources.orders.filter((o) => o.store === "shopify"));
  const unsubscribedAt = new Map(people.map((p) => [p.id, p.emailUnsubMs]));
  const build = (spec: FlowSpec, entries: FlowEntry[]): DemoFlow => sendFlow(rng, spec, entries, unsubscribedAt, nowMs);
  return [
    build(FLOWS.welcome, signupEntries(people, book, startMs, nowMs)),
    build(FLOWS.cart, checkoutEntries(sources.checkouts, book)),
    build(FLOWS.browse, browseEntries(sources.views, book)),
    build(FLOWS.postPurchase, orderEntries(book, false)),
    build(FLOWS.winback, orderEntries(book, true)),
  ];
}

/** Each step's wait after the trigger: its own delay and all before it. */
function offsets(spec: FlowSpec): number[] {
  let total = 0;
  return spec.steps.map((s) => (total += s.delay.value * (s.delay.unit === "days" ? DAY : HOUR)));
}

/** The flow, its steps' e-mails sent to each entry that is still due them when their time comes. */
function sendFlow(rng: Random, spec: FlowSpec, entries: FlowEntry[], unsubscribedAt: Map<string, number | null>, nowMs: number): DemoFlow {
  const created = Date.parse(spec.created);
  const steps: FlowStep[] = spec.steps.map((s) => ({
    delayActionId: String(rng.int(10_000_000, 99_999_999)),
    sendActionId: String(rng.int(10_000_000, 99_999_999)),
    delay: s.delay,
    message: { id: shortId(rng), name: s.name, channel: "email", subject: s.subject, previewText: s.previewText, created: spec.created, sends: [] },
  }));
  const waits = offsets(spec);
  for (const entry of entries) {
    const due = waits.map((wait) => entry.at + wait);
    let convertsAt = entry.convertsAt;
    const { stopAt } = entry;
    if (convertsAt === undefined && stopAt !== null && stopAt > due[0] && stopAt <= due[due.length - 1] + ATTRIBUTION_WINDOW_MS) {
      if (rng.chance(spec.bringsBack)) convertsAt = stopAt;
    }
    // The last e-mail before an order that came back is the one that brought it.
    const bringsOrder = convertsAt === undefined ? -1 : due.filter((at) => at < (convertsAt as number)).length - 1;
    const left = unsubscribedAt.get(entry.profileId) ?? null;
    for (let i = 0; i < steps.length; i++) {
      const at = due[i];
      if (at >= nowMs || at < created || (entry.stopAt !== null && at >= entry.stopAt) || (left !== null && left <= at)) break;
      const converts = i === bringsOrder ? convertsAt : undefined;
      steps[i].message.sends.push(drawSend(rng, entry.profileId, at, spec.steps[i].engagement, nowMs, converts));
    }
  }
  for (const s of steps) s.message.sends.sort((a, b) => a.at - b.at);
  return { id: shortId(rng), name: spec.name, triggerType: spec.triggerType, created: spec.created, updated: spec.updated, steps };
}

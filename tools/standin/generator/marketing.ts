/**
 * The marketing the Reporting API reports on, made after the rest of the account from the same
 * story: campaigns from the e-mail events, flows from sign-ups, views and orders, the sign-up form
 * from its sign-ups, unsubscribes credited to the e-mails they came through. It draws from a random
 * source of its own, so adding it changed nothing the account held before.
 */
import type { DemoAccount, DemoEvent } from "../account";
import { Random } from "../random";
import { makeCampaigns } from "./campaigns";
import { creditUnsubscribes } from "./engagement";
import { makeFlows } from "./flows";
import { makeSignupForm } from "./forms";
import type { MetricKey } from "./metrics";
import type { Order } from "./orders";
import type { Person } from "./people";

/** What the marketing is made from: the account so far and the story behind it. */
export interface MarketingSources {
  seed: number;
  people: readonly Person[];
  orders: readonly Order[];
  /** The account's events, in time order. */
  events: readonly DemoEvent[];
  metricId: (key: MetricKey) => string;
  lists: DemoAccount["lists"];
  startMs: number;
  nowMs: number;
  orderRate: number;
}

/** Keeps the marketing's draws apart from the rest of the account's. */
const MARKETING_SALT = 0x4d4b5447;

export function makeMarketing(sources: MarketingSources): Pick<DemoAccount, "campaigns" | "flows" | "forms"> {
  const { people, events, metricId, startMs, nowMs } = sources;
  const rng = new Random(sources.seed ^ MARKETING_SALT);
  const newsletter = sources.lists.find((l) => l.name === "Newsletter");
  if (!newsletter) throw new Error("The account has no Newsletter list to send its campaigns to (generator/groups.ts).");
  const campaigns = makeCampaigns(rng, events, metricId, people, newsletter);
  const views = events.filter((e) => e.metricId === metricId("viewedProduct"));
  const flows = makeFlows(rng, { people, orders: sources.orders, views, startMs, nowMs, orderRate: sources.orderRate });
  creditUnsubscribes(rng, people, [...campaigns.map((c) => c.message), ...flows.flatMap((f) => f.steps.map((s) => s.message))]);
  const signups = events.filter((e) => e.metricId === metricId("subscribedToList") && e.event_properties.$source === "Signup form");
  const forms = [makeSignupForm(rng, signups, startMs, nowMs, sources.orderRate)];
  return { campaigns, flows, forms };
}

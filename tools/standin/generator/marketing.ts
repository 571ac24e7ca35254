/**
 * The marketing the Reporting API reports on, made after the rest of the account from the same
 * story: campaigns from the e-mail and SMS events, flows from sign-ups, checkouts, views and
 * orders, the sign-up form from its sign-ups, e-mail unsubscribes credited to the e-mails they came
 * through. It draws from a random source of its own, apart from the rest of the account's draws.
 */
import type { DemoAccount, DemoEvent, DemoList } from "../account";
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
  const list = (name: string): DemoList => {
    const found = sources.lists.find((l) => l.name === name);
    if (!found) throw new Error(`The account has no "${name}" list to send its campaigns to (generator/groups.ts).`);
    return found;
  };
  const campaigns = makeCampaigns(rng, events, metricId, people, { newsletter: list("Newsletter"), sms: list("SMS Subscribers") });
  const of = (key: MetricKey): DemoEvent[] => events.filter((e) => e.metricId === metricId(key));
  const flows = makeFlows(rng, { people, orders: sources.orders, views: of("viewedProduct"), checkouts: of("checkoutStarted"), startMs, nowMs });
  const emails = [...campaigns.map((c) => c.message).filter((m) => m.channel === "email"), ...flows.flatMap((f) => f.steps.map((s) => s.message))];
  creditUnsubscribes(rng, people, emails);
  const signups = events.filter((e) => e.metricId === metricId("subscribedToList") && e.event_properties.$source === "Signup form");
  const forms = [makeSignupForm(rng, signups, startMs, nowMs, sources.orderRate)];
  return { campaigns, flows, forms };
}

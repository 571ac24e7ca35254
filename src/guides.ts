/**
 * The guides: the one list that names them. Config and connect (which key a guide needs, where its
 * fixture is), the fixtures recorder, publishing (README table, static site) and the guide tests
 * all read it. Adding a guide is one entry here, plus its notebook, fixture and stand-in routes
 * (README, "Add a guide").
 */

import { SETTINGS } from "./settings";

/** The variable whose key a guide needs: private (`pk_…`, `/api/*`) or public (site ID, `/client/*`). */
export type KeyVariable = typeof SETTINGS.privateKey | typeof SETTINGS.publicKey;

/** One guide, as every part of the project sees it. */
export interface GuideEntry {
  /** What a notebook passes to `connect()`, and how scripts and messages name the guide. */
  id: string;
  /** File name inside `notebooks/`. */
  notebook: string;
  /** File name inside the fixtures folder (`data/`, or KLAVIYO_FIXTURES_DIR). */
  fixture: string;
  /** The key whose presence makes the guide default to live mode, and that live mode requires. */
  keyVariable: KeyVariable;
  /** The notebook's `# ` heading, word for word (a test compares them). */
  title: string;
  /** One line for the README table and the static index. */
  summary: string;
}

export const GUIDES = [
  {
    id: "customer-data",
    notebook: "1-customer-data.ipynb",
    fixture: "customer-data.json",
    keyVariable: SETTINGS.privateKey,
    title: "Understanding customer data with Klaviyo's API",
    summary:
      "Profiles, events, metrics, lists and segments; pagination and date filters; first-time buyers during Black Friday / Cyber Monday.",
  },
  {
    id: "client-side",
    notebook: "2-client-side.ipynb",
    fixture: "client-side.json",
    keyVariable: SETTINGS.publicKey,
    title: "Understanding client-side requests",
    summary:
      "Send events, subscriptions and profiles with a public key; review events that trigger flows; status codes, validation and rate limits.",
  },
  {
    id: "server-side",
    notebook: "3-server-side.ipynb",
    fixture: "server-side.json",
    keyVariable: SETTINGS.privateKey,
    title: "Understanding server-side requests",
    summary:
      "Send events, orders, profiles and consent from your server with a private key; bulk jobs, backfills without flows, safe retries and pacing under the rate limits.",
  },
  {
    id: "reporting",
    notebook: "4-reporting.ipynb",
    fixture: "reporting.json",
    keyVariable: SETTINGS.privateKey,
    title: "Understanding reporting with Klaviyo's API",
    summary:
      "Campaign, flow, segment and form performance with the Reporting API; why metric aggregates differ from the dashboard; staying inside 225 reports a day; CSV export.",
  },
] as const satisfies readonly GuideEntry[];

/** A registered guide's id, e.g. "customer-data". */
export type Guide = (typeof GUIDES)[number]["id"];

/** The entry of the guide with this id; throws, naming the registered ones, for any other id. */
export function guideEntry(id: string): GuideEntry {
  const entry = GUIDES.find((g) => g.id === id);
  if (!entry) {
    throw new RangeError(`Unknown guide "${id}"; use one of: ${GUIDES.map((g) => g.id).join(", ")} (registered in src/guides.ts).`);
  }
  return entry;
}

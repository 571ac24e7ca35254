/**
 * The fault scenario every guide is run in (issue 21), one run per guide (issue 22: each run costs a
 * kernel's worth of time): a fresh demo stand-in (tools/standin) with writes on, the demo account
 * so that the committed notebooks are the clean run to compare notes with. It is a careful reader's
 * key that is revoked late: first the faults a reader's own key, network or proxy bring, each where
 * it reaches the guide; then, once every one of them has fired, the key stops working (for the
 * client-side guide: the company id is unknown) from a planned request on, so that the later cells
 * show how a 401 (a 400 "Invalid Company ID") is said once and every step after it skipped.
 *
 * Which fault goes to which guide follows what the guide reads: the customer-data guide sweeps only
 * list members in more than one page, and every one of its reads after the lists needs
 * `metrics:read`, so its careful reader lacks `metrics:read` (with `lists:read` gone too, nothing
 * would be left to sweep); the server-side guide reads lists (for consent) in many cells and metrics
 * in one (the revenue mapping), so its reader lacks `lists:read`; the client-side guide sends only `/client/*`, where no scope, no
 * private key and no sweep applies; the reporting guide reads campaigns, flows, the week's orders
 * and segments apart, so a missing scope, a spent daily limit, a 500 and a dropped connection each
 * take one of them and leave the others to run.
 */
import type { Guide } from "../../src/guides";

/** One way of running every guide: a title for tables, and the faults (tools/standin/faults/catalog.ts) each guide's stand-in has. */
export interface Scenario {
  id: string;
  title: string;
  faults: Readonly<Record<Guide, readonly string[]>>;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: "A",
    title: "a careful reader's key, revoked late",
    faults: {
      // Cell by cell (demo account): the 2nd later page of list members is the hand-written loop's
      // page 2; from the 3rd on, the `items` helper's sweep; the first profiles read is the guide's
      // first request. The key goes with the second read of metrics (the first is the one refused
      // for want of metrics:read): the cells after it each say they are skipped.
      "customer-data": [
        "no-metrics-read",
        "sweep-error=get_profiles_for_list:2",
        "next-without-cursor=get_profiles_for_list:3",
        "dropped-connection=get_profiles",
        "revoked-key=get_metrics:2",
      ],
      // With lists:read gone the consent cells, and their job polls, are skipped; the profile a
      // later cell updates by its id; a suppression (a write the guide still sends); then the key
      // goes with the 7th event sent, the one the retry cell sends: the cells after it (reading a
      // profile and its events) each say they are skipped.
      "server-side": [
        "no-lists-read",
        "dropped-connection=create_or_update_profile",
        "server-error=bulk_suppress_profiles",
        "revoked-key=create_event:7",
      ],
      // The first event (a later cell reads its outcome), the first profile; the company id is
      // unknown from the third profile on (the cells that show validation and the rate limits).
      "client-side": ["server-error=create_client_event", "dropped-connection=create_client_profile", "invalid-company-id=create_client_profile:3"],
      // Without campaigns:read the flow, segment and form sections still run; the flow reports'
      // day is spent (a 429 whose Retry-After runs to midnight, which the pacer does not wait out);
      // a 500 on the flows' series, the week's orders dropped; then the key goes with the segments'
      // names: the segments' series and the forms' report each say they are skipped.
      reporting: [
        "no-campaigns-read",
        "daily-limit-spent=query_flow_values",
        "server-error=query_flow_series",
        "dropped-connection=query_metric_aggregates",
        "revoked-key=get_segments",
      ],
    },
  },
];

/**
 * The writes of each guide that act on what an earlier answer said (an id it returned, a list a
 * read found or did not find, buyers a sweep counted): none of them may be sent once a request
 * they depend on failed. The other writes depend on nothing read.
 */
export const DEPENDENT_WRITES: Readonly<Record<Guide, readonly string[]>> = {
  "customer-data": ["create_list", "add_profiles_to_list"],
  "server-side": ["update_profile", "bulk_subscribe_profiles", "bulk_unsubscribe_profiles"],
  "client-side": [],
  reporting: [],
};

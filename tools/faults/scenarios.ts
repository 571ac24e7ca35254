/**
 * The fault scenarios every guide is run in (issue 21): faults combined so that each guide meets
 * every fault that can reach it in two runs, each a fresh demo stand-in (tools/standin) with writes
 * on. The demo account, so that the committed notebooks are the clean run to compare notes with.
 *
 * Which fault goes to which guide follows what the guide reads: the customer-data guide sweeps only
 * list members in more than one page, and every one of its reads after the lists needs
 * `metrics:read`, so its careful reader lacks `metrics:read` (with `lists:read` gone too, nothing
 * would be left to sweep); the server-side guide reads lists (for consent) and no metrics, so its
 * reader lacks `lists:read`; the client-side guide sends only `/client/*`, where no scope, no
 * private key and no sweep applies; the reporting guide reads campaigns, flows and segments apart,
 * so a scope, a spent daily limit and a failure each take one of them and leave the others to run.
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
    title: "a careful reader's key",
    faults: {
      // Cell by cell (demo account): the 2nd later page of list members is the hand-written loop's
      // page 2; from the 3rd on, the `items` helper's sweep; the first profiles read is the guide's first request.
      "customer-data": [
        "no-metrics-read",
        "sweep-error=get_profiles_for_list:2",
        "next-without-cursor=get_profiles_for_list:3",
        "dropped-connection=get_profiles",
      ],
      // The first read of profiles (with lists:read gone the consent cells, and their job polls,
      // are skipped), and the profile a later cell updates by its id.
      "server-side": ["no-lists-read", "server-error=get_profiles", "dropped-connection=create_or_update_profile"],
      // The first event (a later cell reads its outcome), and the first profile.
      "client-side": ["server-error=create_client_event", "dropped-connection=create_client_profile"],
      // A key without campaigns:read (the flow, segment and form sections still run); the flow
      // reports' day spent (a 429 whose Retry-After runs to midnight, which the pacer does not wait
      // out); the flows' series, and the segments' series.
      reporting: [
        "no-campaigns-read",
        "daily-limit-spent=query_flow_values",
        "server-error=query_flow_series",
        "dropped-connection=query_segment_series",
      ],
    },
  },
  {
    id: "B",
    title: "a revoked key",
    faults: { "customer-data": ["revoked-key"], "server-side": ["revoked-key"], "client-side": ["invalid-company-id"], reporting: ["revoked-key"] },
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

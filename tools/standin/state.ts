/**
 * What one stand-in instance keeps between requests: the account it serves (writes change it),
 * its bulk jobs, the requests counted against the Reporting API's limits, and the counters that
 * make its answers the same on every run.
 */
import { apiDatetime } from "./account";
import type { DemoAccount } from "./account";
import { PacedWindows } from "./http/paced-limits";
import { JobBoard } from "./jobs";
import { Random, shortId } from "./random";

export class StandInState {
  /** Whether the one client-side demo 429 has been served (routes/client.ts). */
  throttled = false;
  /** Whether the one retry-demo 500 has been served (routes/events.ts). */
  failedOnce = false;
  /** Accepted client-side and list writes so far: they seed the ids of what those create. */
  writes = 0;
  readonly jobs = new JobBoard();
  /** The requests counted against the limits a guide must pace itself to (the Reporting API's). */
  readonly paced: PacedWindows;
  /** Random sources handed out so far to the server-side writes. */
  private seq = 0;

  constructor(readonly account: DemoAccount) {
    this.paced = new PacedWindows(Date.parse(account.now));
  }

  /** A new random source for a server-side write: the n-th write draws the same ids on every run. */
  rng(): Random {
    return new Random(0x5e7e0000 + ++this.seq);
  }

  /** A new id for a job or an import error. */
  newId(): string {
    return shortId(this.rng(), 12);
  }

  /** The account's "now" in the API's datetime style: the stand-in's clock stands still there. */
  stamp(): string {
    return apiDatetime(Date.parse(this.account.now));
  }
}

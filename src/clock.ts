/**
 * "Now" for date-relative cells ("events of the last 30 days"), and waiting. Replay freezes the
 * clock at the recording time so the same requests, and so the same recorded answers, come out on
 * every run; a recording with KLAVIYO_CLOCK freezes it too.
 *
 * A frozen clock stands still unless a helper waits on it (the reporting pacer, a retry, a job's
 * polling, a paced send): then it moves on by the wait at once, without sleeping. Helpers that are
 * not handed a clock wait on the last connection's (`waitingClock`). So a recording made against the stand-in, which
 * counts its rate limits on the time a request is dated with, is served as a reader who really
 * waited would be, and replaying it takes no time either. A running clock (live mode) sleeps for real.
 */
import type { Mode } from "./config";

/** The connection's time: read it, and wait on it. */
export interface Clock {
  /** The current time; a fresh Date on each call, so callers may mutate it. */
  now(): Date;
  /** Waits `ms`: a running clock sleeps, a frozen one moves on by `ms` at once. */
  sleep(ms: number): Promise<void>;
  /** True when the clock is frozen (replay, or a fixed KLAVIYO_CLOCK): waiting costs no real time. */
  readonly frozen: boolean;
}

/**
 * A clock frozen at `start`, moved on only by waiting on it.
 *
 * @example
 * const clock = frozenClock(new Date("2026-11-20T12:00:00Z"));
 * await clock.sleep(30_000); // returns at once
 * clock.now().toISOString() // "2026-11-20T12:00:30.000Z"
 */
export function frozenClock(start: Date): Clock {
  let at = start.getTime();
  return {
    frozen: true,
    now: () => new Date(at),
    sleep: async (ms) => {
      at += Math.max(0, ms);
    },
  };
}

/** The machine's clock: `sleep` really waits. */
export function runningClock(): Clock {
  return {
    frozen: false,
    now: () => new Date(),
    sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
  };
}

/** Replay: frozen at the fixture's recordedAt. Live/record: frozen at KLAVIYO_CLOCK when set, else running. */
export function makeClock(mode: Mode, recordedAt: Date | undefined, fixedClock: Date | undefined): Clock {
  const frozen = mode === "replay" ? recordedAt : fixedClock;
  if (mode === "replay" && !frozen) throw new Error("Replay needs the fixture's recordedAt to freeze the clock.");
  return frozen ? frozenClock(frozen) : runningClock();
}

/** The clock of the last `connect()`; the machine's before any. */
let connectionClock: Clock = runningClock();

/** Makes `clock` the one helpers wait on when not handed one (src/connect.ts, on every connect and disconnect). */
export function useConnectionClock(clock: Clock): void {
  connectionClock = clock;
}

/**
 * The clock a helper waits on when its caller gave it none (`pollJob`, `createPacer`, the retry
 * engine): the last connection's, so in replay a poll, a paced send or a retry takes no real time.
 */
export function waitingClock(): Clock {
  return connectionClock;
}

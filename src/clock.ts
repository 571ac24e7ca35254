/**
 * "Now" for date-relative cells ("events of the last 30 days"). Replay freezes it at the recording
 * time so the same requests, and so the same recorded answers, come out on every run.
 */
import type { Mode } from "./config";

/**
 * Replay: the fixture's recordedAt. Live/record: KLAVIYO_CLOCK when set (reproducible recordings),
 * else the real time. Each call returns a fresh Date, so callers may mutate it.
 */
export function makeClock(mode: Mode, recordedAt: Date | undefined, fixedClock: Date | undefined): () => Date {
  const frozen = mode === "replay" ? recordedAt : fixedClock;
  if (mode === "replay" && !frozen) throw new Error("Replay needs the fixture's recordedAt to freeze the clock.");
  return frozen ? () => new Date(frozen.getTime()) : () => new Date();
}

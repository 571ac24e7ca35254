/**
 * Bulk jobs (profile imports, suppressions) answer 202 with a job resource and do their work
 * later. `pollJob` asks for the job until it is finished, printing one progress line per poll, so
 * a guide cell shows the job moving instead of a loop.
 */
import { waitingClock } from "../clock";
import { GuideError } from "../errors";

/** The part of a job resource polling reads, as the SDK returns it (camelCase). */
export interface JobResource {
  id: string;
  attributes: {
    /** "queued", "processing", "complete" or "cancelled". The SDK's type also admits its StatusEnum, declared as numbers though it holds these strings at run time. */
    status: string | number;
    totalCount: number;
    completedCount?: number | null;
    failedCount?: number | null;
  };
}

/** Options for `pollJob`; the defaults suit a job of a few thousand rows. */
export interface PollOptions {
  /** Pause between polls (default 2 000 ms). Klaviyo's job endpoints allow 10 to 75 requests a second. */
  intervalMs?: number;
  /** Give up after this many polls (default 60), with an error that says how to carry on. */
  maxPolls?: number;
  /** Where progress lines go (default console.log). */
  print?: (line: string) => void;
  /** How to wait between polls (default: on the connection's clock, `waitingClock`; tests inject one). */
  sleep?: (ms: number) => Promise<void>;
}

/** Statuses after which a job changes no more. */
export const FINISHED_JOB_STATUSES: readonly string[] = ["complete", "cancelled"];

/** A job still not finished after `maxPolls`: it may be fine, only slow. */
export class JobTimeoutError extends GuideError {
  constructor(readonly job: JobResource, polls: number) {
    super(`Job ${job.id} is still "${String(job.attributes.status)}" after ${polls} polls (${progressText(job)}). It keeps running on Klaviyo's side: poll it again later by its id, or pass a larger maxPolls.`);
  }
}

/**
 * One line for a job's state: `processing  1 of 3 done` or `complete  2 of 3 done, 1 failed`.
 *
 * @example progressLine({ id: "J1", attributes: { status: "queued", totalCount: 3 } }) // "J1 queued      0 of 3 done"
 */
export function progressLine(job: JobResource): string {
  return `${job.id} ${String(job.attributes.status).padEnd(10)} ${progressText(job)}`;
}

function progressText(job: JobResource): string {
  const failed = job.attributes.failedCount ?? 0;
  return `${job.attributes.completedCount ?? 0} of ${job.attributes.totalCount} done${failed > 0 ? `, ${failed} failed` : ""}`;
}

/**
 * Calls `get` until the job it returns is complete or cancelled, printing a progress line each
 * time, and resolves with the last answer's body. Errors from `get` are not caught.
 *
 * @example
 * const done = await pollJob(() => kv.profiles.getBulkImportProfilesJob(jobId));
 * done.data.attributes.failedCount; // rows that could not be imported
 */
export async function pollJob<B extends { data: JobResource }>(get: () => Promise<{ body: B }>, options: PollOptions = {}): Promise<B> {
  const intervalMs = options.intervalMs ?? 2000;
  const maxPolls = options.maxPolls ?? 60;
  if (!Number.isInteger(maxPolls) || maxPolls < 1) throw new RangeError(`maxPolls must be an integer ≥ 1, got ${maxPolls}.`);
  const print = options.print ?? ((line: string) => console.log(line));
  const sleep = options.sleep ?? ((ms: number) => waitingClock().sleep(ms));
  for (let poll = 1; ; poll++) {
    const { body } = await get();
    print(progressLine(body.data));
    if (FINISHED_JOB_STATUSES.includes(String(body.data.attributes.status))) return body;
    if (poll >= maxPolls) throw new JobTimeoutError(body.data, poll);
    await sleep(intervalMs);
  }
}

/**
 * Bulk jobs of the server-side guide (profile imports, suppressions and unsuppressions) as the
 * stand-in keeps them: a job resource advances one step per GET, queued (the 202 that created it),
 * processing, then complete, when its effect is applied to the account.
 */
import { API_ORIGIN } from "../../src/api-origin";
import type { JsonObject } from "./account";

export type JobKind = "profile-bulk-import-job" | "profile-suppression-bulk-create-job" | "profile-suppression-bulk-delete-job";

/** Where each kind of job lives: `/api/<path>/{job_id}`. */
export const JOB_PATHS: Record<JobKind, string> = {
  "profile-bulk-import-job": "profile-bulk-import-jobs",
  "profile-suppression-bulk-create-job": "profile-suppression-bulk-create-jobs",
  "profile-suppression-bulk-delete-job": "profile-suppression-bulk-delete-jobs",
};

/** A row of a bulk import that could not be imported: reported by the job once it is complete. */
export interface ImportError {
  id: string;
  detail: string;
  pointer: string;
  original: JsonObject;
}

export interface Job {
  kind: JobKind;
  id: string;
  status: "queued" | "processing" | "complete";
  created: string;
  started: string | null;
  completed: string | null;
  total: number;
  done: number;
  failed: number;
  listIds: string[];
  segmentIds: string[];
  errors: ImportError[];
  /** Profile ids the job touched, once complete. */
  profileIds: string[];
  /** Applies the job's effect; returns the ids of profiles it touched. */
  apply(): string[];
}

/** What a new job is made of; the rest starts empty. */
export type JobOrder = Pick<Job, "kind" | "id" | "created" | "total" | "listIds" | "segmentIds" | "apply"> & { errors?: ImportError[] };

/** The jobs of one stand-in instance, by id. */
export class JobBoard {
  private readonly jobs = new Map<string, Job>();

  /** A queued job. */
  open(order: JobOrder): Job {
    const job: Job = { started: null, completed: null, done: 0, failed: 0, profileIds: [], errors: [], status: "queued", ...order };
    this.jobs.set(job.id, job);
    return job;
  }

  /** The job of that kind and id, if there is one. */
  find(kind: JobKind, id: string): Job | undefined {
    const job = this.jobs.get(id);
    return job?.kind === kind ? job : undefined;
  }
}

/** Moves a job one step, as a GET of it does: queued → processing (about half done) → complete (applied) at `now`. */
export function advance(job: Job, now: string): void {
  if (job.status === "queued") {
    job.status = "processing";
    job.started = now;
    job.done = Math.floor((job.total - job.errors.length) / 2);
  } else if (job.status === "processing") {
    job.profileIds = job.apply();
    job.status = "complete";
    job.completed = now;
    job.done = job.total - job.errors.length;
    job.failed = job.errors.length;
  }
}

/** The job as the API shows it (the spec's job resources). */
export function renderJob(job: Job): JsonObject {
  const base = `${API_ORIGIN}/api/${JOB_PATHS[job.kind]}/${job.id}/`;
  const rel = (name: string, type: string, ids: string[]): JsonObject => ({
    data: ids.map((id) => ({ type, id })),
    links: { self: `${base}relationships/${name}/`, related: `${base}${name}/` },
  });
  const counts = { status: job.status, created_at: job.created, total_count: job.total, completed_count: job.done };
  if (job.kind === "profile-bulk-import-job") {
    const errors = job.status === "complete" ? job.errors.map((e) => ({ type: "import-error", id: e.id })) : [];
    return {
      type: job.kind,
      id: job.id,
      attributes: { ...counts, failed_count: job.failed, completed_at: job.completed, expires_at: null, started_at: job.started },
      relationships: {
        lists: rel("lists", "list", job.listIds),
        profiles: rel("profiles", "profile", job.profileIds),
        "import-errors": { data: errors, links: { related: `${base}import-errors/` } },
      },
      links: { self: base },
    };
  }
  return {
    type: job.kind,
    id: job.id,
    attributes: { ...counts, completed_at: job.completed, skipped_count: 0 },
    relationships: { lists: rel("lists", "list", job.listIds), segments: rel("segments", "segment", job.segmentIds) },
    links: { self: base },
  };
}

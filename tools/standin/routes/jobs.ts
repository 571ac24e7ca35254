/**
 * Bulk profile imports and the job resources of the server-side guide: creating an import job
 * (rows with an invalid e-mail or phone, or no identifier, become its import errors), and polling
 * import and suppression jobs, each GET moving a job one step (jobs.ts).
 */
import { API_ORIGIN } from "../../../src/api-origin";
import type { DemoAccount, JsonObject } from "../account";
import { applyAttributes, findByIdentifier, upsertProfile } from "../account-writes";
import { contactProblem } from "../contacts";
import { isObj, need, needType } from "../http/body";
import type { Obj } from "../http/body";
import { recordById } from "../http/collections";
import { declared, page } from "../http/query";
import type { QueryRules } from "../http/query";
import { invalid, notFound, refuse } from "../http/reply";
import type { Reply } from "../http/reply";
import { jsonBody, listParam } from "../http/request";
import type { Request } from "../http/request";
import type { Route } from "../http/route";
import { advance, JOB_PATHS, renderJob } from "../jobs";
import type { ImportError, JobKind } from "../jobs";
import { renderList } from "../resources";
import type { StandInState } from "../state";

/** GET of a job of `kind` by the spec's `operation`, declaring `query`. */
function jobStatusRoute(operation: string, kind: JobKind, query: QueryRules): Route {
  return {
    operation,
    method: "GET",
    path: `/api/${JOB_PATHS[kind]}/{job_id}`,
    query,
    rateLimitWindow: "running",
    handle: ({ request, params, state }) => jobStatus(state, kind, params.job_id, request),
  };
}

export const JOB_ROUTES: Route[] = [
  {
    operation: "bulk_import_profiles",
    method: "POST",
    path: "/api/profile-bulk-import-jobs",
    query: declared("fields[profile-bulk-import-job]"),
    rateLimitWindow: "running",
    handle: ({ request, state }) => bulkImport(state, jsonBody(request)),
  },
  jobStatusRoute(
    "get_bulk_import_profiles_job",
    "profile-bulk-import-job",
    declared("fields[profile-bulk-import-job]", "fields[list]", "include"),
  ),
  {
    operation: "get_errors_for_bulk_import_profiles_job",
    method: "GET",
    path: "/api/profile-bulk-import-jobs/{id}/import-errors",
    query: { ...declared("fields[import-error]"), ...page(100) },
    rateLimitWindow: "running",
    handle: ({ request, params, state }) => importErrors(state, params.id, request),
  },
  jobStatusRoute(
    "get_bulk_suppress_profiles_job",
    "profile-suppression-bulk-create-job",
    declared("fields[profile-suppression-bulk-create-job]"),
  ),
  jobStatusRoute(
    "get_bulk_unsuppress_profiles_job",
    "profile-suppression-bulk-delete-job",
    declared("fields[profile-suppression-bulk-delete-job]"),
  ),
];

/** The ids of the lists in `data.relationships.lists` (400 for a malformed entry, 404 for an unknown list). */
function relatedListIds(account: DemoAccount, data: Obj): string[] {
  const rel = isObj(data.relationships) ? data.relationships.lists : undefined;
  const items = isObj(rel) && Array.isArray(rel.data) ? rel.data : [];
  return items.map((item, i) => {
    if (!isObj(item) || item.type !== "list" || typeof item.id !== "string") {
      refuse(invalid("Each lists entry must be {type: 'list', id}", { pointer: `/data/relationships/lists/data/${i}` }));
    }
    return recordById(account.lists, item.id, "A list").id;
  });
}

/** POST /api/profile-bulk-import-jobs: a queued job; its rows are imported (and added to its lists) when it completes. */
function bulkImport(state: StandInState, body: unknown): Reply {
  const { account } = state;
  const data = need(body, "data", "");
  needType(data, "profile-bulk-import-job");
  const rows = need(need(data, "attributes", "/data"), "profiles", "/data/attributes").data;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > 10_000) {
    return invalid("'data' must be a list of 1 to 10,000 profiles", { pointer: "/data/attributes/profiles/data" });
  }
  const listIds = relatedListIds(account, data);
  const errors: ImportError[] = [];
  const good: Obj[] = [];
  for (const [i, row] of rows.entries()) {
    const at = `/data/attributes/profiles/data/${i}`;
    if (!isObj(row) || row.type !== "profile" || !isObj(row.attributes)) {
      return invalid("Each profile must be {type: 'profile', attributes: {...}}", { pointer: at });
    }
    // Row problems do not fail the request: they become the job's import errors.
    const attrs = row.attributes;
    const identified = ["email", "phone_number", "external_id", "_kx"].some((k) => typeof attrs[k] === "string");
    const problem =
      contactProblem(attrs, `${at}/attributes`) ??
      (identified ? null : { detail: "A profile identifier is required.", pointer: `${at}/attributes` });
    if (problem) errors.push({ id: state.newId(), ...problem, original: attrs as JsonObject });
    else good.push(attrs);
  }
  const apply = (): string[] =>
    good.map((attrs) => {
      const profile = findByIdentifier(account, attrs) ?? upsertProfile(account, state.rng(), { type: "profile", attributes: {} });
      applyAttributes(account, profile, attrs, "/data/attributes");
      for (const listId of listIds) {
        const target = account.lists.find((l) => l.id === listId);
        if (target && !target.members.some((m) => m.profileId === profile.id)) {
          target.members.push({ profileId: profile.id, joinedAt: state.stamp() });
        }
      }
      return profile.id;
    });
  const job = state.jobs.open({
    kind: "profile-bulk-import-job",
    id: state.newId(),
    created: state.stamp(),
    total: rows.length,
    listIds,
    segmentIds: [],
    errors,
    apply,
  });
  return { status: 202, body: { data: renderJob(job), links: { self: `${API_ORIGIN}/api/profile-bulk-import-jobs/` } } };
}

/** GET of a job: moves it one step, then shows it (with its lists on `include=lists`). */
function jobStatus(state: StandInState, kind: JobKind, id: string, request: Request): Reply {
  const job = state.jobs.find(kind, id);
  if (!job) return notFound(`A ${kind.replace(/-/g, " ")} with id '${id}' does not exist in this account.`);
  advance(job, state.stamp());
  const body: JsonObject = { data: renderJob(job), links: { self: `${API_ORIGIN}/api/${JOB_PATHS[kind]}/${id}/` } };
  if (listParam(request, "include")?.includes("lists")) {
    const fields = listParam(request, "fields[list]");
    body.included = job.listIds.flatMap((listId) => {
      const list = state.account.lists.find((l) => l.id === listId);
      return list ? [renderList(list, fields)] : [];
    });
  }
  return { status: 200, body };
}

/** GET of an import job's errors: none until the job has run. */
function importErrors(state: StandInState, id: string, request: Request): Reply {
  const job = state.jobs.find("profile-bulk-import-job", id);
  if (!job) return notFound(`A profile bulk import job with id '${id}' does not exist in this account.`);
  const size = request.query.has("page[size]") ? Number(request.query.get("page[size]")) : 20;
  const errors = job.status === "complete" ? job.errors.slice(0, size) : [];
  const data = errors.map((e) => ({
    type: "import-error",
    id: e.id,
    attributes: {
      code: "invalid",
      title: "Invalid input.",
      detail: e.detail,
      source: { pointer: e.pointer },
      original_payload: e.original,
    },
  }));
  return { status: 200, body: { data, links: { self: `${API_ORIGIN}/api/profile-bulk-import-jobs/${id}/import-errors/` } } };
}

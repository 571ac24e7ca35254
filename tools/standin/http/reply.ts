/**
 * What a route answers, and the one way it refuses: Klaviyo's JSON:API `errors[]` (one error, with
 * `id`, `code`, `title`, `detail` and where it points) under the status that goes with the code.
 */
import { createHash } from "node:crypto";
import type { JsonObject } from "../account";

/** The media type as the live API labels its JSON answers. */
export const JSON_API = "application/vnd.api+json; charset=utf-8";

/** An answer: its status, its JSON body (none for an empty 202 or 204) and headers of its own. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a refusal points at: a JSON pointer into the request body, or a query parameter. */
export interface ErrorSource {
  pointer?: string;
  parameter?: string;
}

/** A 400's `detail` and the JSON pointer into the body it is about, before it becomes a reply. */
export interface Problem {
  detail: string;
  pointer: string;
}

/** Extras of a refusal: headers (a 429's `Retry-After`), or an id a recording already shows. */
export interface RefusalOptions {
  headers?: Record<string, string>;
  id?: string;
}

/**
 * A refusal: `status` with one error. Its id is derived from the content unless given, so a
 * re-recorded fixture does not change for nothing.
 */
export function refusal(
  status: number,
  code: string,
  title: string,
  detail: string,
  source: ErrorSource = {},
  options: RefusalOptions = {},
): Reply {
  const error: JsonObject = { id: options.id ?? errorId(`${status}|${code}|${detail}|${JSON.stringify(source)}`), code, title, detail };
  if (source.pointer !== undefined || source.parameter !== undefined) error.source = { ...source };
  return { status, body: { errors: [error] }, headers: options.headers };
}

/** A UUID-shaped id (version 4 layout) from a digest of `content`. */
function errorId(content: string): string {
  const digest = createHash("sha1").update(content).digest("hex");
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
}

/** 400: the request breaks a rule of the operation; `detail` says which, `source` where. */
export function invalid(detail: string, source: ErrorSource): Reply {
  return refusal(400, "invalid", "Invalid input.", detail, source);
}

/** 400 for a problem in the body. */
export function invalidBody(problem: Problem): Reply {
  return invalid(problem.detail, { pointer: problem.pointer });
}

/** 404: no such record (or endpoint). */
export function notFound(detail: string): Reply {
  return refusal(404, "not_found", "Not found.", detail);
}

/** 429 with `Retry-After` (1 second unless given): as Klaviyo answers a request over an operation's rate limit. */
export function throttled(retryAfterSeconds = 1): Reply {
  const detail = `Request was throttled. Expected available in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`;
  return refusal(429, "throttled", "Request was throttled.", detail, {}, { headers: { "Retry-After": String(retryAfterSeconds) } });
}

/** 401 as Klaviyo answers a private key it does not accept (revoked, deleted or mistyped). */
export function authenticationFailed(): Reply {
  const words = "Incorrect authentication credentials.";
  return refusal(401, "authentication_failed", words, words, { pointer: "/data/" });
}

/**
 * 403 as Klaviyo answers a private key without a scope the operation needs. Like the live API it
 * does not say which scope: that is in the spec (`x-klaviyo-scopes`, src/operations.ts).
 */
export function permissionDenied(): Reply {
  const words = "You do not have permission to perform this action.";
  return refusal(403, "permission_denied", words, words, { pointer: "/data/" });
}

/** 400 as Klaviyo answers a `company_id` (public key) that names no account. */
export function invalidCompanyId(): Reply {
  return invalid("Invalid Company ID", { pointer: "/data" });
}

/** 500: the server failed. */
export function serverError(detail: string, id?: string): Reply {
  return refusal(500, "error", "A server error occurred.", detail, {}, { id });
}

/** Thrown (by `refuse`) from deep inside a handler to answer with `reply` at once; the server catches it. */
export class Refusal extends Error {
  constructor(readonly reply: Reply) {
    super(`refused with ${reply.status}`);
  }
}

/** Answers the request with `reply` from wherever the handler is. */
export function refuse(reply: Reply): never {
  throw new Refusal(reply);
}

/**
 * Why a request of a guide step failed, read from what the step threw (an SDK AxiosError, a helper's
 * error, a network error) or from the failed answer it met, and said in one line a reader can act
 * on: a wrong key, a missing scope (named from the spec's `x-klaviyo-scopes`), a rate limit, Klaviyo's
 * side, the network, or the request itself. Reads and writes differ in one thing: whether running
 * the cell again is safe.
 */
import { errorsFromResponse, formatApiErrors, isAxiosLike, type ApiErrorObject } from "./api-errors";
import { GuideError } from "./errors";
import type { Exchange, OutgoingRequest } from "./http/transport";
import { OPERATIONS, operationFor, type OperationId } from "./operations";
import { PageRequestError } from "./pagination";
import { describeAttempts, MAX_ATTEMPTS, RETRY_STATUSES, RetriesExhaustedError } from "./retry";
import { failureOf } from "./server-side/retry";
import { SETTINGS } from "./settings";

/** What kind of failure it was: each kind has its own advice. */
export type FailureKind = "key" | "scope" | "rate-limit" | "server" | "network" | "request" | "helper";

/** A failed request (or a helper's error), as much as is known of it. */
export interface Failure {
  kind: FailureKind;
  /** Method and path, e.g. `GET /api/metrics` (no origin, no query). */
  request?: string;
  /** The operation the request was for, matched from its method and path. */
  operation?: OperationId;
  /** The HTTP status, when an answer came. */
  status?: number;
  /** The first error's `code`, e.g. `permission_denied`. */
  code?: string;
  /** The API's `errors[]` in one line; the network error's code; or a helper's message in one line. */
  detail: string;
  /** The tries a retry loop made before giving up, e.g. `500 → 500 → 500 → 500`, or `3 tries`. */
  tries?: string;
  /** A 429's `Retry-After`, in seconds: how long Klaviyo asked to wait. */
  retryAfterSeconds?: number;
}

/** Whether the failed step only read (running it again is safe) or wrote (it may have been applied). */
export type StepAction = "read" | "write";

/** A message on one line: a cell shows one line per failure, never a block. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}

function requestLine(method: string, url: string): string {
  let path = url;
  try {
    path = new URL(url, "https://a.klaviyo.com").pathname;
  } catch {
    // Not a URL: show it as it is.
  }
  return `${method.toUpperCase()} ${path}`;
}

const KIND_BY_STATUS: readonly [(status: number) => boolean, FailureKind][] = [
  [(s) => s === 401, "key"],
  [(s) => s === 403, "scope"],
  [(s) => s === 429, "rate-limit"],
  [(s) => s >= 500, "server"],
];

/** A failed HTTP answer: the kind from its status, the API's errors in one line. */
export function answerFailure(method: string, url: string, status: number, body: unknown, statusText = "", contentType: string | null = null): Failure {
  const text = typeof body === "string" ? body : JSON.stringify(body ?? "");
  const errors: ApiErrorObject[] = errorsFromResponse(status, statusText, text, contentType);
  return {
    kind: KIND_BY_STATUS.find(([test]) => test(status))?.[1] ?? "request",
    request: requestLine(method, url),
    operation: operationFor(method, url),
    status,
    code: errors[0]?.code || undefined,
    detail: oneLine(formatApiErrors(errors, status)),
  };
}

/** A failed answer the transport saw (raw `fetch` resolves with it rather than throwing). */
export function exchangeFailure(exchange: Exchange): Failure {
  const contentType = exchange.headers["content-type"] ?? null;
  return answerFailure(exchange.request.method, exchange.request.url, exchange.status, exchange.response, "", contentType);
}

/** A request that got no answer: the connection failed or dropped. */
export function networkFailure(code: string, request?: Pick<OutgoingRequest, "method" | "url">): Failure {
  return { kind: "network", request: request ? requestLine(request.method, request.url) : undefined, operation: request ? operationFor(request.method, request.url) : undefined, detail: code };
}

/**
 * Reads what a step threw; `undefined` when it is not a failure of a request or of a helper (a
 * bug in the cell, say), which the caller rethrows.
 *
 * @example
 * readFailure(axiosError403) // { kind: "scope", request: "GET /api/metrics", operation: "get_metrics", status: 403, … }
 */
export function readFailure(error: unknown): Failure | undefined {
  if (error instanceof RetriesExhaustedError) {
    const failure = readFailure(error.cause);
    // One try is no retry loop: the server asked for a longer wait than a cell should take.
    return failure && { ...failure, tries: error.attempts.length > 1 ? describeAttempts(error.attempts, { waits: false }) : undefined };
  }
  if (isAxiosLike(error)) {
    const method = error.config?.method ?? "GET";
    const url = error.config?.url ?? "";
    const res = error.response;
    if (res === undefined) return networkFailure(error.code ?? error.message, { method, url });
    const contentType = res.headers?.["content-type"];
    const failure = answerFailure(method, url, res.status, res.data, res.statusText ?? "", typeof contentType === "string" ? contentType : null);
    const retryAfter = Number(res.headers?.["retry-after"]);
    const asked = res.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {};
    // The SDK retries these itself (connect() sets its policy) and throws only once the tries ran out.
    return RETRY_STATUSES.includes(res.status) ? { ...failure, ...asked, tries: `${MAX_ATTEMPTS} tries` } : failure;
  }
  if (error instanceof PageRequestError) return answerFailure("GET", error.url, error.status, error.body);
  if (error instanceof GuideError) return { kind: "helper", detail: oneLine(error.message) };
  const network = failureOf(error);
  if (typeof network === "string") return networkFailure(network);
  return undefined;
}

function scopesNeeded(failure: Failure): string {
  const scopes = failure.operation ? OPERATIONS[failure.operation].scopes : [];
  if (!failure.operation || scopes.length === 0) return "this key lacks a scope this request needs (its API reference page names them). Add it";
  if (scopes.length === 1) return `${failure.operation} needs the scope ${scopes[0]}, which this key lacks. Add it`;
  const list = `${scopes.slice(0, -1).join(", ")} and ${scopes[scopes.length - 1]}`;
  return `${failure.operation} needs the scopes ${list}, and this key lacks at least one. Add them`;
}

function rateLimitText(failure: Failure): string {
  if (!failure.operation) return "Klaviyo limits each endpoint's requests per account, shared with the account's other apps";
  const { burstPerSecond, steadyPerMinute, perDay } = OPERATIONS[failure.operation].rateLimit;
  const [second, minute] = [burstPerSecond, steadyPerMinute].map((n) => n.toLocaleString("en-US"));
  const perSecond = `${second} request${burstPerSecond === 1 ? "" : "s"} a second`;
  const limits = perDay === undefined ? `${perSecond} and ${minute} a minute` : `${perSecond}, ${minute} a minute and ${perDay.toLocaleString("en-US")} a day`;
  return `${failure.operation} allows ${limits} per account, shared with the account's other apps`;
}

/** How long to wait before running the cell again: what `Retry-After` asked, else a minute. */
function waitText(failure: Failure): string {
  const seconds = failure.retryAfterSeconds;
  if (seconds === undefined || seconds <= 60) return "a minute";
  if (seconds < 3600) return `${Math.ceil(seconds / 60)} minutes (Klaviyo's Retry-After)`;
  return `about ${Math.ceil(seconds / 3600)} hours (Klaviyo's Retry-After; a wait that long means a daily limit is spent)`;
}

/** "401 not_authenticated": the status and the API's code, for the refusals whose advice is ours. */
function statusCode(failure: Failure): string {
  return [failure.status, failure.code].filter((part) => part !== undefined && part !== "").join(" ");
}

/**
 * The failure in one line: what was refused, why, and what to do, for a step that read or wrote.
 *
 * @example
 * explainFailure(failure, "read")
 * // "GET /api/metrics was refused (403 permission_denied): get_metrics needs the scope metrics:read, which this key lacks. Add it to the key in Klaviyo (Settings › API keys) and run this cell again."
 */
export function explainFailure(failure: Failure, action: StepAction): string {
  const request = failure.request ?? "The request";
  const tries = failure.tries ? ` after ${failure.tries}` : "";
  const read = action === "read";
  switch (failure.kind) {
    case "key":
      return `${request} was refused (${statusCode(failure)}): the private key is wrong or revoked. Create a private key in Klaviyo (Settings › API keys), set ${SETTINGS.privateKey} to it in .env and run the guide again from the set-up cell; until then no more requests are sent with this key.`;
    case "scope":
      return `${request} was refused (${statusCode(failure)}): ${scopesNeeded(failure)} to the key in Klaviyo (Settings › API keys) and run this cell again.`;
    case "rate-limit":
      return `${request} was ${failure.tries ? "still " : ""}rate limited (429)${tries}: ${rateLimitText(failure)}. Wait ${waitText(failure)} and run this cell again; ${read ? "it only reads, so that is safe" : "Klaviyo refused it, so nothing was written"}.`;
    case "server":
      return `${request} failed on Klaviyo's side (${failure.detail})${tries}. ${read ? "Run this cell again: it only reads, so that is safe" : "Klaviyo may have applied it before failing: check the account (read it back) before you run this cell again"}; if it keeps failing, see https://status.klaviyo.com.`;
    case "network":
      return `${request} got no answer (${failure.detail})${tries}: the connection failed or dropped. ${read ? "Check your network and run this cell again: it only reads, so that is safe." : "Klaviyo may have received it: check the account (read it back) before you run this cell again."}`;
    case "request":
      return `${request} was refused (${failure.detail}): check the IDs, filter and parameters it sends against the API reference.`;
    case "helper":
      return failure.detail;
  }
}

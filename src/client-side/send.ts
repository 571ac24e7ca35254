/**
 * Sends client-side requests. klaviyo-api@23 has no methods for `/client/*`, so these go out as
 * plain HTTP through global `fetch` (which the replay layer and tests intercept), authenticated only
 * by the public key in `company_id`: client endpoints take no Authorization header, and a private
 * key must never be sent from a browser or app.
 */
import { WriteBlockedError, type BlockedRequest } from "../errors";
import { errorsFromResponse, formatApiErrors, LOCAL_ERROR_ID, type ApiErrorObject } from "../api-errors";
import { explainFailure, networkFailure, readFailure } from "../failures";
import { describeAttempts, fetchWithRetry, type Attempt, type FetchRetryOptions } from "../retry";
import { STEP_FAILED } from "../steps";
import {
  validateClientEvent,
  validateClientEventsBulk,
  validateClientProfile,
  validateClientSubscription,
} from "./validation";
import {
  clientEvent,
  clientEventsBulk,
  clientProfile,
  clientReview,
  clientSubscription,
  type ClientBulkEventInput,
  type ClientEventInput,
  type ClientProfileInput,
  type ClientReviewInput,
  type ClientSubscriptionInput,
} from "./bodies";

/**
 * Header with which Klaviyo flags fields it dropped from an accepted request, e.g. `phone_number`
 * when an impossible number came with a valid email (Subscribe, Create Profile, Create Event).
 */
export const PARTIAL_FAILURE_HEADER = "x-klaviyo-partial-failure";

/** Every client endpoint answers success with 202 and an empty body: the work happens later. */
export interface ClientAccepted {
  status: 202;
  outcome: "accepted";
  /** Always `undefined`: there is nothing to read (the TypeScript face of the 2022 "NoneType" question). */
  body: undefined;
  /**
   * Fields Klaviyo ignored while accepting the rest, from `X-Klaviyo-Partial-Failure` (e.g.
   * `["phone_number"]`); absent when the header is.
   */
  partialFailure?: string[];
  /** Requests made, e.g. a 429 then the 202 (`describeAttempts` prints them). */
  attempts: Attempt[];
}

/** A refused request: the HTTP status and the parsed `errors[]` (never empty). */
export interface ClientRejected {
  status: number;
  outcome: "rejected";
  errors: ApiErrorObject[];
  attempts: Attempt[];
}

/**
 * Not sent: in live mode with writes off, the write guard stopped the request (every client-side
 * request changes the account). `message` says what would have been sent and how to allow it.
 */
export interface ClientNotSent {
  outcome: "not-sent";
  request: BlockedRequest;
  message: string;
  attempts: Attempt[];
}

/**
 * No answer: the connection failed or dropped, or replay has no recording of the request. `message`
 * is one line, starting with STEP_FAILED, that says what to check before sending it again.
 */
export interface ClientFailed {
  outcome: "failed";
  message: string;
  attempts: Attempt[];
}

/**
 * What a client-side call returns; check `outcome` to narrow it. A string discriminant rather than
 * a boolean: tslab type-checks cells without strictNullChecks, where `if (!r.ok)` would not narrow.
 */
export type ClientResult = ClientAccepted | ClientRejected | ClientNotSent | ClientFailed;

/**
 * One line for a notebook: "202 Accepted (empty body…)", the status with the formatted `errors[]`,
 * or, when the write guard held the request back, what would have been sent.
 *
 * @example
 * console.log(describeResult(await kv.client.createEvent(event)));
 */
export function describeResult(result: ClientResult): string {
  const tries = result.attempts.length > 1 ? ` after ${describeAttempts(result.attempts)}` : "";
  switch (result.outcome) {
    case "accepted": {
      const ignored = result.partialFailure ? `; ignored: ${result.partialFailure.join(", ")} (X-Klaviyo-Partial-Failure)` : "";
      return `202 Accepted (empty body: the request is queued)${ignored}${tries}`;
    }
    case "rejected":
      return `${formatApiErrors(result.errors, result.status)}${tries}`;
    case "not-sent":
    case "failed":
      return result.message;
  }
}

/** Per-call options. */
export interface SendOptions {
  /**
   * Check the input before sending (default `true`); a problem throws `ValidationError` and nothing
   * is sent. `false` sends it anyway, to show the server's own 400.
   */
  validate?: boolean;
}

/** Where and as whom to send: `connect()` fills this in from the environment. */
export interface ClientApiOptions {
  /** e.g. "https://a.klaviyo.com" (no trailing path). */
  baseUrl: string;
  /** Public API key (site ID), sent as `company_id`. */
  publicKey: string;
  /** API revision header, e.g. "2026-07-15". */
  revision: string;
  /** Retry policy for 429 and gateway errors (defaults of `fetchWithRetry`). */
  retry?: FetchRetryOptions;
}

/** The client-side write endpoints, plus raw sending for bodies built by hand. */
export interface ClientApi {
  /** `POST /client/events`. */
  createEvent<P extends object>(event: ClientEventInput<P>, options?: SendOptions): Promise<ClientResult>;
  /** `POST /client/event-bulk-create`: up to `MAX_BULK_EVENTS` events of one profile. */
  createEvents<P extends object>(profile: ClientProfileInput, events: readonly ClientBulkEventInput<P>[], options?: SendOptions): Promise<ClientResult>;
  /** `POST /client/subscriptions`. */
  subscribe(subscription: ClientSubscriptionInput, options?: SendOptions): Promise<ClientResult>;
  /** `POST /client/profiles`: create, or update the profile the identifiers point to. */
  upsertProfile(profile: ClientProfileInput, options?: SendOptions): Promise<ClientResult>;
  /**
   * `POST /client/reviews`: a review for Klaviyo Reviews. Not checked before sending beyond its
   * type (rating 1–5, review type); Klaviyo's 400 names any other problem.
   */
  createReview(review: ClientReviewInput): Promise<ClientResult>;
  /**
   * POSTs `body` to `path` (e.g. "/client/profiles") with the same query and headers, unchecked:
   * an object is sent as JSON, a string exactly as given (to show what malformed JSON gets).
   */
  send(path: string, body: unknown): Promise<ClientResult>;
}

/**
 * Headers of every client-side request. No Authorization: the public key travels in the query.
 *
 * @example
 * await fetch(`${kv.baseUrl}/client/events?company_id=${kv.publicKey}`, { method: "POST", headers: clientHeaders(kv.revision), body });
 */
export function clientHeaders(revision: string): Record<string, string> {
  return { revision, "Content-Type": "application/vnd.api+json", Accept: "application/vnd.api+json" };
}

/** Reads the answer; the body of a 202 is drained and dropped, an error body becomes `errors[]`. */
async function toResult(response: Response, attempts: Attempt[]): Promise<ClientResult> {
  const text = await response.text();
  if (response.status === 202) {
    const flagged = response.headers.get(PARTIAL_FAILURE_HEADER);
    const accepted: ClientAccepted = { status: 202, outcome: "accepted", body: undefined, attempts };
    if (flagged) accepted.partialFailure = flagged.split(",").map((f) => f.trim()).filter((f) => f !== "");
    return accepted;
  }
  if (response.ok) {
    const detail = `The client endpoints answer 202 on success; this answer was ${response.status}${text ? ` with body ${JSON.stringify(text.slice(0, 200))}` : ""}. Is the base URL a Klaviyo API?`;
    return { status: response.status, outcome: "rejected", errors: [{ id: LOCAL_ERROR_ID, code: "unexpected_status", title: `HTTP ${response.status}`, detail }], attempts };
  }
  return { status: response.status, outcome: "rejected", errors: errorsFromResponse(response.status, response.statusText, text, response.headers.get("content-type")), attempts };
}

/**
 * A client-side requester bound to one account.
 *
 * @example
 * const client = createClientApi({ baseUrl: "https://a.klaviyo.com", publicKey: "AbC123", revision: "2026-07-15" });
 * const r = await client.createEvent({ metric: "Hello World", profile: { email: "ana@example.com" }, properties: {} });
 * if (r.outcome === "accepted") console.log(r.status); // 202
 * else console.log(formatApiErrors(r.errors, r.status));
 */
export function createClientApi(options: ClientApiOptions): ClientApi {
  const base = options.baseUrl.replace(/\/+$/, "");
  const headers = clientHeaders(options.revision);

  /** The single place a client-side request leaves this module (retrying 429 per `Retry-After`). */
  async function post(path: string, body: string): Promise<ClientResult> {
    if (!path.startsWith("/")) throw new TypeError(`send() needs a path starting with "/", e.g. "/client/events"; got ${JSON.stringify(path)}.`);
    const url = `${base}${path}${path.includes("?") ? "&" : "?"}company_id=${encodeURIComponent(options.publicKey)}`;
    try {
      const { response, attempts } = await fetchWithRetry(url, { method: "POST", headers, body }, options.retry);
      return toResult(response, attempts);
    } catch (err) {
      // Held back by the write guard: a result, not an exception, so one cell runs the same in
      // replay, in live mode with writes on, and in live mode with writes off.
      if (err instanceof WriteBlockedError) return { outcome: "not-sent", request: err.request, message: err.message, attempts: [] };
      // No answer (or none recorded): a result too, so the cell keeps its names and says what to check.
      const failure = readFailure(err);
      if (failure?.kind !== "network" && failure?.kind !== "helper") throw err;
      const described = failure.kind === "network" ? networkFailure(failure.detail, { method: "POST", url }) : failure;
      return { outcome: "failed", message: `${STEP_FAILED}send ${path}: ${explainFailure(described, "write")}`, attempts: [] };
    }
  }

  const checked = (opts: SendOptions | undefined, validate: () => void): void => {
    if (opts?.validate !== false) validate();
  };

  return {
    async createEvent(event, opts) {
      checked(opts, () => validateClientEvent(event));
      return post("/client/events", JSON.stringify(clientEvent(event)));
    },
    async createEvents(profile, events, opts) {
      checked(opts, () => validateClientEventsBulk(profile, events));
      return post("/client/event-bulk-create", JSON.stringify(clientEventsBulk(profile, events)));
    },
    async subscribe(subscription, opts) {
      checked(opts, () => validateClientSubscription(subscription));
      return post("/client/subscriptions", JSON.stringify(clientSubscription(subscription)));
    },
    async upsertProfile(profile, opts) {
      checked(opts, () => validateClientProfile(profile));
      return post("/client/profiles", JSON.stringify(clientProfile(profile)));
    },
    async createReview(review) {
      return post("/client/reviews", JSON.stringify(clientReview(review)));
    },
    async send(path, body) {
      return post(path, typeof body === "string" ? body : JSON.stringify(body));
    },
  };
}

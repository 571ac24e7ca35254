/**
 * Write guard: in live and record mode, a request that could change the account (anything but GET
 * and the read-only POSTs listed below) is not sent unless KLAVIYO_ALLOW_WRITES=1. It works at the transport, so SDK calls, raw fetch and
 * the client-side requester are all covered; `kv.write` turns the refusal into a printed preview.
 */
import { WriteBlockedError, formatBody, type BlockedRequest } from "./errors";
import type { OutgoingRequest } from "./http/transport";
import { SETTINGS, WRITES_ON } from "./settings";

/**
 * What `kv.write` returns: the result when sent; else the request that would have been sent (writes
 * off), or the one line printed when it failed or was skipped (src/steps.ts). Check `sent`.
 */
export type WriteResult<T> = { sent: true; result: T } | { sent: false; request: BlockedRequest } | { sent: false; problem: string };

/**
 * Hides the key in headers meant for printing.
 *
 * @example redactHeaders({ Authorization: "Klaviyo-API-Key pk_abc" }) // { Authorization: "Klaviyo-API-Key pk_…(redacted)" }
 */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = name.toLowerCase() === "authorization" ? value.replace(/\S+$/, "pk_…(redacted)") : value.replace(/pk_[A-Za-z0-9_]+/g, "pk_…(redacted)");
  }
  return out;
}

/**
 * POST operations that only read: their query travels in the body because it is too rich for a URL
 * (Query Metric Aggregates, the Reporting API's reports), so they change nothing and pass the guard.
 */
export const READ_ONLY_POSTS: readonly string[] = [
  "/api/metric-aggregates",
  "/api/campaign-values-reports",
  "/api/flow-values-reports",
  "/api/flow-series-reports",
  "/api/segment-values-reports",
  "/api/segment-series-reports",
  "/api/form-values-reports",
  "/api/form-series-reports",
];

/** The `beforeSend` hook: throws WriteBlockedError for any request but a GET or a read-only POST. */
export function writeGuard(envFile: string): (request: OutgoingRequest) => void {
  return (request) => {
    const method = request.method.toUpperCase();
    if (method === "GET") return;
    if (method === "POST" && READ_ONLY_POSTS.includes(new URL(request.url).pathname.replace(/\/$/, ""))) return;
    throw new WriteBlockedError({ method, url: request.url, headers: redactHeaders(request.headers), body: request.body }, envFile);
  };
}

/** The readable preview `kv.write` prints for a blocked request. */
export function formatBlocked(label: string, request: BlockedRequest, envFile: string): string {
  const headers = Object.entries(request.headers).map(([k, v]) => `    ${k}: ${v}`).join("\n");
  return [
    `Not sent (writes are off): ${label}`,
    `  ${request.method} ${request.url}`,
    `  headers:\n${headers}`,
    `  body: ${formatBody(request.body).replace(/\n/g, "\n  ")}`,
    `Set ${SETTINGS.allowWrites}=${WRITES_ON} in ${envFile} and connect again to send it.`,
  ].join("\n");
}

/**
 * Runs `send`; if the guard stops it, prints what would have been sent and reports `sent: false`.
 * Other errors (an API 400, a replay miss) are rethrown untouched.
 */
export async function guardedWrite<T>(label: string, send: () => Promise<T>, envFile: string, print: (line: string) => void = console.log): Promise<WriteResult<T>> {
  try {
    return { sent: true, result: await send() };
  } catch (error) {
    if (!(error instanceof WriteBlockedError)) throw error;
    print(formatBlocked(label, error.request, envFile));
    return { sent: false, request: error.request };
  }
}

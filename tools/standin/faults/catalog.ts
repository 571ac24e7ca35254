/**
 * The faults the stand-in can be started with, by name: what a reader's own key, network or a
 * broken proxy may do to the guides, shaped as Klaviyo answers (status, `errors[]`, headers).
 *
 *   npm run standin -- second --fault no-metrics-read --fault sweep-error=2
 *
 * Each applies by operation (the route's operationId), around the routes, never inside one; none
 * applies unless asked. The ones that persist (a missing scope, a revoked key, a wrong company id)
 * answer every request they concern (a revoked key or a wrong company id optionally from a later
 * request on); the others fire once, on the n-th request they concern.
 */
import { OPERATIONS, type OperationId } from "../../../src/operations";
import { ROUTES } from "../routes";

/** Which request a one-off fault hits: the `nth` of those it concerns (1 = the first), of `operation` only when given. */
export interface Which {
  operation?: string;
  nth: number;
}

/** The faults that fire once. */
export type OneOffKind = "server-error" | "sweep-error" | "next-without-cursor" | "dropped-connection";

/** The faults that refuse who is asking (the key, the company id), from the first request or from a later one on. */
export type CredentialKind = "revoked-key" | "invalid-company-id";

/** A fault, as parsed from its name; `name` is how logs and tables call it. */
export type Fault =
  | { kind: "missing-scope"; name: string; scope: string }
  /** `from`: the request it sets in with (that one and every later one it concerns are refused); none: from the first. */
  | { kind: CredentialKind; name: string; from?: Which }
  | { kind: "daily-limit-spent"; name: string; operation: OperationId }
  | { kind: OneOffKind; name: string; which: Which };

/** What each one-off fault does, for `--help` and the README. */
export const ONE_OFF_FAULTS: Record<OneOffKind, string> = {
  "server-error": "once: a 500 instead of the n-th request (/api/* or /client/*), which is not carried out",
  "sweep-error": "once: a 500 instead of the n-th request for a later page of a sweep (a GET /api/* with page[cursor])",
  "next-without-cursor":
    "once: from the n-th later-page request on, the first links.next comes without its page[cursor] (as a broken proxy sends it)",
  "dropped-connection": "once: no answer to the n-th request, its connection closed (the client sees ECONNRESET); it is not carried out",
};

/** The faults that persist, for `--help` and the README. */
export const PERSISTENT_FAULTS: Record<"no-<resource>-<read|write>" | `${CredentialKind}[=WHICH]` | "daily-limit-spent=OPERATION", string> = {
  "no-<resource>-<read|write>":
    "a private key without that scope (e.g. no-metrics-read): 403 permission_denied on each /api/* operation needing it (x-klaviyo-scopes)",
  "revoked-key[=WHICH]": "401 authentication_failed on every /api/* request (with WHICH: from the n-th on, the key revoked mid-run)",
  "invalid-company-id[=WHICH]": '400 "Invalid Company ID" on every /client/* request (with WHICH: from the n-th on)',
  "daily-limit-spent=OPERATION":
    "an operation with a daily limit (the reports, e.g. query_flow_values) whose day is spent: 429 throttled on each of its requests, Retry-After the seconds to 00:00 UTC",
};

/** The stand-in's operation ids. */
const SERVED = new Set(ROUTES.map((r) => r.operation));

/** The scopes an operation the stand-in serves needs (none for an operation the spec's facts lack). */
export function scopesOf(operation: string): readonly string[] {
  return Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation as OperationId].scopes : [];
}

/** Every scope some `/api/*` operation of the stand-in needs, e.g. "metrics:read". */
export const API_SCOPES: readonly string[] = [
  ...new Set(ROUTES.filter((r) => r.path.startsWith("/api/")).flatMap((r) => scopesOf(r.operation))),
].sort();

/** The fault name for a key without `scope`: "metrics:read" → "no-metrics-read". */
export const missingScopeFault = (scope: string): string => `no-${scope.replace(":", "-")}`;

/**
 * Parses one fault by name: `no-<resource>-<read|write>`, `daily-limit-spent=OPERATION`, or
 * `revoked-key`, `invalid-company-id` or a one-off fault with an optional `=WHICH`: `N` (the n-th, 1 when left out), `OPERATION` (its first
 * request) or `OPERATION:N` (for `revoked-key` and `invalid-company-id`, the request they set in
 * with). Throws, naming what is allowed, for anything else.
 *
 * @example
 * parseFault("sweep-error=get_profiles_for_list:2") // { kind: "sweep-error", which: { operation: "get_profiles_for_list", nth: 2 }, … }
 * parseFault("revoked-key=get_list") // { kind: "revoked-key", from: { operation: "get_list", nth: 1 }, … }
 */
export function parseFault(text: string): Fault {
  const [kind, which] = text.split("=", 2) as [string, string | undefined];
  if (kind === "revoked-key" || kind === "invalid-company-id") {
    return which === undefined ? { kind, name: text } : { kind, name: text, from: parseWhich(text, which) };
  }
  if (kind === "daily-limit-spent") return { kind, name: text, operation: dailyLimitedOperation(text, which) };
  if (Object.hasOwn(ONE_OFF_FAULTS, kind)) return { kind: kind as OneOffKind, name: text, which: parseWhich(text, which) };
  const scope = API_SCOPES.find((s) => missingScopeFault(s) === kind);
  if (scope && which === undefined) return { kind: "missing-scope", name: text, scope };
  if (scope) throw new Error(`The fault "${kind}" takes no "=…": a key lacks a scope for every request that needs it.`);
  throw new Error(`"${text}" is not a fault the stand-in knows. Use one of:\n${faultHelp()}`);
}

/** Parses several faults (each `--fault`, or one comma-separated list); the same one twice is refused. */
export function parseFaults(texts: readonly string[]): Fault[] {
  const faults = texts.flatMap((t) => t.split(",")).filter((t) => t.trim() !== "").map((t) => parseFault(t.trim()));
  const names = faults.map((f) => f.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`The fault "${twice}" is given twice: give it once.`);
  return faults;
}

/** The operation `daily-limit-spent=OPERATION` names: one the stand-in serves whose spec gives it a daily limit. */
function dailyLimitedOperation(text: string, operation: string | undefined): OperationId {
  const limited = [...SERVED].filter((op) => Object.hasOwn(OPERATIONS, op) && OPERATIONS[op as OperationId].rateLimit.perDay !== undefined).sort();
  if (operation === undefined || !limited.includes(operation)) {
    throw new Error(`"${text}" names no operation with a daily limit: use daily-limit-spent=OPERATION with one of ${limited.join(", ")}.`);
  }
  return operation as OperationId;
}

function parseWhich(text: string, which: string | undefined): Which {
  if (which === undefined) return { nth: 1 };
  const [first, second] = which.split(":", 2) as [string, string | undefined];
  const nthOf = (s: string): number => {
    if (!/^[1-9]\d*$/.test(s)) throw new Error(`In "${text}", "${s}" is not a request number: use 1 for the first, 2 for the second…`);
    return Number(s);
  };
  if (second === undefined && /^\d+$/.test(first)) return { nth: nthOf(first) };
  if (!SERVED.has(first)) {
    const use = "use an operationId from tools/standin/routes.ts (e.g. get_events)";
    throw new Error(`In "${text}", "${first}" is not an operation the stand-in serves: ${use}.`);
  }
  return { operation: first, nth: second === undefined ? 1 : nthOf(second) };
}

/** The faults, one per line, for `--help` and error messages. */
export function faultHelp(): string {
  const rows: [string, string][] = [
    ...Object.entries(PERSISTENT_FAULTS),
    ...Object.entries(ONE_OFF_FAULTS).map(([kind, what]): [string, string] => [`${kind}[=WHICH]`, what]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    ...rows.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`),
    `  ${"".padEnd(width)}  WHICH: N (the n-th, default 1), OPERATION (its first request) or OPERATION:N`,
    `  scopes: ${API_SCOPES.map(missingScopeFault).join(", ")}`,
  ].join("\n");
}

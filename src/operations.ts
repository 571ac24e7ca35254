/**
 * What Klaviyo's OpenAPI document says of each operation this project calls or serves: its method
 * and path, the scopes a private key needs for it (`x-klaviyo-scopes`) and its rate limits per
 * account (`x-klaviyo-ratelimit`). `npm run spec` (tools/spec) derives the facts from the document
 * into operations.generated.ts; this module gives them their types. Request and response shapes are
 * kept on the test side (test/support/openapi-subset.json): the helpers never need them.
 *
 * @example
 * OPERATIONS.get_lists.scopes // ["lists:read"]
 */
import { OPERATION_FACTS } from "./operations.generated";

/** One operation, as the OpenAPI document states it. */
export interface OperationFacts {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path template, e.g. `/api/lists/{id}`. */
  path: string;
  /** Scopes a private key needs; the document lists them for the public `/client/*` endpoints too. */
  scopes: readonly string[];
  /** Requests per account: burst (per second), steady (per minute) and, for a few, per day. */
  rateLimit: { burstPerSecond: number; steadyPerMinute: number; perDay?: number };
}

/** The operationId of an operation this project calls or serves. */
export type OperationId = keyof typeof OPERATION_FACTS;

/** Every operation this project calls or serves, by operationId. */
export const OPERATIONS: Readonly<Record<OperationId, OperationFacts>> = OPERATION_FACTS;

/** Each operation's path template as a pattern: `{id}` matches one path segment; a trailing slash is allowed. */
const PATH_PATTERNS: readonly { id: OperationId; method: string; pattern: RegExp }[] = (Object.entries(OPERATIONS) as [OperationId, OperationFacts][]).map(([id, facts]) => ({
  id,
  method: facts.method,
  pattern: new RegExp(`^${facts.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
}));

/**
 * The operation a request was for, from its method and path (the path of a full URL is used; the
 * query is ignored); `undefined` for a request this project does not know.
 *
 * @example
 * operationFor("GET", "https://a.klaviyo.com/api/lists/Y6nRLr/profiles?page%5Bsize%5D=100") // "get_profiles_for_list"
 */
export function operationFor(method: string, url: string): OperationId | undefined {
  let path: string;
  try {
    path = new URL(url, "https://a.klaviyo.com").pathname;
  } catch {
    return undefined;
  }
  const verb = method.toUpperCase();
  return PATH_PATTERNS.find((p) => p.method === verb && p.pattern.test(path))?.id;
}

/**
 * The scopes a private key needs to call `operations`, as the OpenAPI document gives them: the write
 * scopes and the read scopes, each sorted and each once.
 *
 * @example
 * scopesFor(["bulk_suppress_profiles", "get_bulk_suppress_profiles_job"]) // { write: ["profiles:write", "subscriptions:write"], read: ["subscriptions:read"] }
 */
export function scopesFor(operations: readonly OperationId[]): { write: string[]; read: string[] } {
  const scopes = [...new Set(operations.flatMap((id) => OPERATIONS[id].scopes))].sort();
  return { write: scopes.filter((s) => s.endsWith(":write")), read: scopes.filter((s) => !s.endsWith(":write")) };
}

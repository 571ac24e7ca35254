/**
 * Trimmed JSON for teaching: a response shows its shape (a few items, short strings, a few
 * levels) instead of a wall of text. Works on raw JSON and on the SDK's model instances (class
 * objects whose `Date` fields become ISO strings, as on the wire).
 */

/** A plain JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Limits for `trimJson`/`showJson`. */
export interface TrimOptions {
  /** Items kept per array; the rest become one `"… N more"` entry (default 3). */
  maxItems?: number;
  /** Characters kept per string; longer ones end with `"…"` (default 80). */
  maxString?: number;
  /** Levels of nesting shown; deeper objects become `"{…}"`, arrays `"[… N items]"` (default 6). */
  maxDepth?: number;
}

/**
 * A trimmed, plain-JSON copy of `value`.
 *
 * @example
 * trimJson({ data: [1, 2, 3, 4, 5] }, { maxItems: 2 }) // { data: [1, 2, "… 3 more"] }
 */
export function trimJson(value: unknown, opts: TrimOptions = {}): JsonValue {
  const limits = { maxItems: opts.maxItems ?? 3, maxString: opts.maxString ?? 80, maxDepth: opts.maxDepth ?? 6 };
  return trim(value, 0, limits, new Set());
}

/**
 * Trimmed JSON as indented text.
 *
 * @example
 * formatJson(response.body, { maxItems: 1 })
 */
export function formatJson(value: unknown, opts: TrimOptions = {}): string {
  return JSON.stringify(trimJson(value, opts), null, 2);
}

/**
 * Prints trimmed JSON (a plain stdout stream: renders the same on every viewer).
 *
 * @example
 * showJson(r.body, { maxItems: 2 });
 */
export function showJson(value: unknown, opts: TrimOptions = {}): void {
  process.stdout.write(`${formatJson(value, opts)}\n`);
}

function trim(value: unknown, depth: number, limits: Required<TrimOptions>, seen: Set<object>): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.length > limits.maxString ? `${value.slice(0, limits.maxString)}…` : value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object") return null; // functions and symbols are not JSON
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (seen.has(value)) return "[Circular]";
  const list = value instanceof Set ? [...value] : Array.isArray(value) ? value : undefined;
  if (list) {
    if (depth >= limits.maxDepth) return list.length === 0 ? [] : `[… ${list.length} item${list.length === 1 ? "" : "s"}]`;
    seen.add(value);
    const kept = list.slice(0, limits.maxItems).map((v) => trim(v, depth + 1, limits, seen));
    seen.delete(value);
    if (list.length > limits.maxItems) kept.push(`… ${list.length - limits.maxItems} more`);
    return kept;
  }
  const entries = value instanceof Map ? [...value.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(value);
  const present = entries.filter(([, v]) => v !== undefined && typeof v !== "function");
  if (depth >= limits.maxDepth) return present.length === 0 ? {} : "{…}";
  seen.add(value);
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of present) out[k] = trim(v, depth + 1, limits, seen);
  seen.delete(value);
  return out;
}

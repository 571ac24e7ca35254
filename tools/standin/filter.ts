/**
 * Parser and evaluator for Klaviyo's `filter` query syntax, as the stand-in server needs it:
 * `equals(metric_id,"abc"),greater-or-equal(datetime,2025-11-28T00:00:00Z)` or the same inside `and(…)`,
 * and `has(metric)`, which takes a field and no value.
 * Strings are single- or double-quoted, datetimes unquoted ISO 8601, lists `["a","b"]`.
 */

export type FilterValue =
  | { kind: "none" }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "datetime"; value: number; text: string }
  | { kind: "list"; value: string[] };

export interface Condition {
  op: string;
  field: string;
  value: FilterValue;
}

/** A filter the API would refuse; the message becomes the 400's `detail`. */
export class FilterError extends Error {}

/** Parses a filter string into the conditions it ANDs together. */
export function parseFilter(text: string): Condition[] {
  const parser = new Parser(text);
  const conditions = parser.expressionList();
  parser.expectEnd();
  return conditions;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  expressionList(): Condition[] {
    const out: Condition[] = [];
    do {
      out.push(...this.expression());
    } while (this.eat(","));
    return out;
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos < this.text.length) {
      throw new FilterError(`Unexpected "${this.text.slice(this.pos)}" at position ${this.pos} of the filter.`);
    }
  }

  private expression(): Condition[] {
    this.skipSpace();
    const op = this.match(/^[a-z-]+/);
    if (!op) throw new FilterError(`Expected an operator such as equals(...) at position ${this.pos} of the filter.`);
    this.expect("(");
    if (op === "and") {
      const inner = this.expressionList();
      this.expect(")");
      return inner;
    }
    this.skipSpace();
    const field = this.match(/^[A-Za-z_$][A-Za-z0-9_.$-]*/);
    if (!field) throw new FilterError(`Expected a field name after "${op}(" at position ${this.pos} of the filter.`);
    if (op === "has") {
      this.expect(")");
      return [{ op, field, value: { kind: "none" } }];
    }
    this.expect(",");
    const value = this.value();
    this.expect(")");
    return [{ op, field, value }];
  }

  private value(): FilterValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '"' || c === "'") return { kind: "string", value: this.quoted() };
    if (c === "[") {
      this.pos++;
      const items: string[] = [];
      this.skipSpace();
      if (!this.eat("]")) {
        do {
          this.skipSpace();
          const q = this.text[this.pos];
          if (q !== '"' && q !== "'") throw new FilterError(`List items must be quoted strings (position ${this.pos} of the filter).`);
          items.push(this.quoted());
        } while (this.eat(","));
        this.expect("]");
      }
      return { kind: "list", value: items };
    }
    const bare = this.match(/^[^,)\s]+/);
    if (!bare) throw new FilterError(`Expected a value at position ${this.pos} of the filter.`);
    if (bare === "true" || bare === "false") return { kind: "boolean", value: bare === "true" };
    if (bare === "null") return { kind: "null" };
    if (/^-?\d+(\.\d+)?$/.test(bare)) return { kind: "number", value: Number(bare) };
    if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(bare)) {
      const ms = Date.parse(bare);
      if (!Number.isNaN(ms)) return { kind: "datetime", value: ms, text: bare };
    }
    throw new FilterError(`"${bare}" is not a valid value: quote strings, write datetimes as unquoted ISO 8601.`);
  }

  private quoted(): string {
    const quote = this.text[this.pos++];
    let out = "";
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (c === "\\") out += this.text[this.pos++] ?? "";
      else if (c === quote) return out;
      else out += c;
    }
    throw new FilterError("Unterminated string in the filter.");
  }

  private match(re: RegExp): string | null {
    const m = re.exec(this.text.slice(this.pos));
    if (!m) return null;
    this.pos += m[0].length;
    return m[0];
  }

  private eat(token: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.eat(token)) throw new FilterError(`Expected "${token}" at position ${this.pos} of the filter.`);
  }

  private skipSpace(): void {
    while (this.text[this.pos] === " ") this.pos++;
  }
}

/** How one filterable field is read from an item and which operators the endpoint allows on it. */
export interface FieldRule<T> {
  ops: readonly string[];
  type: "string" | "datetime" | "number" | "boolean";
  get: (item: T) => string | number | boolean | null;
}

/**
 * Turns conditions into a predicate, refusing fields and operators the endpoint does not list
 * (as the API does) and values of the wrong type.
 */
export function compileFilter<T>(conditions: Condition[], rules: Record<string, FieldRule<T>>): (item: T) => boolean {
  const tests = conditions.map((c) => {
    const rule = rules[c.field];
    if (!rule) throw new FilterError(`'${c.field}' is not a valid field for this filter. Allowed: ${Object.keys(rules).join(", ")}.`);
    if (!rule.ops.includes(c.op)) {
      throw new FilterError(`'${c.op}' is not a valid operator for '${c.field}'. Allowed: ${rule.ops.join(", ")}.`);
    }
    const expected = c.op === "any" ? "list" : c.op === "has" ? "none" : rule.type;
    if (c.value.kind !== expected && !(expected === "string" && c.value.kind === "null")) {
      throw new FilterError(
        `'${c.field}' expects a ${expected === "datetime" ? "datetime (unquoted ISO 8601)" : expected} value, got ${c.value.kind}.`,
      );
    }
    const target = c.value.kind === "null" || c.value.kind === "none" ? null : c.value.value;
    return (item: T): boolean => {
      const actual = rule.get(item);
      const a = rule.type === "datetime" && typeof actual === "string" ? Date.parse(actual) : actual;
      switch (c.op) {
        case "has":
          return a !== null;
        case "equals":
          return a === target;
        case "any":
          return (target as string[]).includes(String(a));
        case "greater-than":
          return a !== null && target !== null && a > target;
        case "greater-or-equal":
          return a !== null && target !== null && a >= target;
        case "less-than":
          return a !== null && target !== null && a < target;
        case "less-or-equal":
          return a !== null && target !== null && a <= target;
        case "contains":
          return typeof a === "string" && a.includes(target as string);
        case "starts-with":
          return typeof a === "string" && a.startsWith(target as string);
        case "ends-with":
          return typeof a === "string" && a.endsWith(target as string);
        default:
          throw new FilterError(`Operator '${c.op}' is not supported.`);
      }
    };
  });
  return (item) => tests.every((t) => t(item));
}

/** Operators a field may allow, in the groups the spec lists them. */
export const EQ = ["equals"] as const;
export const ANY_EQ = ["any", "equals"] as const;
export const CMP = ["greater-than", "greater-or-equal", "less-than", "less-or-equal"] as const;
/** Text matches, as the spec lists them for names. */
export const TEXT = ["contains", "ends-with", "equals", "starts-with"] as const;

/** A string field (or one that may be null) allowing `ops`. */
export function stringField<T>(get: (item: T) => string | null, ops: readonly string[]): FieldRule<T> {
  return { ops, type: "string", get };
}

/** A field every item holds the same value in (the demo's campaigns are all sent, its flows all live). */
export function constantField<T>(value: string | boolean, ops: readonly string[]): FieldRule<T> {
  return { ops, type: typeof value === "boolean" ? "boolean" : "string", get: () => value };
}

/** A related resource the item may lack (`has(metric)`): `get` gives its id, or null. */
export function relationField<T>(get: (item: T) => string | null): FieldRule<T> {
  return { ops: ["has"], type: "string", get };
}

/** A datetime field (ISO 8601 text) allowing `ops`. */
export function datetimeField<T>(get: (item: T) => string | null, ops: readonly string[]): FieldRule<T> {
  return { ops, type: "datetime", get };
}

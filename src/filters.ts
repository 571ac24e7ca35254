/**
 * Klaviyo filter expressions, e.g. `equals(metric_id,"XyZ"),greater-or-equal(datetime,2025-11-28T00:00:00.000Z)`.
 *
 * Formatting is delegated to the SDK's `FilterBuilder` (strings JSON-quoted, so `"` and `\` are
 * escaped; `Date`s as unquoted ISO 8601; numbers and booleans bare; arrays as `[…]`), so the strings
 * match what the SDK's own docs show. This module wraps it where it falls short for the guides:
 * - `FilterBuilder` is a mutable chain: expressions cannot be built separately and combined later
 *   (one per condition, reused across cells). Here each operator returns an immutable `Filter`
 *   string and `and()` composes them.
 * - Its checks reject bad values with messages that name neither the field nor the value, and it
 *   lets `NaN`/`Infinity` through as text the server refuses; an invalid `Date` fails with a bare
 *   "Invalid time value". Here every value is checked first and the error names field and value.
 *
 * `and()` joins with commas: Klaviyo ANDs comma-separated expressions (and also accepts
 * `and(…)`); the comma form is what the SDK builder emits and what the API reference shows.
 */
import { FilterBuilder } from "klaviyo-api";

declare const filterBrand: unique symbol;
/** A finished filter expression; a plain string at runtime, usable as the SDK's `filter` option. */
export type Filter = string & { readonly [filterBrand]: true };

/** A single comparable value. `Date`s are sent as unquoted ISO 8601 instants. */
export type FilterScalar = string | number | boolean | Date;
/** Values ordered comparisons accept (the API compares datetimes and numbers). */
export type OrderedValue = number | Date;

/**
 * `equals(field,value)`.
 *
 * @example
 * equals("email", 'sam "the cat"@example.com') // equals(email,"sam \"the cat\"@example.com")
 */
export function equals(field: string, value: FilterScalar): Filter {
  return build(field, (b) => b.equals(field, checkScalar(field, value)));
}

/**
 * `any(field,[…])`: the field equals one of the values.
 *
 * @example
 * any("email", ["a@example.com", "b@example.com"]) // any(email,["a@example.com","b@example.com"])
 */
export function any(field: string, values: readonly string[] | readonly number[] | readonly boolean[] | readonly Date[]): Filter {
  if (values.length === 0) throw new TypeError(`any(${field}, …) needs at least one value; an empty list matches nothing.`);
  const checked = (values as readonly FilterScalar[]).map((v) => checkScalar(field, v));
  const kinds = new Set(checked.map((v) => (v instanceof Date ? "date" : typeof v)));
  if (kinds.size > 1) throw new TypeError(`any(${field}, …) mixes ${[...kinds].join(" and ")} values; use one type.`);
  return build(field, (b) => b.any(field, checked as string[] | number[] | boolean[] | Date[]));
}

/** `greater-than(field,value)`. @example greaterThan("datetime", new Date("2025-11-28")) // greater-than(datetime,2025-11-28T00:00:00.000Z) */
export function greaterThan(field: string, value: OrderedValue): Filter {
  return build(field, (b) => b.greaterThan(field, checkOrdered(field, value)));
}

/** `greater-or-equal(field,value)`. @example greaterOrEqual("timestamp", 1764288000) // greater-or-equal(timestamp,1764288000) */
export function greaterOrEqual(field: string, value: OrderedValue): Filter {
  return build(field, (b) => b.greaterOrEqual(field, checkOrdered(field, value)));
}

/** `less-than(field,value)`. @example lessThan("datetime", end) // less-than(datetime,2025-12-02T00:00:00.000Z) */
export function lessThan(field: string, value: OrderedValue): Filter {
  return build(field, (b) => b.lessThan(field, checkOrdered(field, value)));
}

/** `less-or-equal(field,value)`. @example lessOrEqual("joined_group_at", end) */
export function lessOrEqual(field: string, value: OrderedValue): Filter {
  return build(field, (b) => b.lessOrEqual(field, checkOrdered(field, value)));
}

/** `has(field)`: the relationship or field is present. @example has("profile") // has(profile) */
export function has(field: string): Filter {
  return build(field, (b) => b.has(field));
}

/**
 * All of the expressions (comma-joined; nested `and()`s flatten naturally).
 *
 * @example
 * const f = and(equals("metric_id", id), greaterOrEqual("datetime", start), lessThan("datetime", end));
 * await kv.events.getEvents({ filter: f });
 */
export function and(...filters: Filter[]): Filter {
  if (filters.length === 0) throw new TypeError("and() needs at least one filter expression.");
  return filters.join(",") as Filter;
}

function build(field: string, add: (b: FilterBuilder) => FilterBuilder): Filter {
  if (!/^[A-Za-z_][A-Za-z0-9_.\-]*$/.test(field)) {
    throw new TypeError(`Filter field ${JSON.stringify(field)} is not a field name (letters, digits, _, ., -), e.g. "datetime" or "profile_id".`);
  }
  return add(new FilterBuilder()).build() as Filter;
}

function checkScalar(field: string, value: FilterScalar): FilterScalar {
  if (typeof value === "number") return checkNumber(field, value);
  if (value instanceof Date) return checkDate(field, value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  throw new TypeError(`Filter value for ${field} must be a string, number, boolean or Date, got ${typeof value}.`);
}

function checkOrdered(field: string, value: OrderedValue): OrderedValue {
  if (typeof value === "number") return checkNumber(field, value);
  if (value instanceof Date) return checkDate(field, value);
  throw new TypeError(`Ordered comparisons on ${field} take a Date or a number, got ${JSON.stringify(value)}; wrap ISO strings with new Date(…).`);
}

function checkNumber(field: string, value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`Filter value for ${field} is ${value}; the API accepts finite numbers only.`);
  return value;
}

function checkDate(field: string, value: Date): Date {
  if (Number.isNaN(value.getTime())) throw new RangeError(`Filter value for ${field} is an invalid Date; check the string it was parsed from.`);
  return value;
}

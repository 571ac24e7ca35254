/**
 * The query parameters an operation declares and what each may hold, as the spec lists them: the
 * server refuses any other parameter, and any value outside its rule, with a 400 naming it.
 */
import { invalid, refuse } from "./reply";
import type { Request } from "./request";

/**
 * - `list`: comma-separated items, each one of `values` or starting with one of `prefixes`
 *   (`fields[…]`, `include`);
 * - `size`: an integer from 1 to `max` (`page[size]`);
 * - `one`: one value, one of `values` when given (`sort`), anything otherwise (`filter`, cursors).
 */
export type ParamRule =
  | { kind: "list"; values?: readonly string[]; prefixes?: readonly string[] }
  | { kind: "size"; max: number }
  | { kind: "one"; values?: readonly string[] };

/** An operation's query parameters by name. */
export type QueryRules = Record<string, ParamRule>;

/** Refuses (400) the first parameter `rules` do not declare or whose value breaks its rule. */
export function checkQuery(request: Request, rules: QueryRules): void {
  for (const [name, value] of request.query) {
    const rule = Object.hasOwn(rules, name) ? rules[name] : undefined;
    const refuseParam = (detail: string): never => refuse(invalid(detail, { parameter: name }));
    if (!rule) refuseParam(`'${name}' is not a valid query parameter for ${request.method} ${request.path}.`);
    else if (rule.kind === "size") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > rule.max) refuseParam(`page[size] must be an integer between 1 and ${rule.max}.`);
    } else if (rule.kind === "one") {
      if (rule.values && !rule.values.includes(value)) {
        refuseParam(`'${value}' is not a valid value for ${name}. Allowed: ${rule.values.join(", ")}.`);
      }
    } else {
      for (const item of value.split(",")) {
        const ok = (rule.values?.includes(item) ?? false) || (rule.prefixes?.some((p) => item.startsWith(p)) ?? false);
        if (!ok) refuseParam(`'${item}' is not a valid value for ${name}.`);
      }
    }
  }
}

/** `page[size]` up to `max`, and `page[cursor]`. */
export function page(max: number): QueryRules {
  return { "page[size]": { kind: "size", max }, "page[cursor]": { kind: "one" } };
}

/** `fields[type]`: a sparse fieldset of the resource type. */
export function fields(type: string, values: readonly string[], prefixes?: readonly string[]): QueryRules {
  return { [`fields[${type}]`]: { kind: "list", values, prefixes } };
}

/** `include`: the related resources that may be asked for. */
export function include(values: readonly string[]): QueryRules {
  return { include: { kind: "list", values } };
}

/** `sort`: each field, ascending or (with `-`) descending. */
export function sort(values: readonly string[]): QueryRules {
  return { sort: { kind: "one", values: values.flatMap((v) => [v, `-${v}`]) } };
}

/** `filter`, checked by the route against its own fields (filter.ts). */
export const FILTER: QueryRules = { filter: { kind: "one" } };

/** Parameters declared but taken as they come: the route reads them, or they change nothing. */
export function declared(...names: string[]): QueryRules {
  return Object.fromEntries(names.map((name) => [name, { kind: "one" }]));
}

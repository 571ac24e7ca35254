/**
 * The `filter` of a report request, as the spec states it per report: which attributes, which
 * operators on each (scalars: `equals`, `contains-any` or `any`; lists such as tags: `contains-any`,
 * `contains-all`), one filter per attribute, only AND, at most 100 items in a list, and for
 * `send_channel` only email, sms, push-notification and whatsapp. Parsed with the stand-in's filter
 * syntax (filter.ts); what breaks a rule is a 400 on `/data/attributes/filter`.
 */
import { FilterError, parseFilter } from "../filter";
import type { Condition } from "../filter";
import { invalidBody, refuse } from "../http/reply";

/** How an attribute may be filtered on: its operators, and whether it holds one value or a list. */
export interface FilterRule {
  ops: readonly string[];
  list?: boolean;
  /** The only values it may be compared with. */
  values?: readonly string[];
}

export type FilterRules = Record<string, FilterRule>;

/** A checked condition: the attribute and the values it is compared with. */
export interface ReportCondition {
  op: string;
  field: string;
  values: string[];
}

/** What a report row holds for each attribute it may be filtered or grouped on. */
export type Row = Record<string, string | null | readonly string[]>;

const SCALAR = ["equals", "contains-any"] as const;
const LIST = ["contains-any", "contains-all"] as const;
const CHANNELS = ["email", "sms", "push-notification", "whatsapp"] as const;
const MAX_ITEMS = 100;

/** Scalar attributes (`equals`, `contains-any`), then the tag lists, of campaign and flow reports. */
export function messageFilterRules(scalars: readonly string[]): FilterRules {
  const rules: FilterRules = Object.fromEntries(scalars.map((name) => [name, { ops: SCALAR }]));
  rules.send_channel = { ops: SCALAR, values: CHANNELS };
  rules.tag_id = { ops: LIST, list: true };
  rules.tag_name = { ops: LIST, list: true };
  return rules;
}

/** Attributes filtered with `equals` or `any` (segment and form reports). */
export function idFilterRules(names: readonly string[]): FilterRules {
  return Object.fromEntries(names.map((name) => [name, { ops: ["equals", "any"] }]));
}

function refuseFilter(detail: string): never {
  return refuse(invalidBody({ detail, pointer: "/data/attributes/filter" }));
}

function checked(c: Condition, rules: FilterRules): ReportCondition {
  const rule = Object.hasOwn(rules, c.field) ? rules[c.field] : undefined;
  if (!rule) refuseFilter(`'${c.field}' cannot be filtered on in this report. Allowed: ${Object.keys(rules).join(", ")}.`);
  if (!rule.ops.includes(c.op)) refuseFilter(`'${c.op}' is not an operator for '${c.field}'. Allowed: ${rule.ops.join(", ")}.`);
  const values = c.value.kind === "list" ? c.value.value : c.value.kind === "string" ? [c.value.value] : null;
  const wantsList = c.op !== "equals";
  if (values === null || (c.value.kind === "list") !== wantsList) {
    refuseFilter(`'${c.op}(${c.field},…)' takes ${wantsList ? 'a list of quoted strings, e.g. ["a","b"]' : "one quoted string"}.`);
  }
  if (values.length > MAX_ITEMS) refuseFilter(`A list filter may hold at most ${MAX_ITEMS} items; '${c.field}' has ${values.length}.`);
  const allowed = rule.values;
  const unknown = allowed ? values.find((v) => !allowed.includes(v)) : undefined;
  if (unknown !== undefined) {
    refuseFilter(`'${unknown}' is not a value of '${c.field}'. Allowed: ${(allowed as readonly string[]).join(", ")}.`);
  }
  return { op: c.op, field: c.field, values };
}

/** The request's filter checked against `rules` (none when it sends no filter). */
export function readReportFilter(text: unknown, rules: FilterRules): ReportCondition[] {
  if (text === undefined || text === null) return [];
  if (typeof text !== "string") return refuseFilter("'filter' must be a string, e.g. equals(send_channel,\"email\")");
  if (/(^|[^a-z-])(or|not)\(/.test(text)) refuseFilter("Only AND can combine report filters.");
  let conditions: Condition[];
  try {
    conditions = parseFilter(text);
  } catch (err) {
    if (err instanceof FilterError) return refuseFilter(err.message);
    throw err;
  }
  const seen = new Set<string>();
  return conditions.map((c) => {
    if (seen.has(c.field)) refuseFilter(`Only one filter can be used per attribute; '${c.field}' has more.`);
    seen.add(c.field);
    return checked(c, rules);
  });
}

/** Whether `row` passes every condition. */
export function passes(row: Row, conditions: readonly ReportCondition[]): boolean {
  return conditions.every(({ op, field, values }) => {
    const held = row[field] ?? null;
    const items = held === null ? [] : typeof held === "string" ? [held] : held;
    if (op === "contains-all") return values.every((v) => items.includes(v));
    return values.some((v) => items.includes(v));
  });
}

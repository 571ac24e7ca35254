/**
 * Reading a JSON:API request body: required objects, booleans and relationships, each refused
 * (400) in Klaviyo's words with a JSON pointer to where the body breaks the rule.
 */
import { invalid, invalidBody, refuse } from "./reply";
import type { Problem } from "./reply";

/** A JSON object of a request body, not yet checked. */
export type Obj = { [key: string]: unknown };

export function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The problem with `parent[key]` (at `pointer`) when it is missing or not an object; null when it is one. */
export function objectProblem(parent: unknown, key: string, pointer: string): Problem | null {
  const value = isObj(parent) ? parent[key] : undefined;
  if (isObj(value)) return null;
  return { detail: value === undefined ? `'${key}' is a required property` : `'${key}' must be an object`, pointer: `${pointer}/${key}` };
}

/** `parent[key]` as an object, or a 400 naming where it is missing. */
export function need(parent: unknown, key: string, pointer: string): Obj {
  const problem = objectProblem(parent, key, pointer);
  if (problem) refuse(invalidBody(problem));
  return (parent as Obj)[key] as Obj;
}

/** The problem with `data.type` (at `pointer`) when it is not `expected`; null when it is. */
export function typeProblem(data: Obj, expected: string, pointer: string): Problem | null {
  return data.type === expected ? null : { detail: `'type' must be '${expected}'`, pointer: `${pointer}/type` };
}

/** Refuses (400) a resource object whose `type` is not `expected`. */
export function needType(data: Obj, expected: string, pointer = "/data"): void {
  const problem = typeProblem(data, expected, pointer);
  if (problem) refuse(invalidBody(problem));
}

/** Refuses a value that is sent (not absent, not null) but not true or false. */
export function checkBoolean(value: unknown, pointer: string): void {
  if (value !== undefined && value !== null && typeof value !== "boolean") {
    refuse(invalid(`'${pointer.split("/").pop() as string}' must be true or false`, { pointer }));
  }
}

/** The id in `data.relationships[name].data`, for a to-one relationship; undefined without one. */
export function oneRelated(data: Obj, name: string): string | undefined {
  const rel = isObj(data.relationships) ? data.relationships[name] : undefined;
  const id = isObj(rel) && isObj(rel.data) ? rel.data.id : undefined;
  return typeof id === "string" ? id : undefined;
}

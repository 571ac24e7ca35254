/**
 * From Klaviyo's OpenAPI document to the facts this project commits about the operations it uses:
 * method, path, scopes, rate limits and the consent channels a body accepts (for the helpers,
 * src/operations.generated.ts) and the
 * shapes and status codes (for the test validator, test/support/openapi-subset.json). Facts only:
 * descriptions, summaries and examples are left out, and a keyword that is neither a kept fact nor
 * known prose stops the derivation, so nothing new slips in unread. Pure; the output is
 * deterministic (object keys sorted, arrays in the document's order).
 */
import type { ConsentChannels } from "../../src/consent-channels";
import type { OperationFacts } from "../../src/operations";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The parts of an OpenAPI 3.0 document the derivation reads. */
export interface OpenApiDocument {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: Record<string, JsonObject>; responses?: Record<string, JsonObject> };
}

/** Request and response shapes of one operation, as the test validator reads them. */
export interface OperationShape {
  parameters: JsonObject[];
  requestBody?: JsonObject;
  responses: Record<string, JsonObject>;
}

/** The test-side file: shapes of the derived operations and every component they refer to. */
export interface SpecSubset {
  about: string;
  source: { openapi: string; version: string };
  /** Limits the document states only in prose, as numbers (see PROSE_LIMITS). */
  limits: Record<string, number>;
  operations: Record<string, OperationShape>;
  components: { schemas: Record<string, JsonObject>; responses: Record<string, JsonObject> };
}

export interface Derived {
  facts: Record<string, OperationFacts>;
  /** For each derived operation whose request body carries consent (`subscriptions`), what it accepts there. */
  consentChannels: Record<string, ConsentChannels>;
  subset: SpecSubset;
}

/** Credit and licence, carried by both derived files (the notice itself is in tools/spec/README.md). */
const PROVENANCE =
  "Derived by `npm run spec` (tools/spec) from Klaviyo's OpenAPI document (Copyright (c) 2022 Klaviyo, MIT License, notice in tools/spec/README.md)";

/** JSON Schema / OpenAPI schema keywords that state a fact about valid values. */
const SCHEMA_FACTS = new Set([
  "type", "format", "enum", "nullable", "items", "properties", "additionalProperties", "required",
  "allOf", "anyOf", "oneOf", "not", "$ref", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
  "multipleOf", "default", "readOnly", "writeOnly", "deprecated", "discriminator",
]);
/** Prose and presentation, left out everywhere. */
const PROSE = new Set(["description", "summary", "example", "examples", "title", "externalDocs"]);
const isProse = (key: string): boolean => PROSE.has(key) || key.startsWith("x-");

/** What is kept of each part of an operation besides its schemas. */
const PARAMETER_FACTS = new Set(["name", "in", "required", "schema", "explode", "style", "allowReserved", "deprecated"]);
const REQUEST_BODY_FACTS = new Set(["required", "content", "$ref"]);
const RESPONSE_FACTS = new Set(["content", "$ref"]);
const MEDIA_TYPE_FACTS = new Set(["schema"]);

/**
 * Limits the document states only in prose: where the sentence is, the pattern of its number, and
 * what the number means. A sentence that no longer matches stops the derivation.
 */
const PROSE_LIMITS: ReadonlyArray<{ name: string; at: string[]; pattern: RegExp; value: (n: number) => number }> = [
  { name: "bulkCreateClientEventsMaxEvents", at: ["paths", "/client/event-bulk-create", "post", "description"], pattern: /maximum of `(\d+)` events/, value: (n) => n },
  {
    name: "metricNameMaxLength",
    at: ["components", "schemas", "MetricCreateQueryResourceObject", "properties", "attributes", "properties", "name", "description"],
    pattern: /less than (\d+) characters/,
    value: (n) => n - 1,
  },
];

/**
 * The facts and shapes of the operations named by `wanted` (operationIds).
 * Throws when one is missing from the document or a part of it cannot be read as facts.
 *
 * @example
 * const { facts, subset } = derive(doc, ["get_lists"]);
 * facts.get_lists // { method: "GET", path: "/api/lists", scopes: ["lists:read"], rateLimit: { burstPerSecond: 75, steadyPerMinute: 750 } }
 */
export function derive(doc: OpenApiDocument, wanted: readonly string[]): Derived {
  const byId = new Map<string, { method: string; path: string; op: JsonObject }>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (typeof op.operationId === "string") byId.set(op.operationId, { method: method.toUpperCase(), path, op });
    }
  }
  const facts: Record<string, OperationFacts> = {};
  const consentChannels: Record<string, ConsentChannels> = {};
  const operations: Record<string, OperationShape> = {};
  for (const id of [...new Set(wanted)].sort()) {
    const found = byId.get(id);
    if (!found) throw new Error(`Operation ${id} is not in Klaviyo's OpenAPI document (revision ${doc.info.version}); check its operationId.`);
    facts[id] = operationFacts(id, found.method, found.path, found.op);
    operations[id] = operationShape(id, found.op);
    const channels = found.op.requestBody ? bodyConsentChannels(doc, id, found.op.requestBody) : undefined;
    if (channels) consentChannels[id] = channels;
  }
  return {
    facts,
    consentChannels,
    subset: {
      about: `${PROVENANCE}: the shapes and status codes of the operations the guides, helpers and stand-in use, descriptions and examples left out. Do not edit: run npm run spec.`,
      source: { openapi: doc.openapi, version: doc.info.version },
      limits: proseLimits(doc),
      operations,
      components: referencedComponents(doc, operations),
    },
  };
}

function operationFacts(id: string, method: string, path: string, op: JsonObject): OperationFacts {
  const scopes = op["x-klaviyo-scopes"];
  if (!Array.isArray(scopes) || !scopes.every((s): s is string => typeof s === "string")) {
    throw new Error(`${id}: x-klaviyo-scopes is not a list of scopes (${JSON.stringify(scopes)}).`);
  }
  if (!["GET", "POST", "PATCH", "PUT", "DELETE"].includes(method)) throw new Error(`${id}: method ${method} is not one the helpers know.`);
  return { method: method as OperationFacts["method"], path, scopes, rateLimit: rateLimit(id, op["x-klaviyo-ratelimit"]) };
}

/** `{ burst: "75/s", steady: "750/m", daily?: "150/d" }` as numbers. */
function rateLimit(id: string, limit: Json | undefined): OperationFacts["rateLimit"] {
  const read = (key: string, unit: string): number | undefined => {
    const text = limit !== null && typeof limit === "object" && !Array.isArray(limit) ? limit[key] : undefined;
    if (text === undefined && key === "daily") return undefined;
    const m = typeof text === "string" ? new RegExp(`^(\\d+)/${unit}$`).exec(text) : null;
    if (!m) throw new Error(`${id}: x-klaviyo-ratelimit.${key} is ${JSON.stringify(text)}, not "N/${unit}".`);
    return Number(m[1]);
  };
  const perDay = read("daily", "d");
  return { burstPerSecond: read("burst", "s") as number, steadyPerMinute: read("steady", "m") as number, ...(perDay === undefined ? {} : { perDay }) };
}

/** A schema with its `$ref` followed (through chains of them); `seen` stops a cycle. */
function resolved(doc: OpenApiDocument, node: Json, seen: Set<string> = new Set()): JsonObject | undefined {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
  if (!name || seen.has(name)) return undefined;
  return resolved(doc, doc.components.schemas[name] ?? null, new Set([...seen, name]));
}

/**
 * What a request body accepts under its `subscriptions` property (the spec's `SubscriptionChannels`,
 * `UnsubscriptionChannels`…): per channel, the sub-channels (properties that take a `consent`), the
 * channel's other properties (push tokens…) and which of them are required, in the document's
 * order. Undefined for a body without consent; a body with two different `subscriptions` shapes
 * stops the derivation.
 */
function bodyConsentChannels(doc: OpenApiDocument, id: string, requestBody: Json): ConsentChannels | undefined {
  const found = new Map<string, JsonObject>();
  const visit = (node: Json, seen: Set<string>): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, seen));
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        if (seen.has(value)) continue;
        visit(resolved(doc, node) ?? null, new Set([...seen, value]));
      } else if (key === "properties" && value !== null && typeof value === "object" && !Array.isArray(value)) {
        for (const [name, property] of Object.entries(value)) {
          const shape = name === "subscriptions" ? resolved(doc, property) : undefined;
          if (shape) found.set(JSON.stringify(shape), shape);
          visit(property, seen);
        }
      } else visit(value, seen);
    }
  };
  visit(requestBody, new Set());
  if (found.size === 0) return undefined;
  if (found.size > 1) throw new Error(`${id}: the request body has ${found.size} different 'subscriptions' shapes; tools/spec/derive.ts reads one.`);
  const [shape] = found.values();
  const channels: ConsentChannels = {};
  for (const [channel, property] of Object.entries((shape.properties ?? {}) as JsonObject)) {
    const parameters = resolved(doc, property);
    const properties = Object.entries((parameters?.properties ?? {}) as JsonObject);
    const takesConsent = (p: Json): boolean => Boolean((resolved(doc, p)?.properties as JsonObject | undefined)?.consent);
    channels[channel] = {
      consent: properties.filter(([, p]) => takesConsent(p)).map(([name]) => name),
      other: properties.filter(([, p]) => !takesConsent(p)).map(([name]) => name),
      required: Array.isArray(parameters?.required) ? parameters.required.filter((r): r is string => typeof r === "string") : [],
    };
  }
  return channels;
}

function operationShape(id: string, op: JsonObject): OperationShape {
  const parameters = (op.parameters ?? []) as JsonObject[];
  const shape: OperationShape = {
    parameters: parameters.map((p, i) => keptKeys(p, PARAMETER_FACTS, `${id} parameters/${i}`, { schema })),
    responses: Object.fromEntries(Object.entries(op.responses as Record<string, JsonObject>).map(([status, r]) => [status, response(r, `${id} responses/${status}`)])),
  };
  if (op.requestBody) shape.requestBody = keptKeys(op.requestBody as JsonObject, REQUEST_BODY_FACTS, `${id} requestBody`, { content: mediaTypes });
  return shape;
}

function response(node: JsonObject, where: string): JsonObject {
  return keptKeys(node, RESPONSE_FACTS, where, { content: mediaTypes });
}

function mediaTypes(content: Json, where: string): Json {
  return Object.fromEntries(Object.entries(content as JsonObject).map(([type, media]) => [type, keptKeys(media as JsonObject, MEDIA_TYPE_FACTS, `${where}/${type}`, { schema })]));
}

/**
 * `node` with only the keys in `keep` (each passed through `inner[key]` when given), prose dropped;
 * any other key stops the derivation.
 */
function keptKeys(node: JsonObject, keep: ReadonlySet<string>, where: string, inner: Record<string, (value: Json, where: string) => Json> = {}): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (keep.has(key)) out[key] = inner[key] ? inner[key](value, `${where}/${key}`) : value;
    else if (!isProse(key)) throw unknownKeyword(key, where);
  }
  return out;
}

/** A schema with its facts only. Property names are data: a property called "description" stays. */
function schema(node: Json, where: string): Json {
  if (node === null || typeof node !== "object" || Array.isArray(node)) throw new Error(`${where}: a schema must be an object, not ${JSON.stringify(node)}.`);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (!SCHEMA_FACTS.has(key)) {
      if (!isProse(key)) throw unknownKeyword(key, where);
    } else if (key === "properties") {
      out.properties = Object.fromEntries(Object.entries(value as JsonObject).map(([name, s]) => [name, schema(s, `${where}/properties/${name}`)]));
    } else if (key === "items" || key === "not" || (key === "additionalProperties" && typeof value === "object")) {
      out[key] = schema(value, `${where}/${key}`);
    } else if (key === "allOf" || key === "anyOf" || key === "oneOf") {
      out[key] = (value as Json[]).map((s, i) => schema(s, `${where}/${key}/${i}`));
    } else {
      out[key] = value;
    }
  }
  return out;
}

function unknownKeyword(key: string, where: string): Error {
  return new Error(`${where}: '${key}' is neither a fact tools/spec keeps nor prose it leaves out; add it to one of the lists in tools/spec/derive.ts.`);
}

/** The component schemas and responses the operations refer to, directly or through each other. */
function referencedComponents(doc: OpenApiDocument, operations: Record<string, OperationShape>): SpecSubset["components"] {
  const schemas: Record<string, JsonObject> = {};
  const responses: Record<string, JsonObject> = {};
  const pending: Json[] = [operations as unknown as Json];
  const take = (ref: string): void => {
    const [, kind, name] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref) ?? [];
    const table = kind === "schemas" ? schemas : kind === "responses" ? responses : undefined;
    if (!table) throw new Error(`$ref ${ref} points outside components/schemas and components/responses.`);
    if (name in table) return;
    const source = kind === "schemas" ? doc.components.schemas[name] : doc.components.responses?.[name];
    if (!source) throw new Error(`$ref ${ref} names nothing in the document.`);
    table[name] = kind === "schemas" ? (schema(source, ref) as JsonObject) : response(source, ref);
    pending.push(table[name]);
  };
  while (pending.length > 0) {
    const node = pending.pop() as Json;
    if (Array.isArray(node)) pending.push(...node);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref" && typeof value === "string") take(value);
        else pending.push(value);
      }
    }
  }
  return { schemas, responses };
}

function proseLimits(doc: OpenApiDocument): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const { name, at, pattern, value } of PROSE_LIMITS) {
    let text: unknown = doc;
    for (const key of at) text = (text as Record<string, unknown> | undefined)?.[key];
    const m = typeof text === "string" ? pattern.exec(text) : null;
    if (!m) throw new Error(`${name}: the text at ${at.join(" › ")} no longer says ${pattern}; read it and update PROSE_LIMITS in tools/spec/derive.ts.`);
    limits[name] = value(Number(m[1]));
  }
  return limits;
}

/**
 * JSON with every object's keys sorted, so the same value gives the same bytes. Objects down to
 * `depth` levels are spread one key a line (two-space indent); anything deeper stays on its key's
 * line, so a diff shows which schema or operation changed without a line for every keyword.
 */
export function stableJson(value: unknown, depth: number, indent = ""): string {
  if (depth <= 0 || value === null || typeof value !== "object" || Array.isArray(value)) return JSON.stringify(value, sortKeys);
  const keys = Object.keys(value).sort();
  if (keys.length === 0) return "{}";
  const inner = `${indent}  `;
  const lines = keys.map((k) => `${inner}${JSON.stringify(k)}: ${stableJson((value as Record<string, unknown>)[k], depth - 1, inner)}`);
  return `{\n${lines.join(",\n")}\n${indent}}`;
}

function sortKeys(_key: string, v: unknown): unknown {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v;
}

/** src/operations.generated.ts: the facts the helpers read at run time. */
export function renderFactsModule(facts: Derived["facts"], consentChannels: Derived["consentChannels"], source: SpecSubset["source"]): string {
  return `// ${PROVENANCE}, revision ${source.version}.
// Do not edit: run npm run spec. Typed and documented in src/operations.ts and src/consent-channels.ts.
export const OPERATION_FACTS = ${stableJson(facts, 1)} as const;

export const CONSENT_CHANNELS = ${stableJson(consentChannels, 2)} as const;
`;
}

/** test/support/openapi-subset.json: the shapes the test validator reads. */
export function renderSubset(subset: SpecSubset): string {
  return `${stableJson(subset, 3)}\n`;
}

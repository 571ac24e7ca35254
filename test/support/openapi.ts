/**
 * Checks HTTP exchanges against Klaviyo's OpenAPI document (3.0.x) with ajv, as far as the project
 * uses it: the operations' method and path (src/operations.ts) and their shapes and status codes
 * (test/support/openapi-subset.json), both derived from the document by `npm run spec`, so the
 * checks run on every checkout. OpenAPI 3.0's `nullable` is not JSON Schema, so schemas are
 * rewritten once (`type: [t, "null"]`, or `anyOf` with null; `oneOf` as `anyOf`, since Klaviyo's
 * unions overlap) and added to one ajv instance under a fixed id; validators are compiled lazily
 * per operation and cached.
 *
 * Usage:
 *   const spec = specValidator();
 *   const problems = spec.check({ method: "GET", path: "/api/profiles?page%5Bsize%5D=5", status: 200, responseBody });
 *   expect(problems).toEqual([]);
 */
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { OPERATIONS } from "../../src/operations";
import type { SpecSubset } from "../../tools/spec/derive";
import { routeFinder } from "../../tools/spec/match";
import { OPENAPI_SUBSET } from "../../tools/paths";

/** One request and its answer, as recorded in a fixture or seen from a server. */
export interface Exchange {
  method: string;
  /** Path with query string; an origin ("https://a.klaviyo.com/api/…") is allowed and ignored. */
  path: string;
  /** Parsed JSON, a JSON string, or empty/undefined for no body. */
  requestBody?: unknown;
  status: number;
  responseBody?: unknown;
}

export interface SpecValidator {
  /** Every way the exchange disagrees with the spec; empty when it conforms. */
  check(exchange: Exchange): string[];
  /** operationId of the operation serving a method and path, if the spec has one. */
  operationId(method: string, path: string): string | undefined;
}

type Schema = { [key: string]: unknown };

interface Parameter {
  name: string;
  in: "query" | "path" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> } | { $ref: string };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}

const SPEC_ID = "klaviyo-openapi";
let validator: SpecValidator | undefined;

/** The validator over the committed subset (built once per test file). */
export function specValidator(): SpecValidator {
  validator ??= buildValidator(JSON.parse(readFileSync(OPENAPI_SUBSET, "utf8")) as SpecSubset);
  return validator;
}

/** OpenAPI 3.0 schema -> JSON Schema: `nullable`, and refs pointed at the registered document. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    // ajv knows neither; the subset holds no prose or vendor keys (tools/spec leaves them out).
    if (key === "nullable" || key === "discriminator") continue;
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/")) out.$ref = `${SPEC_ID}${value}`;
    // Klaviyo's unions overlap (EmailSendOptions, SMSSendOptions and PushSendOptions hold the same
    // one optional property; an e-mail flow message also fits FlowWhatsApp), so a real answer
    // matches several branches: "one of" is checked as "at least one of".
    else if (key === "oneOf") out.anyOf = toJsonSchema(value);
    else if (key === "properties" && value && typeof value === "object") {
      // Property names are data, not keywords: never drop one that happens to be called "nullable".
      out.properties = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, toJsonSchema(v)]));
    } else out[key] = toJsonSchema(value);
  }
  if ((node as Schema).nullable !== true) return out;
  if (typeof out.type === "string" && out.$ref === undefined) {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

/**
 * The spec types `links.next` / `links.prev` as strings, but the live API has answered `null` past
 * either end of a collection (and the stand-in does the same), so both are allowed to be null.
 */
function allowNullPageLinks(links: unknown): void {
  const properties = (links as { properties?: Record<string, Schema> } | undefined)?.properties;
  for (const rel of ["next", "prev"]) {
    const link = properties?.[rel];
    if (link && typeof link.type === "string") link.type = [link.type, "null"];
  }
}

function buildValidator(doc: SpecSubset): SpecValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  const schemas = Object.fromEntries(Object.entries(doc.components.schemas).map(([name, schema]) => [name, toJsonSchema(schema)]));
  allowNullPageLinks(schemas.CollectionLinks);
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });

  const find = routeFinder(Object.entries(OPERATIONS).map(([id, { method, path }]) => ({ method, template: path, value: id })));

  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: Schema): ValidateFunction => {
    let fn = compiled.get(key);
    if (!fn) {
      fn = ajv.compile(toJsonSchema(schema) as Schema);
      compiled.set(key, fn);
    }
    return fn;
  };
  const deref = <T>(x: T | { $ref: string }): T => {
    if (x && typeof x === "object" && "$ref" in x) {
      const parts = x.$ref.replace(/^#\//, "").split("/");
      let target: unknown = doc;
      for (const p of parts) target = (target as Record<string, unknown>)[p];
      return target as T;
    }
    return x as T;
  };
  const describe = (fn: ValidateFunction): string[] =>
    (fn.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);

  const resolveOperation = (method: string, pathname: string): { id: string; template: string; op: Operation; pathValues: string[] } | undefined => {
    const found = find(method, pathname);
    const op = found && (doc.operations[found.route.value] as unknown as Operation | undefined);
    return found && op ? { id: found.route.value, template: found.route.template, op, pathValues: found.pathValues } : undefined;
  };

  return {
    operationId(method, path) {
      const url = new URL(path, "https://a.klaviyo.com");
      return resolveOperation(method, url.pathname)?.id;
    },
    check(exchange) {
      const problems: string[] = [];
      const url = new URL(exchange.path, "https://a.klaviyo.com");
      const where = `${exchange.method.toUpperCase()} ${url.pathname}`;
      const found = resolveOperation(exchange.method, url.pathname);
      if (!found) return [`${where}: no such operation in the spec subset (path + method not among the derived operations; if Klaviyo's document has it, add it to tools/spec and run npm run spec)`];
      const { template, op, pathValues } = found;
      const opKey = `${exchange.method.toUpperCase()} ${template}`;
      const params = (op.parameters ?? []).map((p) => deref<Parameter>(p));

      // Path parameters.
      const pathParams = params.filter((p) => p.in === "path");
      const names = (template.match(/\{([^}]+)\}/g) ?? []).map((n) => n.slice(1, -1));
      names.forEach((name, i) => {
        const p = pathParams.find((x) => x.name === name);
        if (p?.schema) {
          const fn = compile(`${opKey} path ${name}`, p.schema);
          if (!fn(pathValues[i])) problems.push(`${where}: path parameter ${name}=${pathValues[i]}: ${describe(fn).join("; ")}`);
        }
      });

      // Query parameters: declared, and each value valid (arrays are comma-joined: explode false).
      const query = params.filter((p) => p.in === "query");
      for (const [name, value] of url.searchParams) {
        const p = query.find((x) => x.name === name);
        if (!p) {
          problems.push(`${where}: query parameter '${name}' is not declared (declared: ${query.map((x) => x.name).join(", ")})`);
          continue;
        }
        if (!p.schema) continue;
        const fn = compile(`${opKey} query ${name}`, p.schema);
        const typed = p.schema.type === "array" ? value.split(",") : p.schema.type === "integer" || p.schema.type === "number" ? Number(value) : value;
        if (!fn(typed)) problems.push(`${where}: query parameter ${name}=${value}: ${describe(fn).join("; ")}`);
      }
      for (const p of query) if (p.required && !url.searchParams.has(p.name)) problems.push(`${where}: required query parameter '${p.name}' is missing`);

      // Request body.
      const requestBody = parseBody(exchange.requestBody);
      const declaredBody = op.requestBody ? deref(op.requestBody) : undefined;
      if (declaredBody) {
        const schema = firstSchema(declaredBody.content);
        if (requestBody === undefined) {
          if (declaredBody.required) problems.push(`${where}: request body is required`);
        } else if (schema && exchange.status < 400) {
          // A body that breaks the schema is only wrong if the server accepted it: a recorded 4xx
          // refusing an invalid payload is exactly what a guide's "invalid payload" lesson shows.
          const fn = compile(`${opKey} request`, schema);
          if (!fn(requestBody)) problems.push(`${where}: request body: ${describe(fn).join("; ")}`);
        }
      } else if (requestBody !== undefined) {
        problems.push(`${where}: the operation takes no request body`);
      }

      // Status and response body.
      const statusKey = [String(exchange.status), `${Math.floor(exchange.status / 100)}XX`, "default"].find((k) => k in op.responses);
      if (!statusKey) {
        problems.push(`${where}: status ${exchange.status} is not declared (declared: ${Object.keys(op.responses).join(", ")})`);
        return problems;
      }
      const response = deref(op.responses[statusKey]);
      const schema = firstSchema(response.content);
      const responseBody = parseBody(exchange.responseBody);
      if (!schema) {
        if (responseBody !== undefined) problems.push(`${where}: status ${exchange.status} declares no body, but one was returned`);
      } else if (responseBody === undefined) {
        problems.push(`${where}: status ${exchange.status} declares a body, but none was returned`);
      } else {
        const fn = compile(`${opKey} response ${statusKey}`, schema);
        if (!fn(responseBody)) {
          // Sparse fieldsets (fields[type]=a,b) return only the attributes asked for, while the
          // schemas mark attributes required: with fields[] in the query, an attribute that is
          // absent is what the client asked for, not a defect.
          const sparse = [...url.searchParams.keys()].some((k) => k.startsWith("fields["));
          if (sparse) fn.errors = (fn.errors ?? []).filter((e) => !(e.keyword === "required" && /\/attributes(\/|$)/.test(e.instancePath)));
          if (fn.errors?.length) problems.push(`${where}: response ${exchange.status}: ${describe(fn).join("; ")}`);
        }
      }
      return problems;
    },
  };
}

function firstSchema(content: Record<string, { schema?: Schema }> | undefined): Schema | undefined {
  if (!content) return undefined;
  return (content["application/vnd.api+json"] ?? content["application/json"] ?? Object.values(content)[0])?.schema;
}

function parseBody(body: unknown): unknown {
  if (body === undefined || body === null || body === "") return undefined;
  if (typeof body === "string") {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }
  return body;
}

/**
 * The project's side of the derivation: where Klaviyo's document is, which operations the project
 * uses (those its fixtures record, those the guides call, those only the stand-in serves), and the
 * derived files' paths and text.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { GUIDE_OPERATIONS } from "../../src/guide-operations";
import { DATA_DIR, OPENAPI_DOCUMENT, OPENAPI_SUBSET, OPERATION_FACTS_MODULE } from "../paths";
import { derive, renderFactsModule, renderSubset, type OpenApiDocument } from "./derive";
import { routeFinder, type Route } from "./match";
import { ROUTES } from "../standin/routes";

/** Every operation the stand-in (tools/standin) serves, from its route table. */
export const STANDIN_OPERATIONS: readonly string[] = ROUTES.map((route) => route.operation);

/** How to get the document, for messages. */
export const DOCUMENT_HINT = `set KLAVIYO_OPENAPI_SPEC to Klaviyo's stable.json, or put it at ${OPENAPI_DOCUMENT}`;

/**
 * Klaviyo's OpenAPI document: the file KLAVIYO_OPENAPI_SPEC names (relative to the working
 * directory), else the default beside the project; undefined when it names none and the default is
 * absent. A variable naming a missing file is an error, not a skip.
 */
export function findDocument(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env.KLAVIYO_OPENAPI_SPEC?.trim();
  if (named) {
    const path = resolve(named);
    if (!existsSync(path)) throw new Error(`KLAVIYO_OPENAPI_SPEC is ${named}, but ${path} does not exist; point it at Klaviyo's stable.json or unset it.`);
    return path;
  }
  return existsSync(OPENAPI_DOCUMENT) ? OPENAPI_DOCUMENT : undefined;
}

export function readDocument(path: string): OpenApiDocument {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as OpenApiDocument;
  } catch (err) {
    throw new Error(`Cannot read Klaviyo's OpenAPI document at ${path} (${(err as Error).message}).`);
  }
}

/** One recorded request: its fixture file, method and path (with query). */
export interface FixtureRequest {
  file: string;
  method: string;
  path: string;
}

/** Every request recorded in the fixtures (data/*.json). */
export function fixtureRequests(dir: string = DATA_DIR): FixtureRequest[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .flatMap((file) => {
      const { interactions } = JSON.parse(readFileSync(join(dir, file), "utf8")) as { interactions: { method: string; path: string }[] };
      return interactions.map((i) => ({ file, method: i.method, path: i.path }));
    });
}

/** The operationId serving each request among `routes`, or undefined for a request none serves. */
export function operationsOf(requests: readonly FixtureRequest[], routes: readonly Route<string>[]): (string | undefined)[] {
  const find = routeFinder(routes);
  return requests.map((r) => find(r.method, new URL(r.path, "https://a.klaviyo.com").pathname)?.route.value);
}

/** Every operation the project uses, sorted: the fixtures', the guides' (src/guide-operations.ts) and the stand-in's. */
export function wantedOperations(doc: OpenApiDocument, requests: readonly FixtureRequest[] = fixtureRequests()): string[] {
  const routes = Object.entries(doc.paths).flatMap(([template, methods]) =>
    Object.entries(methods).flatMap(([method, op]) => (typeof op.operationId === "string" ? [{ method: method.toUpperCase(), template, value: op.operationId }] : [])),
  );
  const recorded = operationsOf(requests, routes);
  const unknown = requests.filter((_, i) => recorded[i] === undefined).map((r) => `data/${r.file}: ${r.method} ${r.path}`);
  if (unknown.length > 0) throw new Error(`No operation of Klaviyo's OpenAPI document serves these recorded requests; are the recordings right?\n${unknown.join("\n")}`);
  return [...new Set([...(recorded as string[]), ...GUIDE_OPERATIONS, ...STANDIN_OPERATIONS])].sort();
}

/** The derived files, path and text, for the document `doc`. */
export function derivedFiles(doc: OpenApiDocument): { path: string; text: string }[] {
  const { facts, consentChannels, subset } = derive(doc, wantedOperations(doc));
  return [
    { path: OPERATION_FACTS_MODULE, text: renderFactsModule(facts, consentChannels, subset.source) },
    { path: OPENAPI_SUBSET, text: renderSubset(subset) },
  ];
}

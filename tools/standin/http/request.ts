/**
 * A request as a route's handler gets it: read once by the server, with the query parsed and the
 * body kept as text until a handler asks for its JSON.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { invalid, refuse } from "./reply";

export interface Request {
  method: string;
  /** The URL's path, e.g. `/api/lists/Y6nRLr/profiles`. */
  path: string;
  /** Query parameters by name, as sent (a repeated name keeps its last value). */
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  /** The body as sent; `jsonBody` parses it. */
  body: string;
}

/** Reads `req` whole. */
export async function readRequest(req: IncomingMessage): Promise<Request> {
  const url = new URL(req.url ?? "/", "http://stand-in");
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return {
    method: req.method ?? "GET",
    path: url.pathname,
    query: new Map(url.searchParams),
    headers: req.headers,
    body: Buffer.concat(chunks).toString("utf8"),
  };
}

/** The body as JSON, or a 400 saying it is not. */
export function jsonBody(request: Request): unknown {
  try {
    return JSON.parse(request.body) as unknown;
  } catch (err) {
    return refuse(invalid(`The request body is not valid JSON (${(err as Error).message}). Send a JSON:API document.`, { pointer: "/" }));
  }
}

/** A comma-separated query parameter (`fields[profile]=email,phone_number`) as a list; `undefined` when absent. */
export function listParam(request: Request, name: string): string[] | undefined {
  return request.query.get(name)?.split(",");
}

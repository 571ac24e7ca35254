/**
 * A request as a route's handler gets it: read once by the server, with the query parsed and the
 * body kept as text until a handler asks for its JSON.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { invalid, refuse } from "./reply";

/** What a request says before its body: enough to find its route and decide on the key, quirks and faults. */
export interface RequestHead {
  method: string;
  /** The URL's path, e.g. `/api/lists/Y6nRLr/profiles`. */
  path: string;
  /** Query parameters by name, as sent (a repeated name keeps its last value). */
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
}

export interface Request extends RequestHead {
  /** The body as sent; `jsonBody` parses it. */
  body: string;
}

/** The head of `req`, as it arrives. */
export function requestHead(req: IncomingMessage): RequestHead {
  const url = new URL(req.url ?? "/", "http://stand-in");
  return { method: req.method ?? "GET", path: url.pathname, query: new Map(url.searchParams), headers: req.headers };
}

/** Reads the body of `req`, whose head is `head`. */
export async function readRequest(req: IncomingMessage, head: RequestHead): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return { ...head, body: Buffer.concat(chunks).toString("utf8") };
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

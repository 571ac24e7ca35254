/**
 * A tiny HTTP server on 127.0.0.1 standing in for Klaviyo in tests: it answers from a handler and
 * keeps every request it saw, so a test can prove what did (or did not) leave the process.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  /** Ignored with `drop`. */
  status: number;
  /** Close the connection without answering, as a dropped connection does (the client sees ECONNRESET). */
  drop?: boolean;
  headers?: Record<string, string>;
  /** Objects are sent as JSON:API JSON; strings as is; undefined as an empty body. */
  body?: unknown;
}

export interface LocalServer {
  /** e.g. "http://127.0.0.1:41234" */
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startLocalServer(handler: (request: SeenRequest) => Answer): Promise<LocalServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen: SeenRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(seen);
      const answer = handler(seen);
      if (answer.drop) {
        req.socket.destroy();
        return;
      }
      const json = answer.body !== undefined && typeof answer.body !== "string";
      const text = answer.body === undefined ? "" : json ? JSON.stringify(answer.body) : String(answer.body);
      res.writeHead(answer.status, { ...(json ? { "content-type": "application/vnd.api+json" } : {}), ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    // Idempotent: a test may stop the server early to prove nothing more reaches it.
    close: () => new Promise<void>((resolve, reject) => {
      if (!server.listening) return resolve();
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

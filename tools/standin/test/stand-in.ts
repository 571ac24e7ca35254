/**
 * What the stand-in's HTTP tests share: a stand-in started before a file's tests and closed after,
 * requests to it as a raw-HTTP reader of the guides sends them, and the shapes of its answers.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { API_ORIGIN as origin } from "../../../src/api-origin";
import { startDemoServer } from "../server";
import type { DemoServer } from "../server";
import { STAND_IN_PRIVATE_KEY } from "../guide-settings";

export type Doc = {
  data: Array<{ id: string; type: string; attributes: Record<string, unknown>; relationships?: Record<string, { data?: unknown }> }>;
  links: { self: string; next: string | null; prev: string | null };
  included?: Array<{ type: string; id: string; attributes: Record<string, unknown> }>;
};
export type Errors = {
  errors: Array<{ id: string; code: string; title: string; detail: string; source?: { pointer?: string; parameter?: string } }>;
};
export type Answer = { status: number; body: unknown; headers: Headers };

/** A private key and revision the stand-in accepts. */
export const AUTH = { Authorization: `Klaviyo-API-Key ${STAND_IN_PRIVATE_KEY}`, revision: "2026-07-15", accept: "application/vnd.api+json" };

/** A query string. */
export const q = (params: Record<string, string>): string => `?${new URLSearchParams(params).toString()}`;

export interface StandIn {
  /** The running stand-in (its `account` is live: writes change it). */
  readonly server: DemoServer;
  /** GET a path, or a `links` URL (its origin rewritten to the stand-in's). */
  get(pathOrLink: string, headers?: Record<string, string>): Promise<Answer>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** Follows links.next to the end, as a raw-HTTP reader of the guide does (origin rewritten). */
  sweep(path: string): Promise<{ pages: Doc[]; items: Doc["data"] }>;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A fresh demo stand-in for the tests of the calling file. */
export function useStandIn(): StandIn {
  let started: DemoServer | undefined;
  beforeAll(async () => {
    started = await startDemoServer();
  });
  afterAll(() => started?.close());
  const running = (): DemoServer => {
    if (!started) throw new Error("The stand-in is not running yet: call useStandIn() at the top of the test file and use it in tests.");
    return started;
  };
  const get = async (pathOrLink: string, headers: Record<string, string> = AUTH): Promise<Answer> => {
    const { url } = running();
    return answer(await fetch(pathOrLink.startsWith(origin) ? pathOrLink.replace(origin, url) : url + pathOrLink, { headers }));
  };
  const post = async (path: string, body: unknown, headers: Record<string, string> = AUTH): Promise<Answer> => {
    const init = { method: "POST", headers: { ...headers, "content-type": "application/vnd.api+json" }, body: JSON.stringify(body) };
    return answer(await fetch(running().url + path, init));
  };
  const sweep = async (path: string): Promise<{ pages: Doc[]; items: Doc["data"] }> => {
    const pages: Doc[] = [];
    let next: string | null = path;
    while (next) {
      const { status, body } = await get(next);
      expect(status).toBe(200);
      pages.push(body as Doc);
      next = (body as Doc).links.next;
      if (next) expect(next.startsWith(`${origin}/api/`)).toBe(true);
    }
    return { pages, items: pages.flatMap((p) => p.data) };
  };
  return {
    get server() {
      return running();
    },
    get,
    post,
    sweep,
  };
}

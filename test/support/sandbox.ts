/**
 * Per-test surroundings for tests that call connect(): a local stand-in for Klaviyo, an empty
 * fixtures folder, console.log silenced; afterwards connect()'s hooks, the folder, the server, the
 * stubbed environment and the mocks are all undone.
 */
import { rmSync } from "node:fs";
import { scratchDir } from "../../tools/paths";
import { afterEach, beforeEach, vi } from "vitest";
import { disconnect } from "../../src/connect";
import { startLocalServer, type Answer, type LocalServer, type SeenRequest } from "./local-server";

export interface Sandbox {
  server: LocalServer;
  /** A fresh folder under .tmp/ for fixture files. */
  dir: string;
}

/** Registers the set-up and tear-down; the returned object is filled in before each test. */
export function useSandbox(prefix: string, handler: (request: SeenRequest) => Answer): Sandbox {
  const box = {} as Sandbox;
  beforeEach(async () => {
    box.server = await startLocalServer(handler);
    box.dir = scratchDir(prefix);
    vi.spyOn(console, "log").mockImplementation(() => undefined);
  });
  afterEach(async () => {
    disconnect();
    rmSync(box.dir, { recursive: true, force: true });
    await box.server.close();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
  return box;
}

/**
 * JupyterLab as `npm run lab` starts it, driven headless: each guide opens with the TypeScript
 * kernel, its first code cell runs, and the cell's output appears. Loopback only, with a token.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT as ROOT } from "../scripts/runner/project";
import { GUIDES } from "../src/guides";
import { CHROMIUM_ARGS, findBrowser } from "../scripts/static-images";

const browserPath = findBrowser();
const guides = GUIDES.filter((g) => existsSync(join(ROOT, "notebooks", g.notebook)));
if (!browserPath) console.warn("JupyterLab test skipped: no Chromium (install Debian's chromium or set CHROMIUM_PATH)");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the lab and resolves once it listens; rejects with its output if it exits first. */
async function startLab(port: number, token: string): Promise<ChildProcess> {
  const lab = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "scripts/lab.ts"), "--no-browser", "--ip=127.0.0.1", `--port=${port}`, `--IdentityProvider.token=${token}`, "--LabApp.expose_app_in_browser=True"],
    { cwd: ROOT, env: { ...process.env, KLAVIYO_MODE: "replay" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`JupyterLab did not start in 90 s:\n${log}`)), 90_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      if (log.includes(`127.0.0.1:${port}/lab`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    lab.stdout!.on("data", onData);
    lab.stderr!.on("data", onData);
    lab.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`JupyterLab exited with ${code}:\n${log}`));
    });
  });
  return lab;
}

describe.skipIf(!browserPath || guides.length === 0)("guides in JupyterLab (npm run lab)", () => {
  let lab: ChildProcess | undefined;
  let browser: Browser;
  let base: string;
  const token = randomBytes(16).toString("hex");

  beforeAll(async () => {
    const port = await freePort();
    lab = await startLab(port, token);
    base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    lab?.kill("SIGTERM");
  });

  for (const guide of guides) {
    it(`${guide.notebook}: opens on the TypeScript kernel and runs its first code cell`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      // Tests stay on loopback: anything JupyterLab might ask of another host is refused.
      await page.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
      // ?reset: start from an empty workspace, so the other guide's tab is not restored beside this one.
      await page.goto(`${base}/lab/tree/${encodeURIComponent(guide.notebook)}?reset&token=${token}`);
      await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 60_000 });
      await page.waitForFunction(() => typeof (window as unknown as { jupyterapp?: unknown }).jupyterapp === "object", undefined, { timeout: 30_000 });

      // Every step finds the guide's panel by its path, never by "the current widget".
      await page.evaluate(() => {
        type Panel = { id: string; context?: { path: string } };
        const w = window as unknown as { jupyterapp: { shell: { widgets(area: string): Iterable<Panel> } }; panelFor?: (file: string) => Panel | null };
        w.panelFor = (file: string) => Array.from(w.jupyterapp.shell.widgets("main")).find((p) => p.context?.path === file) ?? null;
      });

      const kernel = await page.waitForFunction(
        (file) => {
          type Panel = { sessionContext: { session?: { kernel?: { name: string; status: string } } } };
          const k = (window as unknown as { panelFor(f: string): Panel | null }).panelFor(file)?.sessionContext.session?.kernel;
          return k && k.status === "idle" ? k.name : null;
        },
        guide.notebook,
        { timeout: 90_000 },
      );
      expect(await kernel.jsonValue()).toBe("tslab");

      // Clear the committed outputs, then run the first code cell through JupyterLab's own commands
      // (clicks and key presses depend on scrolling and focus), so what appears comes from this kernel.
      const index = await page.evaluate(async (file) => {
        type Cell = { model: { type: string } };
        type Panel = { id: string; content: { widgets: Cell[]; activeCellIndex: number } };
        type App = {
          commands: { execute(id: string): Promise<unknown> };
          shell: { activateById(id: string): void; currentWidget: unknown };
        };
        const w = window as unknown as { jupyterapp: App; panelFor(f: string): Panel | null };
        const panel = w.panelFor(file);
        if (!panel) return -1;
        w.jupyterapp.shell.activateById(panel.id);
        if (w.jupyterapp.shell.currentWidget !== panel) return -2;
        await w.jupyterapp.commands.execute("notebook:clear-all-cell-outputs");
        const first = panel.content.widgets.findIndex((c) => c.model.type === "code");
        panel.content.activeCellIndex = first;
        void w.jupyterapp.commands.execute("notebook:run-cell");
        return first;
      }, guide.notebook);
      expect(index, "-1: the guide's panel was not found; -2: it could not be made current").toBeGreaterThanOrEqual(0);
      const output = await page.waitForFunction(
        ([file, i]) => {
          type Cell = { node: HTMLElement; model: { outputs: { length: number } } };
          type Panel = { content: { widgets: Cell[] } };
          const cell = (window as unknown as { panelFor(f: string): Panel | null }).panelFor(file as string)?.content.widgets[i as number];
          const shown = cell?.node.querySelector(".jp-OutputArea-output");
          return cell && cell.model.outputs.length > 0 && shown ? shown.textContent : null;
        },
        [guide.notebook, index] as const,
        { timeout: 90_000 },
      );
      const text = String(await output.jsonValue());
      await page.screenshot({ path: join(ROOT, "screenshots", `${guide.notebook.replace(/\.ipynb$/, "")}-jupyterlab.png`) });
      await page.close();
      expect(text).toMatch(/^Mode: replay/);
      expect(text).not.toMatch(/Error|error TS|\d+:\d+ - /);
    }, 240_000);
  }
});

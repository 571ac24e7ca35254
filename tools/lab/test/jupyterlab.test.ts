/**
 * JupyterLab as `npm run lab` starts it, driven headless, one page per guide: the lab's start page is
 * the first guide; the guide opens with the TypeScript kernel and no "Jupyter news" pop-up over it;
 * every diagram loads; opening and saving leaves the file byte-identical (the
 * committed metadata is what tslab reports); contents links land on their headings; Run All, after
 * clearing the committed outputs, shows no error, and the first code cell's output appears. The
 * kernels replay the second account's recording (test/support/own-account.ts: a record run of every
 * guide against another account than the demo's), and every cell must print what the recording run
 * printed, as a replay prints it (the scrubber's fakes for the account's personal data): a replay
 * of a reader's own recording gives their run back. Binder's guide, when the Binder test runs here,
 * is replayed there instead (tools/lab/test/binder-guide.ts); here it runs its first code cell only.
 * Loopback only, with a token. The lab serves copies of the guides (.tmp/lab), so neither a
 * save nor autosave can touch notebooks/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { guideNotebook, NOTEBOOKS_DIR, PROJECT_ROOT as ROOT, SCRATCH_DIR } from "../../paths";
import { GUIDES } from "../../../src/guides";
import { CHROMIUM_ARGS, findBrowser } from "../../chromium";
import { CHROMIUM, skipWithout } from "../../../test/support/requirements";
import { settingsEnv } from "../../../src/settings";
import { ownAccountRuns, type OwnAccountRuns } from "../../../test/support/own-account";
import { asReplayed, cellOutputs, normalise, outputDifferences, outputText } from "../../../test/support/outputs";
import { noteExecution } from "../../runner/executions";
import { replayedInBinder } from "./binder-guide";
import { waitForLab } from "./wait-for-lab";

const browserPath = findBrowser();
const guides = GUIDES.filter((g) => existsSync(guideNotebook(g)));

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

/** Starts the lab, its kernels replaying `fixtures`, and resolves once it listens; rejects with its output if it exits first. */
async function startLab(port: number, token: string, root: string, fixtures: string): Promise<ChildProcess> {
  const lab = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "tools/lab/lab.ts"), `--ServerApp.root_dir=${root}`, "--no-browser", "--ip=127.0.0.1", `--port=${port}`, `--IdentityProvider.token=${token}`, "--LabApp.expose_app_in_browser=True"],
    { cwd: ROOT, env: { ...process.env, ...settingsEnv({ mode: "replay", fixturesDir: fixtures }) }, stdio: ["ignore", "pipe", "pipe"] },
  );
  await waitForLab(lab, port);
  return lab;
}

describe.skipIf(guides.length === 0)("guides in JupyterLab (npm run lab)", () => {
  let lab: ChildProcess | undefined;
  let browser: Browser;
  let base: string;
  let own: OwnAccountRuns;
  const token = randomBytes(16).toString("hex");

  const root = join(SCRATCH_DIR, "lab");

  beforeEach((context) => skipWithout(context, CHROMIUM));
  beforeAll(async () => {
    if (!CHROMIUM.present) return;
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    for (const g of guides) cpSync(guideNotebook(g), join(root, g.notebook));
    if (existsSync(join(NOTEBOOKS_DIR, "images"))) cpSync(join(NOTEBOOKS_DIR, "images"), join(root, "images"), { recursive: true });
    own = await ownAccountRuns();
    const port = await freePort();
    lab = await startLab(port, token, root, own.recording);
    base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
  }, 20 * 60 * 1000);

  afterAll(async () => {
    await browser?.close();
    lab?.kill("SIGTERM");
  });

  /**
   * A fresh page with the guide open in JupyterLab and `window.panelFor(path)` defined: every step
   * finds the guide's panel by its path, never by "the current widget".
   */
  async function openGuide(notebook: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Tests stay on loopback: anything JupyterLab might ask of another host is refused.
    await page.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    // ?reset: start from an empty workspace, so the other guide's tab is not restored beside this one.
    await page.goto(`${base}/lab/tree/${encodeURIComponent(notebook)}?reset&token=${token}`);
    await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 60_000 });
    await page.waitForFunction(() => typeof (window as unknown as { jupyterapp?: unknown }).jupyterapp === "object", undefined, { timeout: 30_000 });
    await page.evaluate(() => {
      type Panel = { id: string; context?: { path: string } };
      const w = window as unknown as { jupyterapp: { shell: { widgets(area: string): Iterable<Panel> } }; panelFor?: (file: string) => Panel | null };
      w.panelFor = (file: string) => Array.from(w.jupyterapp.shell.widgets("main")).find((p) => p.context?.path === file) ?? null;
    });
    return page;
  }

  it("starts on the registry's first guide", async () => {
    const res = await fetch(`${base}/?token=${token}`, { redirect: "manual" });
    expect(new URL(res.headers.get("location") ?? "", base).pathname).toBe(`/lab/tree/${encodeURIComponent(GUIDES[0].notebook)}`);
  });

  for (const guide of guides) {
    // One page per guide (a JupyterLab start-up of the guide and its kernel costs seconds): the
    // checks that must see the guide as committed come first, then the cells run.
    it(`${guide.notebook}: opens on the TypeScript kernel, diagrams load, open and save leave the file unchanged, contents links land, its first code cell runs, Run All shows no error and prints what the second account's recording run printed`, async () => {
      const file = join(root, guide.notebook);
      const before = readFileSync(file);
      const page = await openGuide(guide.notebook);
      type Lab = {
        jupyterapp: { commands: { execute(id: string, args?: object): Promise<unknown> }; shell: { activateById(id: string): void } };
        panelFor(f: string): {
          id: string;
          node: HTMLElement;
          context: { model: { dirty: boolean }; save(): Promise<void> };
          sessionContext: { session?: { kernel?: { name: string; status: string } } };
          content: { node: HTMLElement; activeCellIndex: number; widgets: { node: HTMLElement; model: { type: string; toJSON(): { outputs?: { output_type: string; name?: string; text?: string | string[] }[] } } }[]; scrollToItem(i: number, align?: string): Promise<void> };
        } | null;
      };
      const kernel = await page.waitForFunction(
        (f) => {
          const k = (window as unknown as Lab).panelFor(f)?.sessionContext.session?.kernel;
          return k && k.status === "idle" ? k.name : null;
        },
        guide.notebook,
        { timeout: 90_000 },
      );
      expect(await kernel.jsonValue()).toBe("tslab");

      // The kernel has connected and reported its language_info: nothing may have changed.
      await page.waitForTimeout(2_000);
      // JupyterLab asks, in a pop-up over the outputs, about "official Jupyter news" unless its
      // settings say not to (tools/lab/jupyter-config); by now it would be showing.
      const toasts = await page.locator(".Toastify__toast").allInnerTexts();
      expect(toasts.filter((t) => /Jupyter news/.test(t)), "the news pop-up covers the guide").toEqual([]);
      expect(await page.evaluate((f) => (window as unknown as Lab).panelFor(f)!.context.model.dirty, guide.notebook), "marked modified by merely opening it").toBe(false);
      await page.evaluate((f) => (window as unknown as Lab).panelFor(f)!.context.save(), guide.notebook);
      expect(readFileSync(file).equals(before), "saving the unedited guide changed the file").toBe(true);

      // Every diagram: bring its cell into view (JupyterLab renders lazily) and wait for the image.
      const images = await page.evaluate(async (f) => {
        const panel = (window as unknown as Lab).panelFor(f)!;
        const found: { src: string; ok: boolean }[] = [];
        for (let i = 0; i < panel.content.widgets.length; i++) {
          const cell = panel.content.widgets[i];
          if (cell.model.type !== "markdown" || !/!\[[^\]]*\]\(/.test(JSON.stringify(cell.model.toJSON()))) continue;
          await panel.content.scrollToItem(i, "center");
          const deadline = Date.now() + 15_000;
          let imgs: HTMLImageElement[] = [];
          while (Date.now() < deadline) {
            imgs = Array.from(cell.node.querySelectorAll<HTMLImageElement>(".jp-RenderedMarkdown img"));
            if (imgs.length > 0 && imgs.every((img) => img.complete && img.getAttribute("src"))) break;
            await new Promise((r) => setTimeout(r, 200));
          }
          if (imgs.length === 0) found.push({ src: `(cell ${i + 1}: no image rendered)`, ok: false });
          for (const img of imgs) found.push({ src: img.getAttribute("src")!.slice(0, 80), ok: img.complete && img.naturalWidth > 0 });
        }
        return found;
      }, guide.notebook);
      expect(images.length, "the guide has diagrams").toBeGreaterThan(0);
      expect(images.filter((i) => !i.ok)).toEqual([]);

      // Contents links: clicking each brings its heading (JupyterLab's data-jupyter-id) to the top of the notebook.
      const missed = await page.evaluate(async (f) => {
        const panel = (window as unknown as Lab).panelFor(f)!;
        const toc = panel.content.widgets.find((c) => c.model.type === "markdown" && c.node.querySelector("h2")?.textContent?.startsWith("Contents"));
        const links = Array.from(toc?.node.querySelectorAll<HTMLAnchorElement>(".jp-RenderedMarkdown a[href^='#']:not(.jp-InternalAnchorLink)") ?? []);
        const out: string[] = links.length > 5 ? [] : [`only ${links.length} contents links`];
        const scroller = panel.content.node;
        // JupyterLab keeps adjusting a scroll it was asked for while cells above settle their size;
        // wait for the position to rest so one link's scroll never overrides the next.
        const settle = async () => {
          let last = -1;
          for (let still = 0, deadline = Date.now() + 5_000; still < 3 && Date.now() < deadline; ) {
            await new Promise((r) => setTimeout(r, 100));
            still = scroller.scrollTop === last ? still + 1 : 0;
            last = scroller.scrollTop;
          }
        };
        for (const a of links) {
          const href = a.getAttribute("href")!;
          await settle();
          const from = scroller.scrollTop;
          a.click();
          // Scrolling settles over a few frames (more under load): poll for up to 5 s.
          let top: number | null = null;
          let landed = false;
          for (const deadline = Date.now() + 5_000; !landed && Date.now() < deadline; ) {
            await new Promise((r) => setTimeout(r, 150));
            const h = panel.content.node.querySelector(`[data-jupyter-id="${CSS.escape(decodeURIComponent(href.slice(1)))}"]`);
            top = h ? h.getBoundingClientRect().top - scroller.getBoundingClientRect().top : null;
            const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
            landed = top !== null && (Math.abs(top) <= 10 || (atEnd && top > 0 && top < scroller.clientHeight - 40));
          }
          if (!landed) out.push(`${href} (heading at ${String(top)} px; scrolled from ${from} to ${scroller.scrollTop} of ${scroller.scrollHeight} px)`);
          // Back to the contents, as a reader scrolls back up.
          await panel.content.scrollToItem(0, "start");
        }
        return out;
      }, guide.notebook);
      expect(missed).toEqual([]);

      // Clear the committed outputs, then Run All through JupyterLab's own commands (clicks and key
      // presses depend on scrolling and focus), so every output shown comes from this kernel. Binder's
      // guide, replayed whole in the Binder test, runs its first code cell only.
      const whole = !replayedInBinder(guide);
      const ran = await page.evaluate(async ([f, all]) => {
        const w = window as unknown as Lab;
        const panel = w.panelFor(f)!;
        w.jupyterapp.shell.activateById(panel.id);
        await w.jupyterapp.commands.execute("notebook:clear-all-cell-outputs");
        if (all) return w.jupyterapp.commands.execute("notebook:run-all-cells");
        panel.content.activeCellIndex = panel.content.widgets.findIndex((c) => c.model.type === "code");
        return w.jupyterapp.commands.execute("notebook:run-cell");
      }, [guide.notebook, whole] as const);
      if (whole) noteExecution(guide.notebook);
      // Every code cell's outputs, as the reader sees them after Run All.
      const outputs = await page.evaluate((f) => {
        const panel = (window as unknown as Lab).panelFor(f)!;
        return panel.content.widgets.filter((c) => c.model.type === "code").map((c) => c.model.toJSON().outputs ?? []);
      }, guide.notebook);
      // No cell may show an error or write to stderr.
      const problems = await page.evaluate((f) => {
        const panel = (window as unknown as Lab).panelFor(f)!;
        return panel.content.widgets.flatMap((c, i) =>
          (c.model.toJSON().outputs ?? []).filter((o) => o.output_type === "error" || o.name === "stderr").map((o) => `cell ${i + 1}: ${o.output_type} ${[o.text ?? ""].flat().join("").slice(0, 200)}`),
        );
      }, guide.notebook);
      // The first code cell's output is on the page, as the reader sees it: the connection line.
      const first = await page.evaluate(async (f) => {
        const panel = (window as unknown as Lab).panelFor(f)!;
        const i = panel.content.widgets.findIndex((c) => c.model.type === "code");
        await panel.content.scrollToItem(i, "start");
        return panel.content.widgets[i].node.querySelector(".jp-OutputArea-output")?.textContent ?? "(no output shown)";
      }, guide.notebook);
      await page.screenshot({ path: join(ROOT, "screenshots", `${guide.notebook.replace(/\.ipynb$/, "")}-jupyterlab-run-all.png`) });
      await page.close();
      expect(problems).toEqual([]);
      expect(ran, "Run All reported a failed cell").toBe(true);
      expect(first).toMatch(/^Mode: replay/);
      expect(first).not.toMatch(/Error|error TS|\d+:\d+ - /);
      if (!whole) return;
      const record = own.runs.get("second");
      const recorded = record?.notebooks.find((nb, i) => nb.endsWith(`/${guide.notebook}`) && record.results[i].ok);
      expect(recorded, "the second account's record run of this guide failed (see test/own-account.test.ts)").toBeDefined();
      const expected = cellOutputs(recorded as string).map((o) => normalise(asReplayed(own.second.account)(o)));
      expect(outputDifferences(`${guide.notebook} in JupyterLab, replaying the second account`, expected, outputs.map((o) => normalise(outputText(o)))).join("\n\n")).toBe("");
    }, 660_000);
  }
});

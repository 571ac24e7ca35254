/**
 * What readers see, checked in a real browser: each executed guide rendered by nbconvert with the
 * classic template (RequireJS on the page, as on nbviewer) and the lab template. Every chart must
 * draw, every diagram must load, and the page must raise no error. Screenshots go to screenshots/.
 *
 * The pages ask CDNs for plotly.js and RequireJS; the browser is offline here, so those requests
 * are answered from node_modules (the same versions), and anything else external is refused.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Route } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { guideNotebook, NOTEBOOKS_DIR, PROJECT_ROOT as ROOT, SCRATCH_DIR } from "../../paths";
import { GUIDES } from "../../../src/guides";
import { nbconvertHtml } from "../html";
import { localAsset } from "../assets";
import { CHROMIUM_ARGS, findBrowser } from "../../chromium";
import { plotlyOutputs, type NotebookLike } from "../../runner/chart-images";
import { PLOTLY_MIME } from "../../../src/display/plot";
import { CHROMIUM, skipWithout } from "../../../test/support/requirements";

const browserPath = findBrowser();
const executed = GUIDES.filter((g) => existsSync(guideNotebook(g)));
const outDir = join(SCRATCH_DIR, "html");
const shotDir = join(ROOT, "screenshots");

if (executed.length === 0) console.warn("browser tests skipped: no guides in notebooks/ yet");

const TEMPLATES = ["classic", "lab"] as const;

async function serveOffline(route: Route): Promise<void> {
  const url = route.request().url();
  if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
  const local = localAsset(url);
  if (local) return route.fulfill({ status: 200, contentType: "application/javascript", body: readFileSync(local, "utf8") });
  return route.abort();
}

/** Images in the markdown cells (the diagrams, files beside the notebook). */
function diagramCount(nb: { cells: { cell_type: string; source: string | string[] }[] }): number {
  return nb.cells.reduce((n, c) => n + (c.cell_type === "markdown" ? ([c.source].flat().join("").match(/!\[[^\]]*\]\([^)]+\)/g) ?? []).length : 0), 0);
}

/** What a drawn chart shows: plotly.js's SVG, with one trace group per trace of its figure. */
interface ChartState {
  svg: boolean;
  traces: number;
}

/** The state every chart of `nb` must reach, in the order the page shows them. */
function drawnCharts(nb: NotebookLike): ChartState[] {
  return plotlyOutputs(nb).map((o) => ({ svg: true, traces: (o.data![PLOTLY_MIME] as { data: unknown[] }).data.length }));
}

/** Each chart's state in the page now (`g.trace`: the group plotly.js draws each trace in). */
function chartStates(): ChartState[] {
  return Array.from(document.querySelectorAll(".plotly-graph-div")).map((div) => ({
    svg: div.querySelector(".main-svg") !== null,
    traces: div.querySelectorAll("g.trace").length,
  }));
}

describe.skipIf(executed.length === 0)("guides in a browser (nbconvert HTML)", () => {
  let browser: Browser;
  beforeEach((context) => skipWithout(context, CHROMIUM));
  beforeAll(async () => {
    if (!CHROMIUM.present) return;
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    mkdirSync(shotDir, { recursive: true });
    // Every guide in each template, one nbconvert call per template (the page without JavaScript
    // is the lab one). The diagrams are image files beside the notebooks, referenced by relative path.
    for (const template of TEMPLATES) {
      const dir = join(outDir, template);
      mkdirSync(dir, { recursive: true });
      nbconvertHtml(executed.map((g) => guideNotebook(g)), dir, template);
      if (existsSync(join(NOTEBOOKS_DIR, "images"))) cpSync(join(NOTEBOOKS_DIR, "images"), join(dir, "images"), { recursive: true });
    }
    browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const guide of executed) {
    for (const template of TEMPLATES) {
      it(`${guide.notebook} (${template} template): every chart draws, every diagram loads, no page errors`, async () => {
        const nbPath = guideNotebook(guide);
        const nb = JSON.parse(readFileSync(nbPath, "utf8")) as NotebookLike & { cells: { cell_type: string; source: string | string[] }[] };
        const name = `${guide.notebook.replace(/\.ipynb$/, "")}-${template}`;

        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.route("**/*", serveOffline);
        await page.goto(`file://${join(outDir, template, guide.notebook.replace(/\.ipynb$/, ".html"))}`, { waitUntil: "load" });

        // Every chart drawn: its SVG there with all its traces (plotly.js marks a div as a plot
        // when drawing starts, so that mark alone would pass a chart that never finished).
        const expected = drawnCharts(nb);
        let images: { src: string; ok: boolean }[];
        try {
          await expect.poll(() => page.evaluate(chartStates), { timeout: 30_000, interval: 250 }).toEqual(expected);
          images = await page.evaluate(() =>
            Array.from(document.images).map((img) => ({ src: img.src.slice(0, 40), ok: img.complete && img.naturalWidth > 0 })),
          );
        } finally {
          await page.screenshot({ path: join(shotDir, `${name}.png`), fullPage: true });
          await page.close();
        }

        expect(errors).toEqual([]);
        expect(images.filter((i) => !i.ok)).toEqual([]);
        expect(images.length).toBeGreaterThanOrEqual(diagramCount(nb));
      }, 120_000);
    }

    it(`${guide.notebook} without JavaScript (as GitHub shows it): every chart shows its static image`, async () => {
      const nbPath = guideNotebook(guide);
      const nb = JSON.parse(readFileSync(nbPath, "utf8")) as NotebookLike;
      const name = `${guide.notebook.replace(/\.ipynb$/, "")}-noscript`;
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      await page.route("**/*", serveOffline);
      await page.goto(`file://${join(outDir, "lab", guide.notebook.replace(/\.ipynb$/, ".html"))}`, { waitUntil: "load" });
      const charts = await page.evaluate(() =>
        Array.from(document.querySelectorAll(".plotly-graph-div")).map((div) => {
          const img = div.querySelector("img.static-chart") as HTMLImageElement | null;
          return { id: div.id, loaded: Boolean(img && img.complete && img.naturalWidth > 0) };
        }),
      );
      await page.screenshot({ path: join(shotDir, `${name}.png`), fullPage: true });
      await context.close();
      expect(charts).toHaveLength(plotlyOutputs(nb).length);
      expect(charts.filter((c) => !c.loaded)).toEqual([]);
    }, 120_000);
  }
});

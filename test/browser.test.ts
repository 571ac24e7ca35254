/**
 * What readers see, checked in a real browser: each executed guide rendered by nbconvert with the
 * classic template (RequireJS on the page, as on nbviewer) and the lab template. Every chart must
 * draw, every diagram must load, and the page must raise no error. Screenshots go to screenshots/.
 *
 * The pages ask CDNs for plotly.js and RequireJS; the browser is offline here, so those requests
 * are answered from node_modules (the same versions), and anything else external is refused.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUIDES, ROOT } from "../scripts/guides";
import { CHROMIUM_ARGS, findBrowser, plotlyOutputs, type NotebookLike } from "../scripts/static-images";

const browserPath = findBrowser();
const executed = GUIDES.filter((g) => existsSync(join(ROOT, "notebooks", g.file)));
const outDir = join(ROOT, "test", ".tmp", "html");
const shotDir = join(ROOT, "screenshots");

if (!browserPath) console.warn("browser tests skipped: no Chromium (install Debian's chromium or set CHROMIUM_PATH)");
if (executed.length === 0) console.warn("browser tests skipped: no guides in notebooks/ yet");

/** Local copies of what the pages load from CDNs, by URL pattern. */
const LOCAL_ASSETS: [RegExp, string][] = [
  [/plotly[^/]*\.js(\?.*)?$/, join(ROOT, "node_modules/plotly.js-dist/plotly.js")],
  [/require(\.min)?\.js(\?.*)?$/, join(ROOT, "node_modules/requirejs/require.js")],
];

async function serveOffline(route: Route): Promise<void> {
  const url = route.request().url();
  if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
  const local = LOCAL_ASSETS.find(([pattern]) => pattern.test(url));
  if (local) return route.fulfill({ status: 200, contentType: "application/javascript", body: readFileSync(local[1], "utf8") });
  return route.abort();
}

/** Attachments, plus image files the markdown references by relative path (embedded by nbconvert's embed_images). */
function diagramCount(nb: { cells: { cell_type: string; source?: string | string[]; attachments?: Record<string, unknown> }[] }): number {
  const files = (c: { source?: string | string[] }) => ([c.source ?? ""].flat().join("").match(/!\[[^\]]*\]\(images\/[^)]+\)/g) ?? []).length;
  return nb.cells.reduce((n, c) => n + (c.cell_type === "markdown" ? Object.keys(c.attachments ?? {}).length + files(c) : 0), 0);
}

describe.skipIf(!browserPath || executed.length === 0)("guides in a browser (nbconvert HTML)", () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    mkdirSync(shotDir, { recursive: true });
    browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const guide of executed) {
    for (const template of ["classic", "lab"] as const) {
      it(`${guide.file} (${template} template): every chart draws, every diagram loads, no page errors`, async () => {
        const nbPath = join(ROOT, "notebooks", guide.file);
        const nb = JSON.parse(readFileSync(nbPath, "utf8")) as NotebookLike & { cells: { cell_type: string; attachments?: Record<string, unknown> }[] };
        const name = `${guide.file.replace(/\.ipynb$/, "")}-${template}`;
        execFileSync(join(ROOT, ".venv/bin/jupyter"), ["nbconvert", "--to", "html", "--template", template, "--HTMLExporter.embed_images=True", "--output-dir", outDir, "--output", name, nbPath], {
          stdio: ["ignore", "ignore", "pipe"],
        });

        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.route("**/*", serveOffline);
        await page.goto(`file://${join(outDir, `${name}.html`)}`, { waitUntil: "load" });

        const figures = plotlyOutputs(nb).length;
        await page.waitForFunction((n) => document.querySelectorAll(".js-plotly-plot .main-svg").length >= n, figures, { timeout: 30_000 }).catch(() => undefined);
        const drawn = await page.evaluate(() => document.querySelectorAll(".js-plotly-plot").length);
        const images = await page.evaluate(() =>
          Array.from(document.images).map((img) => ({ src: img.src.slice(0, 40), ok: img.complete && img.naturalWidth > 0 })),
        );
        await page.screenshot({ path: join(shotDir, `${name}.png`), fullPage: true });
        await page.close();

        expect(errors).toEqual([]);
        expect(drawn).toBe(figures);
        expect(images.filter((i) => !i.ok)).toEqual([]);
        expect(images.length).toBeGreaterThanOrEqual(diagramCount(nb));
      }, 120_000);
    }

    it(`${guide.file} without JavaScript (as GitHub shows it): every chart shows its static image`, async () => {
      const nbPath = join(ROOT, "notebooks", guide.file);
      const nb = JSON.parse(readFileSync(nbPath, "utf8")) as NotebookLike;
      const name = `${guide.file.replace(/\.ipynb$/, "")}-noscript`;
      execFileSync(join(ROOT, ".venv/bin/jupyter"), ["nbconvert", "--to", "html", "--template", "lab", "--HTMLExporter.embed_images=True", "--output-dir", outDir, "--output", name, nbPath], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      await page.route("**/*", serveOffline);
      await page.goto(`file://${join(outDir, `${name}.html`)}`, { waitUntil: "load" });
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

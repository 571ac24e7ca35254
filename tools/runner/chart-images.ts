/**
 * Static SVG images for plotly chart outputs, made with a headless browser when a guide is executed.
 *
 * GitHub's notebook view strips scripts, so an interactive chart shows there only if its output also
 * carries an image. Each `application/vnd.plotly.v1+json` output gets an `image/svg+xml` rendering
 * of the same figure, drawn by plotly.js itself in Chromium (jsdom cannot measure text, so labels
 * come out wrong there). The SVG is canonicalised (fixed ids, sorted attributes) so that two runs
 * give byte-identical notebooks.
 *
 * The runner's executor (tools/runner/executor/images.py) calls this file as a command, with the
 * size from its job (STATIC_IMAGE_SIZE of the chart helper); the browser is the one tools/chromium.ts
 * finds. Without one, the runner keeps the committed images of
 * unchanged charts and says so.
 */
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { PLOTLY_MIME } from "../../src/display/plot";
import { CHROMIUM_ARGS } from "../chromium";

interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
}

/** Width and height to draw a figure at when its layout does not say. */
export interface ImageSize {
  width: number;
  height: number;
}

type MimeBundle = Record<string, unknown>;
interface NotebookOutput {
  output_type: string;
  data?: MimeBundle;
}
export interface NotebookLike {
  cells: { cell_type: string; outputs?: NotebookOutput[] }[];
}

/** Every plotly output of a notebook, in order. */
export function plotlyOutputs(nb: NotebookLike): NotebookOutput[] {
  return nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.data && PLOTLY_MIME in o.data));
}

/** Draws figures to canonical SVG strings in one browser session. */
export async function renderSvgs(figures: PlotlyFigure[], browserPath: string, size: ImageSize): Promise<string[]> {
  const { chromium } = await import("playwright-core");
  const plotlyPath = join(require.resolve("plotly.js-dist/package.json"), "..", "plotly.js");
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: browserPath, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ path: plotlyPath });
    const svgs: string[] = [];
    for (const fig of figures) {
      svgs.push(await page.evaluate(drawCanonicalSvg, { fig, size }));
    }
    return svgs;
  } finally {
    await browser?.close();
  }
}

/**
 * Runs in the page: plotly's own SVG export, then canonical form. Trace uids are fixed before
 * drawing; the graph's random uid is renamed; attributes are sorted because plotly writes them in
 * a different order on a first and a later draw.
 */
async function drawCanonicalSvg({ fig, size }: { fig: PlotlyFigure; size: ImageSize }): Promise<string> {
  type PlotlyLike = { toImage(fig: unknown, opts: unknown): Promise<string> };
  const Plotly = (window as unknown as { Plotly: PlotlyLike }).Plotly;
  const layout = (fig.layout ?? {}) as { width?: number; height?: number };
  const data = fig.data.map((t, i) => ({ ...t, uid: `t${i}` }));
  const url = await Plotly.toImage({ data, layout: fig.layout ?? {} }, { format: "svg", width: layout.width ?? size.width, height: layout.height ?? size.height });
  let svg = decodeURIComponent(url.replace(/^data:image\/svg\+xml,/, ""));
  const uid = /id="defs-([0-9a-f]+)"/.exec(svg)?.[1];
  if (uid) svg = svg.split(uid).join("fig");
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  for (const el of Array.from(doc.querySelectorAll("*"))) {
    const attrs = Array.from(el.attributes)
      .map((a) => [a.name, a.value] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name] of attrs) el.removeAttribute(name);
    for (const [name, value] of attrs) el.setAttribute(name, value);
  }
  return new XMLSerializer().serializeToString(doc.documentElement);
}

/**
 * The runner's entry: `tsx tools/runner/chart-images.ts BROWSER` reads `{"size": {width, height},
 * "figures": [...]}` as JSON on stdin and writes the JSON array of their SVG images to stdout.
 */
async function main(): Promise<void> {
  const browser = process.argv[2];
  if (!browser) throw new Error("usage: tsx tools/runner/chart-images.ts BROWSER_PATH < figures.json");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { size, figures } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { size: ImageSize; figures: PlotlyFigure[] };
  process.stdout.write(JSON.stringify(await renderSvgs(figures, browser, size)));
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`static images: ${err.message}`);
    process.exitCode = 1;
  });
}

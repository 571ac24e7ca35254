/**
 * Plotly charts as ONE display output that every viewer can use:
 * - `application/vnd.plotly.v1+json`: VS Code renders it natively, JupyterLab with plotly's mime
 *   renderer;
 * - `text/html`: a div plus a loader script that draws the interactive chart on nbviewer (RequireJS
 *   on the page), in nbconvert's HTML and in JupyterLab (outputs inserted dynamically);
 * - `text/plain`: "Figure: <title> (N traces)" for plain-text viewers;
 * - a static image, added when the guide is executed (drawing one needs a browser, see
 *   tools/runner/chart-images.ts): the runner puts it in the bundle as `image/svg+xml` AND into the
 *   chart's div in place of `STATIC_IMAGE_SLOT`, so a viewer that renders the HTML without running
 *   scripts (GitHub) shows the image, and one that runs them replaces it with the live chart.
 *
 * The output is deterministic: the div id is a hash of the figure, so re-running a guide gives a
 * byte-identical notebook.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Config, Data, Layout } from "plotly.js-dist";
import type { JsonValue } from "./json";
import { displayBundle, type MimeBundle } from "./mime";

/** A plotly figure, as `Plotly.newPlot` takes it. */
export interface Figure {
  data: Data[];
  layout?: Partial<Layout>;
  config?: Partial<Config>;
}

/** Options for `plot`/`figureBundle`. */
export interface PlotOptions {
  /** Script URL of plotly.js (default: `plotlyCdnUrl(plotlyBundleFor(figure))`). */
  plotlyUrl?: string;
}

/** The official plotly.js bundles a page can load: "basic" (about 1.2 MB) or "full" (about 4.7 MB). */
export type PlotlyBundle = "basic" | "full";

/**
 * Trace types the basic bundle (`plotly.js-basic-dist-min`) draws. A browser test compares this
 * list with what the installed bundle registers (test/browser.test.ts).
 */
export const BASIC_TRACE_TYPES: readonly string[] = ["bar", "pie", "scatter"];

/** Where each bundle is installed and served: npm package, the file in it, the package that pins the version. */
const BUNDLES: Record<PlotlyBundle, { cdnPackage: string; file: string; versionFrom: string }> = {
  basic: { cdnPackage: "plotly.js-basic-dist-min", file: "plotly-basic.min.js", versionFrom: "plotly.js-basic-dist-min" },
  // plotly.js-dist is the package installed for its types; jsDelivr serves its minified twin.
  full: { cdnPackage: "plotly.js-dist-min", file: "plotly.min.js", versionFrom: "plotly.js-dist" },
};

/** Mime type of plotly's JSON output. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/**
 * Where the runner puts the chart's static image inside the HTML. The runner hands this and
 * `PLOTLY_MIME` to its Python executor in each job (tools/runner/executor-process.ts), so they are
 * written only here.
 */
export const STATIC_IMAGE_SLOT = "<!--static-image-->";

/** Size, in CSS pixels, of the static image of a chart whose layout sets no width or height. */
export const STATIC_IMAGE_SIZE = { width: 760, height: 420 } as const;

/**
 * Displays a chart.
 *
 * @example
 * plot({ data: [{ type: "bar", x: ["Fri", "Sat"], y: [41, 37], name: "first-time" }], layout: { title: { text: "Orders per day" } } });
 */
export function plot(figure: Figure, opts: PlotOptions = {}): void {
  displayBundle(figureBundle(figure, opts));
}

/**
 * The mime bundle `plot` displays; pure and deterministic (same figure ⇒ same bytes).
 *
 * @example
 * Object.keys(figureBundle(fig)) // ["application/vnd.plotly.v1+json", "text/html", "text/plain"]
 */
export function figureBundle(figure: Figure, opts: PlotOptions = {}): MimeBundle {
  const plain = { data: figure.data, layout: figure.layout ?? {}, config: figure.config ?? {} };
  const json = JSON.stringify(plain);
  const id = `plotly-${createHash("sha256").update(json).digest("hex").slice(0, 16)}`;
  const bundle: MimeBundle = {
    [PLOTLY_MIME]: JSON.parse(json) as JsonValue, // a plain-JSON copy: no class instances, no undefined
    "text/html": loaderHtml(id, json, traceTypes(figure), opts.plotlyUrl ?? plotlyCdnUrl(plotlyBundleFor(figure))),
    "text/plain": `Figure: ${figureTitle(figure) ?? "untitled"} (${figure.data.length} trace${figure.data.length === 1 ? "" : "s"})`,
  };
  return bundle;
}

/** The trace types a figure uses, sorted, once each (a trace without `type` is a scatter). */
function traceTypes(figure: Figure): string[] {
  return [...new Set(figure.data.map((trace) => ("type" in trace && typeof trace.type === "string" ? trace.type : "scatter")))].sort();
}

/**
 * The smallest official bundle that draws every trace of the figure.
 *
 * @example
 * plotlyBundleFor({ data: [{ type: "bar", x: ["a"], y: [1] }] }) // "basic"
 * plotlyBundleFor({ data: [{ type: "heatmap", z: [[1]] }] })     // "full"
 */
export function plotlyBundleFor(figure: Figure): PlotlyBundle {
  return traceTypes(figure).every((t) => BASIC_TRACE_TYPES.includes(t)) ? "basic" : "full";
}

/**
 * jsDelivr URL of a plotly.js bundle, pinned to the installed package's version (read at runtime,
 * so the chart in the page and the types the guide compiled against are the same version).
 * jsDelivr serves npm's own packages, so every published version is there; cdn.plot.ly has missed
 * uploads of some releases (plotly.js issue 7899).
 *
 * @example
 * plotlyCdnUrl("basic") // "https://cdn.jsdelivr.net/npm/plotly.js-basic-dist-min@4.1.1/plotly-basic.min.js"
 * plotlyCdnUrl()        // "https://cdn.jsdelivr.net/npm/plotly.js-dist-min@4.1.1/plotly.min.js"
 */
export function plotlyCdnUrl(bundle: PlotlyBundle = "full"): string {
  const { cdnPackage, file, versionFrom } = BUNDLES[bundle];
  const pkg: unknown = JSON.parse(readFileSync(require.resolve(`${versionFrom}/package.json`), "utf8"));
  const version = typeof pkg === "object" && pkg !== null && "version" in pkg ? pkg.version : undefined;
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`${versionFrom}/package.json has no plain version (${String(version)}); reinstall with npm ci.`);
  }
  return `https://cdn.jsdelivr.net/npm/${cdnPackage}@${version}/${file}`;
}

function figureTitle(figure: Figure): string | undefined {
  const title: unknown = figure.layout?.title;
  if (typeof title === "string") return title;
  if (typeof title === "object" && title !== null && "text" in title && typeof title.text === "string") return title.text;
  return undefined;
}

/**
 * The div and its loader. Strategy (measured in Chromium across page/loader combinations, see
 * NOTES.md): use `window.Plotly` when a previous chart loaded a bundle that has this figure's trace
 * types; else, when RequireJS is on the page (nbviewer, nbconvert), load through it with a shim
 * exporting `Plotly` (plotly.js 4 never calls `define`, so a bare `require` would yield undefined;
 * plotly.js ≤ 2 would break RequireJS with a plain `<script>`); else inject ONE shared `<script>`
 * per bundle and page and draw when it has loaded (in dynamically inserted outputs an inline
 * `newPlot` would run before it). The script finds its div as its previous sibling when it can, so
 * the same figure shown twice (same id) still draws twice. The div starts with the static image
 * (once the runner has put it in the slot); drawing replaces it. A chart that cannot be drawn
 * (offline, a blocked CDN) keeps the image with one plain sentence under it; the technical reason
 * goes to the browser console, not to the reader.
 */
function loaderHtml(id: string, figureJson: string, traces: string[], url: string): string {
  // "</" would end the script element early; "\u2028/9" break old JS parsers.
  const safeJson = figureJson.replace(/<\//g, "<\\/").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  const amdPath = url.replace(/\.js$/, "");
  const amdName = traces.every((t) => BASIC_TRACE_TYPES.includes(t)) ? "klaviyo-guides-plotly-basic" : "klaviyo-guides-plotly";
  return `<div id="${id}" class="plotly-graph-div">${STATIC_IMAGE_SLOT}</div>
<script type="text/javascript">
(function () {
  var id = ${JSON.stringify(id)};
  var url = ${JSON.stringify(url)};
  var traces = ${JSON.stringify(traces)};
  var fig = ${safeJson};
  var me = document.currentScript;
  var gd = me && me.previousElementSibling && me.previousElementSibling.id === id ? me.previousElementSibling : document.getElementById(id);
  function fail(err) {
    if (typeof console !== "undefined") console.warn("chart " + id + ": plotly.js from " + url + " did not draw it:", err);
    if (!gd || gd.querySelector(".chart-note")) return;
    var note = document.createElement("p");
    note.className = "chart-note";
    note.textContent = gd.querySelector("img") ? ${JSON.stringify(FALLBACK_WITH_IMAGE)} : ${JSON.stringify(FALLBACK_WITHOUT_IMAGE)};
    gd.appendChild(note);
  }
  function supports(P) {
    try {
      var known = P.PlotSchema.get().traces;
      return traces.every(function (t) { return Object.prototype.hasOwnProperty.call(known, t); });
    } catch (e) {
      return false;
    }
  }
  function draw(Plotly) {
    if (!Plotly || !gd) return fail(new Error("Plotly unavailable"));
    while (gd.firstChild) gd.removeChild(gd.firstChild);
    Plotly.newPlot(gd, fig.data, fig.layout, fig.config).catch(fail);
  }
  if (window.Plotly && supports(window.Plotly)) return draw(window.Plotly);
  if (typeof window.requirejs === "function" && typeof window.define === "function" && window.define.amd) {
    window.requirejs.config({ paths: { ${JSON.stringify(amdName)}: ${JSON.stringify(amdPath)} }, shim: { ${JSON.stringify(amdName)}: { exports: "Plotly" } } });
    window.requirejs([${JSON.stringify(amdName)}], function (P) { draw(P || window.Plotly); }, fail);
    return;
  }
  var all = window.__klaviyoGuidesPlotly = window.__klaviyoGuidesPlotly || {};
  var loading = all[url];
  if (!loading) {
    loading = all[url] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = url;
      s.charset = "utf-8";
      s.onload = function () { resolve(window.Plotly); };
      s.onerror = function () { delete all[url]; reject(new Error("could not load " + url)); };
      document.head.appendChild(s);
    });
  }
  loading.then(draw, fail);
})();
</script>`;
}

/** What a reader sees under the static image when the interactive chart cannot be drawn. */
export const FALLBACK_WITH_IMAGE = "This is a still image of the chart: the interactive version could not be loaded.";
/** What a reader sees when there is neither an interactive chart nor a static image. */
export const FALLBACK_WITHOUT_IMAGE = "This chart could not be drawn here: the charting library could not be loaded.";

/**
 * The static site from `npm run html`, as a reader on a static host gets it: every guide, the README
 * and an index rendered, built in a staging folder and swapped in whole; every internal link
 * and image resolves to a file in site/ (and a fragment to an id on that page), long code lines
 * scroll sideways, contents links land on their heading, charts load the small plotly.js bundle,
 * and when plotly.js cannot load the reader sees the still image and one plain sentence.
 * Chromium offline: CDN scripts are answered from node_modules, anything else external refused.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Route } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { guideNotebook, SCRATCH_DIR } from "../../paths";
import { GUIDES } from "../../../src/guides";
import { buildSite } from "../html";
import { localAsset } from "../assets";
import { CHROMIUM_ARGS, findBrowser } from "../../chromium";
import { CHROMIUM, skipWithout } from "../../../test/support/requirements";
import { BASIC_TRACE_TYPES, FALLBACK_WITH_IMAGE } from "../../../src/display/plot";
import { escapeHtml } from "../../../src/display/table";
import { loadNotebook } from "../../notebook";

const browserPath = findBrowser();
const present = GUIDES.every((g) => existsSync(guideNotebook(g)));
const site = join(SCRATCH_DIR, "site");
const pageOf = (file: string) => file.replace(/\.ipynb$/, ".html");

/** Every id on a page, percent-decoded (a browser decodes a fragment before it looks for the id). */
function idsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => decodeURIComponent(m[1].replace(/&amp;/g, "&"))));
}

describe.skipIf(!present)("site/ (npm run html)", () => {
  let pages: string[] = [];
  /** What buildSite says it wrote. One build serves every test below. */
  let files: string[] = [];
  beforeAll(() => {
    files = buildSite({ outDir: site });
    pages = readdirSync(site).filter((f) => f.endsWith(".html"));
  }, 180_000);

  it("renders every guide with nbconvert and an index linking them, replacing the folder whole", () => {
    const written = files.map((f) => f.slice(site.length + 1)).filter((f) => f.endsWith(".html"));
    expect(written.sort()).toEqual([...GUIDES.map((g) => g.notebook.replace(/\.ipynb$/, ".html")), "index.html", "readme.html"].sort());
    const index = readFileSync(join(site, "index.html"), "utf8");
    for (const g of GUIDES) {
      const title = g.title;
      const page = readFileSync(join(site, g.notebook.replace(/\.ipynb$/, ".html")), "utf8");
      const nb = loadNotebook(guideNotebook(g));
      expect(page).toMatch(new RegExp(`<h1[^>]*>${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      // Each chart's interactive output and each diagram (an image file copied beside the page) made it into the page.
      const charts = nb.code.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined).length;
      const diagrams = nb.markdown.flatMap((md) => [...md.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]));
      expect(page.match(/class="plotly-graph-div"/g) ?? []).toHaveLength(charts);
      for (const src of diagrams) {
        expect(page).toContain(`src="${src}"`);
        expect(existsSync(join(site, src)), `${src} copied into the site`).toBe(true);
      }
      // Each chart's static image (shown until plotly.js draws the live chart).
      expect(page.match(/src="data:image\/svg\+xml;base64/g) ?? []).toHaveLength(charts);
      expect(page.match(/<img[^>]*class="static-chart"/g) ?? []).toHaveLength(charts);
      // The tab shows the guide's title, not its file name.
      expect(page).toContain(`<title>${escapeHtml(title)}</title>`);
      expect(index).toContain(`href="${g.notebook.replace(/\.ipynb$/, ".html")}"`);
      expect(index).toContain(`>${escapeHtml(title)}<`);
    }
    // Nothing of the build is left beside the site (the staging folder, the README page's source).
    expect(existsSync(`${site}.tmp`)).toBe(false);
    expect(existsSync(`${site}.tmp.readme`)).toBe(false);
  });

  it("every internal link and image resolves to a file in site/, and every fragment to an id there", () => {
    const problems: string[] = [];
    for (const page of pages) {
      const html = readFileSync(join(site, page), "utf8");
      for (const m of html.matchAll(/<(?:a|img|script|link)\b[^>]*?\s(?:href|src)="([^"]*)"/g)) {
        const target = m[1].replace(/&amp;/g, "&");
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue;
        const [path, fragment] = target.split("#", 2);
        const file = path === "" ? page : decodeURIComponent(path);
        if (file.startsWith("..") || !existsSync(join(site, file))) {
          problems.push(`${page}: ${target} is not a file in site/`);
          continue;
        }
        if (fragment && file.endsWith(".html") && !idsOf(readFileSync(join(site, file), "utf8")).has(decodeURIComponent(fragment))) {
          problems.push(`${page}: ${target} names no id on ${file}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  describe("in Chromium", () => {
    let browser: Browser;
    const requested: string[] = [];
    async function offline(route: Route, blockPlotly = false): Promise<void> {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      requested.push(url);
      const local = localAsset(url);
      if (local && !(blockPlotly && /plotly/.test(url))) return route.fulfill({ status: 200, contentType: "application/javascript", body: readFileSync(local, "utf8") });
      return route.abort();
    }
    beforeEach((context) => skipWithout(context, CHROMIUM));
    beforeAll(async () => {
      if (CHROMIUM.present) browser = await chromium.launch({ executablePath: browserPath!, args: CHROMIUM_ARGS });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("long code lines scroll sideways at 1280 px instead of being cut off", async () => {
      let wide = 0;
      for (const g of GUIDES) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.route("**/*", (r) => offline(r));
        await page.goto(`file://${join(site, pageOf(g.notebook))}`);
        const cells = await page.evaluate(() =>
          Array.from(document.querySelectorAll<HTMLElement>(".jp-InputArea-editor pre"))
            .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
            .map((pre) => {
              pre.scrollLeft = 40;
              const editor = pre.closest(".jp-InputArea-editor")!.getBoundingClientRect();
              return { scrolled: pre.scrollLeft > 0, inside: pre.getBoundingClientRect().right <= editor.right + 1 };
            }),
        );
        await page.close();
        wide += cells.length;
        expect(cells.filter((c) => !c.scrolled || !c.inside), g.notebook).toEqual([]);
      }
      expect(wide, "no guide has a code line wider than its cell at 1280 px: the test proves nothing").toBeGreaterThan(0);
    }, 120_000);

    it("each contents link lands on its heading", async () => {
      for (const g of GUIDES) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.route("**/*", (r) => offline(r));
        await page.goto(`file://${join(site, pageOf(g.notebook))}`);
        const hrefs = await page.evaluate(() => {
          const toc = Array.from(document.querySelectorAll("h2")).find((h) => h.textContent?.startsWith("Contents"));
          const list = toc?.parentElement?.querySelectorAll<HTMLAnchorElement>("a[href^='#']:not(.anchor-link)") ?? [];
          return Array.from(list).map((a) => a.getAttribute("href")!);
        });
        expect(hrefs.length, `${g.notebook} has a contents list`).toBeGreaterThan(5);
        const missed: string[] = [];
        for (const href of hrefs) {
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.click(`a[href="${href.replace(/"/g, '\\"')}"]:not(.anchor-link)`);
          // At the top of the window, or, for the last headings, visible with the page scrolled to its end.
          const top = await page.evaluate((id) => {
            const h = document.getElementById(decodeURIComponent(id));
            if (!h || !/^H[1-6]$/.test(h.tagName)) return null;
            const y = h.getBoundingClientRect().top;
            const atEnd = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
            return Math.abs(y) <= 5 || (atEnd && y > 0 && y < window.innerHeight - 40) ? 0 : y;
          }, href.slice(1));
          if (top !== 0) missed.push(`${href} (heading top at ${String(top)} px)`);
        }
        await page.close();
        expect(missed, g.notebook).toEqual([]);
      }
    }, 180_000);

    it("charts draw with the basic plotly.js bundle, which has exactly the trace types plot.ts counts on", async () => {
      for (const g of GUIDES) {
        requested.length = 0;
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.route("**/*", (r) => offline(r));
        await page.goto(`file://${join(site, pageOf(g.notebook))}`, { waitUntil: "load" });
        const charts = await page.evaluate(() => document.querySelectorAll(".plotly-graph-div").length);
        if (charts === 0) {
          await page.close();
          continue;
        }
        await page.waitForFunction((n) => document.querySelectorAll(".js-plotly-plot .main-svg").length >= n, charts, { timeout: 60_000 });
        const traces = await page.evaluate(() => Object.keys((window as unknown as { Plotly: { PlotSchema: { get(): { traces: object } } } }).Plotly.PlotSchema.get().traces).sort());
        await page.close();
        expect(requested.filter((u) => /plotly/.test(u))).toEqual([expect.stringContaining("plotly.js-basic-dist-min@")]);
        expect(traces).toEqual([...BASIC_TRACE_TYPES]);
      }
    }, 180_000);

    it("when plotly.js cannot load, each chart keeps its still image with one plain sentence, no technical error", async () => {
      let charts = 0;
      for (const g of GUIDES) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.route("**/*", (r) => offline(r, true));
        await page.goto(`file://${join(site, pageOf(g.notebook))}`, { waitUntil: "load" });
        const n = await page.evaluate(() => document.querySelectorAll(".plotly-graph-div").length);
        if (n > 0) await page.waitForFunction((k) => document.querySelectorAll(".plotly-graph-div .chart-note").length >= k, n, { timeout: 60_000 });
        const shown = await page.evaluate(() =>
          Array.from(document.querySelectorAll(".plotly-graph-div")).map((div) => ({
            image: Boolean((div.querySelector("img.static-chart") as HTMLImageElement | null)?.naturalWidth),
            text: (div as HTMLElement).innerText.trim(),
          })),
        );
        await page.close();
        charts += shown.length;
        expect(shown, g.notebook).toEqual(shown.map(() => ({ image: true, text: FALLBACK_WITH_IMAGE })));
      }
      expect(charts).toBeGreaterThan(0);
    }, 180_000);
  });
});

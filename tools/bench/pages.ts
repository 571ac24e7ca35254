// Benchmark: the bytes of script each guide's page in site/ makes a reader download. Builds the
// site into a temporary folder, opens each guide page in headless Chromium with every CDN script
// answered from node_modules (the same files), and adds up the external scripts the page asked for
// and its inline scripts (the charts' figures and loaders). Goal: at most 1.3 MB per page.
// Prints a table; asserts nothing.
//
//   tsx tools/bench/pages.ts
//
// RequireJS comes from node_modules unminified; the CDN's require.min.js is smaller, so the
// figures here are an upper bound. Requests for anything else (fonts, MathJax) are refused and
// listed, since they cannot be measured offline.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { GUIDES } from "../../src/guides";
import { buildSite } from "../site/html";
import { localAsset } from "../site/assets";
import { CHROMIUM_ARGS, findBrowser } from "../chromium";

const GOAL_BYTES = 1_300_000;

export interface PageScripts {
  page: string;
  /** External scripts the page loaded: URL and bytes. */
  external: { url: string; bytes: number }[];
  /** Bytes of inline <script> elements. */
  inline: number;
  /** Requests that could not be answered offline (not counted). */
  refused: string[];
  total: number;
}

/** Opens each guide page of a freshly built site and measures its scripts. */
export async function measurePages(): Promise<PageScripts[]> {
  const browserPath = findBrowser();
  if (!browserPath) throw new Error("bench-pages needs Chromium: install Debian's chromium or set CHROMIUM_PATH");
  const dir = mkdtempSync(join(tmpdir(), "bench-pages-"));
  const site = join(dir, "site");
  const browser = await chromium.launch({ executablePath: browserPath, args: CHROMIUM_ARGS });
  try {
    buildSite({ outDir: site });
    const results: PageScripts[] = [];
    for (const g of GUIDES) {
      const name = g.notebook.replace(/\.ipynb$/, ".html");
      const external: { url: string; bytes: number }[] = [];
      const refused: string[] = [];
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
        const local = localAsset(url);
        if (!local) {
          refused.push(url);
          return route.abort();
        }
        external.push({ url, bytes: statSync(local).size });
        return route.fulfill({ status: 200, contentType: "application/javascript", body: readFileSync(local, "utf8") });
      });
      await page.goto(`file://${join(site, name)}`, { waitUntil: "load" });
      const charts = await page.evaluate(() => document.querySelectorAll(".plotly-graph-div").length);
      if (charts > 0) await page.waitForFunction((n) => document.querySelectorAll(".js-plotly-plot .main-svg").length >= n, charts, { timeout: 60_000 });
      const inline = await page.evaluate(() =>
        Array.from(document.querySelectorAll("script:not([src])")).reduce((n, s) => n + new TextEncoder().encode(s.textContent ?? "").length, 0),
      );
      await page.close();
      results.push({ page: name, external, inline, refused, total: inline + external.reduce((n, e) => n + e.bytes, 0) });
    }
    return results;
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

if (require.main === module) {
  measurePages()
    .then((results) => {
      console.log(`Script each guide page loads (goal ≤ ${mb(GOAL_BYTES)}):`);
      for (const r of results) {
        console.log(`  ${r.page.padEnd(45)} ${mb(r.total).padStart(9)}  ${r.total <= GOAL_BYTES ? "ok" : "OVER GOAL"}`);
        for (const e of r.external) console.log(`      ${mb(e.bytes).padStart(9)}  ${e.url}`);
        console.log(`      ${mb(r.inline).padStart(9)}  inline scripts`);
        for (const u of r.refused) console.log(`      (not measured, refused offline) ${u}`);
      }
    })
    .catch((err: unknown) => {
      console.error(`bench-pages: ${(err as Error).message}`);
      process.exit(1);
    });
}

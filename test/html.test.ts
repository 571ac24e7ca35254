import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT as ROOT } from "../scripts/runner/project";
import { GUIDES } from "../src/guides";
import { buildSite } from "../scripts/html";
import { escapeHtml } from "../src/display/table";
import { loadNotebook } from "./support/notebook";

const present = GUIDES.every((g) => existsSync(join(ROOT, "notebooks", g.notebook)));

describe.skipIf(!present)("npm run html (static mirror)", () => {
  it("renders every guide with nbconvert and an index linking them, replacing the folder whole", () => {
    const outDir = join(mkdtempSync(join(tmpdir(), "site-")), "site");
    const files = buildSite({ outDir });
    const pages = files.map((f) => f.slice(outDir.length + 1)).filter((f) => f.endsWith(".html"));
    expect(pages.sort()).toEqual([...GUIDES.map((g) => g.notebook.replace(/\.ipynb$/, ".html")), "index.html", "readme.html"].sort());
    const index = readFileSync(join(outDir, "index.html"), "utf8");
    for (const g of GUIDES) {
      const title = g.title;
      const page = readFileSync(join(outDir, g.notebook.replace(/\.ipynb$/, ".html")), "utf8");
      const nb = loadNotebook(join(ROOT, "notebooks", g.notebook));
      expect(page).toMatch(new RegExp(`<h1[^>]*>${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      // Each chart's interactive output and each diagram (an image file copied beside the page) made it into the page.
      const charts = nb.code.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined).length;
      const diagrams = nb.markdown.flatMap((md) => [...md.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]));
      expect(page.match(/class="plotly-graph-div"/g) ?? []).toHaveLength(charts);
      for (const src of diagrams) {
        expect(page).toContain(`src="${src}"`);
        expect(existsSync(join(outDir, src)), `${src} copied into the site`).toBe(true);
      }
      // Each chart's static image (shown until plotly.js draws the live chart).
      expect(page.match(/src="data:image\/svg\+xml;base64/g) ?? []).toHaveLength(charts);
      expect(page.match(/<img[^>]*class="static-chart"/g) ?? []).toHaveLength(charts);
      // The tab shows the guide's title, not its file name.
      expect(page).toContain(`<title>${escapeHtml(title)}</title>`);
      expect(index).toContain(`href="${g.notebook.replace(/\.ipynb$/, ".html")}"`);
      expect(index).toContain(`>${escapeHtml(title)}<`);
    }
    expect(existsSync(`${outDir}.tmp`)).toBe(false);
  }, 120_000);
});

import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GUIDES, ROOT, guideTitle } from "../scripts/guides";
import { buildSite } from "../scripts/html";
import { escapeHtml } from "../src/display/table";
import { loadNotebook } from "./support/notebook";

const present = GUIDES.every((g) => existsSync(join(ROOT, "notebooks", g.file)));

describe.skipIf(!present)("npm run html (static mirror)", () => {
  it("renders every guide with nbconvert and an index linking them, replacing the folder whole", () => {
    const outDir = join(mkdtempSync(join(tmpdir(), "site-")), "site");
    const files = buildSite({ outDir });
    expect(files.map((f) => f.slice(outDir.length + 1)).sort()).toEqual([...GUIDES.map((g) => g.file.replace(/\.ipynb$/, ".html")), "index.html"].sort());
    const index = readFileSync(join(outDir, "index.html"), "utf8");
    for (const g of GUIDES) {
      const title = guideTitle(join(ROOT, "notebooks", g.file));
      const page = readFileSync(join(outDir, g.file.replace(/\.ipynb$/, ".html")), "utf8");
      const nb = loadNotebook(join(ROOT, "notebooks", g.file));
      expect(page).toMatch(new RegExp(`<h1[^>]*>${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      // Each chart's interactive output and each diagram (inlined as a data URI) made it into the page.
      const charts = nb.code.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined).length;
      const imageFiles = nb.markdown.reduce((n, md) => n + (md.match(/!\[[^\]]*\]\(images\/[^)]+\.svg\)/g) ?? []).length, 0);
      const diagrams = nb.markdownCells.reduce((n, c) => n + Object.keys(c.attachments ?? {}).length, 0) + imageFiles;
      expect(page.match(/class="plotly-graph-div"/g) ?? []).toHaveLength(charts);
      // Diagrams, and each chart's static image (shown until plotly.js draws the live chart).
      expect(page.match(/src="data:image\/svg\+xml;base64/g) ?? []).toHaveLength(diagrams + charts);
      expect(page.match(/<img[^>]*class="static-chart"/g) ?? []).toHaveLength(charts);
      expect(index).toContain(`href="${g.file.replace(/\.ipynb$/, ".html")}"`);
      expect(index).toContain(`>${escapeHtml(title)}<`);
    }
    expect(existsSync(`${outDir}.tmp`)).toBe(false);
  }, 120_000);
});

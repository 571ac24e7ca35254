/**
 * `npm run html`: a static mirror of the executed guides in `site/`, rendered by nbconvert (the
 * renderer nbviewer uses), with an index page and the README as a page. Self-contained, for any
 * static host, on days nbviewer is slow: see tools/site/pages.ts for what each page gets.
 *
 *   npm run html                    # lab template (default)
 *   npm run html -- --template classic
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { escapeHtml } from "../../src/display/table";
import { GUIDES } from "../../src/guides";
import { guideNotebook, NOTEBOOKS_DIR, PROJECT_ROOT as ROOT } from "../paths";
import { README_PAGE, copyAssets, hasMath, headingIdsBySlug, rewritePage, type RewrittenPage } from "./pages";

export interface SiteOptions {
  outDir?: string;
  template?: "lab" | "classic";
}

const SITE_TITLE = "Klaviyo API guides for TypeScript";

/**
 * Renders notebooks to HTML with one nbconvert call (one Python start-up for all of them): each
 * `<dir>/<name>.ipynb` becomes `<outDir>/<name>.html`. Returns each page's HTML, in order.
 */
export function nbconvertHtml(sources: readonly string[], outDir: string, template: string): string[] {
  const jupyter = join(ROOT, ".venv", "bin", "jupyter");
  execFileSync(jupyter, ["nbconvert", "--to", "html", "--template", template, "--output-dir", outDir, ...sources], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return sources.map((src) => readFileSync(join(outDir, `${basename(src, ".ipynb")}.html`), "utf8"));
}

/** The markdown of a notebook's markdown cells, joined. */
function notebookMarkdown(path: string): string {
  const nb = JSON.parse(readFileSync(path, "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
  return nb.cells
    .filter((c) => c.cell_type === "markdown")
    .map((c) => [c.source].flat().join(""))
    .join("\n\n");
}

/** Renders every guide to `<outDir>/<name>.html`, the README to `readme.html`, and writes `index.html`; returns the files written. */
export function buildSite(opts: SiteOptions = {}): string[] {
  const outDir = opts.outDir ?? join(ROOT, "site");
  const template = opts.template ?? "lab";
  // Build next to the target and swap at the end: a failed render never leaves half a site.
  const staging = `${outDir}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const readmeSource = join(ROOT, "README.md");
  const guideSources = GUIDES.map((g) => guideNotebook(g));
  const pages = new Map<string, string>([[readmeSource, README_PAGE]]);
  for (const [i, g] of GUIDES.entries()) pages.set(guideSources[i], g.notebook.replace(/\.ipynb$/, ".html"));

  // The README as a page: one markdown cell, rendered by the same template (and the same
  // nbconvert call) as the guides.
  const readmeText = readFileSync(readmeSource, "utf8");
  const readmeDir = `${staging}.readme`;
  const readmeNotebook = join(readmeDir, README_PAGE.replace(/\.html$/, ".ipynb"));
  mkdirSync(readmeDir, { recursive: true });
  writeFileSync(readmeNotebook, JSON.stringify({ cells: [{ cell_type: "markdown", id: "readme", metadata: {}, source: readmeText }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  let readmeHtml: string;
  let guideHtml: string[];
  try {
    [readmeHtml, ...guideHtml] = nbconvertHtml([readmeNotebook, ...guideSources], staging, template);
  } finally {
    rmSync(readmeDir, { recursive: true, force: true });
  }
  const readmeIds = headingIdsBySlug(readmeHtml);
  const written: string[] = [];
  const assets = new Map<string, string>();
  const write = (file: string, page: RewrittenPage) => {
    writeFileSync(join(staging, file), page.html);
    for (const [rel, src] of page.assets) assets.set(rel, src);
    written.push(file);
  };
  write(README_PAGE, rewritePage(readmeHtml, { title: SITE_TITLE, sourceDir: ROOT, pages, readmeIds, math: false, ownSlugs: true }));

  const items: string[] = [];
  for (const [i, g] of GUIDES.entries()) {
    const name = g.notebook.replace(/\.ipynb$/, "");
    const title = g.title;
    write(`${name}.html`, rewritePage(guideHtml[i], { title, sourceDir: NOTEBOOKS_DIR, pages, readmeIds, math: hasMath(notebookMarkdown(guideSources[i])) }));
    items.push(`<li><a href="${name}.html">${escapeHtml(title)}</a><p>${escapeHtml(g.summary)}</p></li>`);
  }
  written.push(...copyAssets(staging, assets));
  writeFileSync(
    join(staging, "index.html"),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${SITE_TITLE}</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}li{margin-bottom:1.2rem}li p{margin:.2rem 0 0;color:#555}</style>
</head><body>
<h1>${SITE_TITLE}</h1>
<p>Executable guides to Klaviyo's REST API, revision 2026-07-15. Outputs come from a generated demo account, not a real store.</p>
<ul>
${items.join("\n")}
</ul>
<p>How to run them, record fixtures and publish: <a href="${README_PAGE}">the project's README</a>.</p>
</body></html>
`,
  );
  written.push("index.html");
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return written.map((f) => join(outDir, f));
}

if (require.main === module) {
  const i = process.argv.indexOf("--template");
  const template = i > 0 ? process.argv[i + 1] : "lab";
  if (template !== "lab" && template !== "classic") {
    console.error(`html: --template must be "lab" or "classic", not "${template}"`);
    process.exit(2);
  }
  try {
    for (const f of buildSite({ template })) console.log(`wrote ${f}`);
  } catch (err) {
    console.error(`html: nbconvert failed: ${(err as Error).message}`);
    process.exit(1);
  }
}

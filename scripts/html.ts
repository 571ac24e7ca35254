/**
 * `npm run html`: a static mirror of the executed guides in `site/`, rendered by nbconvert (the
 * renderer nbviewer uses), with an index page. For any static host, on days nbviewer is slow.
 *
 *   npm run html                    # lab template (default)
 *   npm run html -- --template classic
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { escapeHtml } from "../src/display/table";
import { GUIDES, ROOT, guideTitle } from "./guides";

export interface SiteOptions {
  outDir?: string;
  template?: "lab" | "classic";
}


/** Renders every guide to `<outDir>/<name>.html` and writes `<outDir>/index.html`; returns the files written. */
export function buildSite(opts: SiteOptions = {}): string[] {
  const outDir = opts.outDir ?? join(ROOT, "site");
  const template = opts.template ?? "lab";
  // Build next to the target and swap at the end: a failed render never leaves half a site.
  const staging = `${outDir}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const jupyter = join(ROOT, ".venv", "bin", "jupyter");
  const items: string[] = [];
  const written: string[] = [];
  // One nbconvert for all guides (each page is named after its notebook): its start-up costs seconds.
  const sources = GUIDES.map((g) => join(ROOT, "notebooks", g.file));
  execFileSync(jupyter, ["nbconvert", "--to", "html", "--template", template, "--output-dir", staging, ...sources], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  for (const g of GUIDES) {
    const src = join(ROOT, "notebooks", g.file);
    const name = g.file.replace(/\.ipynb$/, "");
    items.push(`<li><a href="${name}.html">${escapeHtml(guideTitle(src))}</a><p>${escapeHtml(g.summary)}</p></li>`);
    written.push(`${name}.html`);
  }
  writeFileSync(
    join(staging, "index.html"),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Klaviyo API guides for TypeScript</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}li{margin-bottom:1.2rem}li p{margin:.2rem 0 0;color:#555}</style>
</head><body>
<h1>Klaviyo API guides for TypeScript</h1>
<p>Executable guides to Klaviyo's REST API, revision 2026-07-15. Outputs come from a generated demo account, not a real store.</p>
<ul>
${items.join("\n")}
</ul>
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

/**
 * The content of the static site's pages (`npm run html`): what nbconvert writes, made
 * self-contained. Links between guides go to their `.html` pages, README links to the site's own
 * README page, images referenced by relative path are copied beside the pages, the title is the
 * guide's H1, long code lines scroll sideways, and MathJax is not loaded by pages without math.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, normalize, posix } from "node:path";
import { escapeHtml } from "../../src/display/table";

/** File name of the README's page in the site. */
export const README_PAGE = "readme.html";

/**
 * nbconvert's lab template lets a long code line overflow its <pre>, and the editor box around it
 * (overflow: hidden) cuts it off; scrolling the <pre> itself shows all of it.
 */
const SITE_CSS = `<style>
.jp-InputArea-editor .highlight pre { overflow-x: auto; }
.chart-note { color: #555; font-size: 0.9em; margin: 0.3em 0 0; }
</style>
`;

export interface PageContext {
  /** The page's title (the guide's H1). */
  title: string;
  /** Folder of the source document, against which its relative links resolve. */
  sourceDir: string;
  /** Absolute source file (a notebook, or README.md) -> page file name in the site. */
  pages: ReadonlyMap<string, string>;
  /** For fragments into the README: GitHub's heading slug -> the id nbconvert gave that heading. */
  readmeIds: ReadonlyMap<string, string>;
  /** False when the document has no TeX math: MathJax is then not loaded. */
  math: boolean;
  /** For the README's own page: its in-page fragments are GitHub slugs, mapped like `readmeIds`. */
  ownSlugs?: boolean;
}

export interface RewrittenPage {
  html: string;
  /** Files the page uses (relative path in the site -> absolute source) to copy beside it. */
  assets: Map<string, string>;
}

/** Rewrites one nbconvert page; returns the page and the files it needs copied. */
export function rewritePage(html: string, ctx: PageContext): RewrittenPage {
  const assets = new Map<string, string>();
  let out = html.replace(/<title>[\s\S]*?<\/title>/, `<title>${escapeHtml(ctx.title)}</title>`);
  out = out.replace("</head>", `${SITE_CSS}</head>`);
  if (!ctx.math) out = out.replace(/<script[^>]*src="[^"]*mathjax[^"]*"[^>]*>\s*<\/script>\s*/i, "");
  out = out.replace(/(<(?:a|img)\b[^>]*?\s(?:href|src)=")([^"]*)(")/g, (whole, before: string, target: string, after: string) => {
    const rewritten = rewriteTarget(target, ctx, assets);
    return rewritten === undefined ? whole : `${before}${rewritten}${after}`;
  });
  return { html: out, assets };
}

/** A relative link or image source as the site needs it, or undefined to leave it as it is. */
function rewriteTarget(target: string, ctx: PageContext, assets: Map<string, string>): string | undefined {
  if (target.startsWith("#") && ctx.ownSlugs) {
    const id = ctx.readmeIds.get(target.slice(1).toLowerCase());
    return id === undefined ? undefined : escapeHtml(`#${id}`);
  }
  if (target === "" || target.startsWith("#") || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) return undefined;
  const [rawPath, fragment] = splitFragment(target.replace(/&amp;/g, "&"));
  const source = normalize(join(ctx.sourceDir, decodeURIComponent(rawPath)));
  const page = ctx.pages.get(source);
  if (page !== undefined) {
    const isReadme = page === README_PAGE;
    const id = fragment && isReadme ? (ctx.readmeIds.get(fragment.toLowerCase()) ?? fragment) : fragment;
    return escapeHtml(id ? `${page}#${id}` : page);
  }
  if (existsSync(source) && !rawPath.startsWith("..")) {
    const rel = posix.normalize(rawPath);
    assets.set(rel, source);
    return undefined;
  }
  return undefined;
}

function splitFragment(target: string): [string, string | undefined] {
  const at = target.indexOf("#");
  return at === -1 ? [target, undefined] : [target.slice(0, at), target.slice(at + 1)];
}

/** Copies each asset to `<outDir>/<relative path>`. */
export function copyAssets(outDir: string, assets: ReadonlyMap<string, string>): string[] {
  const written: string[] = [];
  for (const [rel, source] of assets) {
    const dest = join(outDir, rel);
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(source, dest);
    written.push(rel);
  }
  return written;
}

/**
 * GitHub's anchor for a heading id nbconvert made: lower case, punctuation other than `-` and `_`
 * dropped (`Run-the-guides-locally` -> `run-the-guides-locally`).
 */
export function githubSlug(nbconvertId: string): string {
  return decodeURIComponent(nbconvertId)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "");
}

/** Every heading id in an nbconvert page, by its GitHub slug. */
export function headingIdsBySlug(html: string): Map<string, string> {
  const ids = new Map<string, string>();
  for (const m of html.matchAll(/<h[1-6][^>]*\sid="([^"]+)"/g)) {
    const id = m[1].replace(/&amp;/g, "&");
    if (!ids.has(githubSlug(id))) ids.set(githubSlug(id), id);
  }
  return ids;
}

/** Whether markdown has TeX math outside code (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`). */
export function hasMath(markdown: string): boolean {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return /\$[^$\s][^$]*\$|\\\(|\\\[/.test(prose);
}

/**
 * Reading a committed guide as a file, for the tools and tests that look inside one: the checks
 * every guide shares (FAQ headings, contents links, size and ids, executed without errors, no keys
 * or addresses; test/guides.test.ts and test/guide-<id>.test.ts), and its parameters cell.
 */
import { readFileSync, statSync } from "node:fs";
import ts from "typescript";

export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

export interface NotebookCell {
  id?: string;
  cell_type: "markdown" | "code" | "raw";
  source: string | string[];
  metadata?: { tags?: string[] };
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  attachments?: Record<string, Record<string, string | string[]>>;
}

export interface GuideNotebook {
  file: string;
  raw: string;
  bytes: number;
  kernel?: string;
  cells: NotebookCell[];
  markdownCells: NotebookCell[];
  /** The text of each markdown cell. */
  markdown: string[];
  code: NotebookCell[];
}

/** nbformat stores multi-line strings as arrays of lines. */
export const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join("") : (s ?? ""));

export function loadNotebook(file: string): GuideNotebook {
  const raw = readFileSync(file, "utf8");
  const nb = JSON.parse(raw) as { cells: NotebookCell[]; metadata: { kernelspec?: { name?: string } } };
  const markdownCells = nb.cells.filter((c) => c.cell_type === "markdown");
  return {
    file,
    raw,
    bytes: statSync(file).size,
    kernel: nb.metadata.kernelspec?.name,
    cells: nb.cells,
    markdownCells,
    markdown: markdownCells.map((c) => text(c.source)),
    code: nb.cells.filter((c) => c.cell_type === "code"),
  };
}

/** The markdown heading that directly follows `<a id="anchor"></a>`, or undefined. */
export function headingAt(guide: GuideNotebook, anchor: string): string | undefined {
  const marker = `<a id="${anchor}"></a>`;
  for (const md of guide.markdown) {
    const at = md.indexOf(marker);
    if (at === -1) continue;
    return /^\s*(#{1,6} .+)$/m.exec(md.slice(at + marker.length))?.[1];
  }
  return undefined;
}

/**
 * The id JupyterLab and nbconvert (nbviewer) both give a markdown heading: its text with spaces
 * turned into hyphens (inline code, emphasis and link markup do not count as text).
 *
 * @example
 * headingId("### What does the `links` field mean?") // "What-does-the-links-field-mean?"
 */
export function headingId(headingLine: string): string {
  const inline = headingLine
    .replace(/^\s*#{1,6}\s+/, "")
    .replace(/\s+#+\s*$/, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__|\*|_)(\S(?:.*?\S)?)\1/g, "$2")
    .trim();
  return inline.replace(/ /g, "-");
}

/** The id of every markdown heading in the guide. */
export function headingIds(guide: GuideNotebook): Set<string> {
  return new Set(guide.markdown.flatMap((md) => [...md.matchAll(/^ {0,3}#{1,6}[ \t]+\S.*$/gm)].map((m) => headingId(m[0]))));
}

/**
 * What is wrong with the "## Contents" cell: a required anchor whose heading it does not link, a
 * link to no heading, an anchor whose heading it leaves out. Links go to the heading's own id
 * (`#Who-is-this-guide-for?`), the one target JupyterLab, nbconvert and nbviewer all have:
 * JupyterLab strips the hand-written `<a id>` tags, which remain as the questions' stable names.
 * Empty when the contents and the headings agree.
 */
export function contentsProblems(guide: GuideNotebook, required: readonly string[]): string[] {
  const toc = guide.markdown.find((md) => md.startsWith("## Contents"));
  if (!toc) return ['no markdown cell starts with "## Contents"'];
  const links = [...toc.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
  const ids = headingIds(guide);
  const anchors = guide.markdown.flatMap((md) => [...md.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
  const linked = (anchor: string): boolean => {
    const heading = headingAt(guide, anchor);
    return heading !== undefined && links.includes(headingId(heading));
  };
  return [
    ...required.filter((a) => !linked(a)).map((a) => `the heading of #${a} is not linked from the contents`),
    ...links.filter((l) => !ids.has(l)).map((l) => `the contents link #${l} matches no heading (links go to the heading's text, spaces as hyphens)`),
    ...anchors.filter((a) => !required.includes(a) && !linked(a)).map((a) => `the heading of anchor ${a} is missing from the contents`),
  ];
}

/** Links to `#fragment` in any markdown cell that match no heading of the guide. */
export function deadFragmentLinks(guide: GuideNotebook): string[] {
  const ids = headingIds(guide);
  return guide.markdown.flatMap((md) => [...md.matchAll(/\]\(#([^)\s]+)\)/g)].map((m) => m[1]).filter((f) => !ids.has(f)));
}

/** Size, kernel, one title and stable unique cell ids: what nbviewer and clean diffs need. */
export function structureProblems(guide: GuideNotebook, maxBytes: number): string[] {
  const ids = guide.cells.map((c) => c.id);
  return [
    ...(guide.bytes > maxBytes ? [`${guide.bytes} bytes, over ${maxBytes}`] : []),
    ...(guide.kernel === "tslab" ? [] : [`kernel ${guide.kernel}, not tslab`]),
    ...(guide.markdown.filter((md) => /^# /m.test(md)).length === 1 ? [] : ["not exactly one # title"]),
    ...ids.filter((id) => typeof id !== "string" || !/^[a-z0-9-]+$/.test(id)).map((id) => `cell id ${String(id)} is not a stable slug`),
    ...(new Set(ids).size === ids.length ? [] : ["cell ids repeat"]),
  ];
}

/** Code cells that were not executed, or that show an error or wrote to stderr. */
export function executionProblems(guide: GuideNotebook): string[] {
  return guide.code.flatMap((cell) => [
    ...(typeof cell.execution_count === "number" ? [] : [`cell ${cell.id} was not executed`]),
    ...(cell.outputs ?? []).flatMap((out) =>
      out.output_type === "error" ? [`cell ${cell.id} has an error output`] : out.name === "stderr" ? [`cell ${cell.id} wrote to stderr: ${text(out.text)}`] : [],
    ),
  ]);
}

/** Everything printed to stdout by the code cells, joined. */
export function printed(guide: GuideNotebook): string {
  return guide.code
    .flatMap((c) => c.outputs ?? [])
    .map((o) => text(o.text))
    .join("\n");
}

/** E-mail addresses in the file outside example.com (the demo domain), except the listed patterns. */
export function foreignEmails(guide: GuideNotebook, notAddresses: readonly string[] = []): string[] {
  const emails = guide.raw.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g) ?? [];
  return emails.filter((e) => !/@example\.com$/i.test(e) && !notAddresses.includes(e));
}

/** The tag papermill's convention gives the one cell that holds a notebook's parameters. */
export const PARAMETERS_TAG = "parameters";

/** The code cells tagged `parameters`: a guide has exactly one. */
export function parameterCells(guide: GuideNotebook): NotebookCell[] {
  return guide.code.filter((cell) => cell.metadata?.tags?.includes(PARAMETERS_TAG));
}

/**
 * The guide's parameters whose default is a plain string, read from the object literal its
 * parameters cell passes to `guideParams(kv, { … })` (parsed as TypeScript). A default computed
 * from the account (`onDemo ? "t5P6xj" : ""`) is not a name to rename, so it is left out.
 * Throws when the guide has no single tagged cell calling `guideParams`.
 *
 * @example parameterDefaults(loadNotebook("notebooks/3-server-side.ipynb")) // { consentList: "Newsletter" }
 */
export function parameterDefaults(guide: GuideNotebook): Record<string, string> {
  const cells = parameterCells(guide);
  if (cells.length !== 1) throw new Error(`${guide.file}: ${cells.length} code cells are tagged "${PARAMETERS_TAG}"; a guide has exactly one`);
  const source = ts.createSourceFile("parameters.ts", text(cells[0].source), ts.ScriptTarget.Latest);
  let defaults: Record<string, string> | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "guideParams") {
      const literal = node.arguments[1];
      if (literal && ts.isObjectLiteralExpression(literal)) {
        defaults = {};
        for (const property of literal.properties) {
          if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && ts.isStringLiteralLike(property.initializer)) {
            defaults[property.name.text] = property.initializer.text;
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!defaults) throw new Error(`${guide.file}: its "${PARAMETERS_TAG}" cell does not call guideParams(kv, { … }) with an object literal`);
  return defaults;
}

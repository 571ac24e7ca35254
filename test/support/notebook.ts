/**
 * Reading a committed guide as a file, for the guides' own tests (test/guides.test.ts, and
 * test/guide-<id>.test.ts): the checks every guide shares (FAQ headings, contents links, size and
 * ids, executed without errors, no keys or addresses).
 */
import { readFileSync, statSync } from "node:fs";

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
 * What is wrong with the "## Contents" cell: a required anchor it does not link, a link to no
 * anchor, an anchor it leaves out. Empty when the contents and the anchors agree.
 */
export function contentsProblems(guide: GuideNotebook, required: readonly string[]): string[] {
  const toc = guide.markdown.find((md) => md.startsWith("## Contents"));
  if (!toc) return ['no markdown cell starts with "## Contents"'];
  const links = [...toc.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
  const anchors = new Set(guide.markdown.flatMap((md) => [...md.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1])));
  return [
    ...required.filter((a) => !links.includes(a)).map((a) => `#${a} is not linked from the contents`),
    ...links.filter((l) => !anchors.has(l)).map((l) => `the contents link #${l} has no <a id>`),
    ...[...anchors].filter((a) => !links.includes(a)).map((a) => `anchor ${a} is missing from the contents`),
  ];
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

/**
 * Tables as one output with `text/html` (plain `<table>` markup without styles, which GitHub's
 * sanitizer keeps and JupyterLab/nbviewer style) and an aligned `text/plain` fallback.
 */
import { displayBundle } from "./mime";

/** A row of named cells. */
export type Row = Record<string, unknown>;

/** What `showTable` needs of a danfojs DataFrame (duck-typed, so this module does not load danfo). */
export interface DataFrameLike {
  columns: string[];
  values: unknown[] | unknown[][];
}

/** Options for `showTable`/`tableBundle`. */
export interface TableOptions {
  /** Rows shown; the rest are summarized as "… N more rows" (default 20). */
  maxRows?: number;
  /** Columns and their order (default: keys of the rows in first-seen order). */
  columns?: string[];
  /** Decimals for non-integer numbers (default 2). */
  decimals?: number;
  /** Longest cell text before it is cut with "…" (default 60). */
  maxCell?: number;
}

/**
 * Shows rows or a DataFrame as a table.
 *
 * @example
 * showTable([{ day: "2025-11-28", first_time: 41, returning: 12 }]);
 * showTable(df, { maxRows: 10 });
 */
export function showTable(rows: readonly Row[] | DataFrameLike, opts: TableOptions = {}): void {
  displayBundle(tableBundle(rows, opts));
}

/**
 * The mime bundle `showTable` displays (`text/html` + `text/plain`).
 *
 * @example
 * tableBundle([{ a: 1 }])["text/plain"] // "a\n-\n1"
 */
export function tableBundle(rows: readonly Row[] | DataFrameLike, opts: TableOptions = {}): { "text/html": string; "text/plain": string } {
  const { columns, cells, total } = toCells(rows, opts);
  const more = total - cells.length;
  const moreText = more > 0 ? `… ${more} more row${more === 1 ? "" : "s"}` : undefined;

  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`;
  const body = cells.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`);
  if (moreText) body.push(`<tr><td colspan="${columns.length}">${moreText}</td></tr>`);
  const html = `<table>\n<thead>${head}</thead>\n<tbody>\n${body.join("\n")}\n</tbody>\n</table>`;

  const numeric = columns.map((_, i) => cells.length > 0 && cells.every((r) => r[i] === "" || /^-?[\d.,]+(e[+-]?\d+)?$/i.test(r[i])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  const text = [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
  if (moreText) text.push(moreText);
  return { "text/html": html, "text/plain": text.join("\n") };
}

function toCells(rows: readonly Row[] | DataFrameLike, opts: TableOptions): { columns: string[]; cells: string[][]; total: number } {
  const maxRows = opts.maxRows ?? 20;
  const fmt = (v: unknown) => formatCell(v, opts.decimals ?? 2, opts.maxCell ?? 60);
  if (isDataFrame(rows)) {
    const columns = opts.columns ?? rows.columns;
    const index = columns.map((c) => {
      const i = rows.columns.indexOf(c);
      if (i < 0) throw new Error(`showTable: the DataFrame has no column "${c}" (it has ${rows.columns.join(", ")}).`);
      return i;
    });
    // danfo returns a flat array for single-column frames.
    const values = rows.values.map((r) => (Array.isArray(r) ? r : [r]));
    return { columns, cells: values.slice(0, maxRows).map((r) => index.map((i) => fmt(r[i]))), total: values.length };
  }
  const columns = opts.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { columns, cells: rows.slice(0, maxRows).map((r) => columns.map((c) => fmt(r[c]))), total: rows.length };
}

function isDataFrame(x: readonly Row[] | DataFrameLike): x is DataFrameLike {
  return !Array.isArray(x) && Array.isArray((x as DataFrameLike).columns) && Array.isArray((x as DataFrameLike).values);
}

/** Deterministic cell text: no locale, ISO dates (date only at midnight UTC), fixed decimals. */
function formatCell(v: unknown, decimals: number, maxCell: number): string {
  let s: string;
  if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) s = "";
  else if (typeof v === "number") s = Number.isInteger(v) ? String(v) : v.toFixed(decimals);
  else if (v instanceof Date) s = v.toISOString().replace("T00:00:00.000Z", "");
  else if (typeof v === "object") s = JSON.stringify(v);
  else s = String(v);
  s = s.replace(/\s+/g, " ");
  return s.length > maxCell ? `${s.slice(0, maxCell - 1)}…` : s;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

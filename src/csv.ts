/**
 * CSV for exporting a table (a report's rows) to a spreadsheet or a warehouse loader, without a
 * dependency: RFC 4180 text, comma-separated, CRLF line ends, a header row.
 */

/** A row of named cells, as the tables of the guides hold them. */
export type CsvRow = Record<string, unknown>;

/** One cell: text as is, numbers in full, `null`/`undefined` empty, dates in ISO 8601, objects as JSON. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** RFC 4180: a cell holding a comma, a quote or a line break is quoted, its quotes doubled. */
function quoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The rows as CSV text: the header (`columns`, default every key in first-seen order), then one
 * line per row.
 *
 * @example
 * csvText([{ campaign: "Weekly picks, autumn", open_rate: 0.41 }])
 * // 'campaign,open_rate\r\n"Weekly picks, autumn",0.41\r\n'
 */
export function csvText(rows: readonly CsvRow[], columns: readonly string[] = [...new Set(rows.flatMap((r) => Object.keys(r)))]): string {
  const lines = [columns, ...rows.map((row) => columns.map((c) => cellText(row[c])))];
  return lines.map((cells) => `${cells.map(quoted).join(",")}\r\n`).join("");
}

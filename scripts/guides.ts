/**
 * The published guides: one place that names them, so the README table, the static mirror and the
 * publish check agree. Titles are read from each notebook's first heading, so they cannot drift.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface GuideEntry {
  /** File name inside `notebooks/`. */
  file: string;
  /** One line for the README table and the static index. */
  summary: string;
}

export const GUIDES: readonly GuideEntry[] = [
  {
    file: "understanding-customer-data.ipynb",
    summary:
      "Profiles, events, metrics, lists and segments; pagination and date filters; first-time buyers during Black Friday / Cyber Monday.",
  },
  {
    file: "understanding-client-side-requests.ipynb",
    summary:
      "Send events, subscriptions and profiles with a public key; review events that trigger flows; status codes, validation and rate limits.",
  },
  // The server-side guide (issue 13).
  {
    file: "understanding-server-side-requests.ipynb",
    summary:
      "Send events, orders, profiles and consent from your server with a private key; bulk jobs, backfills without flows, safe retries and pacing under the rate limits.",
  },
];

/** The project root (this file lives in `scripts/`). */
export const ROOT = join(__dirname, "..");

/** The notebook's title: the text of its first markdown H1. */
export function guideTitle(notebookPath: string): string {
  const nb = JSON.parse(readFileSync(notebookPath, "utf8")) as {
    cells: { cell_type: string; source: string | string[] }[];
  };
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const h1 = /^#\s+(.+)$/m.exec(text);
    if (h1) return h1[1].trim();
  }
  throw new Error(`${notebookPath} has no "# Title" heading in a markdown cell; add one as the first cell.`);
}

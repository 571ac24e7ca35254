/**
 * Multi-mime display outputs. tslab's public `display.raw(mime, data)` sends one mime type per
 * output, but a chart or table needs several in ONE output (each viewer picks the richest it can
 * render: VS Code the plotly JSON, GitHub an image or plain text, nbviewer the HTML). tslab keeps
 * the function that sends a display_data of the running cell in `tslab/dist/jupyter`.
 */

import type { JsonValue } from "./json";

/**
 * Mime type → content. Text types carry strings; `+json` types (e.g. plotly's) carry the JSON value
 * itself, as nbformat stores them and renderers expect. `text/plain` should always be present: it
 * is every viewer's fallback.
 */
export type MimeBundle = Record<string, string | JsonValue>;

type WriteDisplayData = (data: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

/**
 * Sends `data` as one display_data output of the current cell; outside tslab (tests, plain node)
 * prints its `text/plain` to stdout instead.
 *
 * @example
 * displayBundle({ "text/html": "<b>hi</b>", "text/plain": "hi" });
 */
export function displayBundle(data: MimeBundle): void {
  const write = tslabWriter();
  if (write) {
    write({ data, metadata: {}, transient: {} }, false);
    return;
  }
  const text = data["text/plain"];
  process.stdout.write(`${typeof text === "string" ? text : Object.keys(data).map((m) => `[${m} output]`).join(" ")}\n`);
}

/** True when running inside a tslab kernel cell, where rich outputs reach the notebook. */
export function inNotebook(): boolean {
  return tslabWriter() !== undefined;
}

/**
 * The kernel's writer, looked up among modules already loaded rather than required: requiring
 * tslab's jupyter module costs ~0.5 s and in plain node it would only ever hold `null`.
 */
function tslabWriter(): WriteDisplayData | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file) || !mod) continue;
    const exported: unknown = mod.exports;
    if (typeof exported === "object" && exported !== null && "lastWriteDisplayData" in exported) {
      const write: unknown = exported.lastWriteDisplayData;
      if (typeof write === "function") return write as WriteDisplayData;
    }
  }
  return undefined;
}

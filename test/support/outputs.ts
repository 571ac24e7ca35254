/**
 * Comparing what a guide printed in one run with what it printed in another: a live or record run
 * against the stand-in with its replay (own-account, JupyterLab), a fresh recording of the demo with
 * the committed notebook. The two differ in what they must (the connection line names the mode, a
 * live run prints the stand-in's origin where a recording keeps the real API's, and a recording
 * holds the scrubber's fakes where the account has personal data) and nowhere else.
 */
import { STATIC_IMAGE_SLOT } from "../../src/display/plot";
import { scrubValue } from "../../src/fixtures/scrub";
import { loadNotebook, text } from "../../tools/notebook";
import type { DemoAccount } from "../../tools/standin/account";

/** Each code cell's outputs as text (streams and the text forms of displays), the connection line left out. */
export function cellOutputs(notebook: string): string[] {
  return loadNotebook(notebook).code.map((cell) =>
    outputText(cell.outputs ?? []),
  );
}

/**
 * Outputs as one text, the mode line and the parameters' heading blanked: they say which run it was
 * (live, record or replay; where the parameters' values came from), nothing else.
 */
export function outputText(outputs: readonly { text?: string | string[]; data?: Record<string, unknown> }[]): string {
  return outputs
    .map((o) => text(o.text) + Object.entries(o.data ?? {}).filter(([mime]) => mime.startsWith("text/")).map(([, v]) => text(v as string | string[])).join(""))
    .join("\n")
    .replace(/^Mode: .*$/gm, "Mode: …")
    .replace(/^Parameters \(.*\):$/gm, "Parameters …:");
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * What a live run against the stand-in printed, as a replay of its recording prints it: the
 * stand-in's origin becomes the real API's, and every personal value of the account the one the
 * scrubber (src/fixtures/scrub.ts) turns it into in a recording. Values the scrubber keeps (the
 * demo's own) stay.
 */
export function asReplayed(account: DemoAccount): (printed: string) => string {
  const fakes = new Map<string, string>();
  const collect = (value: unknown, key?: string): void => {
    if (Array.isArray(value)) value.forEach((v) => collect(v, key));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) collect(v, k);
    else if ((typeof value === "string" && value !== "") || typeof value === "number") {
      const scrubbed = scrubValue({ [key ?? ""]: value }) as Record<string, unknown>;
      const fake = scrubbed[key ?? ""];
      if (String(fake) !== String(value)) fakes.set(String(value), String(fake));
    }
  };
  for (const profile of account.profiles) collect(profile.attributes);
  // Longest first, so an e-mail is replaced before a name inside it could be; whole words only, so
  // a name is not replaced inside another word.
  const replacements = [...fakes].sort(([a], [b]) => b.length - a.length).map(([value, fake]) => [new RegExp(`(?<![\\w.])${escape(value)}(?![\\w])`, "g"), fake] as const);
  return (printed) => replacements.reduce((out, [pattern, fake]) => out.replace(pattern, fake), printed.replace(/http:\/\/127\.0\.0\.1:\d+/g, "https://a.klaviyo.com"));
}

/**
 * Tables pad columns to their widest value, and fakes are not as long as the originals; a chart's
 * static image is the runner's (drawn when a browser is there), not the guide's output.
 */
export function normalise(s: string): string {
  return s.replace(/<img class="static-chart"[^>]*>/g, STATIC_IMAGE_SLOT).replace(/[ \t]+/g, " ").replace(/-{3,}/g, "---");
}

/**
 * Every code cell whose output differs between `expected` and `actual` (already normalised), with
 * where they part: outputs share long prefixes, so the start says nothing.
 */
export function outputDifferences(label: string, expected: readonly string[], actual: readonly string[]): string[] {
  const found: string[] = [];
  if (expected.length !== actual.length) found.push(`${label}: ${actual.length} code cells, expected ${expected.length}`);
  for (const [cell, want] of expected.entries()) {
    const got = actual[cell] ?? "";
    if (want === got) continue;
    let at = 0;
    while (at < want.length && want[at] === got[at]) at++;
    const from = Math.max(0, at - 120);
    found.push(`${label}, code cell ${cell + 1}, differs at character ${at}:\n  expected: …${want.slice(from, at + 200)}\n  got:      …${got.slice(from, at + 200)}`);
  }
  return found;
}

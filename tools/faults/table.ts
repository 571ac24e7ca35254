/**
 * The fault runs as two Markdown tables: each guide in each scenario (code cells ok / total, ok =
 * ran without an error and without a note line), and where each fault fired and what the cell
 * came to.
 */
import type { GuideVerdict } from "./judge";

export function faultTables(verdicts: readonly GuideVerdict[]): string {
  const scenarios = [...new Map(verdicts.map((v) => [v.scenario.id, v.scenario])).values()];
  const guides = [...new Map(verdicts.map((v) => [v.guide.id, v.guide])).values()];
  const find = (guide: string, scenario: string) => verdicts.find((v) => v.guide.id === guide && v.scenario.id === scenario);

  const summary = markdown(
    ["guide", ...scenarios.map((s) => `${s.id}: ${s.title}`)],
    guides.map((g) => [g.id, ...scenarios.map((s) => cellCounts(find(g.id, s.id)))]),
  );
  const faults = markdown(
    ["guide", "scenario", "fault", "fired in code cells (what each came to)"],
    verdicts.flatMap((v) =>
      [...v.met].map(([fault, cells]) => [
        v.guide.id,
        v.scenario.id,
        fault,
        cells.length === 0 ? "never: not met" : cells.map((n) => `${n} (${v.cells[n - 1]?.outcome ?? "not run"})`).join(", "),
      ]),
    ),
  );
  return [
    "Code cells ok / total, each guide live against the demo stand-in in each fault scenario",
    "(ok: ran without an error and without a note line):",
    "",
    summary,
    "",
    "Where each fault fired:",
    "",
    faults,
  ].join("\n");
}

/** "38/41 (2 notes, 1 error)". */
function cellCounts(verdict: GuideVerdict | undefined): string {
  if (!verdict) return "—";
  const count = (outcome: string) => verdict.cells.filter((c) => c.outcome === outcome).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const details = (["note", "error"] as const).filter((o) => count(o) > 0).map((o) => plural(count(o), o));
  return `${count("ok")}/${verdict.cells.length}${details.length ? ` (${details.join(", ")})` : ""}`;
}

function markdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`).join("\n");
}

/**
 * What only the customer-data guide must show (the checks every guide shares, its FAQ list
 * included, are in test/guides.test.ts): diagrams, its two charts, one BFCM window, and the writes
 * its fixture replays.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NOTEBOOKS_DIR, PROJECT_ROOT } from "../scripts/runner/project";
import { guideEntry } from "../src/guides";
import { loadNotebook, text } from "./support/notebook";

const entry = guideEntry("customer-data");
const guide = loadNotebook(join(NOTEBOOKS_DIR, entry.notebook));
const code = guide.code;
const codeText = (id: string): string => text(code.find((c) => c.id === id)?.source);

describe(entry.notebook, () => {
  it("carries its diagrams as SVG attachments", () => {
    const used = guide.markdownCells.flatMap((c) => [...text(c.source).matchAll(/\(attachment:([^)]+)\)/g)]);
    expect(used.length).toBeGreaterThanOrEqual(1);
  });

  it("was committed executed, with its charts", () => {
    expect(code.length).toBeGreaterThan(20);
    const charts = code.filter((c) => (c.outputs ?? []).some((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined));
    expect(charts.map((c) => c.id)).toEqual(["unsubscribe-chart", "bfcm-chart"]);
  });

  it("uses one BFCM window, Black Friday 2025-11-28 through Cyber Monday 2025-12-01 (UTC), everywhere", () => {
    expect(codeText("bfcm-window")).toContain('start: new Date("2025-11-28T00:00:00Z"), end: new Date("2025-12-02T00:00:00Z")');
    // The 2022 guide filtered BFCM orders with another example's dates; here every BFCM filter uses the window.
    expect(codeText("bfcm-orders")).toMatch(/greaterOrEqual\("datetime", bfcm\.start\), lessThan\("datetime", bfcm\.end\)/);
    expect(codeText("earlier-orders")).toMatch(/lessThan\("datetime", bfcm\.start\)/);
    const otherDates = code.filter((c) => c.id !== "bfcm-window" && c.id !== "unsubscribe-window").filter((c) => /\d{4}-\d{2}-\d{2}T/.test(text(c.source)));
    expect(otherDates.map((c) => c.id)).toEqual([]);
  });

  it("has recorded the reads and the writes it replays", () => {
    const fixture = JSON.parse(readFileSync(join(PROJECT_ROOT, "data", entry.fixture), "utf8")) as { interactions: { method: string; path: string; status: number }[] };
    const seen = new Set(fixture.interactions.map((i) => `${i.method} ${i.path.split("?")[0].replace(/\/lists\/[^/]+\//, "/lists/{id}/")} ${i.status}`));
    for (const exchange of ["GET /api/mapped-metrics/ordered_product 200", "POST /api/lists 201", "POST /api/lists/{id}/relationships/profiles 204"]) {
      expect(seen.has(exchange), `no recorded ${exchange}`).toBe(true);
    }
  });
});

/**
 * The order the runner starts notebooks in when several run at once: the guides differ in length, and
 * starting the longest last would leave it running alone while the other core idles.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { longestFirst } from "../run";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-order-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A notebook file with `code` code cells and `markdown` markdown cells. */
function notebook(name: string, code: number, markdown = 0): string {
  const cells = [
    ...Array.from({ length: markdown }, () => ({ cell_type: "markdown", source: "text", metadata: {} })),
    ...Array.from({ length: code }, () => ({ cell_type: "code", source: "1", metadata: {}, outputs: [], execution_count: null })),
  ];
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  return file;
}

describe("longestFirst", () => {
  it("starts the notebooks with the most code cells first; markdown cells do not count", () => {
    const files = [notebook("a.ipynb", 30), notebook("b.ipynb", 41), notebook("c.ipynb", 37, 60)];
    expect(longestFirst(files)).toEqual([1, 2, 0]);
  });

  it("keeps the given order between notebooks of the same length", () => {
    const files = [notebook("d.ipynb", 2), notebook("e.ipynb", 5), notebook("f.ipynb", 2), notebook("g.ipynb", 5)];
    expect(longestFirst(files)).toEqual([1, 3, 0, 2]);
  });

  it("puts a file it cannot read last, so its run reports the error without holding up the others", () => {
    const broken = path.join(dir, "broken.ipynb");
    fs.writeFileSync(broken, "{ not json");
    const files = [broken, notebook("h.ipynb", 1), path.join(dir, "missing.ipynb")];
    expect(longestFirst(files)).toEqual([1, 0, 2]);
  });
});

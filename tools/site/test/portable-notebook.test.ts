/**
 * Notebooks that read the same in every viewer: diagrams are image files (JupyterLab does not render
 * SVG attachments), and in-notebook links go to the ids JupyterLab and nbconvert derive from the
 * headings (JupyterLab strips hand-written `<a id>`). tools/site/portable_notebook.py does both; these
 * tests check the committed guides and the script itself.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { guideNotebook, PROJECT_ROOT as ROOT } from "../../paths";
import { GUIDES } from "../../../src/guides";
import { deadFragmentLinks, headingId, loadNotebook } from "../../notebook";

const PYTHON = join(ROOT, ".venv/bin/python");
const SCRIPT = join(ROOT, "tools/site/portable_notebook.py");
const guides = GUIDES.map((g) => guideNotebook(g)).filter((f) => existsSync(f));

function portable(...args: string[]) {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe.each(guides)("%s", (file) => {
  const guide = loadNotebook(file);

  it("has no markdown attachments: every diagram is an image file next to the notebook", () => {
    expect(guide.markdownCells.filter((c) => Object.keys(c.attachments ?? {}).length > 0).map((c) => c.id)).toEqual([]);
    const images = guide.markdown.flatMap((md) => [...md.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => decodeURIComponent(m[1])));
    const relative = images.filter((src) => !/^[a-z]+:/i.test(src));
    expect(relative.filter((src) => !existsSync(join(dirname(file), src)))).toEqual([]);
    for (const src of relative.filter((s) => s.endsWith(".svg"))) {
      // Small and crisp: vector, with an intrinsic size (an SVG without one has no natural width).
      const svg = readFileSync(join(dirname(file), src), "utf8");
      expect(svg.length, src).toBeLessThan(20_000);
      expect(svg, src).toMatch(/^<svg[^>]*\swidth="\d+"[^>]*\sheight="\d+"/);
    }
  });

  it("links only to heading ids that exist in the notebook", () => {
    expect(deadFragmentLinks(guide)).toEqual([]);
  });

  it("is already what tools/site/portable_notebook.py makes of it", () => {
    const r = portable("--check", file);
    expect(r.out).toContain("already portable");
    expect(r.status).toBe(0);
  });
});

describe("headingId", () => {
  it("keeps the text and punctuation, drops inline markup, turns spaces into hyphens", () => {
    expect(headingId("### What does the `links` field mean?")).toBe("What-does-the-links-field-mean?");
    expect(headingId("## Find first-time buyers during Black Friday / Cyber Monday")).toBe("Find-first-time-buyers-during-Black-Friday-/-Cyber-Monday");
    expect(headingId("## What's **new** in [2026](https://example.com)")).toBe("What's-new-in-2026");
  });
});

describe("tools/site/portable_notebook.py", () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10"/></svg>';
  const notebook = (cells: object[]) => JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1) + "\n";
  const md = (id: string, source: string, extra: object = {}) => ({ cell_type: "markdown", id, metadata: {}, source, ...extra });

  it("moves attachments to images/<notebook>/, points anchor links at heading ids, and a second run changes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "portable-"));
    writeFileSync(join(dir, "other.ipynb"), notebook([md("o1", '<a id="far"></a>\n## Far (away) heading? No: "near"\n'), md("o2", '<a id="ok"></a>\n\n### It\'s here\n')]));
    const nb = join(dir, "guide.ipynb");
    writeFileSync(
      nb,
      notebook([
        md("toc", "## Contents\n\n- [Who](#faq-who)\n- [Diagram](#Diagram-of-it)\n- [Other](other.ipynb#ok)\n- [Web](https://example.com/#x)"),
        md("faq", '<a id="faq-who"></a>\n### Who is `this` for?\n\n![A box](attachment:box.svg)', { attachments: { "box.svg": { "image/svg+xml": svg } } }),
        md("pic", "## Diagram of it\n"),
      ]),
    );
    const first = portable(nb);
    expect(first.out).toContain("guide.ipynb: converted");
    expect(first.status).toBe(0);
    const after = readFileSync(nb, "utf8");
    const cells = (JSON.parse(after) as { cells: { id: string; source: string | string[]; attachments?: unknown }[] }).cells;
    const src = (i: number) => [cells[i].source].flat().join("");
    expect(src(0)).toBe("## Contents\n\n- [Who](#Who-is-this-for?)\n- [Diagram](#Diagram-of-it)\n- [Other](other.ipynb#It's-here)\n- [Web](https://example.com/#x)");
    expect(src(1)).toContain('<a id="faq-who"></a>');
    expect(src(1)).toContain("![A box](images/guide/box.svg)");
    expect(cells[1].attachments).toBeUndefined();
    expect(cells.map((c) => c.id)).toEqual(["toc", "faq", "pic"]);
    expect(readFileSync(join(dir, "images/guide/box.svg"), "utf8")).toBe(`${svg}\n`);

    const second = portable(nb);
    expect(second.out).toContain("already portable");
    expect(readFileSync(nb, "utf8")).toBe(after);
  });

  it("refuses a link JupyterLab could not follow, names it, and leaves the notebook as it was", () => {
    const dir = mkdtempSync(join(tmpdir(), "portable-"));
    writeFileSync(join(dir, "other.ipynb"), notebook([md("o1", '<a id="far"></a>\n## Far (away)\n')]));
    const nb = join(dir, "guide.ipynb");
    const before = notebook([md("a", "- [Recap](#recap) · [Far](other.ipynb#far) · [Gone](#nowhere)"), md("b", '<a id="recap"></a>\n## Dates — recap\n')]);
    writeFileSync(nb, before);
    const r = portable(nb);
    expect(r.status).toBe(1);
    expect(r.out).toContain("link #recap goes to the heading id 'Dates-%E2%80%94-recap', which JupyterLab cannot follow");
    expect(r.out).toContain("link other.ipynb#far goes to the heading id 'Far-(away)'");
    expect(r.out).toContain("link #nowhere matches no heading");
    expect(readFileSync(nb, "utf8")).toBe(before);
  });
});

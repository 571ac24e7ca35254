/**
 * The executor's static-image step (tools/runner/executor/images.py) on a notebook built here,
 * with a stand-in drawing command: what a chart output is (mime type, image slot, size) comes
 * from the job, so the executor follows whatever contract the job carries. No kernel, no browser.
 */
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { CHART_CONTRACT } from "../executor-process";
import { VENV_PYTHON } from "../../paths";
import { EXECUTOR_DIR } from "../executor-process";
import { PLOTLY_MIME, STATIC_IMAGE_SIZE, STATIC_IMAGE_SLOT } from "../../../src/display/plot";

/** Draws each figure as an SVG naming the size it was asked for and the figure's first y value. */
const FAKE_DRAW = [
  "import json, sys",
  "r = json.load(sys.stdin)",
  "print(json.dumps(['<svg w=\"%d\" h=\"%d\">%s</svg>' % (r['size']['width'], r['size']['height'], f['data'][0]['y'][0]) for f in r['figures']]))",
].join("\n");

type Charts = { mime: string; slot: string; size: { width: number; height: number } };
type Case = { charts: Charts; committedSvg?: string };

/**
 * Runs add_static_images on one chart output per case, shaped by that case's `charts`, in one
 * Python process (its start-up is most of the cost); returns each output's data and any note.
 */
function withImages(cases: Case[]): { data: Record<string, unknown>; note: string | null }[] {
  const script = `
import json, sys
sys.path.insert(0, sys.argv[1])
import nbformat
from images import add_static_images
def notebook(charts, svg):
    data = {charts["mime"]: {"data": [{"y": [7]}]}, "text/html": "<div>" + charts["slot"] + "</div>", "text/plain": "Figure: x (1 trace)"}
    if svg:
        data["image/svg+xml"] = svg
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output("display_data", data=data)]))
    return nb
answers = []
for case in json.loads(sys.argv[2]):
    job = {"charts": case["charts"], "images": {"command": json.loads(sys.argv[3]), "redraw": False}}
    fresh = notebook(case["charts"], None)
    note = add_static_images(fresh, notebook(case["charts"], case.get("committedSvg")), job, "nb.ipynb")
    answers.append({"data": fresh.cells[0].outputs[0]["data"], "note": note})
print(json.dumps(answers))
`;
  const draw = [VENV_PYTHON, "-c", FAKE_DRAW];
  const run = spawnSync(VENV_PYTHON, ["-c", script, EXECUTOR_DIR, JSON.stringify(cases), JSON.stringify(draw)], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as { data: Record<string, unknown>; note: string | null }[];
}

const OTHER: Charts = { mime: "application/x-other-chart+json", slot: "<!--picture-here-->", size: { width: 300, height: 200 } };

describe("static chart images in the executor", () => {
  let answers: ReturnType<typeof withImages>;
  beforeAll(() => {
    answers = withImages([{ charts: CHART_CONTRACT }, { charts: OTHER }, { charts: CHART_CONTRACT, committedSvg: "<svg>committed</svg>" }]);
  });

  it("are found by the chart helper's mime type, drawn at its size and put in its slot, all from the job", () => {
    expect(CHART_CONTRACT).toEqual({ mime: PLOTLY_MIME, slot: STATIC_IMAGE_SLOT, size: STATIC_IMAGE_SIZE });
    const { data, note } = answers[0];
    const svg = `<svg w="${STATIC_IMAGE_SIZE.width}" h="${STATIC_IMAGE_SIZE.height}">7</svg>`;
    expect(note).toBeNull();
    expect(data["image/svg+xml"]).toBe(svg);
    const html = String(data["text/html"]);
    expect(html).not.toContain(STATIC_IMAGE_SLOT);
    expect(html).toContain(`<img class="static-chart" alt="Figure: x (1 trace)" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}">`);
  });

  it("follow another contract when the job carries one: the executor has none of its own", () => {
    const { data } = answers[1];
    expect(data["image/svg+xml"]).toBe('<svg w="300" h="200">7</svg>');
    expect(String(data["text/html"])).toMatch(/^<div><img class="static-chart" [^>]+><\/div>$/);
  });

  it("keep the committed image of an unchanged figure instead of drawing it again", () => {
    expect(answers[2].data["image/svg+xml"]).toBe("<svg>committed</svg>");
  });
});

"""Static images of chart outputs, so a viewer that strips scripts (GitHub) still shows the chart.

What a chart output looks like comes from the chart helper (src/display/plot.ts) through the job's
"charts": the mime type of the figure JSON, the slot in the chart's HTML that the image replaces,
and the size to draw at. Each chart output gets its SVG both as image/svg+xml in the bundle and as
an <img> in place of the slot.

A figure identical to the committed one keeps its committed image: images depend on the fonts of
the machine that drew them, and redrawing unchanged figures would make `--check` fail on another
machine. New or changed figures are drawn by the job's "images.command" (tools/runner/chart-images.ts:
{"size": ..., "figures": [...]} as JSON on stdin, the SVGs as a JSON array on stdout);
"images.redraw" redraws them all. Without a browser ("images.skipped" says why), charts without a
committed image are left without one, and a note says so.
"""

from __future__ import annotations

import base64
import json
import subprocess
from html import escape as html_escape
from typing import Any

import nbformat

from messages import CellFailure, clip

SVG_MIME = "image/svg+xml"
HTML_MIME = "text/html"
DRAW_TIMEOUT_SECONDS = 300


def chart_outputs(nb: nbformat.NotebookNode, charts: dict[str, Any]) -> list[Any]:
    return [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if charts["mime"] in output.get("data", {})
    ]


def figure_key(output: Any, charts: dict[str, Any]) -> str:
    return json.dumps(output["data"][charts["mime"]], sort_keys=True)


def embed_image(output: Any, svg: str, charts: dict[str, Any]) -> None:
    """Put the image in the bundle and in the chart's HTML, where scriptless viewers show it."""
    data = output["data"]
    data[SVG_MIME] = svg
    html = data.get(HTML_MIME)
    if isinstance(html, list):
        html = "".join(html)
    slot = charts["slot"]
    if isinstance(html, str) and slot in html:
        alt = data.get("text/plain", "Chart")
        alt = "".join(alt) if isinstance(alt, list) else str(alt)
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        img = f'<img class="static-chart" alt="{html_escape(alt, quote=True)}" src="{uri}">'
        data[HTML_MIME] = html.replace(slot, img, 1)


def add_static_images(nb: nbformat.NotebookNode, committed: nbformat.NotebookNode, job: dict[str, Any], name: str) -> str | None:
    """Give every chart output its static image; returns a note when some could not be made."""
    charts = job["charts"]
    outputs = chart_outputs(nb, charts)
    if not outputs:
        return None
    images = job["images"]
    kept = {} if images.get("redraw") else {
        figure_key(o, charts): o["data"][SVG_MIME] for o in chart_outputs(committed, charts) if SVG_MIME in o["data"]
    }
    pending = []
    for output in outputs:
        svg = kept.get(figure_key(output, charts))
        if svg is None:
            pending.append(output)
        else:
            embed_image(output, "".join(svg) if isinstance(svg, list) else svg, charts)
    if not pending:
        return None
    command = images.get("command")
    if not command:
        return (
            f"{name}: {len(pending)} of {len(outputs)} chart(s) have no static image, so GitHub will not show them: "
            f"{images.get('skipped', 'no browser')}"
        )
    request = {"size": charts["size"], "figures": [output["data"][charts["mime"]] for output in pending]}
    try:
        drawn = subprocess.run(command, input=json.dumps(request), capture_output=True, text=True, timeout=DRAW_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise CellFailure(f"{name}: drawing the static chart images took over {DRAW_TIMEOUT_SECONDS} s; is the browser hanging?") from None
    if drawn.returncode != 0:
        raise CellFailure(f"{name}: drawing the static chart images failed:\n{clip(drawn.stderr.strip())}")
    for output, svg in zip(pending, json.loads(drawn.stdout)):
        embed_image(output, svg, charts)
    return None

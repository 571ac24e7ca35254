"""Execute notebooks on the tslab kernel with nbclient and write them back deterministically.

This is the Python half of the runner; scripts/run-notebooks.ts starts it with the project's
.venv Python and renders its progress. It reads one JSON job from stdin:

    {"notebooks": [{"path": "/abs/a.ipynb", "name": "notebooks/a.ipynb"}],
     "timeout": 300, "check": false, "kernel": "tslab"}

and writes one JSON object per line to the file descriptor given as --events-fd
(never to stdout, which the kernel and libraries may write to):

    {"type": "start", "name": ..., "cells": N}
    {"type": "cell",  "name": ..., "done": K}
    {"type": "note",  "name": ..., "message": str}     (something a person should know; not a failure)
    {"type": "end",   "name": ..., "status": "written" | "unchanged" | "up-to-date" | "stale"
                                             | "failed", "message": str | null}

Chart outputs (application/vnd.plotly.v1+json) get a static SVG image, both as image/svg+xml in
the bundle and as an <img> in the chart's HTML (in place of STATIC_IMAGE_SLOT), so a viewer that
strips scripts (GitHub) still shows the chart. A figure identical to the committed one keeps its
committed image: images depend on the fonts of the machine that drew them, and redrawing unchanged
figures would make `--check` fail on another machine. New or changed figures are drawn by the
command in the job's "images.command" (scripts/static-images.ts: figures as JSON on stdin, SVGs on
stdout); "images.redraw" redraws them all. Without a browser ("images.skipped" says why), charts
without a committed image are left without one, and a note says so.

A notebook on disk is only ever replaced by a complete, validated result (temporary file in the
same folder, then rename), so a failed run leaves it byte-identical.
"""

from __future__ import annotations

import argparse
import base64
import copy
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from html import escape as html_escape
from typing import Any, Callable

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from jupyter_client.kernelspec import NoSuchKernel

# Exactly what JupyterLab writes when tslab connects (its kernelspec, and the language_info of
# tslab 1.0.22's kernel_info reply, whose "version" is a fixed "3.7.2"): anything else makes merely
# opening a guide mark it modified, and autosave rewrite it. Fixed here rather than copied from the
# reply, so the committed metadata is the same on every machine.
KERNELSPEC = {"display_name": "TypeScript", "language": "typescript", "name": "tslab"}
LANGUAGE_INFO = {
    "codemirror_mode": {"mode": "typescript", "name": "javascript", "typescript": True},
    "file_extension": ".ts",
    "mimetype": "text/typescript",
    "name": "typescript",
    "version": "3.7.2",
}
# Per-cell metadata that records when or how long a cell ran: different on every run.
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Stack frames of tslab and Node's vm module: the same in every error and never the reader's code.
KERNEL_FRAME = re.compile(r"^\s+at .*(node_modules/tslab/|\(node:|sigintHandlersWrap)")
MAX_ERROR_LINES = 25
PLOTLY_MIME = "application/vnd.plotly.v1+json"
SVG_MIME = "image/svg+xml"
HTML_MIME = "text/html"
# Must equal STATIC_IMAGE_SLOT in src/display/plot.ts (a test checks that they agree).
STATIC_IMAGE_SLOT = "<!--static-image-->"


class CellFailure(Exception):
    """A cell failed; the message is ready to show a person."""


def read_notebook(path: str) -> nbformat.NotebookNode:
    """Read without nbformat's upgrade path, which would give id-less cells random ids."""
    with open(path, encoding="utf-8") as f:
        nb = nbformat.reads(f.read(), as_version=nbformat.NO_CONVERT)
    if nb.nbformat != 4:
        raise CellFailure(f"nbformat {nb.nbformat} is not supported; open and save it in JupyterLab 4 first")
    if nb.nbformat_minor < 5:
        nb.nbformat_minor = 5
        for index, cell in enumerate(nb.cells):
            if "id" not in cell:
                # Derived from position and source so that repeated runs agree.
                digest = hashlib.sha1(f"{index}\0{cell.source}".encode()).hexdigest()
                cell["id"] = digest[:12]
    return nb


def executable(cell: nbformat.NotebookNode) -> bool:
    """Mirror nbclient's rule for cells it actually sends to the kernel."""
    return (
        cell.cell_type == "code"
        and bool(cell.source.strip())
        and "skip-execution" not in cell.metadata.get("tags", [])
    )


def clear_outputs(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None


def normalize(nb: nbformat.NotebookNode) -> None:
    """Make the executed notebook depend only on its inputs and the cells' outputs."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = json.loads(json.dumps(LANGUAGE_INFO))
    count = 0
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        # tslab sends no execution counts; number the executed cells 1..n as a fresh kernel would.
        if executable(cell):
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = count
        else:
            cell.execution_count = None


def plotly_outputs(nb: nbformat.NotebookNode) -> list[Any]:
    return [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if PLOTLY_MIME in output.get("data", {})
    ]


def figure_key(output: Any) -> str:
    return json.dumps(output["data"][PLOTLY_MIME], sort_keys=True)


def embed_image(output: Any, svg: str) -> None:
    """Put the image in the bundle and in the chart's HTML, where scriptless viewers show it."""
    data = output["data"]
    data[SVG_MIME] = svg
    html = data.get(HTML_MIME)
    if isinstance(html, list):
        html = "".join(html)
    if isinstance(html, str) and STATIC_IMAGE_SLOT in html:
        alt = data.get("text/plain", "Chart")
        alt = "".join(alt) if isinstance(alt, list) else str(alt)
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        img = f'<img class="static-chart" alt="{html_escape(alt, quote=True)}" src="{uri}">'
        data[HTML_MIME] = html.replace(STATIC_IMAGE_SLOT, img, 1)


def add_static_images(nb: nbformat.NotebookNode, committed: nbformat.NotebookNode, job: dict[str, Any], name: str) -> str | None:
    """Give every chart output its static image; returns a note when some could not be made."""
    outputs = plotly_outputs(nb)
    if not outputs:
        return None
    images = job.get("images") or {}
    kept = {} if images.get("redraw") else {
        figure_key(o): o["data"][SVG_MIME] for o in plotly_outputs(committed) if SVG_MIME in o["data"]
    }
    pending = []
    for output in outputs:
        svg = kept.get(figure_key(output))
        if svg is None:
            pending.append(output)
        else:
            embed_image(output, "".join(svg) if isinstance(svg, list) else svg)
    if not pending:
        return None
    command = images.get("command")
    if not command:
        return (
            f"{name}: {len(pending)} of {len(outputs)} chart(s) have no static image, so GitHub will not show them: "
            f"{images.get('skipped', 'no browser')}"
        )
    figures = [output["data"][PLOTLY_MIME] for output in pending]
    try:
        drawn = subprocess.run(command, input=json.dumps(figures), capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise CellFailure(f"{name}: drawing the static chart images took over 300 s; is the browser hanging?") from None
    if drawn.returncode != 0:
        raise CellFailure(f"{name}: drawing the static chart images failed:\n{clip(drawn.stderr.strip())}")
    for output, svg in zip(pending, json.loads(drawn.stdout)):
        embed_image(output, svg)
    return None


def serialize(nb: nbformat.NotebookNode) -> bytes:
    text = nbformat.writes(nb)  # indent 1, sorted keys: the same layout JupyterLab saves
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


def write_atomically(path: str, data: bytes) -> None:
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".~" + os.path.basename(path) + ".", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        except FileNotFoundError:
            pass
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def first_line(cell: nbformat.NotebookNode) -> str:
    for line in cell.source.splitlines():
        if line.strip():
            return line.strip()
    return "(empty)"


def cell_label(nb: nbformat.NotebookNode, index: int) -> str:
    code_number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
    return f"cell {index + 1} (code cell {code_number})"


def clip(text: str) -> str:
    lines = [line for line in ANSI.sub("", text).rstrip().splitlines() if not KERNEL_FRAME.match(line)]
    if len(lines) > MAX_ERROR_LINES:
        hidden = len(lines) - MAX_ERROR_LINES
        lines = lines[:MAX_ERROR_LINES] + [f"… {hidden} more lines"]
    return "\n".join("    " + line for line in lines)


def error_text(cell: nbformat.NotebookNode, fallback: str) -> str:
    """What went wrong, as the cell showed it. tslab prints both thrown errors and compile
    diagnostics to stderr; an `error` output is what other kernels would send."""
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            trace = "\n".join(output.get("traceback", []))
            return clip(trace or f"{output.ename}: {output.evalue}")
    stderr = "".join(o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stderr")
    if stderr.strip():
        return clip(stderr)
    return clip(fallback)


def render_cell(cell: nbformat.NotebookNode | None) -> list[str]:
    """A cell as plain text lines, so a stale output reads as an ordinary diff."""
    if cell is None:
        return ["(no such cell)"]
    lines = [f"[{cell.cell_type} cell, id {cell.get('id')}]"]
    if cell.metadata:
        lines.append("metadata: " + json.dumps(cell.metadata, sort_keys=True))
    lines += cell.source.splitlines()
    if cell.cell_type != "code":
        return lines
    lines.append(f"--- outputs (execution_count {cell.execution_count}) ---")
    for output in cell.outputs:
        kind = output.output_type
        if kind == "stream":
            lines.append(f"[{output.name}]")
            lines += output.text.splitlines()
        elif kind == "error":
            lines.append(f"[error] {output.ename}: {output.evalue}")
        else:
            for mime, value in sorted(output.get("data", {}).items()):
                lines.append(f"[{kind} {mime}]")
                if mime.startswith("text/") or mime.endswith("json") or mime == "image/svg+xml":
                    text = value if isinstance(value, str) else json.dumps(value, indent=1, sort_keys=True)
                    lines += text.splitlines()
                else:
                    digest = hashlib.sha1(str(value).encode()).hexdigest()[:12]
                    lines.append(f"({len(str(value))} characters, sha1 {digest})")
    return lines


def describe_difference(name: str, committed_bytes: bytes, fresh: nbformat.NotebookNode) -> str:
    try:
        committed = nbformat.reads(committed_bytes.decode("utf-8"), as_version=nbformat.NO_CONVERT)
    except Exception as exc:  # an unreadable committed file is itself the difference
        return f"{name}: the committed file is not a readable notebook ({exc})"
    for index in range(max(len(committed.cells), len(fresh.cells))):
        old = committed.cells[index] if index < len(committed.cells) else None
        new = fresh.cells[index] if index < len(fresh.cells) else None
        old_lines, new_lines = render_cell(old), render_cell(new)
        if old_lines != new_lines:
            diff = difflib.unified_diff(
                old_lines, new_lines, fromfile=f"{name} (committed)", tofile=f"{name} (fresh run)", lineterm=""
            )
            return f"{name}: {cell_label(fresh if new else committed, index)} differs:\n" + "\n".join(diff)
    old_meta = json.dumps(committed.metadata, indent=1, sort_keys=True).splitlines()
    new_meta = json.dumps(fresh.metadata, indent=1, sort_keys=True).splitlines()
    if old_meta != new_meta:
        diff = difflib.unified_diff(
            old_meta, new_meta, fromfile=f"{name} metadata (committed)", tofile=f"{name} metadata (fresh run)", lineterm=""
        )
        return f"{name}: the notebook metadata differs:\n" + "\n".join(diff)
    return f"{name}: the cells match, but the file is not saved in the runner's normalized form (JSON layout, ids or nbformat version)"


def execute(
    entry: dict[str, str], job: dict[str, Any], emit: Callable[..., None], kernel_log: Any
) -> tuple[str, str | None]:
    path, name = entry["path"], entry["name"]
    with open(path, "rb") as f:
        original = f.read()
    committed = read_notebook(path)
    nb = copy.deepcopy(committed)  # executed in place; `committed` keeps the outputs on disk
    clear_outputs(nb)
    total = sum(1 for cell in nb.cells if executable(cell))
    emit(type="start", name=name, cells=total)
    done = 0  # executed cells, for the progress line
    current = {"index": -1}

    def on_cell_execute(cell: Any, cell_index: int) -> None:
        current["index"] = cell_index

    def on_cell_executed(cell: Any, cell_index: int, execute_reply: Any) -> None:
        nonlocal done
        done += 1
        emit(type="cell", name=name, done=done)

    client = NotebookClient(
        nb,
        timeout=job["timeout"],
        kernel_name=job["kernel"],
        resources={"metadata": {"path": os.path.dirname(path)}},
        record_timing=False,
        coalesce_streams=True,  # tslab may split one write into chunks depending on timing
        # Outputs are complete when the last cell replies; a graceful shutdown only adds seconds.
        shutdown_kernel="immediate",
        on_cell_execute=on_cell_execute,
        on_cell_executed=on_cell_executed,
    )

    def where() -> str:
        index = current["index"]
        if index < 0:
            return f"{name}, before the first cell ran"
        return f"{name}, {cell_label(nb, index)}, first line: {first_line(nb.cells[index])}"

    def kernel_said() -> str:
        kernel_log.flush()
        kernel_log.seek(0)
        said = kernel_log.read().decode("utf-8", "replace").strip()
        return ("; the kernel said:\n" + clip(said)) if said else ""

    try:
        client.execute(stdout=kernel_log, stderr=kernel_log)
    except CellTimeoutError:
        raise CellFailure(
            f"{where()}\n    did not finish within {job['timeout']} s; the run was stopped "
            "(raise the per-cell limit with --timeout SECONDS if the cell is just slow)"
        ) from None
    except DeadKernelError:
        detail = kernel_said() or " without printing anything (process.exit or a crash?)"
        raise CellFailure(f"{where()}\n    the tslab kernel died{detail}") from None
    except CellExecutionError as exc:
        cell = nb.cells[current["index"]]
        raise CellFailure(f"{where()}\n{error_text(cell, f'{exc.ename}: {exc.evalue}')}") from None
    except NoSuchKernel:
        raise CellFailure(
            f"{name}: the Jupyter kernel '{job['kernel']}' is not installed in .venv; run `npm run setup`"
        ) from None
    except RuntimeError as exc:  # nbclient's "Kernel didn't respond in N seconds" at start-up, and kin
        raise CellFailure(f"{where()}\n    the tslab kernel stopped responding: {exc}{kernel_said()}") from None

    note = add_static_images(nb, committed, job, name)
    if note:
        emit(type="note", name=name, message=note)
    normalize(nb)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise CellFailure(f"{name}: the executed notebook does not validate against the nbformat schema: {exc.message}") from None
    fresh = serialize(nb)

    if job["check"]:
        if fresh == original:
            return "up-to-date", None
        return "stale", describe_difference(name, original, nb)
    if fresh == original:
        return "unchanged", None
    write_atomically(path, fresh)
    return "written", None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events-fd", type=int, required=True)
    args = parser.parse_args()
    job = json.load(sys.stdin)
    events = os.fdopen(args.events_fd, "w", encoding="utf-8", buffering=1)

    def emit(**event: Any) -> None:
        events.write(json.dumps(event) + "\n")

    for entry in job["notebooks"]:
        with tempfile.TemporaryFile() as kernel_log:
            try:
                status, message = execute(entry, job, emit, kernel_log)
            except CellFailure as failure:
                status, message = "failed", str(failure)
            except (OSError, ValueError, nbformat.ValidationError) as exc:
                status, message = "failed", f"{entry['name']}: cannot read or write the notebook: {exc}"
        emit(type="end", name=entry["name"], status=status, message=message)
    events.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

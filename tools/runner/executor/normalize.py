"""Reading a notebook, and writing it back in a form that depends only on its inputs and outputs."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile

import nbformat

from messages import CellFailure

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


def parse_notebook(text: str) -> nbformat.NotebookNode:
    """Parse without nbformat's upgrade path, which would give id-less cells random ids."""
    nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
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


def serialize(nb: nbformat.NotebookNode, name: str) -> bytes:
    """Validated (nbviewer refuses invalid notebooks), in nbformat's layout (indent 1, sorted keys:
    what JupyterLab saves) with a final newline."""
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise CellFailure(f"{name}: the executed notebook does not validate against the nbformat schema: {exc.message}") from None
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


def write_atomically(path: str, data: bytes) -> None:
    """A temporary file in the same folder, then a rename: the file is old or new, never partial."""
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

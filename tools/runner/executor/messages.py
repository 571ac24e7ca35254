"""How the executor names a place in a notebook and shows an error to a person."""

from __future__ import annotations

import re

import nbformat

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Stack frames of tslab and Node's vm module: the same in every error and never the reader's code.
KERNEL_FRAME = re.compile(r"^\s+at .*(node_modules/tslab/|\(node:|sigintHandlersWrap)")
MAX_ERROR_LINES = 25


class CellFailure(Exception):
    """A notebook could not be executed or written; the message is ready to show a person."""


def first_line(cell: nbformat.NotebookNode) -> str:
    for line in cell.source.splitlines():
        if line.strip():
            return line.strip()
    return "(empty)"


def cell_label(nb: nbformat.NotebookNode, index: int) -> str:
    """Counted from 1 over all cells, markdown included, with its number among code cells."""
    code_number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
    return f"cell {index + 1} (code cell {code_number})"


def clip(text: str) -> str:
    """Without colours and kernel frames, at most MAX_ERROR_LINES lines, indented."""
    lines = [line for line in ANSI.sub("", text).rstrip().splitlines() if not KERNEL_FRAME.match(line)]
    if len(lines) > MAX_ERROR_LINES:
        hidden = len(lines) - MAX_ERROR_LINES
        lines = lines[:MAX_ERROR_LINES] + [f"… {hidden} more lines"]
    return "\n".join("    " + line for line in lines)

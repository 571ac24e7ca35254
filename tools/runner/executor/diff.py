"""What `--check` shows for a stale notebook: the first differing cell, as a unified diff of text."""

from __future__ import annotations

import difflib
import hashlib
import json

import nbformat

from messages import cell_label


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
    """The first cell whose text differs; else the metadata; else says the layout alone differs."""
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

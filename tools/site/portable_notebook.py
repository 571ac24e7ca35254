"""Make notebooks read the same in every viewer (JupyterLab, nbviewer/nbconvert, VS Code, GitHub).

    .venv/bin/python tools/site/portable_notebook.py [--check] NOTEBOOK...     (or: npm run portable -- ...)

Two conversions, both idempotent (a second run changes nothing) and safe on any notebook:

1. Markdown image attachments become files next to the notebook, `images/<notebook>/<name>`,
   referenced by relative path. JupyterLab 4 does not render `image/svg+xml` attachments (a
   broken-image icon); a relative image works in JupyterLab, nbconvert, nbviewer and VS Code.
   An existing file with other content is overwritten: the notebook's copy is the source.
2. Links to hand-written anchors (`[text](#faq-who)` where a cell has `<a id="faq-who"></a>`, also
   `other.ipynb#faq-who` for a notebook in the same folder) are pointed at the id JupyterLab and
   nbconvert both derive from the heading that follows the anchor: the heading's text with spaces
   turned into hyphens (`#Who-is-this-guide-for?`). JupyterLab strips `<a id>` tags, so a link to
   one lands nowhere there. The `<a id>` tags themselves are left in place.

A link to an anchor that has no heading after it, or to an id no heading derives, is reported and
the notebook is left unchanged (exit code 1). `--check` writes nothing and exits 1 when a
notebook would change. The JSON is written as nbformat writes it (the runner's and JupyterLab's
layout); re-run the notebook with `npm run guides` afterwards so its outputs stay real.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import sys
from html import unescape
from typing import Any
from urllib.parse import quote, unquote
from xml.etree import ElementTree

import nbformat
from nbconvert.filters.markdown_mistune import markdown2html_mistune

IMAGES_DIR = "images"
ANCHOR = re.compile(r'<a\s+(?:id|name)="([^"]+)"\s*>\s*</a>')
HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+\S.*$", re.M)
HTML_HEADING = re.compile(r"<h[1-6][^>]*>.*?</h[1-6]>", re.S)
# A markdown link or image target: `](target)` or `](target "title")`.
LINK = re.compile(r"(\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")
# JupyterLab follows an in-notebook link only when the link's `hash` equals its raw href and the
# raw fragment equals the heading's id: ids with characters a browser percent-encodes in a fragment
# (non-ASCII, space, quotes, angle brackets, backticks), or with parentheses (they end a markdown
# link target), cannot be linked there.
UNLINKABLE = re.compile(r'[^\x21-\x7e]|[()"<>`%]')
EXTENSIONS = {"image/svg+xml": ".svg", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}


class ConversionError(Exception):
    """The notebook cannot be converted as it is; the message says where and why."""


def source_of(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def heading_id(markdown_heading: str) -> str:
    """The id nbconvert gives a heading (JupyterLab derives the same: its text, spaces to hyphens)."""
    html = markdown2html_mistune(markdown_heading.strip())  # adds nbconvert's anchor to the heading
    match = HTML_HEADING.search(html)
    if not match:
        raise ConversionError(f"not a heading: {markdown_heading!r}")
    return unescape(ElementTree.fromstring(match.group(0)).get("id", ""))


def headings(nb: Any) -> list[tuple[int, int, str]]:
    """(cell index, offset in its source, derived id) of every markdown heading."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = source_of(cell)
        for m in HEADING_LINE.finditer(text):
            found.append((index, m.start(), heading_id(m.group(0))))
    return found


def anchor_targets(nb: Any) -> dict[str, str]:
    """Hand-written anchor -> derived id of the first heading after it (in the same cell or a later one)."""
    marks = headings(nb)
    targets: dict[str, str] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for m in ANCHOR.finditer(source_of(cell)):
            after = [h for h in marks if (h[0], h[1]) >= (index, m.end())]
            if after:
                targets[m.group(1)] = after[0][2]
    return targets


def extract_attachments(nb: Any, notebook_path: str) -> dict[str, bytes]:
    """Moves markdown attachments to files; returns {path relative to the notebook: bytes}."""
    stem = os.path.splitext(os.path.basename(notebook_path))[0]
    files: dict[str, bytes] = {}
    for index, cell in enumerate(nb.cells):
        attachments = cell.get("attachments")
        if cell.cell_type != "markdown" or not attachments:
            continue
        text = source_of(cell)
        for name, bundle in attachments.items():
            mime = next((m for m in EXTENSIONS if m in bundle), None)
            if mime is None:
                raise ConversionError(f"cell {index + 1}: attachment {name!r} has no image type this script knows ({', '.join(bundle)})")
            data = bundle[mime]
            data = "".join(data) if isinstance(data, list) else data
            if mime == "image/svg+xml" and data.lstrip().startswith("<"):
                content = data.encode("utf-8")
            else:
                content = base64.b64decode(data)
            base = os.path.basename(name)
            if not base.endswith(EXTENSIONS[mime]):
                base += EXTENSIONS[mime]
            rel = f"{IMAGES_DIR}/{stem}/{base}"
            files[rel] = content if content.endswith(b"\n") or mime != "image/svg+xml" else content + b"\n"
            text = text.replace(f"attachment:{name}", quote(rel))
        cell.source = text
        del cell["attachments"]
    return files


def retarget_links(nb: Any, notebook_path: str) -> list[str]:
    """Points links at hand-written anchors to their heading's derived id; returns the problems."""
    folder = os.path.dirname(os.path.abspath(notebook_path))
    own_ids = {h[2] for h in headings(nb)}
    own_targets = anchor_targets(nb)
    others: dict[str, tuple[set[str], dict[str, str]]] = {}
    problems: list[str] = []

    def ids_of(file: str) -> tuple[set[str], dict[str, str]] | None:
        if file not in others:
            path = os.path.join(folder, file)
            if not os.path.isfile(path):
                return None
            other = nbformat.read(path, as_version=nbformat.NO_CONVERT)
            others[file] = ({h[2] for h in headings(other)}, anchor_targets(other))
        return others[file]

    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue

        def fix(m: re.Match[str]) -> str:
            target = m.group(2)
            file, hash_, fragment = target.partition("#")
            if not hash_ or re.match(r"^[a-z][a-z0-9+.-]*:", file) or (file and not file.endswith(".ipynb")):
                return m.group(0)
            known = (own_ids, own_targets) if not file else ids_of(unquote(file))
            if known is None:
                problems.append(f"cell {index + 1}: link {target} names a notebook that is not in {folder}")
                return m.group(0)
            ids, targets = known
            wanted = unquote(fragment)
            if wanted in ids:
                new_id = wanted
            elif wanted in targets:
                new_id = targets[wanted]
            else:
                problems.append(f"cell {index + 1}: link {target} matches no heading and no <a id> followed by a heading")
                return m.group(0)
            if UNLINKABLE.search(new_id):
                problems.append(
                    f"cell {index + 1}: link {target} goes to the heading id {new_id!r}, which JupyterLab cannot follow"
                    " (a browser percent-encodes it); reword the heading with plain ASCII letters, digits and punctuation other than ( ) \" < > `"
                )
                return m.group(0)
            if new_id != wanted or fragment != new_id:
                return f"{m.group(1)}{file}#{new_id}{m.group(3)}"
            return m.group(0)

        cell.source = LINK.sub(fix, source_of(cell))
    return problems



def convert(notebook_path: str, check: bool = False) -> tuple[bool, list[str]]:
    """Converts one notebook in place; returns (changed, problems). With problems nothing is written."""
    with open(notebook_path, encoding="utf-8") as f:
        before = f.read()
    nb = nbformat.reads(before, as_version=nbformat.NO_CONVERT)
    files = extract_attachments(nb, notebook_path)
    problems = retarget_links(nb, notebook_path)
    if problems:
        return False, problems
    after = nbformat.writes(nb)
    if not after.endswith("\n"):
        after += "\n"
    folder = os.path.dirname(os.path.abspath(notebook_path))
    stale_files = [rel for rel, content in files.items() if not same_file(os.path.join(folder, rel), content)]
    changed = after != before or bool(stale_files)
    if check or not changed:
        return changed, []
    for rel, content in files.items():
        path = os.path.join(folder, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content)
    nbformat.validate(nb)
    with open(notebook_path, "w", encoding="utf-8") as f:
        f.write(after)
    return True, []


def same_file(path: str, content: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read() == content
    except FileNotFoundError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description="Attachments to image files, anchor links to heading ids.")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a notebook would change")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    status = 0
    for path in args.notebooks:
        try:
            changed, problems = convert(path, check=args.check)
        except (ConversionError, OSError, ValueError) as exc:
            changed, problems = False, [str(exc)]
        if problems:
            status = 1
            for p in problems:
                print(f"{path}: {p}", file=sys.stderr)
            print(f"{path}: not converted; fix the links above and run again", file=sys.stderr)
        elif changed:
            status = 1 if args.check else status
            print(f"{path}: {'would change' if args.check else 'converted'}")
        else:
            print(f"{path}: already portable")
    return status


if __name__ == "__main__":
    sys.exit(main())

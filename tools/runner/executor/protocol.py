"""The executor's side of the job protocol with Node (tools/runner/executor-process.ts defines the other).

Node starts `python tools/runner/executor --events-fd 3` and writes jobs to its stdin, one JSON
object per line, each one notebook:

    {"notebook": {"path": "/abs/a.ipynb", "name": "notebooks/a.ipynb"},
     "timeout": 300, "check": false, "keepGoing": false, "kernel": "tslab", "env": {"NAME": "value", ...},
     "charts": {"mime": ..., "slot": ..., "size": {"width": W, "height": H}},
     "images": {"command": [...], "redraw": false} | {"skipped": "why"}}

For each job it writes events, one JSON object per line, to the file descriptor given as
--events-fd (never to stdout, which the kernel and libraries may write to), ending with "end":

    {"type": "start", "name": ..., "cells": N}
    {"type": "cell",  "name": ..., "done": K, "failed": true}   ("failed" only when the cell failed; keepGoing runs on)
    {"type": "note",  "name": ..., "message": str}     (something a person should know; not a failure)
    {"type": "end",   "name": ..., "status": "written" | "unchanged" | "up-to-date" | "stale"
                                             | "failed", "message": str | null}

and then reads the next job; it exits when stdin closes. A failing notebook is an "end" event with
status "failed", never an exit.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from typing import Any

import nbformat

from execute import execute_notebook
from messages import CellFailure

JOB_KEYS = ("notebook", "timeout", "check", "keepGoing", "kernel", "env", "charts", "images")


def read_job(line: str) -> dict[str, Any]:
    job = json.loads(line)
    missing = [key for key in JOB_KEYS if key not in job]
    if missing:
        raise SystemExit(f"executor: the job from Node lacks {', '.join(missing)}: {line.strip()[:200]}")
    return job


def main() -> int:
    parser = argparse.ArgumentParser(description="Execute notebooks on the tslab kernel, one job per stdin line.")
    parser.add_argument("--events-fd", type=int, required=True)
    args = parser.parse_args()
    events = open(args.events_fd, "w", encoding="utf-8", buffering=1)

    def emit(**event: Any) -> None:
        events.write(json.dumps(event) + "\n")

    for line in iter(sys.stdin.readline, ""):
        if not line.strip():
            continue
        job = read_job(line)
        name = job["notebook"]["name"]
        with tempfile.TemporaryFile() as kernel_log:
            try:
                status, message = execute_notebook(job, emit, kernel_log)
            except CellFailure as failure:
                status, message = "failed", str(failure)
            except (OSError, ValueError, nbformat.ValidationError) as exc:
                status, message = "failed", f"{name}: cannot read or write the notebook: {exc}"
        emit(type="end", name=name, status=status, message=message)
    events.close()
    return 0

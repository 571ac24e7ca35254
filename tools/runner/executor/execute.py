"""Executing one notebook on a fresh kernel with nbclient, and deciding what becomes of the file."""

from __future__ import annotations

import asyncio
import copy
import os
from typing import IO, Any, Callable

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from diff import describe_difference
from images import add_static_images
from messages import CellFailure, cell_label, clip, first_line
from normalize import clear_outputs, executable, normalize, parse_notebook, serialize, write_atomically

Emit = Callable[..., None]


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


# Kernels of notebooks run side by side each pick free ports just before binding them, so now and then
# two pick the same one and the later kernel never comes up ("Address already in use"). That is a
# start-up race, not the notebook's fault: start a fresh kernel again, a few times at most.
PORT_RACE = "Address already in use"
# How long tslab aborts the requests it gets after a failed cell, with a margin (keepGoing).
TSLAB_ABORT_SECONDS = 0.3
START_ATTEMPTS = 3


class KernelStartRace(Exception):
    """The kernel lost a race for a port before any cell ran."""


def run_cells(nb: nbformat.NotebookNode, path: str, name: str, job: dict[str, Any], emit: Emit, kernel_log: IO[bytes]) -> list[str]:
    """Execute `nb` in place on a fresh kernel in the notebook's folder; a failure raises CellFailure,
    unless the job says `keepGoing`: then every cell runs and the failures are returned, one
    description per failed cell. A kernel that lost a port race at start-up is replaced
    (START_ATTEMPTS in all)."""
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            return run_cells_once(nb, path, name, job, emit, kernel_log, last_attempt=attempt == START_ATTEMPTS)
        except KernelStartRace:
            clear_outputs(nb)
            kernel_log.seek(0)
            kernel_log.truncate()
    return []


def run_cells_once(nb: nbformat.NotebookNode, path: str, name: str, job: dict[str, Any], emit: Emit, kernel_log: IO[bytes], last_attempt: bool) -> list[str]:
    """One try of run_cells, on one fresh kernel."""
    done = 0  # executed cells, for the progress line
    current = {"index": -1}
    failures: list[str] = []

    def on_cell_execute(cell: Any, cell_index: int) -> None:
        current["index"] = cell_index

    async def on_cell_executed(cell: Any, cell_index: int, execute_reply: Any) -> None:
        nonlocal done
        done += 1
        # "abort": the kernel skipped the cell (tslab does so for a moment after a failure).
        failed = (execute_reply or {}).get("content", {}).get("status") in ("error", "abort")
        if failed:
            failures.append(f"{where()}\n{error_text(cell, 'the kernel did not run the cell (aborted)')}")
            # tslab aborts whatever it is sent within 200 ms of a failure (its execQueue.reset(200)):
            # wait that out, so the next cell runs.
            await asyncio.sleep(TSLAB_ABORT_SECONDS)
        emit(type="cell", name=name, done=done, **({"failed": True} if failed else {}))

    client = NotebookClient(
        nb,
        timeout=job["timeout"],
        kernel_name=job["kernel"],
        # With keepGoing, a failing cell is recorded (on_cell_executed) and the next one runs.
        allow_errors=job["keepGoing"],
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

    def lost_port_race() -> bool:
        kernel_log.flush()
        kernel_log.seek(0)
        said = kernel_log.read().decode("utf-8", "replace")
        return current["index"] < 0 and PORT_RACE in said and not last_attempt

    try:
        try:
            # Each notebook gets the environment of its job (another notebook of this executor may
            # have run against another account).
            client.execute(stdout=kernel_log, stderr=kernel_log, env=job["env"])
        except (DeadKernelError, RuntimeError, CellTimeoutError):
            if lost_port_race():
                raise KernelStartRace() from None
            raise
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
    return failures


def execute_notebook(job: dict[str, Any], emit: Emit, kernel_log: IO[bytes]) -> tuple[str, str | None]:
    """Run the job's notebook and write it back (or, with "check", compare); returns the status
    ("written", "unchanged", "up-to-date" or "stale") and, when stale, the first difference.
    The file is only ever replaced by a complete, validated result."""
    path, name = job["notebook"]["path"], job["notebook"]["name"]
    with open(path, "rb") as f:
        original = f.read()
    committed = parse_notebook(original.decode("utf-8"))
    nb = copy.deepcopy(committed)  # executed in place; `committed` keeps the outputs on disk
    clear_outputs(nb)
    emit(type="start", name=name, cells=sum(1 for cell in nb.cells if executable(cell)))

    failures = run_cells(nb, path, name, job, emit, kernel_log)
    note = add_static_images(nb, committed, job, name)
    if note:
        emit(type="note", name=name, message=note)
    normalize(nb)
    fresh = serialize(nb, name)

    if failures:
        # Only with keepGoing: every cell ran, and the file (never in check mode) shows what each did.
        if not job["check"]:
            write_atomically(path, fresh)
        more = f"\n… and {len(failures) - 1} more failed cells" if len(failures) > 1 else ""
        return "failed", failures[0] + more
    if job["check"]:
        if fresh == original:
            return "up-to-date", None
        return "stale", describe_difference(name, original, nb)
    if fresh == original:
        return "unchanged", None
    write_atomically(path, fresh)
    return "written", None

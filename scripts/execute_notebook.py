#!/usr/bin/python3
"""Execute one notebook with nbclient and the tslab kernel; write the executed copy and HTML.

Usage:
  /usr/bin/python3 scripts/execute_notebook.py NB.ipynb --out-nb build/notebooks/NB.ipynb \
      --out-html build/html/NB.html [--kernel tslab] [--cell-timeout 600] [--report report.json]
      [--keep-going]

Exit status: 0 when every cell ran; 1 when a cell failed or timed out (the report names the
cell); 2 on a usage or setup problem. The report (JSON) holds: notebook, ok, cells, failed_cell
(1-based index among all cells, and among code cells), error name/value, wall seconds, and the
tfjs memory left after the last cell (numTensors, numBytes); `verdicts`, the exercise checks'
verdicts the notebook displayed (see lib/exercises/check.ts); and `errors`, every failed cell.
--keep-going (the grader's mode) runs on past a cell that fails or times out (the kernel is
interrupted), so later exercises are still checked; it stops at a dead kernel or at a second
timeout in a row (a kernel the interrupt did not free).
"""
import argparse
import json
import os
import re
import sys
import time

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from nbconvert import HTMLExporter
except ImportError as e:  # pragma: no cover
    print(f"Jupyter's Python packages are missing ({e}). Install them: sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient", file=sys.stderr)
    sys.exit(2)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEMORY_PROBE = (
    "{ const __m = require(%s).memory(); "
    "console.log('__TSDL_MEMORY__' + JSON.stringify({ numTensors: __m.numTensors, numBytes: __m.numBytes })); }"
    % json.dumps(os.path.join(ROOT, "node_modules", "@tensorflow", "tfjs"))
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
VERDICT_MIME = "application/vnd.tsdl.verdict+json"
TIMEOUT_ENAME = "TimeoutError"


def first_line(text, limit=400):
    text = (text or "").strip()
    return text if len(text) <= limit else text[:limit] + "..."


def describe_error(e, cell):
    """'Name: message' from a CellExecutionError, falling back to the cell's error output."""
    ename, evalue, traceback = getattr(e, "ename", None), getattr(e, "evalue", None), None
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            ename = ename or out.get("ename")
            evalue = evalue or out.get("evalue")
            traceback = out.get("traceback")
    message = (evalue or "").strip()
    # tslab writes the error to the cell's stderr stream and leaves evalue empty.
    stderr = "".join(out.get("text", "") for out in cell.get("outputs", [])
                     if out.get("output_type") == "stream" and out.get("name") == "stderr")
    if not message and stderr.strip():
        lines = [l.strip() for l in ANSI.sub("", stderr).splitlines() if l.strip()]
        named = [l for l in lines if re.match(r"^[\w$.]*(Error|Exception): ", l)]
        message = named[0] if named else "; ".join(lines[:3])
        if named:
            return first_line(message)
        ename = "TypeScriptError" if re.match(r"^\d+:\d+ - ", lines[0]) else ename
    if not message and traceback:
        message = ANSI.sub("", "\n".join(traceback)).strip()
    if not message:
        message = str(e)
    ename = (ename or "Error").strip("<>") or "Error"
    return f"{ename}: {first_line(message)}"


def collect_verdicts(nb):
    """The verdicts the exercise checks displayed, in cell order, each with its 1-based cell index and
    whether that cell calls the matching check function (checkNN_K for exercise NN.K)."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        for out in cell.get("outputs", []):
            verdict = out.get("data", {}).get(VERDICT_MIME) if out.get("output_type") in ("display_data", "execute_result") else None
            if not isinstance(verdict, dict) or not isinstance(verdict.get("exercise"), str):
                continue
            call = "check" + verdict["exercise"].replace(".", "_") + "("
            found.append({**verdict, "cell": index + 1, "from_check_cell": call in source})
    return found


class CellFailures:
    """Grader mode: cells run with errors allowed; the hooks keep each cell's reply status and each
    failed cell's reply; run(client, cell, index) executes a cell and raises CellExecutionError
    when it failed.

    tslab drops ("abort") every request that reaches it within 200 ms after a failed cell
    (tslab issue 19), so after a failure the next cell waits, and an aborted cell runs again."""

    def __init__(self):
        self.replies = {}
        self.last_status = None
        self.failed_last = False

    def on_error(self, cell, cell_index, execute_reply, **_):
        self.replies[cell_index] = execute_reply.get("content", {})

    def on_executed(self, cell, cell_index, execute_reply, **_):
        self.last_status = (execute_reply or {}).get("content", {}).get("status")

    def run(self, client, cell, index):
        for attempt in range(4):
            if self.failed_last or attempt:
                time.sleep(0.5)
            self.replies.pop(index, None)
            client.execute_cell(cell, index)
            if self.last_status != "abort":
                break
        content = self.replies.pop(index, None)
        self.failed_last = content is not None
        if content is not None:
            raise CellExecutionError.from_cell_and_msg(cell, content)


def keep_going_setup(client, cell_timeout):
    """Grader mode: a failed cell does not stop the others; a cell past its time limit is
    interrupted and reported as a TimeoutError. Returns the hook that records failures."""
    failures = CellFailures()
    client.allow_errors = True
    client.on_cell_error = failures.on_error
    client.on_cell_executed = failures.on_executed
    client.interrupt_on_timeout = True
    client.error_on_timeout = {"ename": TIMEOUT_ENAME, "evalue": f"cell ran past {cell_timeout} s and was stopped", "traceback": []}
    return failures


def record_error(report, index, code_index, error):
    """Adds a failed cell to the report (the first one is also failed_cell)."""
    report["errors"].append({"cell": index + 1, "code_cell": code_index, "error": error})
    if report["ok"]:
        report.update(ok=False, failed_cell=index + 1, failed_code_cell=code_index, error=error)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--out-nb", required=True)
    ap.add_argument("--out-html")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--cell-timeout", type=int, default=600)
    ap.add_argument("--startup-timeout", type=int, default=120)
    ap.add_argument("--report")
    ap.add_argument("--keep-going", action="store_true")
    args = ap.parse_args()

    name = os.path.basename(args.notebook)
    try:
        nb = nbformat.read(args.notebook, as_version=4)
    except Exception as e:  # not JSON, not a notebook, unreadable: say so in one line
        error = (f"{type(e).__name__}: {name} cannot be read as a notebook ({first_line(str(e), 200)}); "
                 "fix or restore the file (it must be nbformat JSON, e.g. written by scripts/nbtool.py build)")
        if args.report:
            with open(args.report, "w", encoding="utf-8") as f:
                json.dump({"notebook": name, "ok": False, "cells": 0, "failed_cell": None, "failed_code_cell": None,
                           "error": error, "errors": [], "verdicts": [], "memory": None, "wall_s": 0}, f)
        print(f"{name}: FAILED at start-up: {error}", file=sys.stderr)
        return 1
    workdir = os.path.dirname(os.path.abspath(args.notebook))
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.cell_timeout,
        startup_timeout=args.startup_timeout,
        resources={"metadata": {"path": workdir}},
        allow_errors=False,
    )
    report = {"notebook": name, "ok": True, "cells": len(nb.cells), "failed_cell": None, "failed_code_cell": None,
              "error": None, "errors": [], "verdicts": [], "memory": None, "wall_s": None}
    failures = keep_going_setup(client, args.cell_timeout) if args.keep_going else None
    started = time.time()
    code_index = 0
    timeouts_in_a_row = 0
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                code_index += 1
                try:
                    if failures:
                        failures.run(client, cell, index)
                    else:
                        client.execute_cell(cell, index)
                    timeouts_in_a_row = 0
                except CellTimeoutError:
                    report.update(ok=False, failed_cell=index + 1, failed_code_cell=code_index,
                                  error=f"TimeoutError: cell ran past {args.cell_timeout} s and was stopped")
                    break
                except CellExecutionError as e:
                    if not args.keep_going:
                        report.update(ok=False, failed_cell=index + 1, failed_code_cell=code_index,
                                      error=describe_error(e, nb.cells[index]))
                        break
                    timed_out = getattr(e, "ename", None) == TIMEOUT_ENAME
                    record_error(report, index, code_index, describe_error(e, nb.cells[index]))
                    timeouts_in_a_row = timeouts_in_a_row + 1 if timed_out else 0
                    if timeouts_in_a_row >= 2:
                        report["errors"][-1]["error"] += " (the interrupt did not free the kernel: the cells after it were not run)"
                        break
                    continue
                except DeadKernelError as e:
                    if args.keep_going:
                        record_error(report, index, code_index, f"DeadKernelError: the kernel died ({first_line(str(e))})")
                        break
                    report.update(ok=False, failed_cell=index + 1, failed_code_cell=code_index,
                                  error=f"DeadKernelError: the kernel died ({first_line(str(e))})")
                    break
            if report["ok"]:
                probe = nbformat.v4.new_code_cell(MEMORY_PROBE)
                nb.cells.append(probe)
                try:
                    client.execute_cell(probe, len(nb.cells) - 1)
                    for out in probe.get("outputs", []):
                        text = out.get("text", "")
                        if "__TSDL_MEMORY__" in text:
                            report["memory"] = json.loads(text.split("__TSDL_MEMORY__", 1)[1].strip().splitlines()[0])
                except Exception as e:  # the probe is informative only
                    report["memory"] = {"error": first_line(str(e))}
                finally:
                    nb.cells.pop()
    except Exception as e:
        report.update(ok=False, error=f"{type(e).__name__}: {first_line(str(e))}")
    report["wall_s"] = round(time.time() - started, 2)
    report["verdicts"] = collect_verdicts(nb)

    os.makedirs(os.path.dirname(os.path.abspath(args.out_nb)), exist_ok=True)
    nbformat.write(nb, args.out_nb)
    if args.out_html:
        os.makedirs(os.path.dirname(os.path.abspath(args.out_html)), exist_ok=True)
        body, _ = HTMLExporter().from_notebook_node(nb)
        with open(args.out_html, "w", encoding="utf-8") as f:
            f.write(body)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            json.dump(report, f)
    if not report["ok"]:
        where = f"cell {report['failed_cell']} (code cell {report['failed_code_cell']})" if report["failed_cell"] else "setup"
        print(f"{name}: FAILED at {where}: {report['error']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

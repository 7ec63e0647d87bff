#!/usr/bin/python3
"""Execute one notebook with nbclient and the tslab kernel; write the executed copy and HTML.

Usage:
  /usr/bin/python3 scripts/execute_notebook.py NB.ipynb --out-nb build/notebooks/NB.ipynb \
      --out-html build/html/NB.html [--kernel tslab] [--cell-timeout 600] [--report report.json]
      [--keep-going]

Exit status: 0 when every cell ran; 1 when a cell failed or timed out (the report names the
cell), or when an error escaped a cell (thrown from a timer or an unhandled promise rejection:
the report names the cell that was running, or the last one that ran); 2 on a usage or setup
problem; 128 + N when stopped by signal N (SIGTERM, SIGINT, SIGHUP: the kernel is shut down
and its process group killed first). --kernel-pid-file writes the kernel's process id once it
runs, so that a runner can end it should this process die. The report (JSON) holds: notebook, ok, cells, failed_cell
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
import signal
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

# Run once after the kernel starts (not saved in the notebook): records errors that escape a
# cell (tslab prints an uncaught exception from a timer and swallows unhandled rejections).
ASYNC_ERRORS_HOOK = """{
  const g = globalThis as any;
  if (g.__tsdlAsyncErrors === undefined) {
    g.__tsdlAsyncErrors = [];
    const record = (kind: string) => (e: any, promise?: Promise<unknown>) =>
      g.__tsdlAsyncErrors.push({ kind, promise, at: Date.now(), message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    process.on('uncaughtException', record('an uncaught exception'));
    process.on('unhandledRejection', record('an unhandled promise rejection'));
    // A rejection handled later (awaited in a later cell) was not lost after all.
    process.on('rejectionHandled', (p: Promise<unknown>) => {
      g.__tsdlAsyncErrors = g.__tsdlAsyncErrors.filter((r: any) => r.promise !== p);
    });
  }
}"""
ASYNC_ERRORS_PROBE = ("console.log('__TSDL_ASYNC__' + JSON.stringify(((globalThis as any).__tsdlAsyncErrors ?? [])"
                      ".map((r: any) => ({ kind: r.kind, at: r.at, message: r.message }))));")


class Terminated(BaseException):
    """Raised by the signal handler: the run was asked to stop (BaseException: nbclient must not catch it)."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def stop_on_signals(client):
    """SIGTERM, SIGINT and SIGHUP end the run: the kernel is shut down at once, not after the cell."""
    def handler(signum, _frame):
        client.shutdown_kernel = "immediate"
        raise Terminated(signum)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, handler)


def kernel_pid(client):
    """The kernel's process id (it runs in its own session, so also its process group), or None."""
    provisioner = getattr(client.km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    return getattr(process, "pid", None)


def kill_process_group(pid):
    """Kills what is left of the kernel's process group (the kernel started it in a new session)."""
    if not pid:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def run_probe(client, nb, source, marker):
    """Executes a cell that is not part of the notebook and returns the JSON it printed after marker."""
    probe = nbformat.v4.new_code_cell(source)
    nb.cells.append(probe)
    try:
        client.execute_cell(probe, len(nb.cells) - 1, store_history=False)
        for out in probe.get("outputs", []):
            text = out.get("text", "")
            if marker in text:
                return json.loads(text.split(marker, 1)[1].strip().splitlines()[0])
        return None
    finally:
        nb.cells.pop()


def escaped_error(errors, cell_times):
    """The report fields for the first error that escaped a cell, naming the cell that was running
    (or the last one that had run) when it was thrown."""
    first = errors[0]
    at = first["at"] / 1000.0
    ran = [t for t in cell_times if t["start"] <= at]
    if not ran:
        return None, None, f"Error before the first cell: {first['message']}"
    cell = ran[-1]
    when = "while it ran" if at <= cell["end"] else "after it ended"
    more = f" ({len(errors) - 1} more after it)" if len(errors) > 1 else ""
    return cell["cell"], cell["code_cell"], (
        f"{first['message']} (thrown outside the cell's own code, {first['kind']} {when}: from a timer, "
        f"an event or a promise nobody awaited; await it, or catch the error inside the callback){more}")


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
    ap.add_argument("--kernel-pid-file")
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
    cell_times = []
    pid = None
    exit_signal = None
    stop_on_signals(client)
    try:
        with client.setup_kernel():
            pid = kernel_pid(client)
            if args.kernel_pid_file and pid:
                with open(args.kernel_pid_file, "w", encoding="utf-8") as f:
                    f.write(str(pid))
            run_probe(client, nb, ASYNC_ERRORS_HOOK, "__never__")
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                code_index += 1
                cell_times.append({"cell": index + 1, "code_cell": code_index, "start": time.time(), "end": None})
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
                finally:
                    cell_times[-1]["end"] = time.time()
            if report["ok"]:
                errors = run_probe(client, nb, ASYNC_ERRORS_PROBE, "__TSDL_ASYNC__") or []
                if errors:
                    failed, failed_code, error = escaped_error(errors, cell_times)
                    report.update(ok=False, failed_cell=failed, failed_code_cell=failed_code, error=error)
            if report["ok"]:
                try:
                    report["memory"] = run_probe(client, nb, MEMORY_PROBE, "__TSDL_MEMORY__")
                except Exception as e:  # the probe is informative only
                    report["memory"] = {"error": first_line(str(e))}
    except Terminated as t:
        exit_signal = t.signum
        where = f" during cell {cell_times[-1]['cell']} (code cell {cell_times[-1]['code_cell']})" if cell_times else ""
        report.update(ok=False, error=f"Terminated: stopped by {signal.Signals(t.signum).name}{where}; the kernel was shut down")
    except Exception as e:
        report.update(ok=False, error=f"{type(e).__name__}: {first_line(str(e))}")
    finally:
        kill_process_group(pid)
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
        return 128 + exit_signal if exit_signal else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

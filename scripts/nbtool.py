#!/usr/bin/python3
"""Build tslab notebooks (.ipynb) from percent-format TypeScript text, in two tracks, and back.

Usage:
  python3 scripts/nbtool.py build-all [--check]          # notebooks-src/*.ts -> notebooks/ and notebooks/solutions/
  python3 scripts/nbtool.py build SRC.ts OUT.ipynb [--track student|solutions]
  python3 scripts/nbtool.py extract NB.ipynb OUT.ts      # notebook -> percent text
  python3 scripts/nbtool.py strip NB.ipynb [...]         # remove outputs and execution counts in place
  python3 scripts/nbtool.py check NB.ipynb [...]         # exit 1 if any notebook carries outputs

Percent format: a line `// %% [markdown]` starts a markdown cell whose lines are `// `-prefixed;
`// %%` starts a code cell; `// %% [solution]` starts a code cell that is a solution as a whole.

Two tracks come from one source:
- student (`notebooks/NN-title.ipynb`): each region between `// ### BEGIN SOLUTION` and
  `// ### END SOLUTION` becomes one `// your code here` line at the marker's indentation (in a
  markdown cell: `_Your answer here._`); a `[solution]` cell without regions becomes a code cell
  holding only `// your code here`.
- solutions (`notebooks/solutions/NN-title.ipynb`): everything, the marker lines removed;
  `[solution]` cells stay collapsed and tagged "solution". This track sits one folder deeper, so
  its imports of the compiled library read `../../dist/` where the source says `../dist/`.
`build-all --check` writes nothing and exits 1 when a committed notebook differs from its source.
Builds are byte-for-byte reproducible.
"""
import json
import os
import re
import sys

KERNELSPEC = {"display_name": "TypeScript", "language": "typescript", "name": "tslab"}
LANGUAGE_INFO = {
    "codemirror_mode": {"mode": "typescript", "name": "javascript", "typescript": True},
    "file_extension": ".ts",
    "mimetype": "text/typescript",
    "name": "typescript",
    "version": "5.0",
}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRACKS = ("student", "solutions")
BEGIN, END = "// ### BEGIN SOLUTION", "// ### END SOLUTION"
CODE_STUB, MARKDOWN_STUB = "// your code here", "_Your answer here._"
# A comment line that says BEGIN/END SOLUTION in any spelling: the exact forms are markers, the
# others are typos that would leak a solution to students.
MARKER_LIKE = re.compile(r"^//[\s#]*(BEGIN|END)\s+SOLUTIONS?\s*$", re.IGNORECASE)
LIBRARY_IMPORT = re.compile(r"""(['"])\.\./dist/""")


class SourceError(Exception):
    """A problem in a percent-format source, with its file and 1-based line."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")


def _source_lines(lines):
    while lines and lines[0].strip() == "":
        lines.pop(0)
    while lines and lines[-1].strip() == "":
        lines.pop()
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines else [])


def parse(src):
    """The cells of a percent-format file: a list of (kind, [(line number, text)], marker line)."""
    text = open(src, encoding="utf-8").read().splitlines()
    cells, kind, buf, start = [], None, [], 0
    for number, line in enumerate(text, 1):
        stripped = line.strip()
        if stripped.startswith("// %%"):
            if kind is not None:
                cells.append((kind, buf, start))
            tag = stripped[5:].strip()
            kind = {"[markdown]": "markdown", "[md]": "markdown", "[solution]": "solution", "": "code"}.get(tag)
            if kind is None:
                raise SourceError(src, number, f"unknown cell marker {stripped!r} (use // %%, // %% [markdown] or // %% [solution])")
            buf, start = [], number
        else:
            if kind is None:
                if stripped:
                    raise SourceError(src, number, f"text before the first '// %%' marker: {line!r}")
                continue
            buf.append((number, line))
    if kind is not None:
        cells.append((kind, buf, start))
    return [c for c in cells if any(l.strip() for _, l in c[1])]


def apply_regions(src, kind, lines, track):
    """The cell's lines for one track: solution regions replaced (student) or unmarked (solutions)."""
    out, opened = [], None
    stub = MARKDOWN_STUB if kind == "markdown" else CODE_STUB
    for number, line in lines:
        stripped = line.strip()
        if stripped == BEGIN:
            if opened is not None:
                raise SourceError(src, number, f"'{BEGIN}' inside the region opened at line {opened}: regions cannot nest; close that one first with '{END}'")
            opened = number
            if track == "student":
                indent = line[: len(line) - len(line.lstrip())]
                out.append(stub if kind == "markdown" else indent + stub)
        elif stripped == END:
            if opened is None:
                raise SourceError(src, number, f"'{END}' without a '{BEGIN}' above it in this cell")
            opened = None
        elif MARKER_LIKE.match(stripped):
            word = "BEGIN" if "BEGIN" in stripped.upper() else "END"
            raise SourceError(src, number, f"malformed marker {stripped!r}: write exactly '// ### {word} SOLUTION'")
        elif opened is None or track == "solutions":
            out.append(line)
    if opened is not None:
        raise SourceError(src, opened, f"'{BEGIN}' is never closed: add '{END}' before the cell ends (line {lines[-1][0]})")
    return out


def _cell(kind, lines, track, has_regions):
    if kind == "markdown":
        body = []
        for line in lines:
            if line.startswith("// "):
                body.append(line[3:])
            elif line.startswith("//"):
                body.append(line[2:])
            else:
                body.append(line)
        return {"cell_type": "markdown", "metadata": {}, "source": _source_lines(body)}
    metadata = {}
    if kind == "solution":
        if track == "solutions":
            metadata = {"jupyter": {"source_hidden": True}, "tags": ["solution"]}
        elif not has_regions:
            lines = [CODE_STUB]
    if track == "solutions":
        lines = [LIBRARY_IMPORT.sub(r"\1../../dist/", line) for line in lines]
    return {"cell_type": "code", "execution_count": None, "metadata": metadata, "outputs": [], "source": _source_lines(lines)}


def render(src, track="student"):
    """The notebook JSON text of one track of a source (raises SourceError on a bad source)."""
    if track not in TRACKS:
        raise ValueError(f"unknown track {track!r}: use student or solutions")
    cells = []
    for kind, lines, _ in parse(src):
        has_regions = any(l.strip() == BEGIN for _, l in lines)
        cells.append(_cell(kind, apply_regions(src, kind, lines, track), track, has_regions))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"
    nb = {
        "cells": cells,
        "metadata": {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def _write(path, text):
    """Writes through a temporary file, so an interrupted build leaves no half-written notebook."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def build(src, out, track="student"):
    _write(out, render(src, track))


def targets(root=ROOT):
    """(source, track, output) for every notebooks-src/*.ts, in course order."""
    src_dir = os.path.join(root, "notebooks-src")
    if not os.path.isdir(src_dir):
        raise SourceError(src_dir, 0, "no notebooks-src/ folder")
    out = []
    for name in sorted(f for f in os.listdir(src_dir) if f.endswith(".ts") and not f.startswith(".")):
        stem = name[:-3]
        src = os.path.join(src_dir, name)
        out.append((src, "student", os.path.join(root, "notebooks", stem + ".ipynb")))
        out.append((src, "solutions", os.path.join(root, "notebooks", "solutions", stem + ".ipynb")))
    return out


def build_all(root=ROOT, check_only=False):
    """Builds both tracks of every source; with check_only, lists what differs instead. Returns 0 or 1."""
    rel = lambda p: os.path.relpath(p, root)
    problems = []
    expected = set()
    for src, track, out in targets(root):
        expected.add(os.path.abspath(out))
        text = render(src, track)
        current = open(out, encoding="utf-8").read() if os.path.exists(out) else None
        if current == text:
            continue
        if check_only:
            what = "missing" if current is None else "differs from its source"
            problems.append(f"{rel(out)}: {what} ({rel(src)}, {track} track)")
        else:
            _write(out, text)
            print(f"built {rel(out)}")
    for folder in (os.path.join(root, "notebooks"), os.path.join(root, "notebooks", "solutions")):
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            path = os.path.abspath(os.path.join(folder, name))
            if name.endswith(".ipynb") and path not in expected:
                problems.append(f"{rel(path)}: has no source in notebooks-src/ (add notebooks-src/{name[:-6]}.ts, or delete the notebook)")
    for p in problems:
        print(f"nbtool: {p}")
    if problems:
        fix = "python3 scripts/nbtool.py build-all" if check_only else "see above"
        print(f"nbtool: {len(problems)} notebook(s) out of date: edit notebooks-src/, then run {fix} and commit notebooks/")
        return 1
    return 0


def extract(nb_path, out):
    nb = json.load(open(nb_path, encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            parts.append("// %% [markdown]\n" + "\n".join(("// " + l) if l else "//" for l in src.split("\n")))
        else:
            tags = cell.get("metadata", {}).get("tags", [])
            parts.append(("// %% [solution]\n" if "solution" in tags else "// %%\n") + src)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n\n".join(parts) + "\n")


def strip(paths):
    for p in paths:
        nb = json.load(open(p, encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"] = []
                cell["execution_count"] = None
        with open(p, "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1, ensure_ascii=False)
            f.write("\n")


def check(paths):
    bad = []
    for p in paths:
        nb = json.load(open(p, encoding="utf-8"))
        if any(c.get("outputs") or c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"):
            bad.append(p)
    for p in bad:
        print(f"{p}: carries outputs; run python3 scripts/nbtool.py strip {p}")
    return 1 if bad else 0


def _track_option(argv):
    if "--track" not in argv:
        return argv, "student"
    i = argv.index("--track")
    if i + 1 >= len(argv) or argv[i + 1] not in TRACKS:
        return None, None
    return argv[:i] + argv[i + 2:], argv[i + 1]


def main(argv):
    try:
        if argv[:1] == ["build-all"] and set(argv[1:]) <= {"--check"}:
            return build_all(check_only="--check" in argv)
        if argv[:1] == ["build"]:
            rest, track = _track_option(argv[1:])
            if rest is not None and len(rest) == 2:
                build(rest[0], rest[1], track)
                return 0
        elif len(argv) >= 3 and argv[0] == "extract":
            extract(argv[1], argv[2])
            return 0
        elif len(argv) >= 2 and argv[0] == "strip":
            strip(argv[1:])
            return 0
        elif len(argv) >= 2 and argv[0] == "check":
            return check(argv[1:])
    except SourceError as e:
        print(f"nbtool: {e}", file=sys.stderr)
        return 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

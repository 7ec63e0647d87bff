#!/usr/bin/python3
"""Convert between percent-format TypeScript text and tslab notebooks (.ipynb), and strip outputs.

Usage:
  python3 scripts/nbtool.py build SRC.ts OUT.ipynb     # percent text -> notebook without outputs
  python3 scripts/nbtool.py extract NB.ipynb OUT.ts    # notebook -> percent text
  python3 scripts/nbtool.py strip NB.ipynb [...]       # remove outputs and execution counts in place
  python3 scripts/nbtool.py check NB.ipynb [...]       # exit 1 if any notebook carries outputs

Percent format: a line `// %% [markdown]` starts a markdown cell whose lines are `// `-prefixed;
`// %%` starts a code cell; `// %% [solution]` starts a code cell collapsed in Jupyter
(an exercise's solution, tagged "solution").
"""
import json
import sys

KERNELSPEC = {"display_name": "TypeScript", "language": "typescript", "name": "tslab"}
LANGUAGE_INFO = {
    "codemirror_mode": {"mode": "typescript", "name": "javascript", "typescript": True},
    "file_extension": ".ts",
    "mimetype": "text/typescript",
    "name": "typescript",
    "version": "5.0",
}


def _source_lines(lines):
    while lines and lines[0].strip() == "":
        lines.pop(0)
    while lines and lines[-1].strip() == "":
        lines.pop()
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines else [])


def _cell(kind, lines):
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
        metadata = {"jupyter": {"source_hidden": True}, "tags": ["solution"]}
    return {"cell_type": "code", "execution_count": None, "metadata": metadata, "outputs": [], "source": _source_lines(lines)}


def build(src, out):
    text = open(src, encoding="utf-8").read().splitlines()
    cells, kind, buf = [], None, []
    for line in text:
        stripped = line.strip()
        if stripped.startswith("// %%"):
            if kind is not None and any(l.strip() for l in buf):
                cells.append(_cell(kind, buf))
            tag = stripped[5:].strip()
            kind = {"[markdown]": "markdown", "[md]": "markdown", "[solution]": "solution", "": "code"}.get(tag)
            if kind is None:
                sys.exit(f"{src}: unknown cell marker {stripped!r} (use // %%, // %% [markdown] or // %% [solution])")
            buf = []
        else:
            if kind is None:
                if stripped:
                    sys.exit(f"{src}: text before the first '// %%' marker: {line!r}")
                continue
            buf.append(line)
    if kind is not None and any(l.strip() for l in buf):
        cells.append(_cell(kind, buf))
    nb = {
        "cells": cells,
        "metadata": {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"
    with open(out, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")


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


def main(argv):
    if len(argv) >= 3 and argv[0] == "build":
        build(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "extract":
        extract(argv[1], argv[2])
    elif len(argv) >= 2 and argv[0] == "strip":
        strip(argv[1:])
    elif len(argv) >= 2 and argv[0] == "check":
        return check(argv[1:])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

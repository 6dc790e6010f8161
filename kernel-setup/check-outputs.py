#!/usr/bin/env python3
"""Check executed notebooks: outputs present, no errors.

Usage:
    check-outputs.py [--errors-only] [NOTEBOOK ...]

With no NOTEBOOK, checks every notebooks/*.ipynb of this checkout. A notebook
fails when

  * a code cell holds an error output (a compile error, a panic, a timeout), or
  * a non-empty code cell was never executed (no execution count), or
  * a non-empty code cell that runs code has no outputs (its outputs were
    cleared before committing). A cell runs code when a line starts with "%"
    (GoNB's "%%", "%main", "%test", ...) or "!" (a shell command). Cells that
    only declare (imports, funcs, types) print nothing and need no output; so
    does a cell tagged "no-output" or whose first line is "// no-output".

--errors-only skips the second rule; run-notebooks.sh uses it on freshly
executed notebooks and this script then also prints what the failing cell
wrote to stdout/stderr.

Prints one line per offender and exits 1 if there is any. Needs only the
Python standard library (notebooks are JSON).
"""

import glob
import json
import os
import re
import sys

TAIL_LINES = 40
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


def text_of(value):
    if isinstance(value, list):
        return "".join(value)
    return value or ""


def clean(s):
    return ANSI_RE.sub("", s)


def tail(s, n=TAIL_LINES):
    lines = s.rstrip("\n").splitlines()
    if len(lines) > n:
        lines = ["... (%d lines cut)" % (len(lines) - n)] + lines[-n:]
    return "\n".join(lines)


def indent(s, prefix="    "):
    return "\n".join(prefix + line for line in s.splitlines())


def is_exempt(cell, source):
    tags = cell.get("metadata", {}).get("tags", []) or []
    if "no-output" in tags:
        return True
    lines = [l.strip() for l in source.splitlines() if l.strip()]
    if lines and lines[0].lower() in ("// no-output", "//no-output"):
        return True
    runs_code = any(l.startswith("%") or l.startswith("!") for l in lines)
    return not runs_code


def cell_streams(cell):
    """Text the cell printed, stdout and stderr together, in order."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(text_of(out.get("text")))
        elif out.get("output_type") in ("display_data", "execute_result"):
            data = out.get("data", {})
            if "text/plain" in data:
                parts.append(text_of(data["text/plain"]) + "\n")
    return clean("".join(parts))


def error_text(out):
    tb = out.get("traceback") or []
    text = "\n".join(clean(line) for line in tb).strip()
    head = "%s: %s" % (out.get("ename", "error"), clean(out.get("evalue", "")).strip())
    if text and clean(out.get("evalue", "")).strip() not in text:
        return head + "\n" + text
    return text or head


def check(path, errors_only, verbose):
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError) as e:
        return ["%s: cannot read notebook: %s" % (path, e)]
    code_index = 0
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        code_index += 1
        source = text_of(cell.get("source"))
        if not source.strip():
            continue
        lines = [l.strip() for l in source.splitlines() if l.strip() and l.strip() != "%%"]
        where = "%s: cell %d (code cell %d: %r)" % (
            path, i + 1, code_index, (lines or ["%%"])[0][:60])
        outputs = cell.get("outputs", [])
        errors = [o for o in outputs if o.get("output_type") == "error"]
        if errors:
            msg = "%s: error output" % where
            if verbose:
                msg += "\n  source:\n" + indent(tail(source, 15))
                printed = cell_streams(cell).strip()
                if printed:
                    msg += "\n  output:\n" + indent(tail(printed))
                for e in errors:
                    msg += "\n  error:\n" + indent(tail(error_text(e)))
            problems.append(msg)
        elif errors_only:
            continue
        elif cell.get("execution_count") is None:
            problems.append("%s: never executed" % where)
        elif not outputs and not is_exempt(cell, source):
            problems.append("%s: no outputs (execute it, or tag the cell no-output)" % where)
    return problems


def main(argv):
    errors_only = "--errors-only" in argv
    args = [a for a in argv if a != "--errors-only"]
    if any(a.startswith("-") for a in args):
        print(__doc__, file=sys.stderr)
        return 2
    if not args:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        args = sorted(glob.glob(os.path.join(root, "notebooks", "*.ipynb")))
        if not args:
            print("check-outputs: no notebooks/*.ipynb found")
            return 0
    problems = []
    for path in args:
        problems += check(path, errors_only, verbose=errors_only)
    for p in problems:
        print(p)
    if problems:
        if not errors_only:
            print("check-outputs: %d problem(s). Fix: kernel-setup/run-notebooks.sh --inplace NOTEBOOK, "
                  "then commit the executed notebook." % len(problems))
        return 1
    if not errors_only:
        print("check-outputs: %d notebook(s) OK" % len(args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

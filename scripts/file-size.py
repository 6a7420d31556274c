#!/usr/bin/env python3
"""Prints the non-test line count of every Rust file in core/src and web/src, longest first,
and fails when one is over the limit (900): a file holds one concept, and a longer file is
the sign that it holds two (the handbook's rule, issue 12).

Non-test lines are the lines before a `#[cfg(test)]` followed by `mod tests` (tests sit at
the end of a file); a file that is all tests (a `tests.rs` declared under `#[cfg(test)]`)
is left out. Usage: python3 scripts/file-size.py [limit]
"""
import os
import re
import sys

LIMIT = int(sys.argv[1]) if len(sys.argv) > 1 else 900
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DIRS = ["core/src", "web/src"]


def non_test_lines(text):
    m = re.search(r"^#\[cfg\(test\)\]\s*mod tests\s*\{", text, re.M)
    return text[: m.start()].count("\n") if m else text.count("\n")


def test_only_files(root):
    """Files declared as `#[cfg(test)] mod name;`: all of them is test code."""
    found = set()
    for d in DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for f in files:
                if not f.endswith(".rs"):
                    continue
                text = open(os.path.join(dirpath, f), encoding="utf-8").read()
                for name in re.findall(r"#\[cfg\(test\)\]\s*mod (\w+);", text):
                    base = dirpath if f in ("mod.rs", "lib.rs", "main.rs") else os.path.join(dirpath, f[:-3])
                    found.add(os.path.normpath(os.path.join(base, name + ".rs")))
    return found


def main():
    skip = test_only_files(ROOT)
    counts = []
    for d in DIRS:
        for dirpath, _, files in os.walk(os.path.join(ROOT, d)):
            for f in files:
                path = os.path.normpath(os.path.join(dirpath, f))
                if f.endswith(".rs") and path not in skip:
                    text = open(path, encoding="utf-8").read()
                    counts.append((non_test_lines(text), os.path.relpath(path, ROOT)))
    counts.sort(reverse=True)
    for n, path in counts:
        print(f"{n:6} {path}")
    over = [(n, p) for n, p in counts if n > LIMIT]
    if over:
        print(f"over {LIMIT} lines of non-test code: " + ", ".join(f"{p} ({n})" for n, p in over))
        return 1
    print(f"every file is at most {LIMIT} lines of non-test code (longest: {counts[0][1]}, {counts[0][0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

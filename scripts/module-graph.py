#!/usr/bin/env python3
"""Prints the import graph of brain-core's modules and fails on a circle.

An edge `a -> b` means a file of top-level module `a` (core/src/a.rs or
core/src/a/...) names `crate::b` (in a `use crate::...` or a path), outside
its tests. The crate root (lib.rs) only declares and re-exports modules and
is left out. Exit status 1 when the graph has a circle, which is printed.
Usage: python3 scripts/module-graph.py [core/src]
"""
import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "core", "src")


def modules(src):
    names = set()
    for entry in os.listdir(src):
        if entry.endswith(".rs") and entry != "lib.rs":
            names.add(entry[:-3])
        elif os.path.isdir(os.path.join(src, entry)):
            names.add(entry)
    return names


def without_tests(text):
    """The text before a `#[cfg(test)] mod tests` block (tests sit at the end)."""
    m = re.search(r"#\[cfg\(test\)\]\s*mod tests\s*\{", text)
    return text[: m.start()] if m else text


def names_in_use_groups(text):
    """`use crate::{a, b::c, d::{e}}` -> a, b, d (first segment of each path)."""
    found = []
    for m in re.finditer(r"use\s+crate::\{", text):
        depth, i, start = 1, m.end(), m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        group = text[start : i - 1]
        # Top-level items of the group: split on commas at depth 0.
        depth, item = 0, ""
        for ch in group:
            if ch in "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                found.append(item)
                item = ""
            else:
                item += ch
        found.append(item)
    return [re.split(r"::|\s", f.strip())[0] for f in found if f.strip()]


def edges(src):
    mods = modules(src)
    result = set()
    for root, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs") or f == "tests.rs":
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, src)
            if rel == "lib.rs":
                continue
            owner = rel.split(os.sep)[0].removesuffix(".rs")
            text = without_tests(open(path, encoding="utf-8").read())
            text = re.sub(r"//[^\n]*", "", text)
            named = re.findall(r"(?<![$\w])crate::(\w+)", text) + names_in_use_groups(text)
            for name in named:
                if name in mods and name != owner:
                    result.add((owner, name))
    return sorted(result)


def find_cycle(graph_edges):
    graph = {}
    for a, b in graph_edges:
        graph.setdefault(a, []).append(b)
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def main():
    graph_edges = edges(SRC)
    for a, b in graph_edges:
        print(f"{a} -> {b}")
    cycle = find_cycle(graph_edges)
    if cycle:
        print("circle: " + " -> ".join(cycle), file=sys.stderr)
        return 1
    print(f"{len(graph_edges)} edges, no circle")
    return 0


if __name__ == "__main__":
    sys.exit(main())

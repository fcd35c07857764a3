"""The import graph of kpt_audit has no cycle, and no module needs a late import (``noqa: E402``).

Static, like ``../shared/tools/import_cycles.py``: every import statement of a
module counts, at the top or inside a function.  ``from . import x`` counts as
importing the package itself and ``x``; importing a submodule counts as
importing that module only (not its parent packages' ``__init__``).
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kpt_audit"


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    out = {}
    for f in sorted(root.rglob("*.py")):
        parts = list(f.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = f
    return out


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    base = module.split(".")
    if path.name != "__init__.py":
        base = base[:-1]
    if not node.level:
        return node.module or ""
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """module -> the modules of the package it imports."""
    mods = modules(root)
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for module, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(module, path, node)
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                if target and target != module and target.split(".")[0] == root.name:
                    edges[module].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def test_the_cycle_finder_finds_cycles_and_only_cycles():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"f"}, "f": set(), "g": {"g2"}, "g2": {"g"}}
    assert cycles(edges) == [["a", "b", "c"], ["g", "g2"]]
    assert cycles({"x": {"y"}, "y": set()}) == []


def test_the_graph_sees_relative_imports_of_the_package_itself(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("def f():\n    from .sub import mod\n", encoding="utf-8")
    (pkg / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "mod.py").write_text("from .. import f\n", encoding="utf-8")
    assert import_graph(pkg) == {"pkg": {"pkg.sub", "pkg.sub.mod"}, "pkg.sub": set(), "pkg.sub.mod": {"pkg"}}
    assert cycles(import_graph(pkg)) == [["pkg", "pkg.sub.mod"]]


def test_kpt_audit_has_no_import_cycle():
    found = cycles(import_graph())
    assert found == [], "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_no_late_imports():
    late = [f"{path.relative_to(PACKAGE.parent)}:{n}" for path in modules().values()
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "noqa: E402" in line]
    assert late == [], "imports after code (noqa: E402): " + ", ".join(late)

"""Print the import cycles among the modules of graphintel, loaders and dashboards.

Builds the module import graph from the source (ast: every ``import`` and ``from ...
import`` at any depth, including function-level ones, which still tie two modules
together) and prints each strongly connected component of more than one module with one
cycle through it (a module importing its own parent package is not counted). Exit status
1 when there is any. Usage: ``python tools/import_cycles.py``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graphintel", "loaders", "dashboards")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> nx.DiGraph:
    modules = {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            for target in targets:
                # the longest known module the import names (a module or a name in one)
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(f"{target}."):
                    graph.add_edge(name, target)
    return graph


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    """One cycle per strongly connected component of two or more modules."""
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            found.append(nx.find_cycle(graph.subgraph(component)))
    return [[a for a, _ in cycle] for cycle in sorted(found)]


def main() -> int:
    found = cycles(import_graph())
    for cycle in found:
        print(" -> ".join([*cycle, cycle[0]]))
    print(f"{len(found)} import cycle(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

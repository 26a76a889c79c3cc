"""The import structure the architecture relies on: no import cycle among the packages'
modules, and ``graphintel`` reaching ``loaders`` and ``dashboards`` only from its CLI (the
one composition root). Uses ``tools/import_cycles.py``, the script that prints them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import networkx as nx

TOOL = Path(__file__).resolve().parents[1] / "tools" / "import_cycles.py"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_cycles", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_import_cycle_among_the_packages() -> None:
    tool = _tool()
    assert tool.cycles(tool.import_graph()) == []


def test_the_cycle_finder_reports_a_cycle() -> None:
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    assert _tool().cycles(graph) == [["a", "b", "c"]]


def test_graphintel_reaches_loaders_and_dashboards_only_from_its_cli() -> None:
    graph = _tool().import_graph()
    outside = sorted(
        (source, target)
        for source, target in graph.edges
        if source.startswith("graphintel.")
        and not source.startswith("graphintel.cli")
        and target.split(".")[0] in {"loaders", "dashboards"}
    )
    assert outside == []

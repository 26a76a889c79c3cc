"""The saved resolver state is reused only while the code that made its comparisons is
unchanged: its fingerprint must cover every module those comparisons import."""

from __future__ import annotations

import ast
from importlib import resources

import pytest

from graphintel.resolve import state
from graphintel.resolve.config import ResolverConfig


def _imports(package: str, name: str) -> set[tuple[str, str]]:
    """The graphintel.resolve / graphintel.normalize modules one module imports."""
    source = resources.files(package).joinpath(name).read_text()
    found: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(source)):
        modules: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        for module in modules:
            head, _, tail = module.rpartition(".")
            ours = head in ("graphintel.normalize", "graphintel.resolve")
            if ours and resources.files(head).joinpath(f"{tail}.py").is_file():
                found.add((head, f"{tail}.py"))
    return found


def _comparison_code() -> set[tuple[str, str]]:
    """Every module reached from the modules that normalize and compare mentions."""
    todo = [("graphintel.resolve", n) for n in ("features.py", "rules.py", "scoring.py")]
    seen: set[tuple[str, str]] = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(_imports(*module))
    return seen


def test_fingerprint_covers_every_normalize_module_the_comparisons_import() -> None:
    reached = {name for package, name in _comparison_code() if package.endswith("normalize")}
    assert {"name_compare.py", "nicknames.py"} <= reached  # the walk does find imports
    assert reached - set(state._NORMALIZE) == set()


def test_fingerprint_changes_with_the_comparison_code(monkeypatch: pytest.MonkeyPatch) -> None:
    before = state.fingerprint(ResolverConfig())
    narrowed = tuple(n for n in state._NORMALIZE if n != "nicknames.py")
    monkeypatch.setattr(state, "_NORMALIZE", narrowed)
    assert state.fingerprint(ResolverConfig()) != before

"""The README and docs/ stay true for a fresh clone: their links resolve inside the
repository, nothing points at files only the developers' machine has, and the manifest
schema in docs/ matches the columns the loader validates against."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphintel.manifest import MANIFEST_COLUMNS

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "loaders" / "MAPPING.md"]
DOCS += sorted((REPO / "examples").rglob("*.md"))
_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_resolves_in_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    broken = []
    for target in _LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a URL or an anchor in the same page
        path = (doc.parent / target.split("#", 1)[0]).resolve()
        if not path.exists() or REPO not in path.parents:
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_doc_points_at_the_developers_shared_folder(doc: Path) -> None:
    """``shared/`` (schema, data sets) exists on the team's machine, not in a clone."""
    assert re.findall(r"\S*\bshared/\S*", doc.read_text(encoding="utf-8")) == []


_USAGE = [*DOCS, *sorted((REPO / "benchmarks").glob("*.py"))]


@pytest.mark.parametrize("doc", _USAGE, ids=lambda p: str(p.relative_to(REPO)))
def test_no_command_uses_the_developers_workspace(doc: Path) -> None:
    """Commands a user copies (README, docs, the benchmarks' usage) name no path of the
    developers' machine (its checkouts under /work, its lock for heavy runs)."""
    assert re.findall(r"\S*(?:/work/|heavy\.lock)\S*", doc.read_text(encoding="utf-8")) == []


def test_the_manifest_schema_in_docs_lists_the_loaders_columns() -> None:
    text = (REPO / "docs" / "manifest.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) \| (\w+) \| (yes|no) \|", text, re.MULTILINE)
    assert rows == [(c.name, c.type.value, "yes" if c.required else "no") for c in MANIFEST_COLUMNS]

"""What only the embedded store does; the shared behaviour lives in ``test_contract.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphintel.errors import StoreError, UnknownStoreURL
from graphintel.store import SqliteStore, open_store, sqlite_path


def test_store_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert sqlite_path("sqlite:///a/b.db") == Path("a/b.db")
    assert sqlite_path("sqlite:////abs/b.db") == Path("/abs/b.db")
    assert sqlite_path("plain.db") == Path("plain.db")
    assert sqlite_path("neo4j://h:7687") is None
    s = open_store(f"sqlite:///{tmp_path}/x.db")
    assert isinstance(s, SqliteStore)
    s.close()
    with pytest.raises(UnknownStoreURL):
        open_store("ftp://nowhere")
    # neo4j:// and bolt:// open the Neo4j store; with no server listening the user gets one
    # clear StoreError naming the URL, not a driver traceback.
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    for url in ("neo4j://127.0.0.1:1", "bolt://127.0.0.1:1/graphintel"):
        with pytest.raises(StoreError, match="cannot open Neo4j store"):
            open_store(url)


def test_store_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    first = SqliteStore(path)
    first.start_run("analyze", {}, {})
    first.close()
    again = SqliteStore(path)
    assert len(again.runs()) == 1
    again.close()

"""What only the embedded store does; the shared behaviour lives in ``test_contract.py``."""

from __future__ import annotations

import sqlite3
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


def test_stores_written_before_network_countries_still_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    SqliteStore(path).close()
    conn = sqlite3.connect(path)
    for column in ("countries", "name", "points"):  # as an older GraphIntel made it
        conn.execute(f"ALTER TABLE networks DROP COLUMN {column}")
    conn.execute(
        "INSERT INTO runs VALUES ('r1', 'analyze', 'succeeded', 't', 't', '{}', '{}', '{}', '')"
    )
    conn.execute(
        "INSERT INTO networks (run_id, network_id, rank, score, reasons, evidence, typologies,"
        " first_date, last_date, seized_count, n_shipments, n_entities)"
        " VALUES ('r1', 'n1', 1, 2.0, '[]', '{}', '[]', '', '', 0, 3, 2)"
    )
    conn.commit()
    conn.close()
    store = SqliteStore(path)
    [net] = store.networks("r1")
    assert net.countries == () and net.n_shipments == 3
    assert net.name == "" and net.points == {}
    assert not store.search_index_ready()  # built on first use by the app or by analysis
    store.close()


def test_store_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    first = SqliteStore(path)
    first.start_run("analyze", {}, {})
    first.close()
    again = SqliteStore(path)
    assert len(again.runs()) == 1
    again.close()

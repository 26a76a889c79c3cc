"""Backends for the shared ``GraphStore`` contract suite.

``sqlite`` always runs. ``neo4j`` runs when ``NEO4J_URI`` (and ``NEO4J_USER`` /
``NEO4J_PASSWORD``) name a server, e.g. the one ``docker compose up neo4j`` starts. The
Neo4j backend EMPTIES the database it is pointed at before every test: point it at a
throwaway server or database only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphintel.store import GraphStore, SqliteStore

BACKENDS = ("sqlite", "neo4j")
NEO4J_SKIP = "set NEO4J_URI (+ NEO4J_USER/NEO4J_PASSWORD) to run the contract suite on Neo4j"


def open_backend(name: str, tmp_path: Path, label: str = "store") -> Iterator[GraphStore]:
    """Yield a fresh, empty store of backend ``name`` and close it afterwards."""
    if name == "sqlite":
        s: GraphStore = SqliteStore(tmp_path / f"{label}.db")
    else:
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip(NEO4J_SKIP)
        from graphintel.store.neo4j import Neo4jStore, credentials

        user, password = credentials()
        database = os.environ.get("NEO4J_DATABASE") or None
        neo = Neo4jStore(uri, user, password, database=database, batch_size=7)
        neo.wipe()
        neo.ensure_schema()
        s = neo
    try:
        yield s
    finally:
        s.close()

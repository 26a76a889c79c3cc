"""Backends for the shared ``GraphStore`` contract suite.

``sqlite`` always runs. ``neo4j`` runs when ``NEO4J_URI`` (and ``NEO4J_USER`` /
``NEO4J_PASSWORD``) name a server, e.g. the one ``docker compose up neo4j`` starts. The
Neo4j backend EMPTIES the database it is pointed at before every test: point it at a
throwaway server or database only.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graphintel.store import GraphStore, SqliteStore
from graphintel.store.base import props_json

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


def graph_snapshot(
    store: GraphStore, parties: Iterable[str], counts_except: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The stored graph as every reader sees it, in a canonical order: nodes, edges,
    mentions, the merge evidence of ``parties`` in ``explain``'s order, and the counts."""
    return {
        "nodes": sorted(
            (n.id, n.kind, n.label, props_json(n.props)) for b in store.iter_nodes() for n in b
        ),
        "edges": sorted(
            (e.source, e.kind, e.target, e.weight, props_json(e.props))
            for b in store.iter_edges()
            for e in b
        ),
        "mentions": sorted(
            (m.shipment_id, m.role, m.entity_id, m.name) for b in store.iter_mentions() for m in b
        ),
        "evidence": {p: store.merge_evidence(p) for p in parties},
        "counts": {k: v for k, v in store.counts().items() if k not in counts_except},
    }

"""Compare SQLite stores by content: what a user sees, minus ids that are random per run.

Load ids and run ids are fresh UUIDs on every load or run, and timestamps differ, so two
stores built from the same input by the same commands differ only there; everything else
(shipments with their file and row, quarantine, the resolved graph, ranked networks) must
be equal.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

Rows = list[tuple[Any, ...]]

_NETWORK_COLUMNS = (
    "network_id, rank, score, reasons, evidence, typologies, first_date, last_date,"
    " seized_count, n_shipments, n_entities"
)


def _read(path: Path, sql: str, params: tuple[Any, ...] = ()) -> Rows:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _columns_except(path: Path, table: str, *dropped: str) -> str:
    names = [r[1] for r in _read(path, f"PRAGMA table_info({table})")]
    return ", ".join(n for n in names if n not in dropped)


def integrity(path: Path) -> str:
    return str(_read(path, "PRAGMA integrity_check")[0][0])


def loads(path: Path) -> Rows:
    """One row per recorded load: file, status and counts (not the load id or times)."""
    return _read(
        path,
        "SELECT file_id, status, rows_read, rows_loaded, rows_quarantined, rows_duplicate"
        " FROM loads ORDER BY file_id, status",
    )


def shipments(path: Path) -> Rows:
    """Every shipment with every value and its source file and row (not the load id)."""
    columns = _columns_except(path, "shipments", "load_id")
    return _read(path, f"SELECT {columns} FROM shipments ORDER BY shipment_id")


def quarantine(path: Path) -> Rows:
    return _read(
        path,
        "SELECT file_id, row_number, column_name, reason, raw FROM quarantine"
        " ORDER BY file_id, row_number, column_name",
    )


def tables(path: Path) -> dict[str, Rows]:
    """Every row of every table (SQLite's own excepted), each table sorted: for comparing a
    store with a copy of itself, where even the random ids and the times must be equal."""
    names = _read(
        path,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name",
    )
    return {name: sorted(_read(path, f'SELECT * FROM "{name}"'), key=repr) for (name,) in names}


def graph(path: Path) -> dict[str, Rows]:
    """The resolved graph: nodes, edges, mention assignments and merge evidence."""
    evidence = _columns_except(path, "merge_evidence", "id")
    return {
        "nodes": _read(path, "SELECT * FROM nodes ORDER BY id"),
        "edges": _read(path, "SELECT * FROM edges ORDER BY source, kind, target"),
        "mentions": _read(path, "SELECT * FROM mentions ORDER BY shipment_id, role"),
        "merge_evidence": _read(path, f"SELECT {evidence} FROM merge_evidence ORDER BY {evidence}"),
    }


def runs(path: Path, kind: str = "analyze") -> Rows:
    """(run_id, status, message) of every run of ``kind``, in the order they started (the
    rowid: two run ids of the same second sort by their random part)."""
    return _read(
        path,
        "SELECT run_id, status, message FROM runs WHERE kind = ? ORDER BY rowid",
        (kind,),
    )


def networks(path: Path, run_id: str) -> tuple[Rows, Rows]:
    """A run's ranked networks and their members, without the run id."""
    ranked = _read(
        path,
        f"SELECT {_NETWORK_COLUMNS} FROM networks WHERE run_id = ? ORDER BY network_id",
        (run_id,),
    )
    members = _read(
        path,
        "SELECT network_id, node_id, is_shipment FROM network_members WHERE run_id = ?"
        " ORDER BY network_id, node_id",
        (run_id,),
    )
    return ranked, members

"""The resolved graph's atomic swap (``replace_graph_parts``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from graphintel.errors import StoreError
from graphintel.records import (
    MergeEvidence,
)
from graphintel.store import trigram_search
from graphintel.store.base import (
    GraphChange,
    GraphPart,
    GraphRemoval,
    NodeRow,
    check_kinds,
    chunks,
    evidence_row,
    row_kind,
)
from graphintel.store.sqlite.connection import (
    SqliteBase,
    placeholders,
)
from graphintel.store.sqlite.graph_journal import (
    add_triggers,
    drop_triggers,
    drop_triggers_for_rewrite,
    journal_node_writes,
    journal_position,
    journal_staged_node_writes,
    nodes_changed_since,
)
from graphintel.store.staging import STAGED_COLUMNS, StagedRows

_GRAPH_BATCH = 50_000  # rows per executemany of the graph write
# A node written again after a removal (``_NodeRewrite``): its props always change (a
# count), its kind and label seldom; only a changed indexed column touches its index.
_NODE_UPSERT = (
    "INSERT INTO nodes (id, kind, label, props) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET props = excluded.props"
)
_NODE_RELABEL = (
    "UPDATE nodes SET kind = ?2, label = ?3 WHERE id = ?1 AND (kind IS NOT ?2 OR label IS NOT ?3)"
)
_EVIDENCE_COLUMNS = ", ".join(STAGED_COLUMNS["merge_evidence"])
_EVIDENCE_VALUES = placeholders(len(STAGED_COLUMNS["merge_evidence"]))
# Repeated edges add up their weights. A plain INSERT was no cheaper for the resolver's
# distinct, key-ordered edges (2.5 s either way for 1.38M edges at 200k shipments).
_EDGE_UPSERT = (
    "INSERT INTO edges (source, kind, target, weight, props) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (source, kind, target) DO UPDATE SET weight = weight + excluded.weight"
)


# A delta journals the keys it changes itself, as the journal's triggers would (they are
# dropped for its transaction: firing one cost a row more than writing the row): the
# keys of the rows it writes, and of those it deletes or moves, read before it does.
_JOURNAL_KEY = {
    "nodes": ("node", "id", 1),
    "edges": ("source, kind, target", "source, kind, target", 3),
}


def _journalled(conn: sqlite3.Connection, table: str, rows: Iterable[Any]) -> Iterator[Any]:
    """``rows`` of ``table`` (nodes or edges), their keys journalled a batch at a time
    (nodes as the triggers would: ``journal_node_writes``)."""
    columns, _, width = _JOURNAL_KEY[table]
    insert = f"INSERT INTO graph_journal ({columns}) VALUES ({placeholders(width)})"
    for chunk in chunks(rows, _GRAPH_BATCH):
        if table == "nodes":
            journal_node_writes(conn, chunk)
        else:
            conn.executemany(insert, [row[:width] for row in chunk])
        yield from chunk


def _journal_where(
    conn: sqlite3.Connection, table: str, where: str, params: Sequence[tuple[str, ...]]
) -> None:
    """Journal the keys of the rows of ``table`` that ``where`` finds for each of
    ``params`` (before they are deleted)."""
    columns, key, _ = _JOURNAL_KEY[table]
    conn.executemany(
        f"INSERT INTO graph_journal ({columns}) SELECT {key} FROM {table} WHERE {where}", params
    )


def _row_writer(insert: str, what: str) -> Callable[[sqlite3.Connection, Iterable[Any]], int]:
    """A writer of one graph table's rows through ``insert``, kinds checked as ``what``."""

    def write(conn: sqlite3.Connection, rows: Iterable[Any]) -> int:
        written = 0
        for chunk in chunks(rows, _GRAPH_BATCH):
            check_kinds(map(row_kind, chunk), what)
            conn.executemany(insert, chunk)
            written += len(chunk)
        return written

    return write


def _write_evidence(conn: sqlite3.Connection, evidence: Iterable[MergeEvidence]) -> int:
    written = 0
    for chunk in chunks(evidence, _GRAPH_BATCH):
        written += len(chunk)
        conn.executemany(
            f"INSERT INTO merge_evidence ({_EVIDENCE_COLUMNS}) VALUES ({_EVIDENCE_VALUES})",
            [evidence_row(e) for e in chunk],
        )
    return written


# Each writes a graph table's rows and says how many it wrote.
_GRAPH_WRITERS: dict[str, Callable[[sqlite3.Connection, Iterable[Any]], int]] = {
    "nodes": _row_writer("INSERT INTO nodes (id, kind, label, props) VALUES (?, ?, ?, ?)", "node"),
    "edges": _row_writer(_EDGE_UPSERT, "edge"),
    "mentions": _row_writer(
        "INSERT INTO mentions (shipment_id, role, entity_id, name) VALUES (?, ?, ?, ?)", "mention"
    ),
    "merge_evidence": _write_evidence,
}
# What a staged table's rows are checked against: its kind or role column.
_STAGED_KIND = {
    "nodes": ("kind", "node"),
    "edges": ("kind", "edge"),
    "mentions": ("role", "mention"),
}


def _copy_staged(
    conn: sqlite3.Connection,
    table: str,
    rows: StagedRows[Any],
    attached: dict[str, str],
    journal: bool,
) -> int:
    """Copy a staged table into the store's ``table`` in one statement, as the row writers
    would (kinds checked, repeated edges summed, evidence in staged order), its keys
    journalled if ``journal``; say how many rows it held."""
    if rows.table != table:  # other stores read the rows as what their place in the part says
        raise StoreError(f"staged {rows.table} rows given as {table}; nothing was written")
    schema = attached.get(rows.path)
    if schema is None:
        schema = attached[rows.path] = f"staged{len(attached)}"
        conn.execute(f"ATTACH DATABASE ? AS {schema}", (rows.path,))
    # table is one of STAGED_COLUMNS' keys: never text from data
    columns = ", ".join(STAGED_COLUMNS[table])
    if table in _STAGED_KIND:
        column, what = _STAGED_KIND[table]
        found = conn.execute(f"SELECT DISTINCT {column} FROM {schema}.{table}")
        check_kinds((r[0] for r in found), what)
    upsert = (
        " ON CONFLICT (source, kind, target) DO UPDATE SET weight = weight + excluded.weight"
        if table == "edges"
        else ""
    )
    if journal and table == "nodes":  # before the copy: it compares with the rows there
        journal_staged_node_writes(conn, schema)
    conn.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {schema}.{table}"
        f" WHERE true ORDER BY rowid{upsert}"
    )
    if journal and table == "edges":
        keys = _JOURNAL_KEY[table][0]
        conn.execute(f"INSERT INTO graph_journal ({keys}) SELECT {keys} FROM {schema}.{table}")
    return rows.count


_GRAPH_TABLES = ("nodes", "edges", "mentions", "merge_evidence")


def _write_part(
    conn: sqlite3.Connection, part: GraphPart, attached: dict[str, str], journal: bool = False
) -> set[str]:
    """Write one part's tables in order, the keys of nodes and edges journalled if
    ``journal``; the names of the tables it wrote rows to."""
    written = set()
    for table, rows in zip(_GRAPH_TABLES, part, strict=True):
        if isinstance(rows, StagedRows):
            count = _copy_staged(conn, table, rows, attached, journal)
        else:
            if journal and table in _JOURNAL_KEY:
                rows = _journalled(conn, table, rows)
            count = _GRAPH_WRITERS[table](conn, rows)
        if count:
            written.add(table)
    return written


def _delete(
    conn: sqlite3.Connection, table: str, where: str, params: Sequence[tuple[str, ...]]
) -> None:
    """Delete the rows of ``table`` (nodes or edges) that ``where`` finds, journalled."""
    _journal_where(conn, table, where, params)
    conn.executemany(f"DELETE FROM {table} WHERE {where}", params)


def _remove(conn: sqlite3.Connection, removal: GraphRemoval) -> None:
    """Delete what ``removal`` names but its ``nodes`` (``update_graph`` defers those:
    ``_NodeRewrite``), through the primary keys and the target and entity indexes: a
    delta touches few rows, so the indexes stay in place. Node and edge keys are
    journalled (a moved edge's old and new key)."""
    for chunk in chunks(((e,) for e in removal.entities), _GRAPH_BATCH):
        _delete(conn, "nodes", "id = ?", chunk)
        _delete(conn, "edges", "source = ?", chunk)
        _delete(conn, "edges", "target = ?", chunk)
        conn.executemany("DELETE FROM mentions WHERE entity_id = ?", chunk)
    for pairs in chunks(removal.edges_from, _GRAPH_BATCH):
        _delete(conn, "edges", "source = ? AND kind = ?", pairs)
    for renamed in chunks(((new, old) for old, new in removal.renamed), _GRAPH_BATCH):
        conn.executemany(
            "INSERT INTO graph_journal (source, kind, target)"
            " SELECT source, kind, target FROM edges WHERE target = ?2"
            " UNION ALL SELECT source, kind, ?1 FROM edges WHERE target = ?2",
            renamed,
        )
        conn.executemany("UPDATE edges SET target = ? WHERE target = ?", renamed)
        conn.executemany("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", renamed)
    if removal.evidence is not None:
        for merges in chunks(removal.evidence, _GRAPH_BATCH):
            conn.executemany(
                "DELETE FROM merge_evidence"
                " WHERE entity_id = ? AND mention_a = ? AND mention_b = ?",
                merges,
            )


class _NodeRewrite:
    """Nodes a delta removes and then writes again, updated in place instead.

    A day's delta removes every identifier node its shipments sight and writes it again
    with its new count (and the nodes of the parties that grew): deleting and inserting a
    row costs a change in the table and in both node indexes (kind, label) each way, about
    four times what updating its props costs; an identifier's kind never changes and its
    label seldom does, and an unchanged indexed column is left alone. So the nodes a
    removal names are only deleted at the end, if no later part wrote them again; a part's
    row for such a node updates it (journalled as changed when its label changed: its
    properties alone neither analysis nor search reads)."""

    def __init__(self) -> None:
        self._pending: set[str] = set()

    def removed(self, nodes: Iterable[str]) -> None:
        self._pending.update(nodes)

    def rows(self, conn: sqlite3.Connection, rows: Iterable[NodeRow]) -> Iterable[NodeRow]:
        """``rows`` with those of pending nodes taken out and written as updates (staged
        rows are copied in one statement: the pending nodes are deleted before them)."""
        pending = self._pending
        if not pending:
            return rows
        if isinstance(rows, StagedRows):
            self.finish(conn)
            return rows
        return self._split(conn, rows, pending)

    def _split(
        self, conn: sqlite3.Connection, rows: Iterable[NodeRow], pending: set[str]
    ) -> Iterator[NodeRow]:
        again: list[NodeRow] = []
        for row in rows:
            if row[0] in pending:
                again.append(row)
                if len(again) == _GRAPH_BATCH:
                    self._update(conn, again)
                    again = []
            else:
                yield row
        self._update(conn, again)

    def _update(self, conn: sqlite3.Connection, rows: list[NodeRow]) -> None:
        if not rows:
            return
        check_kinds(map(row_kind, rows), "node")
        journal_node_writes(conn, rows)
        conn.executemany(_NODE_UPSERT, rows)
        conn.executemany(_NODE_RELABEL, [row[:3] for row in rows])
        self._pending.difference_update(row[0] for row in rows)

    def finish(self, conn: sqlite3.Connection) -> None:
        """Delete the removed nodes no part wrote again."""
        for chunk in chunks(((n,) for n in sorted(self._pending)), _GRAPH_BATCH):
            _delete(conn, "nodes", "id = ?", chunk)
        self._pending.clear()


def _drop_evidence(conn: sqlite3.Connection) -> list[str]:
    """Delete every evidence row, its indexes first; the statements that rebuild them."""
    found = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        " AND sql IS NOT NULL AND tbl_name = 'merge_evidence'"
    ).fetchall()
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("DELETE FROM merge_evidence")
    return [sql for _, sql in found]


class GraphWriteMixin(SqliteBase):
    """``GraphWriter`` on SQLite."""

    def replace_graph_parts(self, parts: Iterable[GraphPart]) -> None:
        graph_tables = _GRAPH_TABLES
        attached: dict[str, str] = {}  # staging file -> schema name it is attached as
        try:
            with self._transaction() as conn:
                # Secondary indexes are dropped and rebuilt around the bulk write (inside
                # the same transaction): one sort per index instead of a B-tree update per
                # row, which more than halves the write time of a large graph.
                found = conn.execute(
                    "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"
                    f" AND sql IS NOT NULL AND tbl_name IN ({placeholders(len(graph_tables))})",
                    graph_tables,
                ).fetchall()
                for name, _, _ in found:
                    conn.execute(f'DROP INDEX "{name}"')
                indexes = [(table, sql) for _, table, sql in found]
                drop_triggers_for_rewrite(conn)
                for table in graph_tables:
                    conn.execute(f"DELETE FROM {table}")
                trigram_search.invalidate(conn)
                # One part at a time, each fully written before the next is asked for; the
                # merge_evidence ids (its order) continue across parts. A table's indexes
                # come back after the first part that wrote rows to it, before the next
                # part is asked for (while its producer may still be computing it); later
                # parts update them as they go.
                unindexed = set(graph_tables)
                for part in parts:
                    written = _write_part(conn, part, attached)
                    for table, sql in indexes:
                        if table in written & unindexed:
                            conn.execute(sql)
                    unindexed -= written
                for table, sql in indexes:
                    if table in unindexed:
                        conn.execute(sql)
                add_triggers(conn)
        finally:
            conn = self._conn()
            for schema in attached.values():
                conn.execute(f"DETACH DATABASE {schema}")

    def update_graph(self, changes: Iterable[GraphChange]) -> None:
        attached: dict[str, str] = {}
        try:
            with self._transaction() as conn:
                start = journal_position(conn)
                drop_triggers(conn)  # back before the commit; a rollback restores them
                rewrite = _NodeRewrite()
                # evidence written whole (a removal of all of it): its indexes are rebuilt
                # once, as in a swap
                rebuilt: list[str] = []
                for removal, part in changes:
                    rewrite.removed(removal.nodes)
                    if removal.evidence is None:
                        rebuilt += _drop_evidence(conn)
                    _remove(conn, removal)
                    nodes = rewrite.rows(conn, part.nodes)
                    _write_part(conn, part._replace(nodes=nodes), attached, journal=True)
                rewrite.finish(conn)
                for sql in rebuilt:
                    conn.execute(sql)
                add_triggers(conn)
                # The journal names every node the changes touched in what search reads
                # (id, kind, label): their entries are the ones to bring up to date.
                touched = nodes_changed_since(conn, start)
                trigram_search.update(conn, touched, trigram_search.SEARCH_KINDS)
        finally:
            conn = self._conn()
            for schema in attached.values():
                conn.execute(f"DETACH DATABASE {schema}")

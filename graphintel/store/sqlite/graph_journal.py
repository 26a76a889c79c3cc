"""A journal of the resolved graph's changed keys, so that analysis can update a cached
projection instead of reading the whole graph again (``graphintel.analytics.projection_cache``).

Triggers on ``nodes`` and ``edges`` append the key of every row inserted, updated or deleted
to ``graph_journal`` (a sequence number per change), except a party's or identifier's
update that keeps its id, kind and label: an analysis reads no more of them, and a day
rewrites about half the nodes it names for their properties (counts) alone, which the
analysis cache then read, parsed and re-ranked for nothing. A whole-graph rewrite
(``replace_graph_parts``) drops the triggers around its bulk write, empties the journal and
draws a new ``graph_epoch``: a cache made before it can then never be mistaken for current.
A graph delta (``update_graph``) drops them for its transaction as well and appends the
same keys itself, a statement for each of its own (a trigger firing cost a row more than
writing the row did).
A cache records the epoch and the last sequence number it has seen; once it is saved, the
rows it has absorbed are trimmed, ``graph_journal_trimmed`` remembers how far and
``analysis_cache_holder`` the saved cache's random token, so an older cache, or one saved
against another copy of the store, is recognised as stale rather than updated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from graphintel.store.base import EdgeEnds, NodeRow
from graphintel.store.journal import GraphChanges, JournalMark
from graphintel.store.sqlite.connection import SqliteBase
from graphintel.store.sqlite.graph_read import _node_from_row

JOURNAL_TABLE = """
CREATE TABLE IF NOT EXISTS graph_journal (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    node   TEXT,
    source TEXT,
    kind   TEXT,
    target TEXT
)"""

# A node's update names it only when analysis or search reads what changed: a shipment's
# properties, or any node's id, kind or label (a day rewrites many parties and
# identifiers for their counts alone). The delta's own statements test the same: an
# existing node (``n``) the write leaves unseen.
_SEEN_UPDATE = (
    "NEW.kind = 'Shipment' OR OLD.kind IS NOT NEW.kind OR OLD.label IS NOT NEW.label"
    " OR OLD.id IS NOT NEW.id"
)
_UNSEEN = "n.id = {} AND n.kind = {} AND n.label = {} AND n.kind <> 'Shipment'"
_NODE_WRITE = (
    "INSERT INTO graph_journal (node) SELECT ?1"
    f" WHERE NOT EXISTS (SELECT 1 FROM nodes AS n WHERE {_UNSEEN.format('?1', '?2', '?3')})"
)
_TRIGGERS = {
    "graph_journal_node_ins": "AFTER INSERT ON nodes BEGIN"
    " INSERT INTO graph_journal (node) VALUES (NEW.id); END",
    "graph_journal_node_del": "AFTER DELETE ON nodes BEGIN"
    " INSERT INTO graph_journal (node) VALUES (OLD.id); END",
    "graph_journal_node_seen_upd": f"AFTER UPDATE ON nodes WHEN {_SEEN_UPDATE} BEGIN"
    " INSERT INTO graph_journal (node) VALUES (OLD.id);"
    " INSERT INTO graph_journal (node) VALUES (NEW.id); END",
    "graph_journal_edge_ins": "AFTER INSERT ON edges BEGIN"
    " INSERT INTO graph_journal (source, kind, target)"
    " VALUES (NEW.source, NEW.kind, NEW.target); END",
    "graph_journal_edge_del": "AFTER DELETE ON edges BEGIN"
    " INSERT INTO graph_journal (source, kind, target)"
    " VALUES (OLD.source, OLD.kind, OLD.target); END",
    "graph_journal_edge_upd": "AFTER UPDATE ON edges BEGIN"
    " INSERT INTO graph_journal (source, kind, target)"
    " VALUES (OLD.source, OLD.kind, OLD.target);"
    " INSERT INTO graph_journal (source, kind, target)"
    " VALUES (NEW.source, NEW.kind, NEW.target); END",
}
# triggers of earlier versions, dropped when a store is opened: ``graph_journal_node_upd``
# named every node update, its properties' alone too
_RETIRED_TRIGGERS = ("graph_journal_node_upd",)
_EPOCH = "graph_epoch"
_TRIMMED = "graph_journal_trimmed"
_HOLDER = "analysis_cache_holder"  # token of the last analysis cache saved against the store
# the keys named after a mark (seq > ? AND seq <= ?), each once, with their current rows
# joined in (NULL when gone): one pass over the span each, and no id lists sent back in
# chunks. Parties and identifiers come with their labels only: an analysis reads no more
# of them, and decoding their JSON properties cost a third of this read.
_JOURNAL_SPAN = "FROM graph_journal WHERE seq > ? AND seq <= ?"
_CHANGED_NODES = (
    "SELECT j.node, n.kind, n.label, CASE WHEN n.kind = 'Shipment' THEN n.props END"
    f" FROM (SELECT DISTINCT node {_JOURNAL_SPAN} AND node IS NOT NULL) AS j"
    " LEFT JOIN nodes AS n ON n.id = j.node ORDER BY j.node"
)
_CHANGED_EDGES = (
    "SELECT j.source, j.kind, j.target, e.weight"
    f" FROM (SELECT DISTINCT source, kind, target {_JOURNAL_SPAN} AND node IS NULL) AS j"
    " LEFT JOIN edges AS e ON e.source = j.source AND e.kind = j.kind AND e.target = j.target"
)
_NEW_EPOCH = (
    "INSERT INTO meta (key, value) VALUES (?, lower(hex(randomblob(16))))"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


def create_journal(conn: sqlite3.Connection) -> None:
    """The journal table, its triggers and a first epoch (for new and older stores)."""
    conn.execute(JOURNAL_TABLE)
    add_triggers(conn)
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES (?, lower(hex(randomblob(16))))",
        (_EPOCH,),
    )


def add_triggers(conn: sqlite3.Connection) -> None:
    for name in _RETIRED_TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name, body in _TRIGGERS.items():
        conn.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def drop_triggers(conn: sqlite3.Connection) -> None:
    """For a writer that journals its changes itself (``graph_write.update_graph``): a
    trigger costs each row it fires for more than the row's own write."""
    for name in (*_TRIGGERS, *_RETIRED_TRIGGERS):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def journal_node_writes(conn: sqlite3.Connection, rows: Sequence[NodeRow]) -> None:
    """Journal the nodes ``rows`` are about to insert or update, as the triggers would:
    each unless it exists as a party or identifier of that id, kind and label."""
    conn.executemany(_NODE_WRITE, [row[:3] for row in rows])


def journal_staged_node_writes(conn: sqlite3.Connection, schema: str) -> None:
    """The same for the staged nodes in ``schema`` (an attached staging file's), before
    they are copied in."""
    conn.execute(
        f"INSERT INTO graph_journal (node) SELECT s.id FROM {schema}.nodes AS s"
        " WHERE NOT EXISTS (SELECT 1 FROM nodes AS n WHERE"
        f" {_UNSEEN.format('s.id', 's.kind', 's.label')})"
    )


def drop_triggers_for_rewrite(conn: sqlite3.Connection) -> None:
    """Before a whole-graph rewrite: no journal of millions of rows, and a new epoch so
    that every cache made before is stale. ``add_triggers`` puts them back."""
    drop_triggers(conn)
    conn.execute("DELETE FROM graph_journal")
    conn.execute(_NEW_EPOCH, (_EPOCH,))
    conn.execute("DELETE FROM meta WHERE key = ?", (_TRIMMED,))


class GraphJournalMixin(SqliteBase):
    """``GraphJournal`` on SQLite."""

    def _init_schema(self) -> None:
        super()._init_schema()
        create_journal(self._conn())

    def graph_mark(self) -> JournalMark:
        conn = self._conn()
        return _mark(conn)

    def graph_changes(self, since: JournalMark, holder: str) -> GraphChanges | None:
        """The changes after ``since``, read in one snapshot; None when the journal cannot
        tell (another epoch, entries the mark needs were trimmed, or the last cache saved
        against this store is not ``holder``'s: an older one, or another copy's)."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            until = _mark(conn)
            trimmed = conn.execute("SELECT value FROM meta WHERE key = ?", (_TRIMMED,)).fetchone()
            held = conn.execute("SELECT value FROM meta WHERE key = ?", (_HOLDER,)).fetchone()
            if (
                until.epoch != since.epoch
                or (trimmed and int(trimmed[0]) > since.seq)
                or held is None
                or held[0] != holder
            ):
                return None
            span = (since.seq, until.seq)
            named = conn.execute(_CHANGED_NODES, span).fetchall()
            ends = conn.execute(_CHANGED_EDGES, span).fetchall()
            counts = dict(conn.execute("SELECT kind, count(*) FROM nodes GROUP BY kind"))
        finally:
            conn.execute("COMMIT")
        edges: tuple[EdgeEnds, ...] = tuple(e for e in ends if e[3] is not None)
        return GraphChanges(
            since,
            until,
            frozenset(r[0] for r in named),
            frozenset(e[:3] for e in ends),
            tuple(_node_from_row(r) for r in named if r[1] is not None),
            edges,
            counts,
        )

    def trim_graph_journal(self, upto: JournalMark, holder: str) -> None:
        """Drop the entries a saved cache has absorbed (up to ``upto``, in its epoch) and
        record ``holder``, that cache's token, as the one the store now follows."""
        with self._transaction() as conn:
            if _mark(conn).epoch != upto.epoch:
                return
            conn.execute("DELETE FROM graph_journal WHERE seq <= ?", (upto.seq,))
            for key, value in ((_TRIMMED, str(upto.seq)), (_HOLDER, holder)):
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )


def _mark(conn: sqlite3.Connection) -> JournalMark:
    epoch = conn.execute("SELECT value FROM meta WHERE key = ?", (_EPOCH,)).fetchone()
    seq = conn.execute("SELECT max(seq) FROM graph_journal").fetchone()[0]
    if seq is None:  # empty journal: the AUTOINCREMENT counter still says where it stands
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'graph_journal'")
        found = row.fetchone()
        seq = found[0] if found else 0
    return JournalMark(str(epoch[0]) if epoch else "", int(seq))


def journal_position(conn: sqlite3.Connection) -> int:
    """The sequence number of the journal's last entry (0 when it never had one)."""
    return _mark(conn).seq


def nodes_changed_since(conn: sqlite3.Connection, seq: int) -> list[str]:
    """The ids of the nodes inserted, updated or deleted after ``seq`` (a party or
    identifier updated only when its id, kind or label changed)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT node FROM graph_journal WHERE seq > ? AND node IS NOT NULL", (seq,)
        )
    ]

"""Watchlists: known bad or trusted parties, entries as loaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace

from neo4j import ManagedTransaction

from graphintel.records import (
    Watchlist,
    WatchlistEntry,
)
from graphintel.store.base import (
    check_watchlist_kind,
    chunks,
)
from graphintel.store.neo4j.connection import Neo4jBase, run
from graphintel.store.neo4j.cypher import declare

# -- watchlists (known bad or trusted parties; entries keep their source row) -----------------
WATCHLIST_CREATE = declare(
    "watchlist_create",
    "CREATE (w:Watchlist {name: $name, kind: $kind, file_path: $file_path, file_id: $file_id,"
    " added_at: $added_at, entries: $entries})",
    "name",
    "kind",
    "file_path",
    "file_id",
    "added_at",
    "entries",
)
WATCHLIST_ENTRIES_WRITE = declare(
    "watchlist_entries_write", "UNWIND $rows AS row CREATE (e:WatchlistEntry) SET e = row", "rows"
)
WATCHLIST_ENTRIES_DELETE = declare(
    "watchlist_entries_delete",
    "MATCH (e:WatchlistEntry {list_name: $name}) DELETE e",
    "name",
)
WATCHLIST_DELETE = declare(
    "watchlist_delete",
    "MATCH (w:Watchlist {name: $name}) DELETE w RETURN count(*) AS deleted",
    "name",
)
WATCHLISTS = declare(
    "watchlists",
    "MATCH (w:Watchlist) RETURN w.name AS name, w.kind AS kind, w.file_path AS file_path,"
    " w.file_id AS file_id, w.added_at AS added_at, w.entries AS entries ORDER BY name",
)
_ENTRY_FIELDS = (
    "e.list_name AS list_name, e.row_number AS row_number, e.name AS name,"
    " e.country AS country, e.address AS address, e.phone AS phone, e.email AS email,"
    " e.payment_account AS payment_account, e.ip AS ip, e.note AS note"
)
WATCHLIST_ENTRIES = declare(
    "watchlist_entries",
    f"MATCH (e:WatchlistEntry) RETURN {_ENTRY_FIELDS} ORDER BY list_name, row_number",
)
WATCHLIST_ENTRIES_OF = declare(
    "watchlist_entries_of",
    f"MATCH (e:WatchlistEntry) WHERE e.list_name IN $names RETURN {_ENTRY_FIELDS}"
    " ORDER BY list_name, row_number",
    "names",
)


WATCHLIST_COUNT = declare("watchlist_count", "MATCH (w:Watchlist) RETURN count(w) AS n")
WATCHLIST_ENTRY_COUNT = declare(
    "watchlist_entry_count", "MATCH (e:WatchlistEntry) RETURN count(e) AS n"
)


class WatchlistMixin(Neo4jBase):
    """``WatchlistStore`` on Neo4j."""

    def replace_watchlist(
        self, watchlist: Watchlist, entries: Sequence[WatchlistEntry]
    ) -> Watchlist:
        check_watchlist_kind(watchlist.kind)
        # Materialised first: the driver may replay the transaction function on a retry.
        rows = [{**asdict(e), "list_name": watchlist.name} for e in entries]
        stored = replace(watchlist, entries=len(rows))

        def work(tx: ManagedTransaction) -> None:
            run(tx, WATCHLIST_ENTRIES_DELETE, name=stored.name)
            run(tx, WATCHLIST_DELETE, name=stored.name)
            run(
                tx,
                WATCHLIST_CREATE,
                name=stored.name,
                kind=stored.kind,
                file_path=stored.file_path,
                file_id=stored.file_id,
                added_at=stored.added_at,
                entries=stored.entries,
            )
            for chunk in chunks(rows, self.batch_size):
                run(tx, WATCHLIST_ENTRIES_WRITE, rows=chunk)

        self.write_many(work)
        return stored

    def watchlists(self) -> list[Watchlist]:
        return [
            Watchlist(
                r["name"], r["kind"], r["file_path"], r["file_id"], r["added_at"], r["entries"]
            )
            for r in self.read(WATCHLISTS)
        ]

    def watchlist_entries(self, names: Sequence[str] | None = None) -> list[WatchlistEntry]:
        if names is None:
            rows = self.read(WATCHLIST_ENTRIES)
        else:
            rows = self.read(WATCHLIST_ENTRIES_OF, names=list(dict.fromkeys(names)))
        return [WatchlistEntry(**r) for r in rows]

    def remove_watchlist(self, name: str) -> bool:
        def work(tx: ManagedTransaction) -> bool:
            run(tx, WATCHLIST_ENTRIES_DELETE, name=name)
            [row] = run(tx, WATCHLIST_DELETE, name=name)
            return bool(row["deleted"])

        return self.write_many(work)

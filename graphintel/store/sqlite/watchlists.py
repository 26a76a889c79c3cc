"""Watchlists: known bad or trusted parties, entries as loaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, fields, replace
from typing import Any

from graphintel.records import (
    Watchlist,
    WatchlistEntry,
)
from graphintel.store.base import (
    check_watchlist_kind,
)
from graphintel.store.sqlite.connection import (
    SqliteBase,
    placeholders,
)

# Watchlist entry columns in table order, from the record (list_name first).
_ENTRY_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(WatchlistEntry))


def _entry_values(entry: WatchlistEntry) -> tuple[Any, ...]:
    """An entry's column values after its list name."""
    return astuple(entry)[1:]


class WatchlistMixin(SqliteBase):
    """``WatchlistStore`` on SQLite."""

    def replace_watchlist(
        self, watchlist: Watchlist, entries: Sequence[WatchlistEntry]
    ) -> Watchlist:
        check_watchlist_kind(watchlist.kind)
        with self._transaction() as conn:
            conn.execute("DELETE FROM watchlist_entries WHERE list_name = ?", (watchlist.name,))
            conn.execute("DELETE FROM watchlists WHERE name = ?", (watchlist.name,))
            conn.execute(
                "INSERT INTO watchlists (name, kind, file_path, file_id, added_at, entries)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    watchlist.name,
                    watchlist.kind,
                    watchlist.file_path,
                    watchlist.file_id,
                    watchlist.added_at,
                    len(entries),
                ),
            )
            conn.executemany(
                f"INSERT INTO watchlist_entries ({', '.join(_ENTRY_COLUMNS)})"
                f" VALUES ({placeholders(len(_ENTRY_COLUMNS))})",
                [(watchlist.name, *_entry_values(e)) for e in entries],
            )
        return replace(watchlist, entries=len(entries))

    def watchlists(self) -> list[Watchlist]:
        rows = self._conn().execute(
            "SELECT name, kind, file_path, file_id, added_at, entries FROM watchlists ORDER BY name"
        )
        return [Watchlist(*r) for r in rows]

    def watchlist_entries(self, names: Sequence[str] | None = None) -> list[WatchlistEntry]:
        query = f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM watchlist_entries"
        params: list[str] = []
        if names is not None:
            wanted = list(dict.fromkeys(names))
            if not wanted:
                return []
            query += f" WHERE list_name IN ({placeholders(len(wanted))})"
            params = wanted
        rows = self._conn().execute(query + " ORDER BY list_name, row_number", params)
        return [WatchlistEntry(*r) for r in rows]

    def remove_watchlist(self, name: str) -> bool:
        with self._transaction() as conn:
            conn.execute("DELETE FROM watchlist_entries WHERE list_name = ?", (name,))
            return conn.execute("DELETE FROM watchlists WHERE name = ?", (name,)).rowcount > 0

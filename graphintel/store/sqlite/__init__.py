"""The embedded default store: one SQLite file in WAL mode, no server.

WAL lets the app keep reading while a load or an analysis writes. Every write that must be
all-or-nothing (a file's load, a resolution, a run's results) runs in one ``BEGIN
IMMEDIATE`` transaction, so a crash leaves the store as it was before. Every value travels
as a parameter; table and column names come from this package only.

One module per role (``loads``, ``graph_write``, ``graph_read``, ``search``, ``runs``,
``resolver``, ``workspace``, ``audit``, ``watchlists``, and ``bulk`` for migrations), each
holding its statements next to the methods that run them; ``store`` composes them.
"""

from __future__ import annotations

from graphintel.store.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]

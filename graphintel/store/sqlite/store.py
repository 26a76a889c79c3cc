"""``SqliteStore``: the SQLite roles composed into one ``GraphStore``."""

from __future__ import annotations

from graphintel.store.sqlite.audit import AuditMixin
from graphintel.store.sqlite.bulk import SqliteBulk
from graphintel.store.sqlite.daily import DailyMixin
from graphintel.store.sqlite.graph_journal import GraphJournalMixin
from graphintel.store.sqlite.graph_read import GraphReadMixin
from graphintel.store.sqlite.graph_write import GraphWriteMixin
from graphintel.store.sqlite.loads import LoadsMixin
from graphintel.store.sqlite.resolver import ResolverMixin
from graphintel.store.sqlite.runs import RunsMixin
from graphintel.store.sqlite.search import SearchMixin
from graphintel.store.sqlite.watchlists import WatchlistMixin
from graphintel.store.sqlite.workspace import WorkspaceMixin


class SqliteStore(
    LoadsMixin,
    GraphWriteMixin,
    GraphReadMixin,
    GraphJournalMixin,
    SearchMixin,
    RunsMixin,
    ResolverMixin,
    WorkspaceMixin,
    AuditMixin,
    WatchlistMixin,
    DailyMixin,
):
    """``GraphStore`` on a SQLite file; safe to share between threads (one connection each)."""

    def migration_side(self) -> SqliteBulk:
        return SqliteBulk(self)

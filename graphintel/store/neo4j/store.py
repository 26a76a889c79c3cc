"""``Neo4jStore``: the Neo4j roles composed into one ``GraphStore``."""

from __future__ import annotations

from graphintel.store.neo4j.audit import AuditMixin
from graphintel.store.neo4j.bulk import MigrationMixin
from graphintel.store.neo4j.resolver import ResolverMixin
from graphintel.store.neo4j.runs import RunsMixin
from graphintel.store.neo4j.search import SearchMixin
from graphintel.store.neo4j.watchlists import WatchlistMixin
from graphintel.store.neo4j.workspace import WorkspaceMixin


class Neo4jStore(
    MigrationMixin,
    SearchMixin,
    RunsMixin,
    ResolverMixin,
    WorkspaceMixin,
    AuditMixin,
    WatchlistMixin,
):
    """``GraphStore`` on a Neo4j server reached over Bolt (``neo4j://`` or ``bolt://``)."""

    def migration_side(self) -> Neo4jStore:
        """Neo4j pages and imports natively (see ``MigrationMixin``)."""
        return self

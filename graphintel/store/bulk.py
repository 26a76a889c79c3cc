"""What a backend offers ``graphintel migrate`` (see ``graphintel.store.migrate``): its
tables as pages with their source positions, and pages written together with the
checkpoint that records them. Kept apart from ``migrate`` so the backends implement it
without importing the copy loop that uses them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# Tables that ``GraphStore.counts()`` leaves out; each bulk side counts them itself
# (``resolver_state`` in stored pieces of ``STATE_CHUNK`` bytes, the same on every backend).
WORKSPACE_TABLES: tuple[str, ...] = (
    "cases",
    "notes",
    "judgements",
    "audit_log",
    "watchlists",
    "watchlist_entries",
    "resolver_state",
    "network_lineage",
    "alerts",
)


@dataclass(frozen=True)
class Checkpoint:
    """How far a table's copy got: the source position of its last page and rows so far."""

    position: str
    rows: int
    done: bool


@dataclass(frozen=True)
class NoteRow:
    """An investigator's note as stored (the protocol's ``notes()`` drops ``updated_at``)."""

    node_id: str
    text: str
    updated_at: str


class MigrationSide(Protocol):
    """A store as the source and as the target of a migration."""

    def export_pages(
        self, table: str, after: str | None, batch_size: int
    ) -> Iterator[tuple[list[Any], str]]:
        """Pages of ``table`` after source position ``after`` (None: from the start), each
        with the position of its last row."""
        ...

    def workspace_counts(self) -> dict[str, int]:
        """Rows in each of ``WORKSPACE_TABLES``."""
        ...

    def migration_checkpoint(self, migration: str, table: str) -> Checkpoint | None: ...

    def import_page(
        self, migration: str, table: str, records: Sequence[Any], checkpoint: Checkpoint
    ) -> None:
        """Write ``records`` and ``checkpoint`` in one transaction."""
        ...

    def finish_migration(self, migration: str) -> None:
        """Make what was copied visible as one store (Neo4j publishes the staged graph)."""
        ...

"""Copy a whole store to another (``graphintel migrate --from URL --to URL``).

Tables are copied one after another in pages. Each page and the checkpoint that records it
are written in one target transaction, so an interrupted migration resumes after the last
page that landed, and no page is written twice. At the end the two stores' counts are
compared. Either side may be SQLite or Neo4j: each backend reads and writes its own pages
(``MigrationSource`` / ``MigrationTarget``), so the source's rows are copied as they are
(load ids, run ids, provenance), not re-derived.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from graphintel.errors import StoreError
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)

# In dependency order: loads before their rows, runs before their networks.
TABLES: tuple[str, ...] = (
    "loads",
    "shipments",
    "quarantine",
    "nodes",
    "edges",
    "mentions",
    "merge_evidence",
    "runs",
    "networks",
    "cases",
    "notes",
    "judgements",
)
# Tables that ``GraphStore.counts()`` leaves out; each bulk side counts them itself.
WORKSPACE_TABLES: tuple[str, ...] = ("cases", "notes", "judgements")
GRAPH_TABLES = frozenset({"nodes", "edges", "mentions", "merge_evidence"})
DEFAULT_MIGRATION_BATCH = 5_000


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


@runtime_checkable
class MigrationSource(Protocol):
    def export_pages(
        self, table: str, after: str | None, batch_size: int
    ) -> Iterator[tuple[list[Any], str]]:
        """Pages of ``table`` after source position ``after`` (None: from the start), each
        with the position of its last row."""
        ...

    def workspace_counts(self) -> dict[str, int]:
        """Rows in each of ``WORKSPACE_TABLES`` (cases, notes and judgements)."""
        ...


@runtime_checkable
class MigrationTarget(Protocol):
    def migration_checkpoint(self, migration: str, table: str) -> Checkpoint | None: ...

    def workspace_counts(self) -> dict[str, int]: ...

    def import_page(
        self, migration: str, table: str, records: Sequence[Any], checkpoint: Checkpoint
    ) -> None:
        """Write ``records`` and ``checkpoint`` in one transaction."""
        ...

    def finish_migration(self, migration: str) -> None:
        """Make what was copied visible as one store (Neo4j publishes the staged graph)."""
        ...


@dataclass
class MigrationReport:
    migration: str
    copied: dict[str, int] = field(default_factory=dict)
    source_counts: dict[str, int] = field(default_factory=dict)
    target_counts: dict[str, int] = field(default_factory=dict)

    @property
    def mismatches(self) -> dict[str, tuple[int, int]]:
        keys = set(self.source_counts) | set(self.target_counts)
        return {
            k: (self.source_counts.get(k, 0), self.target_counts.get(k, 0))
            for k in sorted(keys)
            if self.source_counts.get(k, 0) != self.target_counts.get(k, 0)
        }

    @property
    def ok(self) -> bool:
        return not self.mismatches


def migration_id(source_url: str, target_url: str) -> str:
    """Stable id of copying ``source_url`` into ``target_url`` (what a resume looks up)."""
    return hashlib.sha256(f"{source_url}\n{target_url}".encode()).hexdigest()[:16]


def bulk_of(store: GraphStore) -> Any:
    """The migration side of a store (SQLite gets an adapter; Neo4j does it natively)."""
    from graphintel.store.sqlite import SqliteStore
    from graphintel.store.sqlite_bulk import SqliteBulk

    if isinstance(store, SqliteStore):
        return SqliteBulk(store)
    if isinstance(store, MigrationSource) and isinstance(store, MigrationTarget):
        return store
    raise StoreError(f"{store.url}: this store cannot take part in a migration")


def _is_empty(counts: dict[str, int]) -> bool:
    return not any(counts.values())


def migrate(
    source: GraphStore,
    target: GraphStore,
    batch_size: int = DEFAULT_MIGRATION_BATCH,
    progress: Callable[[str, int], None] | None = None,
) -> MigrationReport:
    """Copy everything in ``source`` into ``target``, resuming an interrupted copy."""
    if batch_size < 1:
        raise StoreError("batch_size must be at least 1")
    mid = migration_id(source.url, target.url)
    src: MigrationSource = bulk_of(source)
    dst: MigrationTarget = bulk_of(target)
    started = any(dst.migration_checkpoint(mid, t) is not None for t in TABLES)
    if not started and not _is_empty({**target.counts(), **dst.workspace_counts()}):
        raise StoreError(
            f"{target.url} already holds data: migrate into an empty store"
            " (or resume the migration that filled it, with the same --from)"
        )
    report = MigrationReport(mid)
    for table in TABLES:
        checkpoint = dst.migration_checkpoint(mid, table)
        if checkpoint is not None and checkpoint.done:
            report.copied[table] = checkpoint.rows
            continue
        rows = checkpoint.rows if checkpoint else 0
        after = checkpoint.position if checkpoint else None
        if after is not None:
            log.info("resuming %s after %d rows", table, rows)
        position = after or ""
        for records, position in src.export_pages(table, after, batch_size):
            rows += len(records)
            dst.import_page(mid, table, records, Checkpoint(position, rows, False))
            if progress is not None:
                progress(table, rows)
        dst.import_page(mid, table, [], Checkpoint(position, rows, True))
        report.copied[table] = rows
    dst.finish_migration(mid)
    report.source_counts = {**source.counts(), **src.workspace_counts()}
    report.target_counts = {**target.counts(), **dst.workspace_counts()}
    if not report.ok:
        log.warning("migration %s: counts differ: %s", mid, report.mismatches)
    return report

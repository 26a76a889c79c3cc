"""Copy a whole store to another (``graphintel migrate --from URL --to URL``).

Tables are copied one after another in pages. Each page and the checkpoint that records it
are written in one target transaction, so an interrupted migration resumes after the last
page that landed, and no page is written twice. At the end the two stores' counts are
compared. Either side may be SQLite or Neo4j: each backend reads and writes its own pages
(``GraphStore.migration_side``, see ``graphintel.store.bulk``), so the source's rows are
copied as they are (load ids, run ids, provenance), not re-derived. The audit log is paged
like the rest, in recorded order, its users and timestamps as stored. Watchlists and the
resolver's saved state go through the ``GraphStore`` methods that replace them whole, so a
step redone after an interruption overwrites itself instead of doubling.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graphintel.errors import StoreError
from graphintel.store.base import GraphStore
from graphintel.store.bulk import Checkpoint, MigrationSide

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
    "network_lineage",
    "alerts",
    "cases",
    "notes",
    "judgements",
    "audit_log",
    "watchlists",
    "resolver_state",
)
GRAPH_TABLES = frozenset({"nodes", "edges", "mentions", "merge_evidence"})
DEFAULT_MIGRATION_BATCH = 5_000


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


def _is_empty(counts: dict[str, int]) -> bool:
    return not any(counts.values())


# A step of a store-level copy: rows it copied and the source position it reached.
StoreCopy = Callable[[GraphStore, GraphStore, str | None], Iterator[tuple[int, str]]]


def _copy_watchlists(
    source: GraphStore, target: GraphStore, after: str | None
) -> Iterator[tuple[int, str]]:
    """One list at a time, entries and provenance (file, hash, added_at) as stored.

    ``replace_watchlist`` swaps a whole list in one transaction, so a list redone after an
    interruption replaces itself rather than doubling; no bulk method is needed."""
    for watchlist in source.watchlists():
        if after is not None and watchlist.name <= after:
            continue
        target.replace_watchlist(watchlist, source.watchlist_entries([watchlist.name]))
        yield 1, watchlist.name


def _copy_resolver_state(
    source: GraphStore, target: GraphStore, after: str | None
) -> Iterator[tuple[int, str]]:
    """The saved incremental state, byte for byte, so the target's next resolve can be
    incremental. ``save_resolver_state`` replaces it whole, so a redo cannot double it."""
    parts = source.resolver_state()
    if parts:
        target.save_resolver_state(parts)
        yield len(parts), "saved"


def _copy_lineage(
    source: GraphStore, target: GraphStore, after: str | None
) -> Iterator[tuple[int, str]]:
    """Each analysis run's lineage, in run order. ``save_lineage`` replaces a run's
    entries whole, so a run redone after an interruption cannot double."""
    run_ids = [r.run_id for r in source.runs()]
    start = run_ids.index(after) + 1 if after in run_ids else 0
    for run_id in run_ids[start:]:
        entries = source.lineage(run_id)
        if entries:
            target.save_lineage(run_id, entries)
        yield len(entries), run_id


def _copy_alerts(
    source: GraphStore, target: GraphStore, after: str | None
) -> Iterator[tuple[int, str]]:
    """Every alert, oldest first, with its creation time and acknowledgement as recorded.
    ``import_alerts`` skips ids already present, so a page redone cannot double."""
    alerts = source.alerts(open_only=False, limit=ALL_ALERTS)[::-1]
    done = int(after) if after else 0
    for start in range(done, len(alerts), ALERT_PAGE):
        page = alerts[start : start + ALERT_PAGE]
        target.import_alerts(page)
        yield len(page), str(start + len(page))


ALL_ALERTS = 2**62  # the whole table: ``alerts`` takes a limit
ALERT_PAGE = 1_000

# Tables copied through ``GraphStore`` methods whose writes are idempotent replacements.
STORE_COPIES: dict[str, StoreCopy] = {
    "network_lineage": _copy_lineage,
    "alerts": _copy_alerts,
    "watchlists": _copy_watchlists,
    "resolver_state": _copy_resolver_state,
}


def _pages(
    src: MigrationSide,
    source: GraphStore,
    target: GraphStore,
    table: str,
    after: str | None,
    batch_size: int,
) -> Iterator[tuple[list[Any], int, str]]:
    """(records for ``import_page``, rows copied, position) for each step of ``table``."""
    if table in STORE_COPIES:
        for rows, position in STORE_COPIES[table](source, target, after):
            yield [], rows, position
    else:
        for records, position in src.export_pages(table, after, batch_size):
            yield records, len(records), position


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
    src = source.migration_side()
    dst = target.migration_side()
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
        for records, copied, position in _pages(src, source, target, table, after, batch_size):
            rows += copied
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

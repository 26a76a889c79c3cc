"""The projection's inputs kept between analysis runs, updated from the store's change journal.

Reading the resolved graph out of the store is most of a daily analysis (about three
quarters of it at 200k and 1M shipments: JSON properties and one Python step per edge).
Yet the builder's state after a full read (``ProjectionInputs``) is a function of the
graph's rows alone, so it is saved next to the store (``cache_file``) with the journal mark
it is current at, and the next run brings it up to date with the keys the journal names
since then (``cache_update``): the projection, and so every later step, is then the one a
full read gives, exactly. The retention window is applied to the cached whole graph.

The cache is used only when that argument holds; otherwise the run reads everything and
says why: no cache yet, a cache written by other code or unreadable, a graph rewritten
whole since (new epoch) or journal entries trimmed past it, a store without a journal
(Neo4j), a graph the argument does not cover (a node seen only as an edge end, a shipment
with two edges of one role, ids out of order), or node counts that disagree with the
store's after the update. Every run that read in full or applied changes renews the cache
and trims the journal entries it absorbed.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import compress
from pathlib import Path
from typing import Any

from graphintel.analytics.cache_file import (
    CachedGraph,
    StaleCache,
    UnsavableCache,
    cache_mark,
    load_cache,
    save_cache,
)
from graphintel.analytics.cache_update import apply_changes, exact_inputs, find
from graphintel.analytics.projection import Projection, ProjectionInputs
from graphintel.analytics.reading import read_graph
from graphintel.daily.retention import WindowView
from graphintel.store.base import GraphStore
from graphintel.store.journal import GraphChanges, GraphJournal

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int], None]


@dataclass(frozen=True)
class ProjectionSource:
    """How a run got its projection, for its summary and its recorded counts."""

    incremental: bool
    reason: str  # why a full read (empty when the cache was used)
    changed_nodes: int = 0
    changed_edges: int = 0

    def __str__(self) -> str:
        if self.incremental:
            return (
                f"graph read from the analysis cache plus {self.changed_nodes:,} changed"
                f" nodes and {self.changed_edges:,} changed edges"
            )
        return f"graph read in full ({self.reason})"


def windowed(cached: CachedGraph, days: int) -> ProjectionInputs:
    """The inputs ``WindowView(store, days)`` would give: shipments before the window out
    (their edges with them), the window ending at the newest arrival day."""
    inputs = cached.inputs
    day = inputs.ship_date.copy()
    for node_id, odd in cached.odd_days.items():
        day[find(inputs.ship_ids, node_id)] = odd
    dated = day >= 0  # _ordinal and retention_day agree on text; -1 is "no day"
    if not dated.any():
        return inputs
    first = int(day[dated].max()) - (days - 1)
    keep = ~(dated & (day < first))
    if keep.all():
        return inputs
    ship_fields: dict[str, Any] = {}
    for name in (
        "ship_date",
        "ship_value",
        "ship_outcome",
        "ship_category",
        "ship_hts",
        "ship_description",
        "ship_country",
        "ship_ids",
    ):
        value = getattr(inputs, name)
        ship_fields[name] = list(compress(value, keep)) if isinstance(value, list) else value[keep]
    roles = tuple(c[keep] for c in inputs.ship_roles)
    idents = tuple(c[keep] for c in inputs.ship_idents)
    return replace(
        inputs,
        ship_roles=(roles[0], roles[1], roles[2]),
        ship_idents=(idents[0], idents[1], idents[2]),
        **ship_fields,
    )


def cache_path(store: GraphStore) -> Path | None:
    """Where the store's analysis cache lives: next to a SQLite file; None elsewhere."""
    path = getattr(store, "path", None)
    return Path(f"{path}.analysis-cache") if isinstance(path, Path) else None


def project_store(
    store: GraphStore,
    *,
    window_days: int | None,
    full: bool,
    build: Callable[[ProjectionInputs], Projection],
    progress: ProgressCallback | None = None,
) -> tuple[Projection, ProjectionSource, Callable[[], None]]:
    """The run's projection, from the cache when it can be brought up to date exactly
    (``full``: never), else from a full read; and what renews the cache, to be called once
    the run has succeeded (a run that fails or is killed leaves the store and the cache as
    they were, and the next run starts from them)."""
    path = cache_path(store)
    if not isinstance(store, GraphJournal) or path is None:
        reader = WindowView(store, window_days) if window_days is not None else store
        builder_projection = build_projection_via(reader, build, progress)
        source = ProjectionSource(False, "the store keeps no change journal")
        return builder_projection, source, _nothing
    report = progress or (lambda stage, count: None)
    cached, reason = None, "--full"
    if not full:
        cached, reason = _current(store, path)
    if cached is not None:
        report("cached graph updated", len(cached[1].node_ids) + len(cached[1].edge_keys))
        graph, changes = cached
        source = ProjectionSource(True, "", len(changes.node_ids), len(changes.edge_keys))
    else:
        logger.info("analysis reads the whole graph: %s", reason)
        mark = store.graph_mark()  # before the read: later changes are replayed next time
        builder, counts = read_graph(store, progress=progress)
        read = builder.inputs()
        del builder  # its id indexes (a dict entry a node) are not needed past the read
        exact = exact_inputs(read, counts)
        source = ProjectionSource(False, reason)
        if isinstance(exact, str):
            logger.warning("analysis cache not kept: %s", exact)
            path.unlink(missing_ok=True)
            if window_days is None:
                return build(read), source, _nothing
            projection = build_projection_via(WindowView(store, window_days), build, progress)
            return projection, source, _nothing
        graph = CachedGraph(mark, exact, counts.odd_days, secrets.token_hex(16))
        changes = None
    journal = store

    def keep() -> None:
        if changes is None or changes.node_ids or changes.edge_keys:
            try:
                save_cache(path, graph)
            except (OSError, UnsavableCache) as exc:  # the analysis stands; the next reads in full
                logger.warning("could not save the analysis cache %s: %s", path, exc)
                path.unlink(missing_ok=True)
        journal.trim_graph_journal(graph.mark, graph.holder)

    inputs = graph.inputs if window_days is None else windowed(graph, window_days)
    return build(inputs), source, keep


def _nothing() -> None:
    """No cache to renew."""


def _current(
    store: GraphJournal, path: Path
) -> tuple[tuple[CachedGraph, GraphChanges] | None, str]:
    """The cache brought up to date with its changes, or None and why not.

    The cache file loads on a worker thread while this one reads the store's changes since
    the mark in its header: SQLite steps its queries outside the GIL, so on two cores the
    two reads overlap (and the store gets no connection of a passing thread)."""
    try:
        mark, holder = cache_mark(path)
    except FileNotFoundError:
        return None, "no analysis cache yet"
    except StaleCache as exc:
        return None, str(exc)
    with ThreadPoolExecutor(1, thread_name_prefix="analysis-cache") as pool:
        loading = pool.submit(load_cache, path)
        changes = store.graph_changes(mark, holder)
        try:
            cached = loading.result()
        except FileNotFoundError:
            return None, "no analysis cache yet"
        except StaleCache as exc:
            return None, str(exc)
    if (cached.mark, cached.holder) != (mark, holder):
        return None, "the analysis cache was replaced while it was read"
    if changes is None:
        return None, (
            "the store changed in ways the cache cannot follow (graph rewritten whole, journal"
            " trimmed past it, or the cache is older than the store's or another copy's)"
        )
    try:
        return (apply_changes(cached, changes), changes), ""
    except StaleCache as exc:
        return None, str(exc)


def build_projection_via(
    reader: Any, build: Callable[[ProjectionInputs], Projection], progress: Any
) -> Projection:
    inputs = read_graph(reader, progress=progress)[0].inputs()  # the builder freed
    return build(inputs)

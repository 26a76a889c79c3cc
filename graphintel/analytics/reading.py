"""Reading a store into a ``Projection``, and small-graph views of one for tests.

The store's reads run on a worker thread (``prefetched``) so that they overlap the
projection's Python work on the second core.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from queue import Empty, Full, Queue
from typing import Any, TypeVar

import networkx as nx
import numpy as np

from graphintel.analytics import heap
from graphintel.analytics.projection import (
    IDENTIFIER_KIND_ORDER,
    PROJECTED_EDGE_KINDS,
    HubSettings,
    Projection,
    ProjectionBuilder,
)
from graphintel.daily.retention import retention_day
from graphintel.model import NodeKind
from graphintel.records import NodeRecord
from graphintel.store.base import DEFAULT_BATCH, GraphReader

ProgressCallback = Callable[[str, int], None]
_T = TypeVar("_T")
_PARTY = NodeKind.PARTY.value
_IDENTIFIER_KINDS = frozenset(k.value for k in IDENTIFIER_KIND_ORDER)


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def prefetched(items: Iterator[_T], depth: int = 4) -> Iterator[_T]:
    """``items``, pulled on a worker thread up to ``depth`` ahead of the caller.

    The store's reads (SQLite steps its queries outside the GIL; the Neo4j driver waits on
    the network) then overlap the projection's Python work, using the second core. An
    error in the reader is raised in the caller; closing this generator stops the reader.
    A generator ``items`` is closed on the worker thread, so its cleanup runs there.
    """
    queue: Queue[object] = Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def pull() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        queue.put(item, timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as exc:  # handed to the caller, which re-raises it
            queue.put(_Failed(exc))
        finally:
            if isinstance(items, Generator):
                items.close()
        queue.put(done)

    worker = threading.Thread(target=pull, name="projection-reader", daemon=True)
    worker.start()
    try:
        while (item := queue.get()) is not done:
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while worker.is_alive():  # unblock a reader waiting on a full queue
            with contextlib.suppress(Empty):
                queue.get(timeout=0.1)
        worker.join()


@dataclass
class ReadCounts:
    """Rows a full read saw, to tell whether the builder's state is the store's graph
    exactly (every node read as a node, at most one edge per shipment and role)."""

    shipments: int = 0
    parties: int = 0
    identifiers: int = 0
    edges: int = 0
    # arrival dates that are not text: their retention day (``WindowView``'s reading)
    odd_days: dict[str, int] = field(default_factory=dict)


def read_graph(
    store: GraphReader,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: ProgressCallback | None = None,
) -> tuple[ProjectionBuilder, ReadCounts]:
    """Read the resolved graph from ``store`` in batches into a builder (read only)."""
    builder = ProjectionBuilder()
    others = [k for k in NodeKind if k is not NodeKind.SHIPMENT]
    counts = ReadCounts()

    def reads() -> Iterator[tuple[str, list[Any]]]:
        # Shipments need their properties (date, value, outcome, goods); parties,
        # identifiers and edges are read without theirs, which decoding would dominate.
        with store.scanning():
            for batch in store.iter_nodes(kinds=[NodeKind.SHIPMENT], batch_size=batch_size):
                yield "read nodes", batch
            for labels in store.iter_node_labels(kinds=others, batch_size=batch_size):
                yield "read nodes", labels
            for ends in store.iter_edge_ends(kinds=PROJECTED_EDGE_KINDS, batch_size=batch_size):
                yield "read edges", ends

    seen = {"read nodes": 0, "read edges": 0}
    for stage, batch in prefetched(reads()):
        if stage == "read edges":
            builder.add_edge_ends(batch)
            counts.edges += len(batch)
        elif batch and isinstance(batch[0], NodeRecord):
            builder.add_nodes(batch)
            counts.shipments += len(batch)
            counts.odd_days.update(odd_days(batch))
        else:
            builder.add_node_labels(batch)
            for _, kind, _ in batch:
                if kind == _PARTY:
                    counts.parties += 1
                elif kind in _IDENTIFIER_KINDS:
                    counts.identifiers += 1
        seen[stage] += len(batch)
        if progress is not None:
            progress(stage, seen[stage])
    heap.trim()  # the read's batches and its connection's pages, freed on the worker thread
    return builder, counts


def odd_days(shipments: Iterable[NodeRecord]) -> dict[str, int]:
    """Retention days of shipments whose arrival date is neither text nor missing (read as
    ``WindowView`` reads them; -1: none); text dates are the projection's own."""
    out = {}
    for node in shipments:
        value = node.props.get("arrival_date")
        if value is not None and not isinstance(value, str):
            day = retention_day(value)
            out[node.id] = day.toordinal() if day else -1
    return out


def build_projection(
    store: GraphReader,
    hubs: HubSettings | None = None,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: ProgressCallback | None = None,
) -> Projection:
    """Read the resolved graph from ``store`` in batches and project it (read only), its
    hubs marked by ``hubs`` (the defaults when None)."""
    builder, _ = read_graph(store, batch_size=batch_size, progress=progress)
    return builder.build(hubs or HubSettings())


def to_networkx(projection: Projection, *, include_hubs: bool = False) -> nx.Graph:
    """The party-identifier graph as a networkx ``Graph``: for small graphs and tests.

    Node keys are store ids; attributes: ``kind``, ``label``, ``hub``; edges carry ``weight``.
    """
    graph = nx.Graph()
    is_hub = projection.node_is_hub()
    kinds = [NodeKind.PARTY.value] * projection.n_parties + [
        IDENTIFIER_KIND_ORDER[int(code)].value for code in projection.ident_kind
    ]
    for node in range(projection.n_nodes):
        if include_hubs or not is_hub[node]:
            graph.add_node(
                projection.node_id(node),
                kind=kinds[node],
                label=projection.label(node),
                hub=bool(is_hub[node]),
            )
    keep = np.ones(len(projection.link_party), dtype=bool)
    if not include_hubs:
        keep = projection.active_links()
    for p, i, w in zip(
        projection.link_party[keep],
        projection.link_ident[keep],
        projection.link_weight[keep],
        strict=True,
    ):
        graph.add_edge(projection.party_ids[p], projection.ident_ids[i], weight=float(w))
    return graph

"""``resolve_store``: read the shipments, resolve the parties, swap in the new graph.

Pass one normalizes every mention into distinct records (spooling only each shipment's
record indices); resolution works on the records; pass two re-reads the shipments to
build the graph; one ``replace_graph`` call writes it atomically.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from graphintel.errors import StoreError
from graphintel.resolve.config import ProgressCallback, ResolverConfig, ResolveSummary
from graphintel.resolve.features import FeatureExtractor, shipment_mentions
from graphintel.resolve.graph import GraphBuilder, PartyLink
from graphintel.resolve.judgements import judged_groups, judgement_mentions
from graphintel.resolve.resolver import resolve_records
from graphintel.resolve.spool import Spool
from graphintel.resolve.table import RecordTable
from graphintel.store.base import GraphStore

logger = logging.getLogger(__name__)

T = TypeVar("T")
_PROGRESS_EVERY = 10_000


def _quiet(stage: str, count: int) -> None:
    return None


def _counted(items: Iterable[T], stage: str, progress: ProgressCallback) -> Iterator[T]:
    n = 0
    for n, item in enumerate(items, 1):
        if n % _PROGRESS_EVERY == 0:
            progress(stage, n)
        yield item
    progress(stage, n)


def resolve_store(
    store: GraphStore,
    config: ResolverConfig | None = None,
    progress: ProgressCallback | None = None,
) -> ResolveSummary:
    """Resolve every shipment's parties and replace the store's graph in one transaction."""
    config = config or ResolverConfig()
    report = progress or _quiet
    extractor = FeatureExtractor()
    table = RecordTable()
    rows: Spool[tuple[str, tuple[int, ...]]] = Spool()
    builder = GraphBuilder(extractor)
    started = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal started
        now = time.perf_counter()
        logger.info("%s took %.1f s", stage, now - started)
        started = now

    judgements = store.judgements()
    mentions_of = judgement_mentions(store, judgements)
    wanted = set().union(*mentions_of.values()) if mentions_of else set()
    record_of: dict[str, int] = {}  # judged mention id -> distinct record index
    try:
        mentions = 0
        for batch in store.iter_shipments():
            for s in batch:
                indices = tuple(
                    table.add(extractor.features(pm), pm.mention.mention_id)
                    for pm in shipment_mentions(s)
                )
                if wanted:
                    for pm, i in zip(shipment_mentions(s), indices, strict=True):
                        if pm.mention.mention_id in wanted:
                            record_of[pm.mention.mention_id] = i
                mentions += len(indices)
                rows.append((s.shipment_id, indices))
            report("reading shipments", len(rows))
        report("reading shipments", len(rows))
        lap("reading and normalizing shipments")

        judged = judged_groups(judgements, mentions_of, record_of)
        resolution = resolve_records(table, config, report, judged)
        lap("resolving parties")

        row_iter = iter(rows)
        built = 0
        for batch in store.iter_shipments():
            for s in batch:
                shipment_id, indices = next(row_iter, ("", ()))
                if shipment_id != s.shipment_id:
                    raise StoreError("shipments changed while resolving; run resolve again")
                links = [
                    PartyLink(pm.mention, resolution.entity_of[i], table.features[i])
                    for pm, i in zip(shipment_mentions(s), indices, strict=True)
                ]
                builder.add(s, links)
            built += len(batch)
            report("building graph", built)
        if built != len(rows):
            raise StoreError("shipments changed while resolving; run resolve again")
        lap("building the graph")

        summary = ResolveSummary(
            shipments=len(rows),
            mentions=mentions,
            distinct_records=len(table),
            candidate_pairs=resolution.candidate_pairs,
            merges=resolution.merges,
            entities=resolution.entities,
            nodes=builder.node_count,
            edges=builder.edge_count,
            oversized_blocks=resolution.oversized_blocks,
            hub_identifiers=resolution.hub_identifiers,
        )
        store.replace_graph(
            _counted(builder.nodes(), "writing nodes", report),
            _counted(builder.edges(), "writing edges", report),
            _counted(builder.assignments(), "writing mentions", report),
            resolution.evidence,
        )
        lap("writing the graph")
    finally:
        rows.close()
        builder.close()
    logger.info("resolution finished: %s", summary)
    return summary

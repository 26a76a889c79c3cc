"""``resolve_store``: read the shipments, resolve the parties, swap in the new graph.

Pass one normalizes every mention into distinct records (spooling only each shipment's
record indices); resolution works on the records; pass two re-reads the shipments to
build the graph; one ``replace_graph`` call writes it atomically.

When the store holds the state of an earlier resolution (``graphintel.resolve.state``),
the run is incremental: shipments resolved before take their records from that state
without being normalized again, and only candidate pairs involving a new record (or an
identifier whose hub status changed) are compared; the rest of the run (model fit,
clustering, graph) covers all records, so it ends exactly where a full run would.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from graphintel.errors import StoreError
from graphintel.resolve.config import ProgressCallback, ResolverConfig, ResolveSummary
from graphintel.resolve.features import FeatureExtractor, shipment_mentions
from graphintel.resolve.graph import GraphBuilder, PartyLink
from graphintel.resolve.judgements import judged_groups, judgement_mentions
from graphintel.resolve.pair_cache import ComparisonCache
from graphintel.resolve.resolver import resolve_records
from graphintel.resolve.runs import record_resolve_run
from graphintel.resolve.spool import Spool
from graphintel.resolve.state import SavedResolution, decode, encode, fingerprint
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


@dataclass(frozen=True, slots=True)
class ResolveOutcome:
    """A resolution's counts plus how it ran: ``full`` or ``incremental``, how many
    mentions were new to it, and how many candidate pairs it compared or reused."""

    summary: ResolveSummary
    mode: str
    new_mentions: int
    compared_pairs: int
    reused_pairs: int

    def __str__(self) -> str:
        return (
            f"{self.mode} resolution: {self.new_mentions:,} new mentions normalized, "
            f"{self.compared_pairs:,} pairs compared, {self.reused_pairs:,} reused; "
            f"{self.summary}"
        )


def _saved_state(store: GraphStore, config: ResolverConfig) -> SavedResolution | None:
    saved = decode(store.resolver_state())
    if saved is None:
        return None
    if saved.fingerprint != fingerprint(config):
        logger.info("the saved resolution used other settings or code: resolving in full")
        return None
    return saved


def resolve_store(
    store: GraphStore,
    config: ResolverConfig | None = None,
    progress: ProgressCallback | None = None,
    full: bool = False,
) -> ResolveSummary:
    """Resolve every shipment's parties and replace the store's graph in one transaction
    (incrementally when the store holds an earlier resolution, unless ``full``)."""
    return run_resolution(store, config, progress, full).summary


def run_resolution(
    store: GraphStore,
    config: ResolverConfig | None = None,
    progress: ProgressCallback | None = None,
    full: bool = False,
) -> ResolveOutcome:
    """``resolve_store`` with the mode it ran in and its comparison counts."""
    config = config or ResolverConfig()
    saved = None if full else _saved_state(store, config)
    report = progress or _quiet
    extractor = FeatureExtractor()
    table = RecordTable()
    if saved is not None:
        table.restore(saved.features, saved.first_mention, saved.mention_count)
    rows: Spool[tuple[str, tuple[int, ...]]] = Spool()
    builder = GraphBuilder(extractor)
    started, cpu = time.perf_counter(), time.process_time()

    def lap(stage: str) -> None:
        nonlocal started, cpu
        now, now_cpu = time.perf_counter(), time.process_time()
        logger.info("%s took %.1f s (%.1f s CPU)", stage, now - started, now_cpu - cpu)
        started, cpu = now, now_cpu

    judgements = store.judgements()
    mentions_of = judgement_mentions(store, judgements)
    wanted = set().union(*mentions_of.values()) if mentions_of else set()
    record_of: dict[str, int] = {}  # judged mention id -> distinct record index
    try:
        mentions = new_mentions = reused_shipments = 0
        for batch in store.iter_shipments():
            for s in batch:
                known = saved.shipments.get(s.shipment_id) if saved is not None else None
                if known is not None:
                    indices = known
                    reused_shipments += 1
                else:
                    indices = tuple(table.add_mention(pm, extractor) for pm in shipment_mentions(s))
                    new_mentions += len(indices)
                if wanted:
                    for pm, i in zip(shipment_mentions(s), indices, strict=True):
                        if pm.mention.mention_id in wanted:
                            record_of[pm.mention.mention_id] = i
                mentions += len(indices)
                rows.append((s.shipment_id, indices))
            report("reading shipments", len(rows))
        report("reading shipments", len(rows))
        if saved is not None and reused_shipments != len(saved.shipments):
            logger.warning("shipments resolved before are gone from the store: resolving in full")
            rows.close()
            builder.close()
            return run_resolution(store, config, progress, full=True)
        new_index = table.canonical_order()
        table.seal()
        record_of = {m: new_index[i] for m, i in record_of.items()}
        lap("reading and normalizing shipments")

        if saved is not None:
            cache = ComparisonCache.from_saved(
                len(table), new_index, saved.pair_left, saved.pair_right, saved.levels
            )
        else:
            cache = ComparisonCache(len(table))
        judged = judged_groups(judgements, mentions_of, record_of)
        resolution = resolve_records(
            table, config, report, judged, cache, saved.hubs if saved is not None else None
        )
        lap("resolving parties")

        shipment_records: dict[str, tuple[int, ...]] = {}
        row_iter = iter(rows)
        built = 0
        for batch in store.iter_shipments():
            for s in batch:
                shipment_id, old = next(row_iter, ("", ()))
                if shipment_id != s.shipment_id:
                    raise StoreError("shipments changed while resolving; run resolve again")
                indices = tuple(new_index[i] for i in old)
                shipment_records[shipment_id] = indices
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
        # The saved state must never describe another graph: it goes before the swap and
        # comes back after it (a crash in between only costs the next run its shortcut).
        store.save_resolver_state({})
        store.replace_graph_rows(
            _counted(builder.node_rows(), "writing nodes", report),
            _counted(builder.edge_rows(), "writing edges", report),
            _counted(builder.assignment_rows(), "writing mentions", report),
            resolution.evidence,
        )
        lap("writing the graph")
        left, right, levels = cache.saved()
        state = SavedResolution(
            fingerprint=fingerprint(config),
            features=table.features,
            first_mention=table.first_mention,
            mention_count=table.mention_count,
            shipments=shipment_records,
            hubs=set(resolution.hubs),
            pair_left=left,
            pair_right=right,
            levels=levels,
        )
        store.save_resolver_state(encode(state))
        lap("saving the resolver state")
        extractor.log_warnings()
        record_resolve_run(store, config, resolution.model, summary, extractor.warnings)
    finally:
        rows.close()
        builder.close()
    outcome = ResolveOutcome(
        summary,
        "incremental" if saved is not None else "full",
        new_mentions,
        cache.compared,
        cache.reused,
    )
    logger.info("resolution finished: %s", outcome)
    return outcome

"""``resolve_store``: read the shipments, resolve the parties, swap in the new graph.

Pass one reads the shipments once: it normalizes each distinct raw mention (in
``workers`` processes for a large store) into distinct records and spools what the graph
shows of each shipment as plain tuples; resolution works on the records; pass two builds
the graph from the spool; one ``replace_graph_rows`` call writes it atomically.

When the store holds the state of an earlier resolution (``graphintel.resolve.state``),
the run is incremental: shipments resolved before take their records from that state
without being normalized again, and only candidate pairs involving a new record (or an
identifier whose hub status changed) are compared; the rest of the run (model fit,
clustering, graph) covers all records, so it ends exactly where a full run would.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from graphintel.resolve.config import ProgressCallback, ResolverConfig, ResolveSummary
from graphintel.resolve.features import FeatureExtractor
from graphintel.resolve.gc_pause import gc_paused
from graphintel.resolve.graph import GraphBuilder, PartyLink, ShipmentRow, shipment_row
from graphintel.resolve.judgements import judged_groups, judgement_mentions
from graphintel.resolve.pair_cache import ComparisonCache
from graphintel.resolve.parallel import Normalizer
from graphintel.resolve.raw_mentions import RawMentions, mention_key
from graphintel.resolve.resolver import resolve_records
from graphintel.resolve.runs import record_resolve_run
from graphintel.resolve.spool import Spool
from graphintel.resolve.state import SavedResolution, decode, encode, fingerprint
from graphintel.resolve.table import RawKey, RecordTable, shipment_raw_keys
from graphintel.store.base import GraphStore

logger = logging.getLogger(__name__)

T = TypeVar("T")
_PROGRESS_EVERY = 10_000
# Below this many new mentions (estimated), starting worker processes costs more than it saves.
PARALLEL_MIN_MENTIONS = 50_000
# One shipment as pass one spools it: what the graph shows of it, whether its mentions were
# resolved before (then ``refs`` are record indices, else raw mention keys), ``refs`` and
# the raw fields of each mention.
_Spooled = tuple[ShipmentRow, bool, tuple[int, ...], tuple[RawKey, ...]]


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the normalizing workers)."""
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


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
    workers: int = 1,
) -> ResolveSummary:
    """Resolve every shipment's parties and replace the store's graph in one transaction
    (incrementally when the store holds an earlier resolution, unless ``full``).

    ``workers`` > 1 normalizes the mentions of a large store in that many processes
    (multiprocessing's spawn: a calling script needs the ``if __name__ == "__main__":``
    guard); the result is the same either way."""
    return run_resolution(store, config, progress, full, workers).summary


def run_resolution(
    store: GraphStore,
    config: ResolverConfig | None = None,
    progress: ProgressCallback | None = None,
    full: bool = False,
    workers: int = 1,
) -> ResolveOutcome:
    """``resolve_store`` with the mode it ran in and its comparison counts."""
    config = config or ResolverConfig()
    saved = None if full else _saved_state(store, config)
    report = progress or _quiet
    extractor = FeatureExtractor()
    table = RecordTable()
    if saved is not None:
        table.restore(saved.features, saved.first_mention, saved.mention_count)
    rows: Spool[_Spooled] = Spool()
    builder = GraphBuilder(extractor)
    expected = 2 * (store.shipment_count() - (len(saved.shipments) if saved is not None else 0))
    parallel = workers > 1 and expected >= PARALLEL_MIN_MENTIONS
    normalizer = Normalizer(extractor, workers if parallel else 1)
    raw_mentions = RawMentions(table, normalizer)
    started, (cpu, child_cpu) = time.perf_counter(), _cpu()

    def lap(stage: str) -> None:
        nonlocal started, cpu, child_cpu
        now, (now_cpu, now_child) = time.perf_counter(), _cpu()
        own, workers_cpu = now_cpu - cpu, now_child - child_cpu
        if workers_cpu > 0:
            logger.info("%s took %.1f s (%.1f s CPU, %.1f s of it in worker processes)",
                        stage, now - started, own + workers_cpu, workers_cpu)  # fmt: skip
        else:
            logger.info("%s took %.1f s (%.1f s CPU)", stage, now - started, own)
        started, cpu, child_cpu = now, now_cpu, now_child

    judgements = store.judgements()
    mentions_of = judgement_mentions(store, judgements)
    wanted = set().union(*mentions_of.values()) if mentions_of else set()
    judged_refs: dict[str, tuple[bool, int]] = {}  # judged mention id -> (known, ref)
    try:
        if parallel:
            logger.info("normalizing mentions in %d worker processes", workers)
        mentions = new_mentions = reused_shipments = 0
        add_mention = raw_mentions.add
        with gc_paused():  # millions of small tuples, no cycles: see gc_pause
            for batch in store.iter_shipments():
                for s in batch:
                    shipment_id = s.shipment_id
                    raws = tuple(shipment_raw_keys(s))
                    known = saved.shipments.get(shipment_id) if saved is not None else None
                    if known is not None:
                        refs = known
                        reused_shipments += 1
                    else:
                        refs = tuple([add_mention(shipment_id, raw) for raw in raws])
                        new_mentions += len(refs)
                    if wanted:
                        for raw, ref in zip(raws, refs, strict=True):
                            mention_id = mention_key(shipment_id, raw)
                            if mention_id in wanted:
                                judged_refs[mention_id] = (known is not None, ref)
                    mentions += len(refs)
                    rows.append((shipment_row(s), known is not None, refs, raws))
                report("reading shipments", len(rows))
        report("reading shipments", len(rows))
        if saved is not None and reused_shipments != len(saved.shipments):
            logger.warning("shipments resolved before are gone from the store: resolving in full")
            normalizer.close()
            rows.close()
            builder.close()
            return run_resolution(store, config, progress, full=True, workers=workers)
        with gc_paused():
            raw_mentions.finish()
            normalizer.close()
            repeated_lone = raw_mentions.lone_mentions()
            if repeated_lone:  # each mention of a lone raw mention is a record of its own
                for row, known_row, refs, raws in rows:
                    if not known_row:
                        for raw, ref in zip(raws, refs, strict=True):
                            if ref in repeated_lone:
                                raw_mentions.add_lone(ref, mention_key(row[0], raw))
        table.seal()
        new_index = table.canonical_order()
        raw_mentions.remap(new_index)
        record_of = {
            m: new_index[ref] if known_ref else raw_mentions.record(ref, m)
            for m, (known_ref, ref) in judged_refs.items()
        }
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
        entity_of, features = resolution.entity_of, table.features
        labels = raw_mentions.address_labels
        with gc_paused():
            for built, (row, known_row, refs, raws) in enumerate(rows, 1):
                shipment_id = row[0]
                if known_row:
                    indices = tuple(new_index[i] for i in refs)
                    links = [PartyLink(raw, entity_of[i], features[i])
                             for raw, i in zip(raws, indices, strict=True)]  # fmt: skip
                else:
                    indices = tuple(raw_mentions.record(ref, mention_key(shipment_id, raw))
                                    for raw, ref in zip(raws, refs, strict=True))  # fmt: skip
                    links = [PartyLink(raw, entity_of[i], features[i],
                                       labels.get(features[i].address))
                             for raw, i in zip(raws, indices, strict=True)]  # fmt: skip
                shipment_records[shipment_id] = indices
                builder.add(row, links)
                if built % _PROGRESS_EVERY == 0:
                    report("building graph", built)
        report("building graph", len(rows))
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
        with gc_paused():  # millions of row tuples, no cycles: see gc_pause
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
        extractor.warnings.update(raw_mentions.warnings)
        extractor.log_warnings()
        record_resolve_run(store, config, resolution.model, summary, extractor.warnings)
    finally:
        normalizer.close()
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

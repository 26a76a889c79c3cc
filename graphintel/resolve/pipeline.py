"""``resolve_store``: read the shipments, resolve the parties, swap in the new graph.

Pass one reads the shipments once: it normalizes each distinct raw mention (in
``workers`` processes for a large store) into distinct records and spools what the graph
shows of each shipment as plain tuples. Then two things run at once (with ``workers`` > 1,
in two processes: ``background``): entity resolution, followed by the party half of the
graph (``PartyGraph``), and the write of the half that needs no entity (``ShipmentGraph``:
shipments, identifiers and their edges). One ``replace_graph_parts`` call writes both
halves in one transaction, the party half once resolution has produced it.

When the store holds the state of an earlier resolution (``graphintel.resolve.state``),
the run is incremental: shipments resolved before take their records from that state
without being normalized again, and only candidate pairs involving a new record (or an
identifier whose hub status changed) are compared; the rest of the run (model fit,
clustering, graph) covers all records, so it ends exactly where a full run would.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from graphintel import faults
from graphintel.records import MergeEvidence, mention_id
from graphintel.resolve.background import Background, fork_is_safe
from graphintel.resolve.config import ProgressCallback, ResolverConfig, ResolveSummary
from graphintel.resolve.features import FeatureExtractor
from graphintel.resolve.gc_pause import gc_paused
from graphintel.resolve.graph import (
    MentionLink,
    PartyGraph,
    PartyLink,
    ShipmentGraph,
    ShipmentRow,
    StagedPartyGraph,
    shipment_row,
)
from graphintel.resolve.identifier_aliases import IdentifierAliases, identifier_aliases
from graphintel.resolve.judgements import JudgedGroups, judged_groups, judgement_mentions
from graphintel.resolve.pair_cache import ComparisonCache
from graphintel.resolve.parallel import Normalizer
from graphintel.resolve.raw_mentions import RawMentions
from graphintel.resolve.resolver import resolve_records
from graphintel.resolve.runs import record_resolve_run
from graphintel.resolve.spool import Spool
from graphintel.resolve.state import SavedResolution, decode, encode, fingerprint
from graphintel.resolve.table import RawKey, RecordTable, shipment_raw_keys
from graphintel.store.base import (
    AssignmentRow,
    EvidenceRow,
    GraphPart,
    GraphStore,
    NodeRow,
    evidence_row,
)
from graphintel.store.staging import StagedRows, StagingFile, TableStager

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


def _log_lap(stage: str, wall: float, cpu: float, where: str = "") -> None:
    logger.info("%s took %.1f s (%.1f s CPU%s)", stage, wall, cpu, where)


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


@dataclass(frozen=True, slots=True)
class _Resolved:
    """The resolution job's first message: what the writing process needs of the
    resolution (counts, model, each record's entity, the staged merge evidence) and its lap."""

    candidate_pairs: int
    merges: int
    entities: int
    oversized_blocks: int
    hub_identifiers: int
    model: dict[str, Any]
    entity_of: list[str]
    compared: int
    reused: int
    evidence: StagedRows[MergeEvidence]
    wall: float
    cpu: float


@dataclass(frozen=True, slots=True)
class _PartyBuilt:
    """The job's second message: where the party half of the graph is, and its lap."""

    graph: StagedPartyGraph
    wall: float
    cpu: float


@dataclass(frozen=True, slots=True)
class _StateEncoded:
    """The job's last message: the resolver state to save once the graph is swapped in."""

    state: dict[str, bytes]
    wall: float
    cpu: float


_Message = _Resolved | _PartyBuilt | _StateEncoded


def _party_job(
    table: RecordTable,
    config: ResolverConfig,
    judged: list[JudgedGroups],
    cache: ComparisonCache,
    saved_hubs: set[str] | None,
    rows: Spool[_Spooled],
    indices_of: Callable[[_Spooled], tuple[int, ...]],
    directory: str,
    aliases: IdentifierAliases,
) -> Iterator[_Message]:
    """Resolve the records, build the party half of the graph, encode the resolver state:
    what runs beside the write of the shipment half (in a forked process, or here)."""
    started, cpu = time.perf_counter(), time.process_time()

    def lap() -> tuple[float, float]:
        return time.perf_counter() - started, time.process_time() - cpu

    resolution = resolve_records(table, config, None, judged, cache, saved_hubs)
    faults.hit("resolve.in_resolution")
    # Two staging files, each finished before the writing process reads it (it holds a
    # read lock on what it attached until its transaction ends).
    staging = StagingFile(os.path.join(directory, "evidence.db"))
    stager: TableStager[EvidenceRow] = staging.table("merge_evidence")
    stager.extend(map(evidence_row, resolution.evidence))
    evidence: StagedRows[MergeEvidence] = stager.finish()  # type: ignore[assignment]
    staging.close()
    left, right, levels = cache.saved()
    yield _Resolved(
        resolution.candidate_pairs, resolution.merges, resolution.entities,
        resolution.oversized_blocks, resolution.hub_identifiers, resolution.model,
        resolution.entity_of, cache.compared, cache.reused, evidence, *lap(),
    )  # fmt: skip
    # The clock restarts after each message: run here, the generator waits between them.
    started, cpu = time.perf_counter(), time.process_time()

    staging = StagingFile(os.path.join(directory, "party.db"))
    graph = PartyGraph(staging, table.features, aliases=aliases)
    entity_of = resolution.entity_of
    shipment_records: dict[str, tuple[int, ...]] = {}
    for row in rows:
        shipment_id = row[0][0]
        indices = shipment_records[shipment_id] = indices_of(row)
        graph.add(shipment_id, [PartyLink(raw, entity_of[i], i)
                                for raw, i in zip(row[3], indices, strict=True)])  # fmt: skip
    staged = graph.finish()
    staging.close()
    yield _PartyBuilt(staged, *lap())
    started, cpu = time.perf_counter(), time.process_time()

    state = encode(
        SavedResolution(
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
    )
    yield _StateEncoded(state, *lap())


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
    guard) and, on Linux, resolves the parties in a forked second process while this one
    writes the shipment half of the graph; the result is the same either way."""
    return run_resolution(store, config, progress, full, workers).summary


def run_resolution(
    store: GraphStore,
    config: ResolverConfig | None = None,
    progress: ProgressCallback | None = None,
    full: bool = False,
    workers: int = 1,
) -> ResolveOutcome:
    """``resolve_store`` with the mode it ran in and its comparison counts."""
    # One pause of the cyclic collector for the whole run (see gc_pause): resuming it
    # between stages made it walk every object the run still held, a second or two each
    # time; once the run has returned, little is left to walk. The forked resolution
    # process inherits the pause.
    with gc_paused():
        return _run(store, config, progress, full, workers)


def _run(
    store: GraphStore,
    config: ResolverConfig | None,
    progress: ProgressCallback | None,
    full: bool,
    workers: int,
) -> ResolveOutcome:
    config = config or ResolverConfig()
    saved = None if full else _saved_state(store, config)
    report = progress or _quiet
    extractor = FeatureExtractor()
    table = RecordTable()
    if saved is not None:
        table.restore(saved.features, saved.first_mention, saved.mention_count)
    workdir = tempfile.TemporaryDirectory(prefix="graphintel-resolve-")
    rows: Spool[_Spooled] = Spool(workdir.name)
    # Estimated mentions (about two a shipment): the new ones decide whether normalizing
    # workers pay off; all of them whether the second process does (resolution, model fit
    # and graph cover every record, also in an incremental run).
    total = 2 * store.shipment_count()
    expected = total - 2 * (len(saved.shipments) if saved is not None else 0)
    parallel = workers > 1 and expected >= PARALLEL_MIN_MENTIONS
    second_process = workers > 1 and total >= PARALLEL_MIN_MENTIONS
    normalizer = Normalizer(extractor, workers if parallel else 1)
    raw_mentions = RawMentions(table, normalizer)
    started, (cpu, child_cpu) = time.perf_counter(), _cpu()

    def lap(stage: str | None) -> None:
        """Log the time since the last lap as ``stage`` (None: restart the clock only)."""
        nonlocal started, cpu, child_cpu
        now, (now_cpu, now_child) = time.perf_counter(), _cpu()
        own, workers_cpu = now_cpu - cpu, now_child - child_cpu
        if stage is not None:
            where = f", {workers_cpu:.1f} s of it in worker processes" if workers_cpu > 0 else ""
            _log_lap(stage, now - started, own + workers_cpu, where)
        started, cpu, child_cpu = now, now_cpu, now_child

    judgements = store.judgements()
    mentions_of = judgement_mentions(store, judgements)
    wanted = set().union(*mentions_of.values()) if mentions_of else set()
    judged_refs: dict[str, tuple[bool, int]] = {}  # judged mention id -> (known, ref)
    job: Background[_Message] | None = None
    shipments: ShipmentGraph | None = None
    try:
        if parallel:
            logger.info("normalizing mentions in %d worker processes", workers)
        mentions = new_mentions = reused_shipments = 0
        add_mention = raw_mentions.add
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
                        mention = mention_id(shipment_id, raw[0])
                        if mention in wanted:
                            judged_refs[mention] = (known is not None, ref)
                mentions += len(refs)
                rows.append((shipment_row(s), known is not None, refs, raws))
            report("reading shipments", len(rows))
        report("reading shipments", len(rows))
        if saved is not None and reused_shipments != len(saved.shipments):
            logger.warning("shipments resolved before are gone from the store: resolving in full")
            normalizer.close()
            rows.close()
            workdir.cleanup()
            return run_resolution(store, config, progress, full=True, workers=workers)
        raw_mentions.finish()
        normalizer.close()
        repeated_lone = raw_mentions.lone_mentions()
        if repeated_lone:  # each mention of a lone raw mention is a record of its own
            for row, known_row, refs, raws in rows:
                if not known_row:
                    for raw, ref in zip(raws, refs, strict=True):
                        if ref in repeated_lone:
                            raw_mentions.add_lone(ref, mention_id(row[0], raw[0]))
        table.seal()
        new_index = table.canonical_order()
        raw_mentions.remap(new_index)
        record_of = {
            m: new_index[ref] if known_ref else raw_mentions.record(ref, m)
            for m, (known_ref, ref) in judged_refs.items()
        }
        lap("reading and normalizing shipments")
        faults.hit("resolve.after_normalization")

        if saved is not None:
            cache = ComparisonCache.from_saved(
                len(table), new_index, saved.pair_left, saved.pair_right, saved.levels
            )
        else:
            cache = ComparisonCache(len(table))
        mode = "incremental" if saved is not None else "full"
        saved_hubs = saved.hubs if saved is not None else None
        # Its shipments and pairs live on in the table and the cache: free them before
        # the fork (the second process would otherwise carry them too).
        saved = None
        judged = judged_groups(judgements, mentions_of, record_of)
        aliases = identifier_aliases(table.features, table.mention_count)

        def indices_of(row: _Spooled) -> tuple[int, ...]:
            """The record index of each mention of a spooled shipment."""
            _, known_row, refs, raws = row
            if known_row:
                return tuple([new_index[i] for i in refs])
            shipment_id = row[0][0]
            return tuple([raw_mentions.record(ref, mention_id(shipment_id, raw[0]))
                          for raw, ref in zip(raws, refs, strict=True)])  # fmt: skip

        # The saved state must never describe another graph: it goes before the swap and
        # comes back after it (a crash in between only costs the next run its shortcut).
        store.save_resolver_state({})
        rows.flush()  # the job reads the spool, maybe from another process
        fork = second_process and fork_is_safe()
        logger.info("resolving parties %s", "in a second process" if fork else "in this process")
        job = Background(
            partial(_party_job, table, config, judged, cache,
                    saved_hubs, rows, indices_of, workdir.name, aliases),
            fork,
        )  # fmt: skip
        shipments = ShipmentGraph(extractor, spool_directory=workdir.name, aliases=aliases)
        write = _GraphWrite(rows, indices_of, table, raw_mentions.address_labels, shipments,
                            job, report, lap)  # fmt: skip
        store.replace_graph_parts(write.parts())
        faults.hit("resolve.before_state_save")
        lap("writing the party half of the graph")
        resolved, party = write.resolved, write.party
        summary = ResolveSummary(
            shipments=len(rows),
            mentions=mentions,
            distinct_records=len(table),
            candidate_pairs=resolved.candidate_pairs,
            merges=resolved.merges,
            entities=resolved.entities,
            nodes=shipments.node_count + len(party.nodes),
            edges=shipments.edge_count + len(party.edges),
            oversized_blocks=resolved.oversized_blocks,
            hub_identifiers=resolved.hub_identifiers,
        )
        store.save_resolver_state(write.state())
        lap("saving the resolver state")
        extractor.warnings.update(raw_mentions.warnings)
        extractor.log_warnings()
        record_resolve_run(store, config, resolved.model, summary, extractor.warnings)
    finally:
        if job is not None:
            job.close()
        if shipments is not None:
            shipments.close()
        normalizer.close()
        rows.close()
        workdir.cleanup()
    outcome = ResolveOutcome(
        summary,
        mode,
        new_mentions,
        resolved.compared,
        resolved.reused,
    )
    logger.info("resolution finished: %s", outcome)
    return outcome


class _GraphWrite:
    """The graph as ``replace_graph_parts`` takes it: the shipment half, built here while
    the job resolves, and the merges' evidence; then the party half the job built."""

    def __init__(
        self,
        rows: Spool[_Spooled],
        indices_of: Callable[[_Spooled], tuple[int, ...]],
        table: RecordTable,
        address_labels: dict[str, str],
        shipments: ShipmentGraph,
        job: Background[_Message],
        report: ProgressCallback,
        lap: Callable[[str | None], None],
    ) -> None:
        self._rows = rows
        self._indices_of = indices_of
        self._features = table.features
        self._labels = address_labels
        self._shipments = shipments
        self._job = job
        self._report = report
        self._lap = lap
        self._where = " in the second process" if job.forked else ""
        self._resolved: _Resolved | None = None
        self._party: StagedPartyGraph | None = None
        # (shipment id, role, name as written, record) of every mention, for mention_rows
        self._mentions: list[tuple[str, str, str, int]] = []

    @property
    def resolved(self) -> _Resolved:
        assert self._resolved is not None, "parts() was not consumed"
        return self._resolved

    @property
    def party(self) -> StagedPartyGraph:
        assert self._party is not None, "parts() was not consumed"
        return self._party

    def parts(self) -> Iterator[GraphPart]:
        report = self._report
        yield GraphPart(self._shipment_nodes(), self._shipments.edge_rows(), (), ())
        self._lap("building and writing shipments and identifiers")
        faults.hit("resolve.between_parts")
        resolved = self._job.receive()
        assert isinstance(resolved, _Resolved)
        self._resolved = resolved
        _log_lap("resolving parties", resolved.wall, resolved.cpu, self._where)
        self._lap("waiting for the resolution" if self._job.forked else None)
        mentions = _counted(self._mention_rows(resolved.entity_of), "writing mentions", report)
        yield GraphPart((), (), mentions, resolved.evidence)
        self._lap("writing the mentions and the merge evidence")
        built = self._job.receive()
        assert isinstance(built, _PartyBuilt)
        _log_lap("building the party half of the graph", built.wall, built.cpu, self._where)
        self._lap("waiting for the party half of the graph" if self._job.forked else None)
        party = self._party = built.graph
        report("writing parties", len(party.nodes))
        yield GraphPart(party.nodes, party.edges, (), ())
        faults.hit("resolve.before_commit")  # the store asks for a next part before committing

    def state(self) -> dict[str, bytes]:
        """The resolver state the job encoded (after the graph was written)."""
        encoded = self._job.receive()
        assert isinstance(encoded, _StateEncoded)
        _log_lap("encoding the resolver state", encoded.wall, encoded.cpu, self._where)
        return encoded.state

    def _shipment_nodes(self) -> Iterator[NodeRow]:
        """Each shipment's node as the shipment is added, then the identifier nodes."""
        add, indices_of = self._shipments.add, self._indices_of
        features, labels, report = self._features, self._labels, self._report
        mentions = self._mentions
        built = 0
        for built, row in enumerate(self._rows, 1):
            indices = indices_of(row)
            shipment_id = row[0][0]
            for raw, i in zip(row[3], indices, strict=True):
                mentions.append((shipment_id, raw[0], raw[1], i))
            if row[1]:  # resolved before: the label is made again if the address is new
                links = [MentionLink(raw, features[i])
                         for raw, i in zip(row[3], indices, strict=True)]  # fmt: skip
            else:
                links = [MentionLink(raw, features[i], labels.get(features[i].address))
                         for raw, i in zip(row[3], indices, strict=True)]  # fmt: skip
            yield add(row[0], links)
            if built % _PROGRESS_EVERY == 0:
                report("building graph", built)
        report("building graph", built)
        yield from _counted(self._shipments.identifier_rows(), "writing identifiers", report)

    def _mention_rows(self, entity_of: list[str]) -> Iterator[AssignmentRow]:
        """(shipment id, role, entity id, name as written) of every mention, in order."""
        for shipment_id, role, name, record in self._mentions:
            yield shipment_id, role, entity_of[record], name
        self._mentions = []

"""The resolution job: what runs beside the write of the shipment half of the graph.

It resolves the records into parties, builds the party half of the graph and encodes the
resolver state, sending one message after each (``Background``: from a second process,
or lazily from this one). It reads the shipments from the spool the read stage wrote and
its records from the table, both already built when the job starts: a forked process
shares them, a spawned one gets the job pickled (the table packed anew, the spool as its
file's name, the raw mentions as the record lookups ``MentionRecords`` needs).
Incrementally, that spool holds the new shipments only: the old ones with a mention of an
entity written again come in a second spool that the writing process reads back from the
store once it knows those entities (``old_shipments``), and the old shipments' records in
the saved state come from the saved ``shipment_records``.
"""

from __future__ import annotations

import heapq
import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from graphintel import faults
from graphintel.errors import ResolveError
from graphintel.evidence_weights import WEIGHTS_ENTITY, stored_row, weights_row
from graphintel.records import MergeEvidence
from graphintel.resolve import party_ledger
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.delta_basis import DeltaBasis, EntityChange
from graphintel.resolve.graph import ShipmentRow
from graphintel.resolve.handoff import Handoff
from graphintel.resolve.identifier_aliases import IdentifierAliases
from graphintel.resolve.judgements import JudgedGroups
from graphintel.resolve.merge_trail import EvidenceChange, MergeKey, MergeTrail, evidence_change
from graphintel.resolve.pair_cache import ComparisonCache
from graphintel.resolve.party_graph import PartyGraph, PartyLink, StagedPartyGraph
from graphintel.resolve.party_ledger import PartyLedger
from graphintel.resolve.raw_mentions import RawMentions
from graphintel.resolve.resolver import resolve_records
from graphintel.resolve.shipment_records import ShipmentRecords, ShipmentRecordsBuilder
from graphintel.resolve.spool import Spool, read_spool
from graphintel.resolve.state import PARTY_LEDGER, SavedResolution, encode, fingerprint
from graphintel.resolve.table import RawKey, RecordTable
from graphintel.store.base import EvidenceRow, evidence_row
from graphintel.store.staging import StagedRows, StagingFile, TableStager

# One shipment as the read stage spools it: what the graph shows of it, whether its
# mentions were resolved before (then ``refs`` are record indices, else raw mention keys),
# ``refs`` and the raw fields of each mention.
Spooled = tuple[ShipmentRow, bool, tuple[int, ...], tuple[RawKey, ...]]

logger = logging.getLogger(__name__)


def _shipment_id(row: Spooled) -> str:
    return row[0][0]


def in_order(*rows: Iterable[Spooled]) -> Iterator[Spooled]:
    """Rows of several id-ordered streams as one, in shipment-id order: the order in which
    a full run adds shipments to the graph (first sightings and ties depend on it)."""
    return heapq.merge(*rows, key=_shipment_id)


@dataclass(frozen=True, slots=True)
class MentionRecords:
    """The record index of each mention of a spooled shipment, once the table is in its
    canonical order: a shipment resolved before maps its saved indices through
    ``new_index``; a new one asks ``raw_mentions`` about its raw mention keys."""

    new_index: list[int]
    raw_mentions: RawMentions

    def __call__(self, row: Spooled) -> tuple[int, ...]:
        _, known, refs, raws = row
        if known:
            new_index = self.new_index
            return tuple([new_index[i] for i in refs])
        return self.raw_mentions.records(row[0][0], raws, refs)


@dataclass(frozen=True, slots=True)
class Resolved:
    """The job's first message: what the writing process needs of the resolution (counts,
    model, each record's entity, the staged merge evidence) and its lap."""

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
    # the stored merges whose evidence rows the staged rows replace (None: all of them)
    evidence_of: list[MergeKey] | None
    # a delta's entity change, found with the resolution: the writing process would
    # otherwise find it again in a pass over every record (None: a whole graph)
    change: EntityChange | None
    wall: float
    cpu: float


@dataclass(frozen=True, slots=True)
class PartyBuilt:
    """The job's second message: where the party half of the graph is, and its lap."""

    graph: StagedPartyGraph
    wall: float
    cpu: float


@dataclass(frozen=True, slots=True)
class StateEncoded:
    """The job's last message: the resolver state to save once the graph is swapped in."""

    state: dict[str, bytes]
    wall: float
    cpu: float


Message = Resolved | PartyBuilt | StateEncoded


@dataclass(frozen=True, slots=True)
class PartyJob:
    """Everything the job reads, fixed before it starts (and before a fork copies it)."""

    table: RecordTable
    config: ResolverConfig
    judged: list[JudgedGroups]
    cache: ComparisonCache
    saved_hubs: set[str] | None
    rows: Spool[Spooled]
    records_of: MentionRecords
    directory: str
    # found beside the resolution, needed after it
    aliases: Handoff[IdentifierAliases]
    loads: tuple[str, ...] = ()  # the loads whose shipments the state covers
    # Set (a delta): build the party half of changed entities only, from the new shipments
    # and the old ones of the spool named by ``old_rows``; the old shipments' records.
    delta: Handoff[DeltaBasis] | None = None
    old_rows: Handoff[str] | None = None
    saved_shipments: ShipmentRecords | None = None
    party_ledger: PartyLedger | None = None  # the last graph's (a delta)
    old_aliases: IdentifierAliases | None = None  # the last graph's (a delta)
    trail: MergeTrail | None = None  # the last graph's merges, in its record order (a delta)
    # each record's first mention in the last graph (None: new), in this run's order (a delta)
    old_first: list[str | None] | None = None

    def messages(self) -> Iterator[Message]:
        """Resolve, then build the party half, then encode the state: one message each.
        Run here, the generator waits between messages, so each lap restarts its clock."""
        started, cpu = time.perf_counter(), time.process_time()

        def lap() -> tuple[float, float]:
            return time.perf_counter() - started, time.process_time() - cpu

        table, cache = self.table, self.cache
        # a delta's basis and entity change, taken once the entities are known (the basis
        # is found beside the resolution)
        delta: DeltaBasis | None = None
        change: EntityChange | None = None

        def evidence_of(entity_of: Sequence[str], trail: MergeTrail) -> EvidenceChange | None:
            nonlocal delta, change
            if self.delta is None:
                return None
            delta = self.delta.get()
            change = delta.entities(entity_of)
            return self._evidence_of(trail, delta, entity_of)

        resolution = resolve_records(table, self.config, None, self.judged, cache,
                                     self.saved_hubs, evidence_of=evidence_of)  # fmt: skip
        faults.hit("resolve.in_resolution")
        entity_of, records_of = resolution.entity_of, self.records_of
        # Two staging files, each finished before the writing process reads it (it holds a
        # read lock on what it attached until its transaction ends).
        staging = StagingFile(os.path.join(self.directory, "evidence.db"))
        stager: TableStager[EvidenceRow] = staging.table("merge_evidence")
        if resolution.weights is not None:
            stager.extend([evidence_row(weights_row(resolution.weights))])
        stager.extend(map(stored_row, resolution.evidence))
        evidence: StagedRows[MergeEvidence] = stager.finish()  # type: ignore[assignment]
        staging.close()
        # Staged, the evidence (~250 B a merge) is read from the file: free it before the
        # party half and the state are built, this process's peak.
        resolution = replace(resolution, evidence=[])
        left, right, levels = cache.saved()
        yield Resolved(
            resolution.candidate_pairs, resolution.merges, resolution.entities,
            resolution.oversized_blocks, resolution.hub_identifiers, resolution.model,
            resolution.entity_of, cache.compared, cache.reused, evidence,
            None if resolution.evidence_of is None else resolution.evidence_of.removed, change,
            *lap(),
        )  # fmt: skip
        started, cpu = time.perf_counter(), time.process_time()

        staging = StagingFile(os.path.join(self.directory, "party.db"))
        aliases = self.aliases.get()
        graph = PartyGraph(staging, table.features, aliases=aliases)
        new_records = ShipmentRecordsBuilder()  # shipments new to the state
        # the records whose mentions a delta counts, in a new shipment and in an old one
        # (not an extended entity's: its ledger entry holds them): most shipments have none
        counts = None if change is None else change.counted(entity_of)
        # the records of extended entities whose old shipments move identifier counts
        moving = None
        if delta is not None and change is not None and delta.moved:
            moving = change.recounted(entity_of, delta.moved)
        rows: Iterable[Spooled] = self.rows
        if self.old_rows is not None:
            rows = in_order(self.rows, read_spool(self.old_rows.get()))
        for row in rows:
            shipment_id = row[0][0]
            indices = records_of(row)
            if not row[1]:
                new_records.add(shipment_id, indices)
            if delta is None or change is None or counts is None:  # the whole party half
                links = [PartyLink(raw, entity_of[i], i)
                         for raw, i in zip(row[3], indices, strict=True)]  # fmt: skip
                graph.add(shipment_id, links)
                continue
            if row[1] and moving is not None and any([moving[i] for i in indices]):
                assert self.old_aliases is not None, "a delta needs the last graph's aliases"
                every = [PartyLink(raw, entity_of[i], i)
                         for raw, i in zip(row[3], indices, strict=True)]  # fmt: skip
                graph.move(every, self.old_aliases, change.extended)
            counted = counts[1] if row[1] else counts[0]
            if not any([counted[i] for i in indices]):
                continue
            links = [PartyLink(raw, entity_of[i], i)
                     for raw, i in zip(row[3], indices, strict=True) if counted[i]]  # fmt: skip
            new, writes = not row[1], delta.writes
            graph.add(
                shipment_id, links, [writes(k.record, k.entity_id, new, change) for k in links]
            )
        ledger = self._party_ledger(graph, change)
        staged = graph.finish()
        staging.close()
        yield PartyBuilt(staged, *lap())
        started, cpu = time.perf_counter(), time.process_time()

        shipments = new_records.finish()
        if self.saved_shipments is not None:
            old = self.saved_shipments.remapped(records_of.new_index)
            shipments = old.merged(shipments)

        state = encode(
            SavedResolution(
                fingerprint=fingerprint(self.config),
                features=table.features,
                first_mention=table.first_mention,
                mention_count=table.mention_count,
                shipments=shipments,
                hubs=set(resolution.hubs),
                pair_left=left,
                pair_right=right,
                levels=levels,
                entity_of=resolution.entity_of,
                aliases=aliases,
                loads=list(self.loads),
                trail=resolution.trail,
            )
        )
        state[PARTY_LEDGER] = ledger
        yield StateEncoded(state, *lap())

    def _evidence_of(
        self, trail: MergeTrail, delta: DeltaBasis, entity_of: Sequence[str]
    ) -> EvidenceChange | None:
        """The merges whose evidence a delta writes and the stored ones it removes
        (``merge_trail``), the weights row among them; None (rewrite it whole) after a
        state that kept no trail."""
        if self.trail is None or self.old_first is None:
            return None
        old = self.trail.remapped(self.records_of.new_index)
        found = evidence_change(
            old, trail, (delta.old_entity, self.old_first), (entity_of, self.table.first_mention)
        )
        logger.info(
            "merge evidence: %d of %d merges written, %d stored ones removed",
            len(found.written), len(trail.a), len(found.removed),
        )  # fmt: skip
        found.removed.append((WEIGHTS_ENTITY, "", ""))
        return found

    def _party_ledger(self, graph: PartyGraph, change: EntityChange | None) -> bytes:
        """The party ledger of the graph written: a whole graph's, or (a delta) the last
        one with the written entities' entries replaced, the extended ones' first added
        to what ``graph`` counted of them (a renamed one's under its old id)."""
        if change is None:
            return party_ledger.encode(party_ledger.table(graph.entries()))
        before = self.party_ledger
        assert before is not None, "a delta needs the party ledger of the last graph"
        sources = {change.source(e): e for e in change.extended}
        found = before.entries(sources.keys())
        if len(found) != len(sources):  # never from a state this code saved
            raise ResolveError("the saved party ledger lacks parties; resolve with --full")
        for source, entry in found.items():
            graph.extend(sources[source], entry)
        written = party_ledger.table(graph.entries())
        return before.updated(change.written | change.removed | sources.keys(), written)

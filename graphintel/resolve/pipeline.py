"""``resolve_store``: read the shipments, resolve the parties, swap in the new graph.

A resolution is a ``ResolveRun`` going through five stages, each a method:

- ``read``: read the judgements and each shipment to resolve once (incrementally, only
  those of the loads the saved state has not seen); normalize each distinct raw mention
  (in ``workers`` processes for a large store) into the record table; spool what the
  graph shows of each shipment as plain tuples.
- ``resolve``: start the resolution job (``party_job``): entity resolution, then the party
  half of the graph, then the encoded resolver state; with ``workers`` > 1 on a large store
  in a second process (``background``: spawned for a full run, forked for an incremental
  one), so that it runs beside ``write``. Meanwhile
  find the identifier aliases, which both halves of the graph need and the job only after
  resolving, and, incrementally, the delta basis (which records' party rows change): each
  is handed to the job through a file (``handoff``).
- ``build``: the new graph's parts (``graph_write``): the half that needs no entity
  (shipments, identifiers and their edges) built from the spool, then what the job sends;
  or, incrementally, the changes to the last graph (``graph_delta``).
- ``write``: one ``replace_graph_parts`` (or ``update_graph``) call writes all parts in one
  transaction; the parts are built as the store takes them, so ``build`` does its work here.
- ``save``: save the resolver state for the next run and record the run.

When the store holds the state of an earlier resolution (``graphintel.resolve.state``),
the run is incremental: only the shipments of loads that state has not seen are read and
normalized (the old shipments keep their records in the state; when the store holds fewer
old shipments than the state, some left it, and the run is a full one), and only
candidate pairs involving a new record (or an identifier whose hub status changed) are
compared; model fit and clustering cover all records, and the graph is updated as a delta
(only the new shipments, the identifiers they touch and the parties whose membership
changed are written, the old shipments these need read back by id: ``old_shipments``), so
it ends exactly where a full run would. A state saved by an earlier version (without each
record's entity id, the identifier ledger or its loads) gets a full resolution once.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from graphintel import faults
from graphintel.records import mention_id, split_mention_id
from graphintel.resolve.background import Background, fork_is_safe
from graphintel.resolve.config import ProgressCallback, ResolverConfig, ResolveSummary
from graphintel.resolve.delta_basis import DeltaBasis, changed_keys
from graphintel.resolve.features import FeatureExtractor
from graphintel.resolve.gc_pause import gc_paused
from graphintel.resolve.graph import ShipmentGraph, shipment_row
from graphintel.resolve.graph_delta import DeltaWrite, touched_records
from graphintel.resolve.graph_write import GraphWrite
from graphintel.resolve.handoff import Handoff
from graphintel.resolve.identifier_aliases import IdentifierAliases, identifier_aliases
from graphintel.resolve.identifier_ledger import Ledger
from graphintel.resolve.judgements import judged_groups, judgement_mentions
from graphintel.resolve.laps import Laps, quiet
from graphintel.resolve.old_shipments import OldShipments
from graphintel.resolve.pair_cache import ComparisonCache
from graphintel.resolve.parallel import Normalizer
from graphintel.resolve.party_job import MentionRecords, Message, PartyJob, Spooled
from graphintel.resolve.party_ledger import PartyLedger
from graphintel.resolve.raw_mentions import RawMentions
from graphintel.resolve.runs import record_resolve_run
from graphintel.resolve.shipment_records import ShipmentRecords
from graphintel.resolve.spool import Spool
from graphintel.resolve.state import LEDGER, SavedResolution, decode, fingerprint
from graphintel.resolve.table import RecordTable, shipment_raw_keys
from graphintel.resolve.workdir import Workdir
from graphintel.store.base import GraphStore

logger = logging.getLogger(__name__)

# Below this many new mentions (estimated), starting worker processes costs more than it saves.
PARALLEL_MIN_MENTIONS = 50_000
# A shipment's records are those of its mentions in this role order (``shipment_raw_keys``).
_ROLE_POSITION = {"shipper": 0, "consignee": 1, "seller": 2}


@dataclass(frozen=True, slots=True)
class ResolveOutcome:
    """A resolution's counts plus how it ran: ``full`` or ``incremental``, how many
    mentions were new to it, and how many candidate pairs it compared or reused."""

    summary: ResolveSummary
    mode: str
    new_mentions: int
    compared_pairs: int
    reused_pairs: int
    delta: bool = False  # the graph was updated in place rather than written whole

    def __str__(self) -> str:
        return (
            f"{self.mode} resolution: {self.new_mentions:,} new mentions normalized, "
            f"{self.compared_pairs:,} pairs compared, {self.reused_pairs:,} reused; "
            f"{self.summary}{'; graph updated as a delta' if self.delta else ''}"
        )


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
        return _run(store, config or ResolverConfig(), progress or quiet, full, workers)


def _run(
    store: GraphStore,
    config: ResolverConfig,
    progress: ProgressCallback,
    full: bool,
    workers: int,
) -> ResolveOutcome:
    """The stages in order; resources released whatever happens."""
    run = ResolveRun(store, config, progress, full, workers)
    try:
        if not run.read():
            logger.warning("shipments resolved before are gone from the store: resolving in full")
            run.close()
            return _run(store, config, progress, True, workers)
        run.resolve()
        run.build()
        run.write()
        outcome = run.save()
    finally:
        run.close()
    logger.info("resolution finished: %s", outcome)
    return outcome


def _saved_state(store: GraphStore, config: ResolverConfig) -> SavedResolution | None:
    saved = decode(store.resolver_state())
    if saved is None:
        return None
    if saved.fingerprint != fingerprint(config):
        logger.info("the saved resolution used other settings or code: resolving in full")
        return None
    if (
        saved.entity_of is None
        or saved.aliases is None
        or saved.ledger is None
        or (saved.party_ledger is None)
    ):
        logger.info("the saved resolution lacks the entities of its graph: resolving in full")
        return None
    if saved.loads is None:
        logger.info("the saved resolution does not say which loads it read: resolving in full")
        return None
    return saved


def _old_judged_refs(old: ShipmentRecords, wanted: set[str]) -> dict[str, tuple[bool, int]]:
    """The saved record of each judged mention of an old shipment (a scan each: few)."""
    found: dict[str, tuple[bool, int]] = {}
    for mention in wanted:
        parts = split_mention_id(mention)
        position = -1 if parts is None else old.position(parts[0])
        if parts is not None and position >= 0:
            records, index = old.records_at(position), _ROLE_POSITION[parts[1].value]
            if index < len(records):
                found[mention] = (True, records[index])
    return found


class ResolveRun:
    """One resolution, from the saved state it starts from to the run it records.

    The stages run in order and each leaves on the run what the next ones read; until
    ``close`` the run holds a temporary directory (spool, staged rows), the normalizing
    workers and the resolution job, whichever have started."""

    def __init__(
        self,
        store: GraphStore,
        config: ResolverConfig,
        progress: ProgressCallback,
        full: bool,
        workers: int,
    ) -> None:
        self.store, self.config, self.report = store, config, progress
        self.saved = None if full else _saved_state(store, config)
        self.mode = "incremental" if self.saved is not None else "full"
        self.extractor = FeatureExtractor()
        self.table = RecordTable()
        # Incrementally, the graph is written as a delta from the identifier aliases and
        # ledger of the last graph and the saved shipments' records.
        self.old_aliases: IdentifierAliases | None = None
        self.ledger: Ledger | None = None
        self.party_ledger: PartyLedger | None = None
        self.old_shipments: ShipmentRecords | None = None
        self.loads: set[str] = set()  # the loads whose shipments the new state covers
        if self.saved is not None:
            saved = self.saved
            self.table.restore(saved.features, saved.first_mention, saved.mention_count)
            self.old_aliases, self.ledger = saved.aliases, saved.ledger
            self.party_ledger = saved.party_ledger
            self.old_shipments = saved.shipments
            self.loads.update(saved.loads or ())
        self.basis: DeltaBasis | None = None
        self.workdir = Workdir()
        self.rows: Spool[Spooled] = Spool(self.workdir.name)
        # Estimated mentions (about two a shipment): the new ones decide whether
        # normalizing workers pay off; all of them whether the second process does
        # (resolution, model fit and graph cover every record, also when incremental).
        total = 2 * store.shipment_count()
        expected = total - 2 * (len(self.saved.shipments) if self.saved is not None else 0)
        self.parallel = workers > 1 and expected >= PARALLEL_MIN_MENTIONS
        self.second_process = workers > 1 and total >= PARALLEL_MIN_MENTIONS
        self.workers = workers
        self.normalizer = Normalizer(self.extractor, workers if self.parallel else 1)
        self.raw_mentions = RawMentions(self.table, self.normalizer)
        self.laps = Laps(logger)
        # Set by the stages: read, then resolve, then build.
        self.mentions = self.new_mentions = 0
        self.records_of = MentionRecords([], self.raw_mentions)
        self.judged_records: dict[str, int] = {}  # judged mention id -> its record
        self.aliases: IdentifierAliases | None = None  # variant identifier -> its node
        self.judgements = store.judgements()
        self._mentions_of: dict[str, set[str]] = {}  # judged side -> its mention ids
        self.job: Background[Message] | None = None
        self.shipments: ShipmentGraph | None = None
        self.graph: GraphWrite | None = None
        self.delta: DeltaWrite | None = None
        self.old_rows: Handoff[str] | None = None  # the job's spool of old shipments (delta)

    def read(self) -> bool:
        """Read each shipment to resolve once into the record table and the spool: every
        shipment, or incrementally those of the loads the saved state has not seen; False
        (nothing read worth keeping) when shipments of the saved resolution are gone from
        the store (it holds fewer than the state besides the new ones), which only a full
        resolution can follow."""
        store, old, raw_mentions = self.store, self.old_shipments, self.raw_mentions
        mentions_of = self._mentions_of = judgement_mentions(store, self.judgements)
        wanted = set().union(*mentions_of.values()) if mentions_of else set()
        judged_refs: dict[str, tuple[bool, int]] = {}  # judged mention id -> (known, ref)
        if self.parallel:
            logger.info("normalizing mentions in %d worker processes", self.workers)
        rows, report, add_mention, loads = self.rows, self.report, raw_mentions.add, self.loads
        if old is None:
            batches = store.iter_shipments()
        else:
            new_loads = {load.load_id for load in store.loads()} - loads
            batches = store.iter_shipments_of_loads(new_loads)
        new_mentions = 0
        for batch in batches:
            for s in batch:
                shipment_id = s.shipment_id
                raws = tuple(shipment_raw_keys(s))
                refs = tuple([add_mention(shipment_id, raw) for raw in raws])
                new_mentions += len(refs)
                loads.add(s.provenance.load_id)
                if wanted:
                    for raw, ref in zip(raws, refs, strict=True):
                        mention = mention_id(shipment_id, raw[0])
                        if mention in wanted:
                            judged_refs[mention] = (False, ref)
                rows.append((shipment_row(s), False, refs, raws))
            report("reading shipments", len(rows))
        report("reading shipments", len(rows))
        self.mentions = self.new_mentions = new_mentions
        if old is not None:
            if store.shipment_count() - len(rows) != len(old):
                return False
            self.mentions += old.mentions
            judged_refs.update(_old_judged_refs(old, wanted - judged_refs.keys()))
        self._seal(judged_refs)
        self.laps.lap("reading and normalizing shipments")
        faults.hit("resolve.after_normalization")
        return True

    def _seal(self, judged_refs: dict[str, tuple[bool, int]]) -> None:
        """Finish normalizing, give each mention of a repeated lone raw mention its own
        record, put the table in canonical order and find the judged mentions' records."""
        raw_mentions = self.raw_mentions
        raw_mentions.finish()
        self.normalizer.close()
        repeated_lone = raw_mentions.lone_mentions()
        if repeated_lone:  # each mention of a lone raw mention is a record of its own
            for row, known_row, refs, raws in self.rows:
                if not known_row:
                    for raw, ref in zip(raws, refs, strict=True):
                        if ref in repeated_lone:
                            raw_mentions.add_lone(ref, mention_id(row[0], raw[0]))
        self.table.seal()
        new_index = self.table.canonical_order()
        raw_mentions.remap(new_index)
        self.records_of = MentionRecords(new_index, raw_mentions)
        self.judged_records = {
            m: new_index[ref] if known_ref else raw_mentions.record(ref, m)
            for m, (known_ref, ref) in judged_refs.items()
        }

    def resolve(self) -> None:
        """Start the resolution job, in a forked second process when the store is large
        enough to pay for it. The saved state goes first: it must never describe another
        graph, so it is emptied before the swap and comes back after it (a crash in between
        only costs the next run its shortcut)."""
        saved, table = self.saved, self.table
        if saved is not None:
            cache = ComparisonCache.from_saved(
                len(table), self.records_of.new_index, saved.pair_left, saved.pair_right,
                saved.levels,
            )  # fmt: skip
        else:
            cache = ComparisonCache(len(table))
        saved_hubs = saved.hubs if saved is not None else None
        old_entity = saved.entity_of if saved is not None else None
        trail = saved.trail if saved is not None else None
        old_first: list[str | None] | None = None  # each record's first mention then
        if saved is not None:
            old_first = [None] * len(table)
            for i, mention in zip(self.records_of.new_index, saved.first_mention, strict=False):
                old_first[i] = mention
        # Its shipments and pairs live on in the table and the cache: free them before
        # the fork (the second process would otherwise carry them too).
        saved = self.saved = None
        judged = judged_groups(self.judgements, self._mentions_of, self.judged_records)
        self.rows.flush()  # the job reads the spool, maybe from another process
        # A full resolution's job goes to a spawned process: it gets the record table
        # packed anew instead of sharing (and, page by page, copying) this process's heap;
        # an incremental one's is forked, to start at once with the saved state it holds
        # (a day is small: the copying costs little; see ``background``).
        delta = old_entity is not None
        spawn = self.second_process and not delta
        fork = self.second_process and not spawn and fork_is_safe()
        logger.info(
            "resolving parties %s",
            "in a spawned second process" if spawn
            else "in a forked second process" if fork else "in this process",
        )  # fmt: skip
        directory = self.workdir.name
        aliases: Handoff[IdentifierAliases] = Handoff(
            os.path.join(directory, "aliases.pickle"), "the identifier aliases"
        )
        basis: Handoff[DeltaBasis] | None = None
        if delta:
            basis = Handoff(os.path.join(directory, "basis.pickle"), "the delta basis")
            self.old_rows = Handoff(os.path.join(directory, "old.pickle"), "the old shipments")
        job = PartyJob(table, self.config, judged, cache, saved_hubs, self.rows,
                       self.records_of, directory, aliases, tuple(sorted(self.loads)), basis,
                       self.old_rows, self.old_shipments, self.party_ledger,
                       self.old_aliases, trail, old_first)  # fmt: skip
        self.job = Background(
            job.messages, fork, os.path.join(directory, "job.pickle") if spawn else None
        )
        # Once the job has started (emptying a large state takes seconds, and the job's
        # resolution is what the rest of the run waits for); still before any swap.
        self.store.save_resolver_state({})
        # While the job resolves: it needs them only for the party half of the graph.
        self.aliases = identifier_aliases(table.features, table.mention_count)
        aliases.put(self.aliases)
        if basis is not None:  # a delta: which records' party rows change
            assert old_entity is not None and self.old_aliases is not None
            self.basis = self._delta_basis(old_entity, self.old_aliases, self.aliases)
            basis.put(self.basis)
        self.laps.lap("finding identifier aliases")

    def _delta_basis(
        self, saved_entity: list[str], old: IdentifierAliases, new: IdentifierAliases
    ) -> DeltaBasis:
        """Each record's entity in the last graph (through the canonical order) and the
        records whose party rows change whatever their entity."""
        new_index = self.records_of.new_index
        old_entity: list[str | None] = [None] * len(self.table)
        for i, entity in enumerate(saved_entity):
            old_entity[new_index[i]] = entity
        keys = changed_keys(old, new)
        touched, moved = touched_records(self.rows, self.records_of, self.table, keys)
        return DeltaBasis(old_entity, touched, keys, moved)

    def build(self) -> None:
        """Prepare the new graph's parts; they are built as ``write`` consumes them, the
        shipment half while the job resolves, so neither waits for the other."""
        assert self.job is not None, "resolve() first"
        if self.basis is not None:
            assert self.aliases is not None and self.old_aliases is not None
            assert self.ledger is not None and self.old_shipments is not None
            assert self.old_rows is not None
            old = OldShipments(self.old_shipments, self.records_of.new_index, self.store.shipments)
            self.delta = DeltaWrite(self.rows, (old, self.old_rows), self.records_of, self.table,
                                    self.raw_mentions.address_labels, self.extractor,
                                    (self.old_aliases, self.aliases), self.basis, self.job,
                                    self.report, self.laps, self.workdir.name,
                                    (self.ledger, self.store.nodes))  # fmt: skip
            return
        self.shipments = ShipmentGraph(
            self.extractor, spool_directory=self.workdir.name, aliases=self.aliases
        )
        self.graph = GraphWrite(self.rows, self.records_of, self.table,
                                self.raw_mentions.address_labels, self.shipments, self.job,
                                self.report, self.laps)  # fmt: skip

    def write(self) -> None:
        """Swap the new graph in, in one transaction: until it commits, the store shows
        the old graph (a crash leaves it whole)."""
        if self.delta is not None:
            self.store.update_graph(self.delta.changes())
        else:
            assert self.graph is not None, "build() first"
            self.store.replace_graph_parts(self.graph.parts())
        faults.hit("resolve.before_state_save")
        self.laps.lap("writing the party half of the graph")

    def save(self) -> ResolveOutcome:
        """Save the resolver state the job encoded, so the next run can be incremental,
        and record the run with its model, counts and the values normalizing warned of."""
        graph = self.delta or self.graph
        assert graph is not None, "write() first"
        resolved = graph.resolved
        nodes, edges = self._graph_size()
        old = self.old_shipments
        summary = ResolveSummary(
            shipments=len(self.rows) + (0 if old is None else len(old)),
            mentions=self.mentions,
            distinct_records=len(self.table),
            candidate_pairs=resolved.candidate_pairs,
            merges=resolved.merges,
            entities=resolved.entities,
            nodes=nodes,
            edges=edges,
            oversized_blocks=resolved.oversized_blocks,
            hub_identifiers=resolved.hub_identifiers,
        )
        state = graph.state()
        state[LEDGER] = graph.ledger()
        self.store.save_resolver_state(state)
        self.laps.lap("saving the resolver state")
        extractor = self.extractor
        extractor.warnings.update(self.raw_mentions.warnings)
        extractor.log_warnings()
        record_resolve_run(self.store, self.config, resolved.model, summary, extractor.warnings)
        return ResolveOutcome(summary, self.mode, self.new_mentions, resolved.compared,
                              resolved.reused, self.delta is not None)  # fmt: skip

    def _graph_size(self) -> tuple[int, int]:
        """The written graph's nodes and edges: counted while built, or by the store
        after a delta."""
        if self.graph is not None and self.shipments is not None:
            party = self.graph.party
            shipments = self.shipments
            return shipments.node_count + len(party.nodes), shipments.edge_count + len(party.edges)
        counts = self.store.counts()
        nodes = sum(n for key, n in counts.items() if key.startswith("nodes:"))
        return nodes, counts.get("edges", 0)

    def close(self) -> None:
        """Stop the job and the workers if they still run; remove the temporary files."""
        if self.job is not None:
            self.job.close()
        if self.shipments is not None:
            self.shipments.close()
        if self.delta is not None:
            self.delta.close()
        self.normalizer.close()
        self.rows.close()
        self.workdir.cleanup()

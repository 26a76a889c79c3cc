"""An incremental resolution's graph written as a delta (``GraphStore.update_graph``).

A full write rebuilds and rewrites every shipment, identifier, party and mention. After
an incremental resolution most of them are what the last graph already holds, so only
these are written, each exactly as a full run would build it:

- shipment nodes and shipment-identifier edges of the new shipments;
- identifier nodes sighted by a new shipment: each merged from its old node and the new
  sightings with the saved ledger of where its label and raw spellings came from
  (``identifier_ledger``), so that it is what a count over every shipment in order makes;
  those whose key changed alias (canonical key or reason) are recounted over every
  shipment; a shipment whose consignee address changed alias has its delivery edge moved;
- parties whose membership changed: an entity of the new resolution is written again
  when one of its records is new, has a new mention or an identifier key that changed
  alias, or came from another entity, or when the last graph's entity of that id had
  other records; the entities of the last graph that no longer exist as they were are
  removed with their edges and mention assignments (``delta_basis``); an entity that only
  grew (or only grew and took a new id: renamed, its old rows moved to the new id) is
  extended from its saved ledger entry (``party_ledger``) and the new shipments;
- the merge evidence of the written entities and of those whose merges changed
  (``merge_trail``); the rest is kept as stored: the model is fitted again on every
  record, but the store derives the weights on read from the run's (``evidence_weights``).

The spool holds the new shipments only; the old shipments these need (with a mention of
an entity written again and not extended, showing an identifier recounted, or delivered to
an address whose alias changed) are read back from the store by id (``old_shipments``),
and those of the written entities are spooled for the job, which builds their party rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from itertools import chain

import numpy as np
import numpy.typing as npt

from graphintel import faults
from graphintel.model import EdgeKind, NodeKind, Role, node_id
from graphintel.records import NodeRecord
from graphintel.resolve.background import Background
from graphintel.resolve.config import ProgressCallback
from graphintel.resolve.delta_basis import ChangedKeys, DeltaBasis, EntityChange
from graphintel.resolve.features import FeatureExtractor, PartyFeatures
from graphintel.resolve.graph import IdentifierAggregate, ShipmentGraph, identifier_row
from graphintel.resolve.graph_write import JobGraph
from graphintel.resolve.handoff import Handoff
from graphintel.resolve.identifier_aliases import IdentifierAliases
from graphintel.resolve.identifier_ledger import Ledger, combined
from graphintel.resolve.laps import Laps, counted
from graphintel.resolve.old_shipments import OldShipments
from graphintel.resolve.party_job import MentionRecords, Message, Spooled, in_order
from graphintel.resolve.spool import Spool
from graphintel.resolve.table import RecordTable
from graphintel.store.base import AssignmentRow, EdgeRow, GraphChange, GraphPart, GraphRemoval

logger = logging.getLogger(__name__)

_ADDRESS = node_id(NodeKind.ADDRESS, "")
_PHONE = node_id(NodeKind.PHONE, "")
_EMAIL = node_id(NodeKind.EMAIL, "")
_SHIPMENT = node_id(NodeKind.SHIPMENT, "")
_BY_SHIPMENT = (node_id(NodeKind.PAYMENT_ACCOUNT, ""), node_id(NodeKind.IP_ADDRESS, ""))
_CONSIGNEE = Role.CONSIGNEE.value
_DELIVERED_TO = EdgeKind.DELIVERED_TO.value
# the edges a party is the source of: a grown party's are replaced
_PARTY_EDGES = (EdgeKind.HAS_ADDRESS.value, EdgeKind.HAS_PHONE.value, EdgeKind.HAS_EMAIL.value)


def _showing(
    features: Sequence[PartyFeatures], nodes: set[str], aliases: IdentifierAliases
) -> npt.NDArray[np.bool_]:
    """Per record, whether its address, phone or email node (as ``ShipmentGraph`` keys
    them) is one of ``nodes``. The keys filed under those nodes are found first (a node's
    own key unless it is a variant of another, and the variants of its key), so the pass
    over every record is three set lookups each, not its node ids made anew."""
    keys: dict[str, set[str]] = {}
    for prefix, alias in ((_ADDRESS, aliases.address), (_PHONE, aliases.phone), (_EMAIL, {})):
        own = {n[len(prefix) :] for n in nodes if n.startswith(prefix)}
        found = keys[prefix] = {k for k in own if k not in alias}
        found.update(k for k, (canonical, _) in alias.items() if canonical in own)
        found.discard("")
    address, phone, email = keys[_ADDRESS], keys[_PHONE], keys[_EMAIL]
    return np.fromiter(
        (f.address in address or f.phone in phone or f.email in email for f in features),
        np.bool_,
        len(features),
    )


def touched_records(
    new_rows: Spool[Spooled], records_of: MentionRecords, table: RecordTable, keys: ChangedKeys
) -> tuple[set[int], set[int]]:
    """Records with a mention in a new shipment or an identifier key that changed alias,
    and those of the second kind."""
    touched: set[int] = set()
    for row in new_rows:
        touched.update(records_of(row))
    moved: set[int] = set()
    if keys.address or keys.phone:
        address, phone = keys.address, keys.phone
        moved.update(
            r for r, f in enumerate(table.features) if f.address in address or f.phone in phone
        )
    return touched | moved, moved


class DeltaWrite(JobGraph):
    """The changes ``update_graph`` takes, built as it consumes them, and what the job
    sent on the way (``resolved``, ``party``) for the run's summary. ``rows`` are the new
    shipments; ``old`` reads back the old ones, and ``old_rows`` hands the job those of
    the written entities."""

    def __init__(
        self,
        rows: Spool[Spooled],
        old: tuple[OldShipments, Handoff[str]],
        records_of: MentionRecords,
        table: RecordTable,
        address_labels: dict[str, str],
        extractor: FeatureExtractor,
        aliases: tuple[IdentifierAliases, IdentifierAliases],
        basis: DeltaBasis,
        job: Background[Message],
        report: ProgressCallback,
        laps: Laps,
        spool_directory: str,
        before: tuple[Ledger, Callable[[Sequence[str]], list[NodeRecord]]],
    ) -> None:
        super().__init__(rows, records_of, table, address_labels, job, report, laps)
        # the last graph's identifier ledger, and how to read its nodes back
        self._ledger, self._old_nodes = before
        self._written: tuple[set[str], list[tuple[str, IdentifierAggregate]]] | None = None
        self._old, self._old_rows = old
        self._directory = spool_directory
        self._new: ShipmentGraph | None = None
        self._extractor = extractor
        self._old_aliases, self._aliases = aliases
        self._basis = basis
        self._old_spool: Spool[Spooled] | None = None

    def changes(self) -> Iterator[GraphChange]:
        report, laps = self._report, self._laps
        yield self._shipment_change()
        laps.lap("building and writing new shipments and the identifiers they touch")
        faults.hit("resolve.between_parts")
        resolved = self._await_resolution()
        entity_of, change = resolved.entity_of, resolved.change
        assert change is not None, "a delta's job finds its entity change"
        logger.info(
            "parties written again: %d (%d extended from the party ledger, %d of them"
            " renamed), removed: %d",
            len(change.written), len(change.extended), len(change.renamed), len(change.removed),
        )  # fmt: skip
        self._spool_old_rows(entity_of, change)
        mentions = counted(self._mention_rows(entity_of, change), "writing mentions", report)
        # a grown party's node and identifier edges are written again; a renamed one's
        # old node and identifier edges go, the rest of its rows move to the new id
        replaced = sorted(change.grown | set(change.renamed.values()))
        removal = GraphRemoval(
            nodes=replaced,
            entities=change.removed,
            edges_from=[(e, kind) for e in replaced for kind in _PARTY_EDGES],
            renamed=sorted((old, new) for new, old in change.renamed.items()),
            evidence=self.resolved.evidence_of,
        )
        yield GraphChange(removal, GraphPart((), (), mentions, self.resolved.evidence))
        laps.lap("writing changed mentions and the merge evidence")
        party = self._await_party("the changed parties")
        yield GraphChange(GraphRemoval(), GraphPart(party.nodes, party.edges, (), ()))
        faults.hit("resolve.before_commit")

    def close(self) -> None:
        if self._new is not None:
            self._new.close()
        if self._old_spool is not None:
            self._old_spool.close()

    def _spool_old_rows(self, entity_of: list[str], change: EntityChange) -> None:
        """Read back the old shipments with a mention of a written entity that is not
        extended and hand them to the job, which builds the party half from them and the
        new shipments (an extended entity's old mentions are in its ledger entry; of its
        old shipments only those holding a record whose key changed alias are read)."""
        rebuilt = change.written - change.extended
        wanted = np.fromiter((e in rebuilt for e in entity_of), np.bool_, len(entity_of))
        wanted |= np.asarray(change.recounted(entity_of, self._basis.moved), np.bool_)
        spool = self._old_spool = Spool(self._directory)
        for row in self._old.rows(wanted):
            spool.append(row)
        spool.flush()
        self._old_rows.put(spool.path)
        self._laps.lap("reading the old shipments of the changed parties")

    def ledger(self) -> bytes:
        """The identifier ledger of the graph written (after ``changes``)."""
        assert self._written is not None, "the graph was not written"
        removed, written = self._written
        return self._ledger.updated(removed, written)

    def _merged(
        self, new: ShipmentGraph, identifiers: set[str], moved: set[str]
    ) -> tuple[dict[str, IdentifierAggregate], set[str]]:
        """The touched identifiers whose keys kept their alias, each merged from its old
        node and ledger entry and the new shipments' sightings (``identifier_ledger``);
        and those left to recount over every shipment: the ones ``moved`` names (keys
        that changed alias) and any old node the ledger lacks."""
        candidates = identifiers - moved
        nodes = self._old_nodes(sorted(candidates))
        before = self._ledger.before(nodes, candidates)
        recount = moved | ({n.id for n in nodes} - before.keys())
        after, max_raw = new.identifiers, new.max_raw
        merged = {
            i: combined(before[i], after[i], max_raw) if i in before else after[i]
            for i in candidates - recount
        }
        return merged, recount

    def _shipment_change(self) -> GraphChange:
        """New shipments with their edges, then the identifiers they touch (merged from
        the old nodes, or recounted over every shipment that shows them), and the
        delivery edges of old shipments whose address moved."""
        records_of, extractor, aliases = self._records_of, self._extractor, self._aliases
        new = self._new = ShipmentGraph(extractor, spool_directory=self._directory, aliases=aliases)
        shipment_nodes = [new.add(row[0], self._links(row, records_of(row)))
                          for row in self._rows]  # fmt: skip
        moved = self._basis.keys.address
        moved_nodes = self._basis.sighted_keys(self._features).nodes(self._old_aliases, aliases)
        identifiers = new.identifier_ids() | moved_nodes
        merged, counted_again = self._merged(new, identifiers, moved_nodes)
        recount = ShipmentGraph(
            extractor, spool_directory=self._directory, aliases=aliases, only=counted_again
        )
        # Only shipments that show one of those identifiers are added to the recount (in
        # order): those with a record that has one, or with that payment account or IP
        # (looked at only when one is to be recounted: moved keys are addresses and phones;
        # then every old shipment is read back).
        shows = (
            _showing(self._features, counted_again, aliases)
            if counted_again
            else np.zeros(len(self._features), np.bool_)
        )
        by_shipment = any(i.startswith(_BY_SHIPMENT) for i in counted_again)
        features = self._features
        delivered = np.fromiter(
            (f.address in moved for f in features), np.bool_, len(features)
        ) if moved else np.zeros(len(features), np.bool_)  # fmt: skip
        old = () if not (counted_again or moved) else self._old.rows(
            None if by_shipment else shows | delivered
        )  # fmt: skip
        others = recount.shipment_identifier_ids
        rewired: list[tuple[str, str]] = []
        rewired_edges: list[EdgeRow] = []
        for row in in_order(self._rows if counted_again else (), old):
            indices = records_of(row)
            if row[1] and moved:
                shipment_id = row[0][0]
                for raw, i in zip(row[3], indices, strict=True):
                    if raw[0] == _CONSIGNEE and delivered[i]:
                        source = _SHIPMENT + shipment_id
                        target = _ADDRESS + aliases.address_key(features[i].address)
                        rewired.append((source, _DELIVERED_TO))
                        rewired_edges.append((source, _DELIVERED_TO, target, 1.0, "{}"))
            if counted_again and (
                any(shows[i] for i in indices)
                or (by_shipment and not counted_again.isdisjoint(others(row[0])))
            ):
                recount.sight(row[0], self._links(row, indices))
        self._report("building graph", len(shipment_nodes))
        merged.update(recount.identifiers)
        written = sorted(merged.items())
        self._written = (identifiers, written)
        return GraphChange(
            GraphRemoval(nodes=identifiers, edges_from=rewired),
            GraphPart(
                chain(shipment_nodes, (identifier_row(i, agg) for i, agg in written)),
                chain(new.edge_rows(), rewired_edges),
                (),
                (),
            ),
        )

    def _mention_rows(self, entity_of: list[str], change: EntityChange) -> Iterator[AssignmentRow]:
        """(shipment id, role, entity id, name as written) of the mentions written again:
        of the new shipments and of the old ones the job builds the written parties from."""
        writes, written, records_of = self._basis.writes, change.written, self._records_of
        assert self._old_spool is not None, "the old shipments were not read"
        for row in in_order(self._rows, self._old_spool):
            shipment_id, new = row[0][0], not row[1]
            for raw, record in zip(row[3], records_of(row), strict=True):
                entity = entity_of[record]
                if entity in written and writes(record, entity, new, change):
                    yield shipment_id, raw[0], entity, raw[1]

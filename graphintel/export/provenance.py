"""Exact source rows for the nodes and edges of an export, computed on read.

The graph keeps a party's mentions, and an identifier only the parties that used it; the
store's ``provenance`` therefore cites, for an identifier, every row of every such party,
most of which do not hold it. Here an identifier cites only the rows whose own raw
fields normalize to it (with the resolver's ``FeatureExtractor``, so the answer matches
the graph the resolver built), a party-identifier edge the rows on which that party's
mention holds it, a shipment edge its shipment's row. Candidates are the shipments
linked to the identifier directly and those of the parties linked to it, so the graph
tables and resolution stay as they are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graphintel.export.summary import alias_ids, shipment_identifiers
from graphintel.model import IDENTIFIER_KINDS, EdgeKind, NodeKind, Role, kind_of
from graphintel.records import Provenance, ShipmentRecord
from graphintel.resolve.features import FeatureExtractor
from graphintel.store.base import GraphStore, chunks

CANDIDATE_LIMIT = 1_000_000  # edges read per node; a hub beyond this is cut, and counted
SHIPMENT_BATCH = 2_000
EdgeKey = tuple[str, str, str]  # (source, kind, target)
_ROLE_OF_EDGE = {
    EdgeKind.SHIPPED_BY: Role.SHIPPER,
    EdgeKind.CONSIGNED_TO: Role.CONSIGNEE,
    EdgeKind.SOLD_BY: Role.SELLER,
}
_SHIPMENT_PREFIX = "shipment:"


@dataclass(slots=True)
class ExactSources:
    """Source rows per node id and per edge (source, kind, target), sorted by file and
    row, at most ``per_node`` each; ``totals`` counts every row found per node."""

    nodes: dict[str, tuple[Provenance, ...]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    edges: dict[EdgeKey, tuple[Provenance, ...]] = field(default_factory=dict)
    cut_candidates: int = 0  # identifiers whose candidate shipments hit CANDIDATE_LIMIT
    shipments: dict[str, ShipmentRecord] = field(default_factory=dict)  # every row read


def _sorted_rows(shipments: Iterable[ShipmentRecord]) -> list[Provenance]:
    return sorted(
        {s.provenance for s in shipments}, key=lambda p: (p.file_id, p.row_number, p.load_id)
    )


class _Reader:
    """Reads what the exact sources need from the store, each thing once."""

    def __init__(self, store: GraphStore, limit: int) -> None:
        self.store = store
        self.limit = limit
        self.extractor = FeatureExtractor()
        self.party_roles: dict[str, dict[str, set[Role]]] = {}
        self.shipments: dict[str, ShipmentRecord] = {}
        self.held: dict[str, dict[Role, set[str]]] = {}
        self.cut = 0
        self.aliases: dict[str, str] = {}  # variant identifier node id -> its node

    def roles_of(self, party: str) -> dict[str, set[Role]]:
        """shipment id -> the roles ``party`` played on it."""
        found = self.party_roles.get(party)
        if found is None:
            edges, total = self.store.neighbours(party, self.limit)
            self.cut += total > self.limit
            found = defaultdict(set)
            for e in edges:
                role = _ROLE_OF_EDGE.get(e.kind)
                if role is not None and e.target == party:
                    found[e.source.removeprefix(_SHIPMENT_PREFIX)].add(role)
            self.party_roles[party] = found
        return found

    def fetch(self, shipment_ids: Iterable[str]) -> None:
        missing = sorted(set(shipment_ids) - self.shipments.keys())
        for batch in chunks(missing, SHIPMENT_BATCH):
            for s in self.store.shipments(batch):
                self.shipments[s.shipment_id] = s

    def holds(self, shipment_id: str) -> dict[Role, set[str]]:
        """role -> the identifier node ids that role's mention on the shipment holds."""
        found = self.held.get(shipment_id)
        if found is None:
            s = self.shipments.get(shipment_id)
            found = {}
            if s is not None:
                found = {
                    role: {ident for _, ident in idents}
                    for role, idents in shipment_identifiers(
                        s, self.extractor, self.aliases
                    ).items()
                }
            self.held[shipment_id] = found
        return found


def exact_sources(
    store: GraphStore,
    node_ids: Sequence[str],
    edges: Iterable[EdgeKey] = (),
    per_node: int = 200,
    candidate_limit: int = CANDIDATE_LIMIT,
) -> ExactSources:
    """The exact source rows of ``node_ids`` and of ``edges`` (see the module docstring)."""
    reader = _Reader(store, candidate_limit)
    out = ExactSources()
    identifiers = [n for n in node_ids if kind_of(n) in IDENTIFIER_KINDS]
    reader.aliases = alias_ids(store.nodes(identifiers)) if identifiers else {}
    candidates: dict[str, set[str]] = {}
    for ident in identifiers:
        linked, total = store.neighbours(ident, candidate_limit)
        reader.cut += total > candidate_limit
        found: set[str] = set()
        for e in linked:
            other = e.source if e.target == ident else e.target
            if other.startswith(_SHIPMENT_PREFIX):
                found.add(other.removeprefix(_SHIPMENT_PREFIX))
            elif kind_of(other) is NodeKind.PARTY:
                found.update(reader.roles_of(other))
        candidates[ident] = found
    edge_list = list(edges)
    wanted_shipments = {s for found in candidates.values() for s in found}
    for source, _, target in edge_list:
        if source.startswith(_SHIPMENT_PREFIX):
            wanted_shipments.add(source.removeprefix(_SHIPMENT_PREFIX))
        elif kind_of(source) is NodeKind.PARTY and kind_of(target) in IDENTIFIER_KINDS:
            wanted_shipments.update(reader.roles_of(source))
    wanted_shipments.update(
        n.removeprefix(_SHIPMENT_PREFIX) for n in node_ids if n.startswith(_SHIPMENT_PREFIX)
    )
    reader.fetch(wanted_shipments)
    for ident, found in candidates.items():
        rows = _sorted_rows(
            reader.shipments[s]
            for s in found
            if any(ident in held for held in reader.holds(s).values())
        )
        out.nodes[ident], out.totals[ident] = tuple(rows[:per_node]), len(rows)
    for n in node_ids:
        if n.startswith(_SHIPMENT_PREFIX):
            s = reader.shipments.get(n.removeprefix(_SHIPMENT_PREFIX))
            out.nodes[n] = (s.provenance,) if s is not None else ()
            out.totals[n] = len(out.nodes[n])
        elif kind_of(n) is NodeKind.PARTY:
            rows = store.provenance(n, per_node + 1)
            out.nodes[n], out.totals[n] = tuple(rows[:per_node]), len(rows)
    for source, kind, target in edge_list:
        out.edges[(source, kind, target)] = _edge_rows(reader, source, target, per_node)
    out.cut_candidates = reader.cut
    out.shipments = reader.shipments
    return out


def _edge_rows(reader: _Reader, source: str, target: str, per_node: int) -> tuple[Provenance, ...]:
    if source.startswith(_SHIPMENT_PREFIX):
        s = reader.shipments.get(source.removeprefix(_SHIPMENT_PREFIX))
        return (s.provenance,) if s is not None else ()
    if kind_of(source) is NodeKind.PARTY and kind_of(target) in IDENTIFIER_KINDS:
        rows = _sorted_rows(
            reader.shipments[s]
            for s, roles in reader.roles_of(source).items()
            if s in reader.shipments
            and any(target in reader.holds(s).get(role, ()) for role in roles)
        )
        return tuple(rows[:per_node])
    return ()

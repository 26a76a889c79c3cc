"""The party half of the resolved graph: what needs each mention's entity.

``PartyGraph`` aggregates party nodes (names, roles, countries, mentions), the
shipment-party edges and the party-identifier edges (weighted by the shipments that showed
them), and stages them in a SQLite file that the store copies in one statement. Its
counterpart ``graph.ShipmentGraph`` builds the half that needs no entity; a delta extends
a party that only grew from its ``party_ledger`` entry instead of its old shipments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from graphintel.model import ROLE_EDGE, EdgeKind, NodeKind, Role
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.graph import NODE_PREFIX
from graphintel.resolve.identifier_aliases import IdentifierAliases
from graphintel.resolve.party_ledger import PartyEntry, combined_names
from graphintel.resolve.table import RawKey
from graphintel.store.base import EdgeRow, NodeRow, props_json
from graphintel.store.staging import StagedRows, StagingFile, TableStager

_ROLE_EDGE_VALUE = {r.value: ROLE_EDGE[r].value for r in Role}
_PARTY_KIND = NodeKind.PARTY.value
_HAS_ADDRESS = EdgeKind.HAS_ADDRESS.value
_HAS_PHONE = EdgeKind.HAS_PHONE.value
_HAS_EMAIL = EdgeKind.HAS_EMAIL.value


class PartyLink(NamedTuple):
    """One mention of a shipment (its ``table.raw_key``), the entity it resolved to and
    its record (an index into the features the ``PartyGraph`` was given)."""

    raw: RawKey
    entity_id: str
    record: int


@dataclass(slots=True)
class _PartyAggregate:
    names: Counter[str] = field(default_factory=Counter)
    # Tuples of distinct values, not sets: a party has one or two of each, and an empty
    # set alone is 216 B (two of them per party were ~1 GB at 10M shipments).
    roles: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    mentions: int = 0
    # the shipment id of each name's first sighting, in the order of ``names`` (the
    # ``party_ledger`` a delta combines a grown party's new sightings with)
    first: list[str] = field(default_factory=list)


def party_identifiers(f: PartyFeatures, aliases: IdentifierAliases) -> tuple[tuple[str, str], ...]:
    """The (edge kind, identifier node id) pairs of a party record."""
    return tuple(
        (kind, prefix + key)
        for kind, prefix, key in (
            (_HAS_ADDRESS, NODE_PREFIX[NodeKind.ADDRESS], aliases.address_key(f.address)),
            (_HAS_PHONE, NODE_PREFIX[NodeKind.PHONE], aliases.phone_key(f.phone)),
            (_HAS_EMAIL, NODE_PREFIX[NodeKind.EMAIL], f.email),
        )
        if key
    )


class PartyGraph:
    """The half of the graph that needs each mention's entity: party nodes, shipment-party
    and party-identifier edges (weighted by the shipments that showed them), staged in a
    SQLite file (``staging``) that the store copies in one statement, or that any store
    reads row by row. (The pipeline writes the mention assignments itself.)"""

    def __init__(
        self,
        staging: StagingFile,
        features: Sequence[PartyFeatures],
        max_names: int = 20,
        aliases: IdentifierAliases | None = None,
    ) -> None:
        self._max_names = max_names
        self._aliases = aliases or IdentifierAliases()
        self._staging = staging
        self._features = features
        # Shipment-party edges go to the staging file as they are made, aggregates at the end.
        self._edges: TableStager[EdgeRow] = staging.table("edges")
        self._parties: dict[str, _PartyAggregate] = {}
        self._has: Counter[tuple[str, str, str]] = Counter()  # (party, edge kind, identifier)

    def _identifiers_of(self, record: int) -> tuple[tuple[str, str], ...]:
        """The (edge kind, identifier node id) pairs of a record, made at each mention:
        kept per record, they were ~400 B a record at the resolution process's peak,
        and making them again costs ~2 us a mention."""
        return party_identifiers(self._features[record], self._aliases)

    def move(
        self, links: Sequence[PartyLink], old: IdentifierAliases, parties: Container[str]
    ) -> None:
        """Move the identifier edge counts of one old shipment's mentions of ``parties``
        from the identifiers they showed under the ``old`` aliases to those they show now
        (a delta extends these parties from their ledger entry, counted under ``old``)."""
        features, has = self._features, self._has
        before: set[tuple[str, str, str]] = set()
        after: set[tuple[str, str, str]] = set()
        for _, entity_id, record in links:
            if entity_id in parties:
                f = features[record]
                before.update((entity_id, *e) for e in party_identifiers(f, old))
                after.update((entity_id, *e) for e in self._identifiers_of(record))
        for edge in before - after:
            has[edge] -= 1
        for edge in after - before:
            has[edge] += 1

    def add(
        self, shipment_id: str, links: Sequence[PartyLink], edges: Sequence[bool] | None = None
    ) -> None:
        """Add one shipment's resolved parties and the identifiers it showed for each;
        ``edges`` says per link whether its shipment-party edge is made (a graph delta
        leaves out those the graph already holds)."""
        ship_id = NODE_PREFIX[NodeKind.SHIPMENT] + shipment_id
        has_seen: set[tuple[str, str, str]] = set()  # each edge counts once per shipment
        features, parties, has, aliases = self._features, self._parties, self._has, self._aliases
        for k, (raw, entity_id, record) in enumerate(links):
            role_value = raw[0]
            if edges is None or edges[k]:
                self._edges.append((ship_id, _ROLE_EDGE_VALUE[role_value], entity_id, 1.0, "{}"))
            party = parties.get(entity_id)
            if party is None:
                party = parties[entity_id] = _PartyAggregate()
            names = party.names
            known = len(names)
            names[raw[1].strip()] += 1
            if len(names) > known:
                party.first.append(shipment_id)
            if role_value not in party.roles:
                party.roles += (role_value,)
            country = features[record].country
            if country and country not in party.countries:
                party.countries += (country,)
            party.mentions += 1
            for kind, ident_id in party_identifiers(features[record], aliases):
                edge = (entity_id, kind, ident_id)
                if edge not in has_seen:
                    has_seen.add(edge)
                    has[edge] += 1

    def extend(self, entity_id: str, before: PartyEntry) -> None:
        """Add a party's aggregate over other shipments (its ``party_ledger`` entry) to
        what this graph counted of it, as one count over all of them would make it."""
        party = self._parties.get(entity_id)
        if party is None:
            party = self._parties[entity_id] = _PartyAggregate()
        names, counts, first = combined_names(before, party.names, party.first)
        party.names = Counter(dict(zip(names, counts, strict=True)))
        party.first = first
        party.roles += tuple(r for r in before.roles if r not in party.roles)
        party.countries += tuple(c for c in before.countries if c not in party.countries)
        party.mentions += before.mentions
        has = self._has
        for kind, target, weight in before.edges:
            has[(entity_id, kind, target)] += weight

    def entries(self) -> Iterator[tuple[str, PartyEntry]]:
        """Each party's ``party_ledger`` entry, in id order (before ``finish``)."""
        edges: dict[str, list[tuple[str, str, int]]] = {}
        has = self._has
        for key in sorted(has):
            if has[key]:  # an edge ``move`` took every count of is gone
                edges.setdefault(key[0], []).append((key[1], key[2], has[key]))
        parties = self._parties
        for entity_id in sorted(parties):
            party = parties[entity_id]
            yield (
                entity_id,
                PartyEntry(
                    names=list(party.names),
                    counts=list(party.names.values()),
                    first=party.first,
                    roles=sorted(party.roles),
                    countries=sorted(party.countries),
                    mentions=party.mentions,
                    edges=edges.get(entity_id, []),
                ),
            )

    def node_rows(self) -> Iterator[NodeRow]:
        """Party nodes sorted by id, props as JSON text."""
        parties = self._parties
        for entity_id in sorted(parties):  # sorting the bare keys: 4x faster than items
            party = parties[entity_id]
            names = [name for name, _ in party.names.most_common(self._max_names)]
            props = {
                "names": names,
                "name_count": len(party.names),
                "roles": sorted(party.roles),
                "countries": sorted(party.countries),
                "mention_count": party.mentions,
            }
            yield entity_id, _PARTY_KIND, names[0] if names else "", props_json(props)

    def finish(self) -> StagedPartyGraph:
        """Stage the aggregates after the per-shipment rows: party nodes, then the
        party-identifier edges after the shipment-party ones (no edge twice: one party
        per role on a shipment)."""
        nodes: TableStager[NodeRow] = self._staging.table("nodes")
        nodes.extend(self.node_rows())
        has = self._has
        for key in sorted(has):
            if has[key]:
                source, edge_kind, target = key
                self._edges.append((source, edge_kind, target, float(has[key]), "{}"))
        # Staged: the aggregates (several hundred bytes a party) go before the resolver
        # state is encoded, the resolution process's peak.
        self._parties, self._has = {}, Counter()
        return StagedPartyGraph(nodes.finish(), self._edges.finish())


class StagedPartyGraph(NamedTuple):
    """The party half of the graph as ``PartyGraph.finish`` staged it."""

    nodes: StagedRows[NodeRow]
    edges: StagedRows[EdgeRow]

"""Build the resolved graph (DESIGN.md, "Graph model") from shipments and their parties.

Per-shipment nodes and edges go to disk spools as they are made; parties, identifiers and
party-identifier edges are aggregates, held once per distinct entity or identifier and
emitted at the end. Every edge's ends are nodes this builder emits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from graphintel.model import ROLE_EDGE, EdgeKind, NodeKind, Role, node_id
from graphintel.normalize import normalize_ip, normalize_payment_account
from graphintel.records import Mention, ShipmentRecord
from graphintel.resolve.features import FeatureExtractor, PartyFeatures
from graphintel.resolve.spool import Spool
from graphintel.resolve.table import RawKey
from graphintel.store.base import AssignmentRow, EdgeRow, NodeRow, props_json

SHIPMENT_PROPS: tuple[str, ...] = (
    "arrival_date",
    "declared_value_usd",
    "inspection_outcome",
    "seizure_category",
    "description",
    "hts_code",
    "country_of_origin",
    "carrier",
    "port_of_entry",
    "master_bill",
    "marketplace",
)

# Enum lookups by value cost a call each; spooled values come back through these dicts.
_NODE_KIND_VALUE = {k: k.value for k in NodeKind}
_EDGE_KIND_VALUE = {k: k.value for k in EdgeKind}
_ROLE = {r.value: r for r in Role}
_ROLE_EDGE_VALUE = {r.value: ROLE_EDGE[r].value for r in Role}
_CONSIGNEE = Role.CONSIGNEE.value
_PAID_WITH = EdgeKind.PAID_WITH.value
_ORDERED_FROM = EdgeKind.ORDERED_FROM.value
_DELIVERED_TO = EdgeKind.DELIVERED_TO.value


_PREFIX = {kind: node_id(kind, "") for kind in NodeKind}  # node_id(kind, key) == prefix + key
_SHIPMENT_PREFIX = _PREFIX[NodeKind.SHIPMENT]
# Already canonical IPv4 text (no leading zeros, no spaces): ``normalize_ip`` returns it as is.
_CANONICAL_IPV4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
)


def _ip_key(raw: str) -> str | None:
    """``normalize_ip(raw)``, without parsing the common case of a canonical IPv4 address."""
    return raw if _CANONICAL_IPV4.fullmatch(raw) else normalize_ip(raw)


# What the graph shows of a shipment: its id, its ``SHIPMENT_PROPS`` values in that order,
# its raw payment account and its raw buyer IP (plain tuples spool cheaply).
ShipmentRow = tuple[str, tuple[Any, ...], str, str]


_SHIPMENT_VALUES = attrgetter(*SHIPMENT_PROPS)


def shipment_row(s: ShipmentRecord) -> ShipmentRow:
    return s.shipment_id, _SHIPMENT_VALUES(s), s.payment_account, s.buyer_ip


class PartyLink(NamedTuple):
    """One mention of a shipment (its ``table.raw_key``) with the entity it resolved to,
    its features and, when known, the readable label of its address (else the builder
    normalizes the address again to make one)."""

    raw: RawKey
    entity_id: str
    features: PartyFeatures
    address_label: str | None = None


@dataclass(slots=True)
class _PartyAggregate:
    names: Counter[str] = field(default_factory=Counter)
    roles: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    mentions: int = 0


@dataclass(slots=True)
class _IdentifierAggregate:
    kind: NodeKind
    label: str
    raw: list[str] = field(default_factory=list)
    shipments: int = 0


class GraphBuilder:
    """Accumulates the graph one shipment at a time; read nodes, edges, assignments after."""

    def __init__(
        self,
        extractor: FeatureExtractor | None = None,
        max_names: int = 20,
        max_raw_variants: int = 10,
    ) -> None:
        self._extractor = extractor or FeatureExtractor()
        self._max_names = max_names
        self._max_raw = max_raw_variants
        # Spools hold plain tuples: pickling frozen dataclasses costs ten times as much.
        self._shipment_nodes: Spool[tuple[str, str, dict[str, Any]]] = Spool()
        self._shipment_edges: Spool[tuple[str, str, str]] = Spool()
        self._assignments: Spool[tuple[str, str, str, str]] = Spool()
        self._parties: dict[str, _PartyAggregate] = {}
        self._identifiers: dict[str, _IdentifierAggregate] = {}
        self._has: Counter[tuple[str, EdgeKind, str]] = Counter()
        # Payment tokens and IPs repeat across shipments: normalize each raw value once.
        self._payment = lru_cache(maxsize=1 << 16)(normalize_payment_account)
        self._ip = lru_cache(maxsize=1 << 16)(_ip_key)

    # -- input -----------------------------------------------------------------------------
    def _identifier(
        self,
        kind: NodeKind,
        key: str,
        raw: str,
        seen: set[str],
        link: PartyLink | None = None,
        shipment_id: str = "",
    ) -> str:
        """Register one sighting of an identifier on a shipment; return its node id.

        The label is the key itself, except for addresses (``link`` given), whose
        readable label is the link's, or built the first time the address is seen, and
        whose raw text is joined from the mention only while the identifier keeps
        collecting raw variants.
        """
        ident_id = _PREFIX[kind] + key
        agg = self._identifiers.get(ident_id)
        if agg is None:
            label = key
            if link is not None:
                given = link.address_label
                label = given if given is not None else self._address_label(link, shipment_id)
            agg = self._identifiers[ident_id] = _IdentifierAggregate(kind, label)
        if len(agg.raw) < self._max_raw:
            if link is not None:
                m = link.raw
                raw = ", ".join(p for p in (m[2], m[3], m[4], m[5]) if p.strip())
            raw = raw.strip()
            if raw and raw not in agg.raw:
                agg.raw.append(raw)
        if ident_id not in seen:
            seen.add(ident_id)
            agg.shipments += 1
        return ident_id

    def _address_label(self, link: PartyLink, shipment_id: str) -> str:
        role, name, address, city, state, postal, country, phone, email = link.raw[:9]
        m = Mention(shipment_id, _ROLE[role], name, address, city, state, postal, country,
                    phone, email)  # fmt: skip
        return self._extractor.address(m, link.features.country).label

    def add(self, shipment: ShipmentRow, links: Sequence[PartyLink]) -> None:
        """Add one shipment, its resolved parties and the identifiers it shows."""
        shipment_id, values, payment_account, buyer_ip = shipment
        ship_id = _SHIPMENT_PREFIX + shipment_id
        props: dict[str, Any] = dict(zip(SHIPMENT_PROPS, values, strict=True))
        self._shipment_nodes.append((ship_id, shipment_id, props))
        seen: set[str] = set()  # identifiers already counted for this shipment
        has_seen: set[tuple[str, EdgeKind, str]] = set()

        payment = self._payment(payment_account)
        if payment:
            target = self._identifier(NodeKind.PAYMENT_ACCOUNT, payment, payment_account, seen)
            self._shipment_edges.append((ship_id, target, _PAID_WITH))
        ip = self._ip(buyer_ip)
        if ip:
            target = self._identifier(NodeKind.IP_ADDRESS, ip, buyer_ip, seen)
            self._shipment_edges.append((ship_id, target, _ORDERED_FROM))

        for link in links:
            raw, entity_id, features = link.raw, link.entity_id, link.features
            role_value, name = raw[0], raw[1]
            self._assignments.append((shipment_id, role_value, entity_id, name))
            self._shipment_edges.append((ship_id, entity_id, _ROLE_EDGE_VALUE[role_value]))
            party = self._parties.get(entity_id)
            if party is None:
                party = self._parties[entity_id] = _PartyAggregate()
            party.names[name.strip()] += 1
            party.roles.add(role_value)
            if features.country:
                party.countries.add(features.country)
            party.mentions += 1
            if features.address:
                ident_id = self._identifier(
                    NodeKind.ADDRESS, features.address, "", seen, link, shipment_id
                )
                self._has_edge(entity_id, EdgeKind.HAS_ADDRESS, ident_id, has_seen)
                if role_value == _CONSIGNEE:
                    self._shipment_edges.append((ship_id, ident_id, _DELIVERED_TO))
            if features.phone:
                ident_id = self._identifier(NodeKind.PHONE, features.phone, raw[7], seen)
                self._has_edge(entity_id, EdgeKind.HAS_PHONE, ident_id, has_seen)
            if features.email:
                ident_id = self._identifier(NodeKind.EMAIL, features.email, raw[8], seen)
                self._has_edge(entity_id, EdgeKind.HAS_EMAIL, ident_id, has_seen)

    def _has_edge(
        self,
        entity_id: str,
        kind: EdgeKind,
        ident_id: str,
        has_seen: set[tuple[str, EdgeKind, str]],
    ) -> None:
        """Count a party-identifier edge once per shipment that shows it."""
        edge = (entity_id, kind, ident_id)
        if edge not in has_seen:
            has_seen.add(edge)
            self._has[edge] += 1

    # -- output ----------------------------------------------------------------------------
    @property
    def node_count(self) -> int:
        return len(self._shipment_nodes) + len(self._parties) + len(self._identifiers)

    @property
    def edge_count(self) -> int:
        return len(self._shipment_edges) + len(self._has)

    @property
    def party_count(self) -> int:
        return len(self._parties)

    # Rows, not records: ``replace_graph_rows`` takes tuples straight from the spools and
    # aggregates (a frozen dataclass per row cost more than the inserts at 200k shipments).
    # Aggregates come out sorted by id, so the store appends to its B-trees in key order.
    def node_rows(self) -> Iterator[NodeRow]:
        """Shipment nodes, then Party nodes, then identifier nodes, props as JSON text."""
        shipment = _NODE_KIND_VALUE[NodeKind.SHIPMENT]
        for ship_id, label, props in self._shipment_nodes:
            yield ship_id, shipment, label, props_json(props)
        party_kind = _NODE_KIND_VALUE[NodeKind.PARTY]
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
            yield entity_id, party_kind, names[0] if names else "", props_json(props)
        identifiers = self._identifiers
        for ident_id in sorted(identifiers):
            ident = identifiers[ident_id]
            props = {"raw": ident.raw, "shipment_count": ident.shipments}
            yield ident_id, _NODE_KIND_VALUE[ident.kind], ident.label, props_json(props)

    def edge_rows(self) -> Iterator[EdgeRow]:
        """Shipment edges, then party-identifier edges weighted by shipments that showed
        them; no edge twice (one party per role on a shipment)."""
        for source, target, kind in self._shipment_edges:
            yield source, kind, target, 1.0, "{}"
        has = self._has
        for key in sorted(has):
            source, edge_kind, target = key
            yield source, _EDGE_KIND_VALUE[edge_kind], target, float(has[key]), "{}"

    def assignment_rows(self) -> Iterator[AssignmentRow]:
        """(shipment id, role value, entity id, name) of every mention, as spooled."""
        return iter(self._assignments)

    def close(self) -> None:
        for spool in (self._shipment_nodes, self._shipment_edges, self._assignments):
            spool.close()

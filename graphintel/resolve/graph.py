"""Build the resolved graph (DESIGN.md, "Graph model") from shipments and their parties.

The graph is built in two halves so that the first can be written while entity resolution
still runs (``pipeline``): ``ShipmentGraph`` (here) holds what the shipments show whoever
their parties turn out to be (shipment nodes, identifier nodes, the shipment-identifier
edges, spooled to disk as they are made); ``party_graph.PartyGraph`` holds what needs each
mention's entity (party nodes, the shipment-party and party-identifier edges), staged in a
SQLite file. Parties, identifiers and party-identifier edges are aggregates, held once per
distinct entity or identifier and emitted at the end, sorted by id. Every edge's ends are
nodes of the same half or of the shipment half. (The pipeline writes the mention
assignments.)
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from graphintel.model import EdgeKind, NodeKind, Role, node_id
from graphintel.normalize import normalize_ip, normalize_payment_account
from graphintel.records import Mention, ShipmentRecord
from graphintel.resolve.features import FeatureExtractor, PartyFeatures
from graphintel.resolve.identifier_aliases import IdentifierAliases
from graphintel.resolve.spool import Spool
from graphintel.resolve.table import RawKey
from graphintel.store.base import EdgeRow, NodeRow, props_json

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
_ROLE = {r.value: r for r in Role}
_CONSIGNEE = Role.CONSIGNEE.value
_PAID_WITH = EdgeKind.PAID_WITH.value
_ORDERED_FROM = EdgeKind.ORDERED_FROM.value
_DELIVERED_TO = EdgeKind.DELIVERED_TO.value
_SHIPMENT_KIND = NodeKind.SHIPMENT.value


NODE_PREFIX = {kind: node_id(kind, "") for kind in NodeKind}  # node_id(kind, key) == prefix + key
_SHIPMENT_PREFIX = NODE_PREFIX[NodeKind.SHIPMENT]
_ADDRESS_PREFIX = NODE_PREFIX[NodeKind.ADDRESS]
_PHONE_PREFIX = NODE_PREFIX[NodeKind.PHONE]
_EMAIL_PREFIX = NODE_PREFIX[NodeKind.EMAIL]
_PAYMENT_PREFIX = NODE_PREFIX[NodeKind.PAYMENT_ACCOUNT]
_IP_PREFIX = NODE_PREFIX[NodeKind.IP_ADDRESS]
# Identifier node id prefix -> kind value, prefixes sorted: no prefix starts another (each
# ends with the ":" no kind name holds), so ids sorted kind by kind, then by key, are sorted.
_KIND_OF_PREFIX = {
    NODE_PREFIX[kind]: kind.value
    for kind in (NodeKind.ADDRESS, NodeKind.PHONE, NodeKind.EMAIL, NodeKind.PAYMENT_ACCOUNT,
                 NodeKind.IP_ADDRESS)
}  # fmt: skip
_IDENTIFIER_PREFIXES = tuple(sorted(_KIND_OF_PREFIX))
# Text ``normalize_ip`` returns as it is: IPv4 without leading zeros or spaces, and IPv6
# written out in eight lowercase groups, none zero (nothing to compress, not IPv4-mapped)
# and none with a leading zero.
_CANONICAL_IP = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"|(?:[1-9a-f][0-9a-f]{0,3}:){7}[1-9a-f][0-9a-f]{0,3}"
)


def ip_key(raw: str) -> str | None:
    """``normalize_ip(raw)``, without parsing the common canonical addresses (most buyer
    IPs occur once, so a cache does not help)."""
    return raw if _CANONICAL_IP.fullmatch(raw) else normalize_ip(raw)


# What the graph shows of a shipment: its id, its ``SHIPMENT_PROPS`` values in that order,
# its raw payment account and its raw buyer IP (plain tuples spool cheaply).
ShipmentRow = tuple[str, tuple[Any, ...], str, str]


_SHIPMENT_VALUES = attrgetter(*SHIPMENT_PROPS)


def shipment_row(s: ShipmentRecord) -> ShipmentRow:
    return s.shipment_id, _SHIPMENT_VALUES(s), s.payment_account, s.buyer_ip


def _ignore(edge: tuple[str, str, str]) -> None:
    """Where ``ShipmentGraph.add`` sends edges when it aggregates some identifiers only."""


class MentionLink(NamedTuple):
    """One mention of a shipment (its ``table.raw_key``) with its features and, when
    known, the readable label of its address (else the builder normalizes the address
    again to make one)."""

    raw: RawKey
    features: PartyFeatures
    address_label: str | None = None


@dataclass(slots=True)
class IdentifierAggregate:
    kind: str  # a NodeKind's value
    label: str
    # A tuple, not a list: most identifiers have one raw form, and a list is twice the size.
    raw: tuple[str, ...] = ()
    shipments: int = 0
    # variant keys merged into this node (``identifier_aliases``) -> why; the label is a
    # variant's until a mention with the canonical key itself gives its own. None until
    # the first: few nodes have any, and there are ~3 nodes a shipment (an empty dict
    # each was ~2 GB at 10M shipments).
    aliases: dict[str, str] | None = None
    label_of_variant: bool = False
    # Where the label and raw spellings came from (``identifier_ledger`` merges a day's
    # sightings with these): the shipment ids of the first sighting, of the first one
    # that is not a variant address key ("" when none) and of each raw's first sighting.
    first: str = ""
    canonical: str = ""
    raw_from: list[str] = field(default_factory=list)


def identifier_props(raw: tuple[str, ...], shipments: int, aliases: dict[str, str] | None) -> str:
    """An identifier node's props as JSON text."""
    props: dict[str, Any] = {"raw": raw, "shipment_count": shipments}
    if aliases:  # the keys merged into this node, each with its reason
        props["aliases"] = [{"key": k, "why": aliases[k]} for k in sorted(aliases)]
    return props_json(props)


# An identifier's (node id, first sighting, canonical sighting, sighting of each raw spelling).
LedgerRow = tuple[str, str, str, Sequence[str]]


def identifier_row(ident_id: str, ident: IdentifierAggregate) -> NodeRow:
    """An identifier's node row."""
    return ident_id, ident.kind, ident.label, identifier_props(ident.raw, ident.shipments,
                                                               ident.aliases)  # fmt: skip


class ShipmentGraph:
    """The half of the graph that needs no entity: shipment nodes (returned by ``add``,
    for writing at once), identifier nodes and shipment-identifier edges.

    There are ~3 identifier nodes a shipment, so their aggregates are held as columns
    indexed by a slot per identifier, not as one ``IdentifierAggregate`` each: a dict per
    kind from the bare key (the record table's own string) to the slot, the label, raw
    spellings (a string when there is one), first sighting and shipment count per slot,
    and what few identifiers have (aliases, a variant label, a canonical sighting or raw
    spellings not all from the first sighting) in sparse dicts. At 200,000 shipments that
    is ~290 MB less than objects with their node id strings (``identifiers`` and
    ``aggregates`` still hand out ``IdentifierAggregate`` objects, made on demand)."""

    def __init__(
        self,
        extractor: FeatureExtractor | None = None,
        max_raw_variants: int = 10,
        spool_directory: str | None = None,
        aliases: IdentifierAliases | None = None,
        only: Container[str] | None = None,
    ) -> None:
        self._extractor = extractor or FeatureExtractor()
        # Set: aggregate only these identifier nodes and spool no edges (a graph delta
        # recounts the identifiers a day touched over every shipment).
        self._only = only
        self._aliases = aliases or IdentifierAliases()
        self.max_raw = max_raw_variants
        # Spools hold plain tuples: pickling frozen dataclasses costs ten times as much.
        # A recount spools no edge, so it makes no file (nothing to leave behind).
        self._edges: Spool[tuple[str, str, str]] | None = (
            Spool(spool_directory) if only is None else None
        )
        self._slots: dict[str, dict[str, int]] = {prefix: {} for prefix in _IDENTIFIER_PREFIXES}
        self._label: list[str] = []
        self._raw: list[str | tuple[str, ...]] = []  # () none, a string one, else a tuple
        self._first: list[str] = []  # shipment id of the first sighting
        self._shipments = array("l")
        self._variant: set[int] = set()  # slots labelled by a variant address key
        self._canonical: dict[int, str] = {}  # slot -> canonical sighting, when not the first
        self._raw_from: dict[int, tuple[str, ...]] = {}  # when not all the first sighting
        self._merged: dict[int, dict[str, str]] = {}  # slot -> variant key -> why
        self.shipment_count = 0
        # Payment tokens and IPs repeat across shipments: normalize each raw value once.
        self._payment = lru_cache(maxsize=1 << 16)(normalize_payment_account)
        self._ip = lru_cache(maxsize=1 << 16)(ip_key)

    def _identifier(
        self,
        prefix: str,
        key: str,
        raw: str,
        seen: set[str],
        shipment_id: str,
        link: MentionLink | None = None,
        alias: tuple[str, str] | None = None,
    ) -> str:
        """Register one sighting of an identifier on a shipment; return its node id.

        The label is the key itself, except for addresses (``link`` given), whose
        readable label is the link's, or built the first time the address is seen, and
        whose raw text is joined from the mention only while the identifier keeps
        collecting raw variants. ``alias`` (canonical key, why) files a variant key
        under its canonical node and keeps it with the reason. ``prefix`` is the node id
        prefix of the identifier's kind.
        """
        variant = key
        if alias is not None:
            key = alias[0]
        ident_id = prefix + key
        if self._only is not None and ident_id not in self._only:
            return ident_id
        slots = self._slots[prefix]
        slot = slots.get(key)
        if slot is None or (alias is None and slot in self._variant):
            label = key
            if link is not None:
                given = link.address_label
                label = given if given is not None else self._address_label(link, shipment_id)
            of_variant = alias is not None and link is not None
            if slot is None:
                slot = slots[key] = len(self._first)
                self._label.append(label)
                self._raw.append(())
                self._first.append(shipment_id)
                self._shipments.append(0)
                if of_variant:
                    self._variant.add(slot)
                    self._canonical[slot] = ""
            else:
                self._label[slot] = label
                if not of_variant:
                    self._variant.discard(slot)
                    if shipment_id == self._first[slot]:
                        self._canonical.pop(slot, None)
                    else:
                        self._canonical[slot] = shipment_id
        if alias is not None:
            merged = self._merged.get(slot)
            if merged is None:
                merged = self._merged[slot] = {}
            if variant not in merged:
                merged[variant] = alias[1]
        raws = self._raw[slot]
        known = (raws,) if raws.__class__ is str else raws
        if len(known) < self.max_raw:
            if link is not None:
                m = link.raw
                raw = ", ".join([p for p in (m[2], m[3], m[4], m[5]) if p.strip()])
            raw = raw.strip()
            if raw and raw not in known:
                self._raw[slot] = raw if not known else (*known, raw)
                first = self._first[slot]
                spelled = self._raw_from.get(slot)
                if spelled is not None or shipment_id != first:
                    base = spelled if spelled is not None else (first,) * len(known)
                    self._raw_from[slot] = (*base, shipment_id)
        if ident_id not in seen:
            seen.add(ident_id)
            self._shipments[slot] += 1
        return ident_id

    def _aggregate(self, prefix: str, slot: int) -> IdentifierAggregate:
        raws = self._raw[slot]
        raw: tuple[str, ...] = (raws,) if isinstance(raws, str) else raws
        first = self._first[slot]
        merged = self._merged.get(slot)
        return IdentifierAggregate(
            kind=_KIND_OF_PREFIX[prefix],
            label=self._label[slot],
            raw=raw,
            shipments=self._shipments[slot],
            aliases=dict(merged) if merged is not None else None,
            label_of_variant=slot in self._variant,
            first=first,
            canonical=self._canonical.get(slot, first),
            raw_from=list(self._raw_from.get(slot, (first,) * len(raw))),
        )

    def aggregates(self) -> Iterator[tuple[str, IdentifierAggregate]]:
        """Each identifier node's id and aggregate, sorted by id, made one at a time."""
        for prefix in _IDENTIFIER_PREFIXES:  # sorted, and none starts another: id order
            slots = self._slots[prefix]
            for key in sorted(slots):
                yield prefix + key, self._aggregate(prefix, slots[key])

    def ledger_rows(self) -> Iterator[LedgerRow]:
        """Each identifier node's id, first sighting, canonical sighting and the sighting of
        each raw spelling, sorted by id: what the identifier ledger saves, read from the
        columns (an aggregate made for each of millions of nodes cost seconds)."""
        first_of, canonical, raw_from = self._first, self._canonical, self._raw_from
        raws = self._raw
        for prefix in _IDENTIFIER_PREFIXES:  # sorted, and none starts another: id order
            slots = self._slots[prefix]
            for key in sorted(slots):
                slot = slots[key]
                first = first_of[slot]
                spelled = raw_from.get(slot)
                if spelled is None:
                    raw = raws[slot]
                    spelled = (first,) * (1 if isinstance(raw, str) else len(raw))
                yield prefix + key, first, canonical.get(slot, first), spelled

    @property
    def identifiers(self) -> dict[str, IdentifierAggregate]:
        """Every identifier node's aggregate by node id (made anew: for small graphs)."""
        return dict(self.aggregates())

    def _address_label(self, link: MentionLink, shipment_id: str) -> str:
        role, name, address, city, state, postal, country, phone, email = link.raw[:9]
        m = Mention(name, address, city, state, postal, country, phone, email,
                    shipment_id=shipment_id, role=_ROLE[role])  # fmt: skip
        return self._extractor.address(m, link.features.country).label

    def add(self, shipment: ShipmentRow, links: Sequence[MentionLink]) -> NodeRow:
        """Add one shipment and the identifiers it shows; return its node row."""
        props = dict(zip(SHIPMENT_PROPS, shipment[1], strict=True))
        return self.sight(shipment, links), _SHIPMENT_KIND, shipment[0], props_json(props)

    def sight(self, shipment: ShipmentRow, links: Sequence[MentionLink]) -> str:
        """``add`` without making the node row; return the shipment's node id."""
        shipment_id, _, payment_account, buyer_ip = shipment
        ship_id = _SHIPMENT_PREFIX + shipment_id
        self.shipment_count += 1
        seen: set[str] = set()  # identifiers already counted for this shipment
        edge = self._edges.append if self._edges is not None else _ignore

        payment = self._payment(payment_account)
        if payment:
            target = self._identifier(_PAYMENT_PREFIX, payment, payment_account, seen, shipment_id)
            edge((ship_id, target, _PAID_WITH))
        ip = self._ip(buyer_ip)
        if ip:
            target = self._identifier(_IP_PREFIX, ip, buyer_ip, seen, shipment_id)
            edge((ship_id, target, _ORDERED_FROM))

        address_alias, phone_alias = self._aliases.address.get, self._aliases.phone.get
        identifier = self._identifier
        for link in links:
            raw, features = link.raw, link.features
            address, phone, email = features.address, features.phone, features.email
            if address:
                ident_id = identifier(
                    _ADDRESS_PREFIX, address, "", seen, shipment_id, link,
                    address_alias(address),
                )  # fmt: skip
                if raw[0] == _CONSIGNEE:
                    edge((ship_id, ident_id, _DELIVERED_TO))
            if phone:
                identifier(_PHONE_PREFIX, phone, raw[7], seen, shipment_id, None,
                           phone_alias(phone))  # fmt: skip
            if email:
                identifier(_EMAIL_PREFIX, email, raw[8], seen, shipment_id)
        return ship_id

    @property
    def node_count(self) -> int:
        return self.shipment_count + len(self._first)

    def shipment_identifier_ids(self, shipment: ShipmentRow) -> tuple[str, str]:
        """The node ids of a shipment's payment account and buyer IP ("" when none)."""
        payment, ip = self._payment(shipment[2]), self._ip(shipment[3])
        return (
            NODE_PREFIX[NodeKind.PAYMENT_ACCOUNT] + payment if payment else "",
            NODE_PREFIX[NodeKind.IP_ADDRESS] + ip if ip else "",
        )

    def identifier_ids(self) -> set[str]:
        """The ids of the identifier nodes seen so far."""
        return {prefix + key for prefix, slots in self._slots.items() for key in slots}

    @property
    def edge_count(self) -> int:
        return 0 if self._edges is None else len(self._edges)

    def identifier_rows(self) -> Iterator[NodeRow]:
        """Identifier nodes sorted by id (the store appends to its B-trees in key order)."""
        for prefix in _IDENTIFIER_PREFIXES:  # sorted, and none starts another: id order
            slots, kind = self._slots[prefix], _KIND_OF_PREFIX[prefix]
            labels, raws, shipments, merged = self._label, self._raw, self._shipments, self._merged
            for key in sorted(slots):  # sorting the bare keys: 4x faster than items
                slot = slots[key]
                raw = raws[slot]
                props = identifier_props(
                    (raw,) if isinstance(raw, str) else raw, shipments[slot], merged.get(slot)
                )
                yield prefix + key, kind, labels[slot], props

    def edge_rows(self) -> Iterator[EdgeRow]:
        """Shipment-identifier edges, one per shipment and kind."""
        for source, target, kind in self._edges or ():
            yield source, kind, target, 1.0, "{}"

    def close(self) -> None:
        if self._edges is not None:
            self._edges.close()

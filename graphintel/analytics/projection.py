"""A compact party-identifier graph for analysis, built from any ``GraphStore`` in batches.

Parties and identifiers get integer indices and every relation lives in numpy arrays, so a
million-shipment graph costs arrays, not Python objects per edge (networkx objects alone
took 31 s and 1.6 GB at that size). Parties link to identifiers through ``HAS_*`` edges and,
for a consignee, through the address, payment account and IP address of its shipments.

Hubs are marked here (by ``graphintel.analytics.hubs``) because every later step must see
the same cut.
"""

from __future__ import annotations

import logging
import math
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import numpy as np

from graphintel.analytics.arrays import BoolArray, FloatArray, IntArray
from graphintel.analytics.hubs import Hub, counterparty_pairs, judge_hubs
from graphintel.analytics.matches import WatchlistHit
from graphintel.model import EdgeKind, NodeKind, kind_of
from graphintel.records import EdgeRecord, NodeRecord
from graphintel.store.base import EdgeEnds, NodeLabel

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int], None]
_T = TypeVar("_T")


# Identifier kinds in the order of their codes in ``Projection.ident_kind``.
IDENTIFIER_KIND_ORDER: tuple[NodeKind, ...] = (
    NodeKind.ADDRESS,
    NodeKind.PHONE,
    NodeKind.EMAIL,
    NodeKind.PAYMENT_ACCOUNT,
    NodeKind.IP_ADDRESS,
)
_IDENT_CODE: dict[NodeKind, int] = {k: i for i, k in enumerate(IDENTIFIER_KIND_ORDER)}

# Codes of ``Projection.ship_outcome``.
OUTCOME_NONE, OUTCOME_CLEARED, OUTCOME_VIOLATION, OUTCOME_SEIZED = 0, 1, 2, 3
_OUTCOME_CODE = {
    "cleared": OUTCOME_CLEARED,
    "violation": OUTCOME_VIOLATION,
    "seized": OUTCOME_SEIZED,
}

_ROLE_EDGES = {EdgeKind.SHIPPED_BY: 0, EdgeKind.CONSIGNED_TO: 1, EdgeKind.SOLD_BY: 2}
_SHIPMENT_IDENT_EDGES = {EdgeKind.DELIVERED_TO: 0, EdgeKind.PAID_WITH: 1, EdgeKind.ORDERED_FROM: 2}
_HAS_EDGES = frozenset({EdgeKind.HAS_ADDRESS, EdgeKind.HAS_PHONE, EdgeKind.HAS_EMAIL})
_PARTY = NodeKind.PARTY.value
_IDENT_CODE_BY_VALUE = {k.value: c for k, c in _IDENT_CODE.items()}
_ROLE_BY_VALUE = {k.value: c for k, c in _ROLE_EDGES.items()}
_SHIP_IDENT_BY_VALUE = {k.value: c for k, c in _SHIPMENT_IDENT_EDGES.items()}
_HAS_BY_VALUE = frozenset(k.value for k in _HAS_EDGES)
PROJECTED_EDGE_KINDS: frozenset[EdgeKind] = frozenset(
    {*_ROLE_EDGES, *_SHIPMENT_IDENT_EDGES, *_HAS_EDGES}
)


@dataclass(frozen=True, eq=False)
class Projection:
    """Parties ``0..n_parties-1`` and identifiers ``0..n_identifiers-1`` with array relations.

    Graph algorithms see one node index space: party ``p`` is node ``p`` and identifier
    ``i`` is node ``n_parties + i``. Index ``-1`` in a shipment column means "none".
    """

    party_ids: list[str]
    party_labels: list[str]
    ident_ids: list[str]
    ident_labels: list[str]  # "" where the label is the id's value: ``label`` gives it
    ident_kind: IntArray  # code into IDENTIFIER_KIND_ORDER
    # Distinct party-identifier links (hubs included), weight = shipments showing it.
    link_party: IntArray
    link_ident: IntArray
    link_weight: FloatArray
    # Shipments (node ids) and their columns.
    shipment_ids: list[str]
    ship_date: IntArray  # proleptic Gregorian ordinal, -1 when unknown
    ship_value: FloatArray  # NaN when unknown
    ship_outcome: IntArray  # OUTCOME_* code
    ship_category: list[str]
    ship_hts: list[str]  # HTS code digits ("" when unknown)
    ship_description: list[str]  # goods description, casefolded
    ship_country: list[str]  # country of origin, upper case ("" when unknown)
    ship_shipper: IntArray
    ship_consignee: IntArray
    ship_seller: IntArray
    ship_address: IntArray
    ship_payment: IntArray
    ship_ip: IntArray
    # Hub suppression.
    ident_parties: IntArray  # distinct parties per identifier
    party_counterparties: IntArray  # distinct counterparties per party
    ident_reach: IntArray  # distinct counterparties of the parties behind a shared identifier
    ident_is_hub: BoolArray
    party_is_hub: BoolArray
    hub_limit: int
    party_hub_limit: int  # the limit applied (the adaptive rule may raise the configured one)
    # Why each hub was cut, and each identifier over the count limit kept (unified index).
    hub_reasons: dict[int, str] = field(default_factory=dict)
    # Watchlist entries matched to these nodes (``graphintel.analytics.watchlist``).
    watchlist_hits: tuple[WatchlistHit, ...] = ()

    @property
    def n_parties(self) -> int:
        return len(self.party_ids)

    @property
    def n_identifiers(self) -> int:
        return len(self.ident_ids)

    @property
    def n_shipments(self) -> int:
        return len(self.shipment_ids)

    @property
    def n_nodes(self) -> int:
        return self.n_parties + self.n_identifiers

    def node_id(self, node: int) -> str:
        """The store id of a node in the unified index space."""
        if node < self.n_parties:
            return self.party_ids[node]
        return self.ident_ids[node - self.n_parties]

    def label(self, node: int) -> str:
        """A human label for a node in the unified index space (its id when it has none)."""
        if node < self.n_parties:
            text = self.party_labels[node]
        else:
            text = self.ident_labels[node - self.n_parties]
        return text or self.node_id(node).partition(":")[2]

    def ident_node_kind(self, ident: int) -> NodeKind:
        return IDENTIFIER_KIND_ORDER[int(self.ident_kind[ident])]

    def node_is_hub(self) -> BoolArray:
        """Hub flags over the unified index space."""
        return np.concatenate([self.party_is_hub, self.ident_is_hub])

    def active_links(self) -> BoolArray:
        """Links whose two ends are both non-hubs: the edges networks are made of."""
        return ~(self.party_is_hub[self.link_party] | self.ident_is_hub[self.link_ident])

    def hubs(self) -> list[Hub]:
        """Every cut party and identifier, largest count first, with its reason."""
        out = [
            Hub(
                self.party_ids[p],
                NodeKind.PARTY,
                self.label(p),
                int(self.party_counterparties[p]),
                "counterparties",
                self.hub_reasons.get(p, ""),
            )
            for p in map(int, np.flatnonzero(self.party_is_hub))
        ]
        for i in map(int, np.flatnonzero(self.ident_is_hub)):
            # Cut by count, or under both limits by who uses it (``hub_usage``): parties.
            by_parties = (
                int(self.ident_parties[i]) > self.hub_limit
                or int(self.ident_reach[i]) <= self.party_hub_limit
            )
            out.append(
                Hub(
                    self.ident_ids[i],
                    self.ident_node_kind(i),
                    self.label(self.n_parties + i),
                    int(self.ident_parties[i] if by_parties else self.ident_reach[i]),
                    "parties" if by_parties else "counterparties",
                    self.hub_reasons.get(self.n_parties + i, ""),
                )
            )
        out.sort(key=lambda h: (-h.count, h.node_id))
        return out


def _ordinal(value: Any) -> int:
    if not isinstance(value, str) or not value:
        return -1
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return -1


def _money(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


@dataclass(frozen=True)
class HubSettings:
    """How a projection marks its hubs (``graphintel.analytics.hubs``): the count limits
    and the rule ("count", "fixed" or "adaptive"). ``AnalysisConfig.hub_settings()`` gives
    a run's; these defaults are ``AnalysisConfig``'s too (it reads them from here)."""

    hub_limit: int = 20
    party_hub_limit: int = 100
    drop_address_max_parties: int = 100
    hub_rule: str = "fixed"
    fed_kinds: tuple[str, ...] = ("address", "payment")


@dataclass(eq=False)
class ProjectionInputs:
    """A ``ProjectionBuilder``'s whole state: what it has read, before ``build``.

    Indices are positions in the id lists; ``-1`` in a shipment column means "none".
    ``graphintel.analytics.projection_cache`` keeps these between runs and updates them.
    """

    party_ids: list[str]
    party_labels: list[str]
    ident_ids: list[str]
    ident_labels: list[str]
    ident_kind: IntArray
    ship_ids: list[str]
    ship_date: IntArray
    ship_value: FloatArray
    ship_outcome: IntArray
    ship_category: list[str]
    ship_hts: list[str]
    ship_description: list[str]
    ship_country: list[str]
    ship_roles: tuple[IntArray, IntArray, IntArray]  # shipper, consignee, seller
    ship_idents: tuple[IntArray, IntArray, IntArray]  # address, payment, ip
    has_party: IntArray
    has_ident: IntArray
    has_weight: FloatArray

    def project(self, settings: HubSettings = HubSettings()) -> Projection:
        """Derive consignee links and counterparties, then mark the hubs as ``settings``
        say (see ``graphintel.analytics.hubs``)."""
        n_party = len(self.party_labels)
        n_ident = len(self.ident_labels)
        shipper, consignee, seller = self.ship_roles
        address, payment, ip = self.ship_idents

        link_party, link_ident, link_weight = _merge_links(
            self.has_party,
            self.has_ident,
            self.has_weight,
            consignee,
            (address, payment, ip),
            n_ident,
        )
        ident_parties = np.bincount(link_ident, minlength=n_ident).astype(np.int64)
        pair_party, pair_other = counterparty_pairs(
            ((shipper, consignee), (seller, consignee), (shipper, seller)), n_party
        )
        counterparties = np.bincount(pair_party, minlength=n_party).astype(np.int64)
        ident_kind = self.ident_kind
        hubs, reach = judge_hubs(
            rule=settings.hub_rule,
            ident_parties=ident_parties,
            ident_kind=ident_kind,
            counterparties=counterparties,
            link_party=link_party,
            link_ident=link_ident,
            pair_other=pair_other,
            shipper=shipper,
            consignee_columns=(address, payment, ip),
            hub_limit=settings.hub_limit,
            party_hub_limit=settings.party_hub_limit,
            drop_address_max_parties=settings.drop_address_max_parties,
            fed_kinds=settings.fed_kinds,
            consignee=consignee,
            ship_date=self.ship_date,
        )
        projection = Projection(
            party_ids=self.party_ids,
            party_labels=self.party_labels,
            ident_ids=self.ident_ids,
            ident_labels=self.ident_labels,
            ident_kind=ident_kind,
            link_party=link_party,
            link_ident=link_ident,
            link_weight=link_weight,
            shipment_ids=self.ship_ids,
            ship_date=self.ship_date,
            ship_value=self.ship_value,
            ship_outcome=self.ship_outcome,
            ship_category=self.ship_category,
            ship_hts=self.ship_hts,
            ship_description=self.ship_description,
            ship_country=self.ship_country,
            ship_shipper=shipper,
            ship_consignee=consignee,
            ship_seller=seller,
            ship_address=address,
            ship_payment=payment,
            ship_ip=ip,
            ident_parties=ident_parties,
            party_counterparties=counterparties,
            ident_reach=reach,
            ident_is_hub=hubs.ident_is_hub,
            party_is_hub=hubs.party_is_hub,
            hub_limit=settings.hub_limit,
            party_hub_limit=hubs.party_hub_limit,
            hub_reasons=hubs.reasons,
        )
        logger.info(
            "projected %d parties, %d identifiers, %d links, %d shipments;"
            " hubs: %d identifiers, %d parties",
            projection.n_parties,
            projection.n_identifiers,
            len(link_party),
            projection.n_shipments,
            int(projection.ident_is_hub.sum()),
            int(projection.party_is_hub.sum()),
        )
        return projection


class ProjectionBuilder:
    """Accumulates node and edge batches (in any order), then builds a ``Projection``."""

    def __init__(self) -> None:
        self._party_index: dict[str, int] = {}
        self._party_labels: list[str] = []
        self._ident_index: dict[str, int] = {}
        self._ident_labels: list[str] = []
        self._ident_kind = array("b")
        self._ship_index: dict[str, int] = {}
        self._ship_date = array("l")
        self._ship_value = array("d")
        self._ship_outcome = array("b")
        self._ship_category: list[str] = []
        self._ship_hts: list[str] = []
        self._ship_description: list[str] = []
        self._ship_country: list[str] = []
        # One string object per distinct shipment text (HTS code, country, category, goods
        # description repeat across shipments): a column of a million shipments then holds
        # pointers to a few thousand strings, not a million copies (~60 bytes each).
        self._shared_texts: dict[str, str] = {}
        self._ship_roles = (array("l"), array("l"), array("l"))  # shipper, consignee, seller
        self._ship_idents = (array("l"), array("l"), array("l"))  # address, payment, ip
        self._has_party = array("l")
        self._has_ident = array("l")
        self._has_weight = array("d")

    def inputs(self) -> ProjectionInputs:
        """What has been read so far, as arrays (the lists are the builder's own: read
        nothing more once they are taken)."""
        self._shared_texts = {}  # its strings live on in the columns
        return ProjectionInputs(
            party_ids=list(self._party_index),
            party_labels=self._party_labels,
            ident_ids=list(self._ident_index),
            ident_labels=self._ident_labels,
            ident_kind=np.asarray(self._ident_kind, dtype=np.int64),
            ship_ids=list(self._ship_index),
            ship_date=np.asarray(self._ship_date, dtype=np.int64),
            ship_value=np.asarray(self._ship_value, dtype=np.float64),
            ship_outcome=np.asarray(self._ship_outcome, dtype=np.int64),
            ship_category=self._ship_category,
            ship_hts=self._ship_hts,
            ship_description=self._ship_description,
            ship_country=self._ship_country,
            ship_roles=_int_columns(self._ship_roles),
            ship_idents=_int_columns(self._ship_idents),
            has_party=np.asarray(self._has_party, dtype=np.int64),
            has_ident=np.asarray(self._has_ident, dtype=np.int64),
            has_weight=np.asarray(self._has_weight, dtype=np.float64),
        )

    def _party(self, node_id: str) -> int:
        index = self._party_index.get(node_id)
        if index is None:
            index = self._party_index[node_id] = len(self._party_labels)
            self._party_labels.append("")
        return index

    def _ident(self, node_id: str, kind: NodeKind | None = None) -> int:
        index = self._ident_index.get(node_id)
        if index is None:
            index = self._ident_index[node_id] = len(self._ident_labels)
            self._ident_labels.append("")
            self._ident_kind.append(_IDENT_CODE[kind or kind_of(node_id)])
        return index

    def _shipment(self, node_id: str) -> int:
        index = self._ship_index.get(node_id)
        if index is None:
            index = self._ship_index[node_id] = len(self._ship_category)
            self._ship_date.append(-1)
            self._ship_value.append(math.nan)
            self._ship_outcome.append(OUTCOME_NONE)
            self._ship_category.append("")
            self._ship_hts.append("")
            self._ship_description.append("")
            self._ship_country.append("")
            for column in (*self._ship_roles, *self._ship_idents):
                column.append(-1)
        return index

    def add_nodes(self, nodes: Iterable[NodeRecord]) -> None:
        for node in nodes:
            if node.kind is NodeKind.SHIPMENT:
                s = self._shipment(node.id)
                props = node.props
                self._ship_date[s] = _ordinal(props.get("arrival_date"))
                self._ship_value[s] = _money(props.get("declared_value_usd"))
                outcome = str(props.get("inspection_outcome") or "").strip().lower()
                self._ship_outcome[s] = _OUTCOME_CODE.get(outcome, OUTCOME_NONE)
                shared = self._shared_texts
                category = str(props.get("seizure_category") or "").strip()
                self._ship_category[s] = shared.setdefault(category, category)
                hts = "".join(ch for ch in str(props.get("hts_code") or "") if ch.isdigit())
                self._ship_hts[s] = shared.setdefault(hts, hts)
                goods = str(props.get("description") or "").casefold()
                self._ship_description[s] = shared.setdefault(goods, goods)
                country = str(props.get("country_of_origin") or "").strip().upper()
                self._ship_country[s] = shared.setdefault(country, country)
            elif node.kind is NodeKind.PARTY:
                self._party_labels[self._party(node.id)] = node.label
            elif node.kind in _IDENT_CODE:
                self._ident_labels[self._ident(node.id, node.kind)] = own_label(node.id, node.label)

    def add_edges(self, edges: Iterable[EdgeRecord]) -> None:
        for edge in edges:
            kind = edge.kind
            role = _ROLE_EDGES.get(kind)
            if role is not None:
                self._ship_roles[role][self._shipment(edge.source)] = self._party(edge.target)
                continue
            column = _SHIPMENT_IDENT_EDGES.get(kind)
            if column is not None:
                self._ship_idents[column][self._shipment(edge.source)] = self._ident(edge.target)
                continue
            if kind in _HAS_EDGES:
                self._has_party.append(self._party(edge.source))
                self._has_ident.append(self._ident(edge.target))
                self._has_weight.append(float(edge.weight))

    def add_node_labels(self, rows: Iterable[NodeLabel]) -> None:
        """Parties and identifiers from property-free rows (``GraphStore.iter_node_labels``)."""
        party_index, ident_index = self._party_index, self._ident_index
        party_labels, ident_labels = self._party_labels, self._ident_labels
        for node_id, kind, label in rows:
            if kind == _PARTY:
                index = party_index.get(node_id)
                party_labels[self._party(node_id) if index is None else index] = label
            elif (code := _IDENT_CODE_BY_VALUE.get(kind)) is not None:
                index = ident_index.get(node_id)
                if index is None:
                    index = self._ident(node_id, IDENTIFIER_KIND_ORDER[code])
                ident_labels[index] = own_label(node_id, label)

    def add_edge_ends(self, rows: Iterable[EdgeEnds]) -> None:
        """Edges from property-free rows (``GraphStore.iter_edge_ends``); the same result as
        ``add_edges`` at a fraction of its cost (no records, enums or JSON per edge)."""
        party_index, ident_index, ship_index = (
            self._party_index,
            self._ident_index,
            self._ship_index,
        )
        roles, idents = self._ship_roles, self._ship_idents
        has_party, has_ident, has_weight = self._has_party, self._has_ident, self._has_weight
        for source, kind, target, weight in rows:
            role = _ROLE_BY_VALUE.get(kind)
            if role is not None:
                s = ship_index.get(source)
                p = party_index.get(target)
                s = self._shipment(source) if s is None else s
                roles[role][s] = self._party(target) if p is None else p
                continue
            column = _SHIP_IDENT_BY_VALUE.get(kind)
            if column is not None:
                s = ship_index.get(source)
                i = ident_index.get(target)
                s = self._shipment(source) if s is None else s
                idents[column][s] = self._ident(target) if i is None else i
                continue
            if kind in _HAS_BY_VALUE:
                p = party_index.get(source)
                i = ident_index.get(target)
                has_party.append(self._party(source) if p is None else p)
                has_ident.append(self._ident(target) if i is None else i)
                has_weight.append(float(weight))

    def build(self, settings: HubSettings = HubSettings()) -> Projection:
        """The projection of what has been read (see ``ProjectionInputs.project``)."""
        return self.inputs().project(settings)


def own_label(node_id: str, label: str) -> str:
    """``label``, or "" when it is the node id's value (what follows the kind): a phone's,
    e-mail's, payment account's or IP address's label is, and ``Projection.label`` gives
    it back from the id, so most identifiers keep one string instead of two (~70 bytes
    each, a few million of them at a million shipments)."""
    colon = node_id.find(":")
    if colon >= 0 and len(label) == len(node_id) - colon - 1 and node_id.endswith(label):
        return ""
    return label


def _int_columns(columns: tuple[array[int], ...]) -> tuple[IntArray, IntArray, IntArray]:
    a, b, c = (np.asarray(column, dtype=np.int64) for column in columns)
    return a, b, c


def _merge_links(
    has_party: IntArray,
    has_ident: IntArray,
    has_weight: FloatArray,
    consignee: IntArray,
    shipment_idents: tuple[IntArray, ...],
    n_ident: int,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Distinct (party, identifier) links from ``HAS_*`` edges and consignees' shipments.

    A link seen both ways keeps the larger weight: both count the same shipments.
    """
    keys = [has_party * n_ident + has_ident]
    weights = [has_weight]
    for column in shipment_idents:
        mask = (consignee >= 0) & (column >= 0)
        derived, counts = np.unique(consignee[mask] * n_ident + column[mask], return_counts=True)
        keys.append(derived)
        weights.append(counts.astype(np.float64))
    all_keys = np.concatenate(keys)
    all_weights = np.concatenate(weights)
    if len(all_keys) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0, dtype=np.float64)
    order = np.argsort(all_keys, kind="stable")
    all_keys, all_weights = all_keys[order], all_weights[order]
    starts = np.flatnonzero(np.r_[True, all_keys[1:] != all_keys[:-1]])
    unique_keys = all_keys[starts]
    return (
        unique_keys // n_ident,
        unique_keys % n_ident,
        np.maximum.reduceat(all_weights, starts),
    )

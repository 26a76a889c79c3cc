"""The summarised link chart (i2-style link summarising) of a network.

Shipments are folded away: each becomes contributions to links between the parties on it
(shipper to consignee, seller to consignee, shipper to seller) and between a party and
the identifiers its own mention on that shipment holds (its address, phone and e-mail,
normalized with the resolver's own ``FeatureExtractor``, so a link is exactly as true as
the graph), the buyer's payment account and IP folded onto the consignee. A link counts
its shipments, adds up their declared value, keeps the first and last arrival date, the
seized count and the shipment ids behind it. The model holds plain values only, no store,
so the exports and the app draw the same chart; ``positions`` places it with no overlap.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from graphintel.errors import NotFoundError
from graphintel.export.members import cited_node_ids, find_run, network_members
from graphintel.export.summary_layout import layout
from graphintel.model import EdgeKind, NodeKind, Role, node_id
from graphintel.normalize import normalize_ip, normalize_payment_account
from graphintel.records import EdgeRecord, NodeRecord, ShipmentRecord
from graphintel.resolve.features import FeatureExtractor, shipment_mentions
from graphintel.store.base import GraphStore

KEY_NODES = 6  # nodes flagged "key" besides those a reason cites
BASE_RADIUS = 12.0
RADIUS_PER_ROOT_SHIPMENT = 3.0
MAX_RADIUS = 34.0

# Folded link kinds: party to party, by the roles the two played on a shipment.
SHIPPED_TO = "SHIPPED_TO"  # shipper -> consignee
SOLD_TO = "SOLD_TO"  # seller -> consignee
SHIPS_FOR = "SHIPS_FOR"  # shipper -> seller
PARTY_PAIRS: tuple[tuple[Role, Role, str], ...] = (
    (Role.SHIPPER, Role.CONSIGNEE, SHIPPED_TO),
    (Role.SELLER, Role.CONSIGNEE, SOLD_TO),
    (Role.SHIPPER, Role.SELLER, SHIPS_FOR),
)
LINK_LABELS: dict[str, str] = {
    SHIPPED_TO: "shipped to",
    SOLD_TO: "sold to",
    SHIPS_FOR: "ships for",
    EdgeKind.HAS_ADDRESS.value: "address",
    EdgeKind.HAS_PHONE.value: "phone",
    EdgeKind.HAS_EMAIL.value: "e-mail",
    EdgeKind.PAID_WITH.value: "paid with",
    EdgeKind.ORDERED_FROM.value: "ordered from IP",
}
_ROLE_OF_EDGE = {
    EdgeKind.SHIPPED_BY: Role.SHIPPER,
    EdgeKind.CONSIGNED_TO: Role.CONSIGNEE,
    EdgeKind.SOLD_BY: Role.SELLER,
}


@dataclass(frozen=True, slots=True)
class SummaryNode:
    """A party or identifier of the summarised chart; ``x``/``y`` are pixels, y down."""

    id: str
    kind: NodeKind
    label: str
    shipments: int  # shipments of the network it appears on
    seized: int
    value_usd: float
    first_date: str
    last_date: str
    degree: int  # distinct nodes it is linked to
    key: bool  # cited by a reason, or among the most linked: labelled at any zoom
    radius: float
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True, slots=True)
class SummaryLink:
    """Every shipment that ties two nodes the same way, folded into one link."""

    source: str
    target: str
    kind: str  # one of LINK_LABELS
    count: int  # shipments
    value_usd: float  # their declared value added up
    first_date: str
    last_date: str
    shipment_ids: tuple[str, ...]  # sorted
    seized: int

    @property
    def label(self) -> str:
        return f"{LINK_LABELS.get(self.kind, self.kind)} ×{self.count}"


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    title: str
    nodes: tuple[SummaryNode, ...]
    links: tuple[SummaryLink, ...]
    shipments: int
    value_usd: float
    first_date: str
    last_date: str
    seized_shipment_ids: tuple[str, ...]
    timeline: tuple[tuple[str, int, int], ...]  # (arrival date, shipments, seized), by date
    network_id: str = ""
    run_id: str = ""
    by_id: dict[str, SummaryNode] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {n.id: n for n in self.nodes})

    def node(self, node_id_: str) -> SummaryNode | None:
        return self.by_id.get(node_id_)

    def key_nodes(self) -> list[SummaryNode]:
        return [n for n in self.nodes if n.key]


@dataclass(slots=True)
class _Tally:
    shipments: set[str] = field(default_factory=set)
    seized: int = 0
    value: float = 0.0
    first: str = ""
    last: str = ""

    def add(self, s: ShipmentRecord, seized: bool) -> None:
        if s.shipment_id in self.shipments:
            return
        self.shipments.add(s.shipment_id)
        self.seized += seized
        self.value += s.declared_value_usd
        date = s.arrival_date
        if date:
            self.first = min(self.first, date) if self.first else date
            self.last = max(self.last, date)


def is_seized(s: ShipmentRecord) -> bool:
    return s.inspection_outcome.strip().lower() == "seized"


def alias_ids(records: Iterable[NodeRecord]) -> dict[str, str]:
    """{variant node id: node id} from identifier nodes' ``aliases`` (the address and phone
    keys resolution filed under them: ``graphintel.resolve.identifier_aliases``)."""
    out: dict[str, str] = {}
    for r in records:
        if r.kind is NodeKind.ADDRESS or r.kind is NodeKind.PHONE:
            for alias in r.props.get("aliases", ()):
                out[node_id(r.kind, str(alias["key"]))] = r.id
    return out


def shipment_identifiers(
    s: ShipmentRecord, extractor: FeatureExtractor, aliases: Mapping[str, str] | None = None
) -> dict[Role, list[tuple[EdgeKind, str]]]:
    """The identifiers each party mention of ``s`` holds, as (edge kind, node id), computed
    from its raw fields by the resolver's normalizers; the payment account and buyer IP go
    with the consignee (the buyer). The same node ids the resolver gave the graph, given
    the ``aliases`` (``alias_ids``) of the nodes the caller reads."""
    out: dict[Role, list[tuple[EdgeKind, str]]] = {}
    alias = (aliases or {}).get
    for pm in shipment_mentions(s):
        f = extractor.features(pm)
        held = out[pm.mention.role] = []
        for kind, node_kind, key in (
            (EdgeKind.HAS_ADDRESS, NodeKind.ADDRESS, f.address),
            (EdgeKind.HAS_PHONE, NodeKind.PHONE, f.phone),
            (EdgeKind.HAS_EMAIL, NodeKind.EMAIL, f.email),
        ):
            if key:
                ident = node_id(node_kind, key)
                held.append((kind, alias(ident, ident)))
    payment = normalize_payment_account(s.payment_account)
    if payment:
        out[Role.CONSIGNEE].append((EdgeKind.PAID_WITH, node_id(NodeKind.PAYMENT_ACCOUNT, payment)))
    ip = normalize_ip(s.buyer_ip)
    if ip:
        out[Role.CONSIGNEE].append((EdgeKind.ORDERED_FROM, node_id(NodeKind.IP_ADDRESS, ip)))
    return out


def radius_for(shipments: int) -> float:
    return min(BASE_RADIUS + RADIUS_PER_ROOT_SHIPMENT * math.sqrt(shipments), MAX_RADIUS)


def fold(
    shipments: Iterable[ShipmentRecord],
    parties: Mapping[tuple[str, Role], str],
    labels: Mapping[str, tuple[NodeKind, str]],
    *,
    evidence: Collection[str] = (),
    title: str = "",
    key_count: int = KEY_NODES,
    extractor: FeatureExtractor | None = None,
    aliases: Mapping[str, str] | None = None,
) -> NetworkSummary:
    """Fold ``shipments`` into links among the nodes of ``labels`` (node id -> kind and
    label: the chart's parties and identifiers; others are left out). ``parties`` says
    which party each mention (shipment id, role) resolved to; ``evidence`` holds the node
    ids a reason cites (always key nodes); ``aliases`` (``alias_ids``) files a variant
    spelling's identifier under its node."""
    extractor = extractor or FeatureExtractor()
    node_tally: dict[str, _Tally] = defaultdict(_Tally)
    link_tally: dict[tuple[str, str, str], _Tally] = defaultdict(_Tally)
    day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    seized_ids: list[str] = []
    total = _Tally()
    for s in shipments:
        seized = is_seized(s)
        total.add(s, seized)
        if s.arrival_date:
            day[s.arrival_date][0] += 1
            day[s.arrival_date][1] += seized
        if seized:
            seized_ids.append(s.shipment_id)
        present = {
            role: party
            for role in Role
            if (party := parties.get((s.shipment_id, role))) is not None and party in labels
        }
        for party in present.values():
            node_tally[party].add(s, seized)
        for a, b, kind in PARTY_PAIRS:
            if a in present and b in present and present[a] != present[b]:
                link_tally[(present[a], present[b], kind)].add(s, seized)
        for role, held in shipment_identifiers(s, extractor, aliases).items():
            party = present.get(role)
            if party is None and role is Role.CONSIGNEE:  # the buyer's identifiers
                party = present.get(Role.SHIPPER)
            for kind, ident in held:
                if ident not in labels:
                    continue
                node_tally[ident].add(s, seized)
                if party is not None:
                    link_tally[(party, ident, kind.value)].add(s, seized)
    for node in labels:
        node_tally.setdefault(node, _Tally())
    return _assemble(
        node_tally, link_tally, labels, evidence, total, day, seized_ids, title, key_count
    )


def _assemble(
    node_tally: Mapping[str, _Tally],
    link_tally: Mapping[tuple[str, str, str], _Tally],
    labels: Mapping[str, tuple[NodeKind, str]],
    evidence: Collection[str],
    total: _Tally,
    day: Mapping[str, list[int]],
    seized_ids: list[str],
    title: str,
    key_count: int,
) -> NetworkSummary:
    neighbours: dict[str, set[str]] = defaultdict(set)
    weights: dict[tuple[str, str], float] = defaultdict(float)
    links: list[SummaryLink] = []
    for (source, target, kind), t in sorted(link_tally.items()):
        neighbours[source].add(target)
        neighbours[target].add(source)
        weights[(source, target) if source < target else (target, source)] += len(t.shipments)
        links.append(
            SummaryLink(source, target, kind, len(t.shipments), round(t.value, 2), t.first,
                        t.last, tuple(sorted(t.shipments)), t.seized)
        )  # fmt: skip
    ids = sorted(node_tally)
    ranked = sorted(ids, key=lambda n: (-len(neighbours[n]), -len(node_tally[n].shipments), n))
    key = set(ranked[:key_count]) | (set(evidence) & set(ids))
    radii = [radius_for(len(node_tally[n].shipments)) for n in ids]
    where = layout(ids, radii, weights)
    nodes = tuple(
        SummaryNode(
            n,
            labels[n][0],
            labels[n][1],
            len(t.shipments),
            t.seized,
            round(t.value, 2),
            t.first,
            t.last,
            len(neighbours[n]),
            n in key,
            r,
            *where[n],
        )  # fmt: skip
        for n, r in zip(ids, radii, strict=True)
        for t in (node_tally[n],)
    )
    timeline = tuple((d, c[0], c[1]) for d, c in sorted(day.items()))
    return NetworkSummary(
        title, nodes, tuple(links), len(total.shipments), round(total.value, 2), total.first,
        total.last, tuple(sorted(seized_ids)), timeline,
    )  # fmt: skip


def summarize_nodes(
    store: GraphStore,
    node_ids: Sequence[str],
    *,
    evidence: Collection[str] = (),
    title: str = "",
    key_count: int = KEY_NODES,
) -> NetworkSummary:
    """The summarised chart of these node ids (shipments among them are folded away)."""
    records = store.nodes(list(node_ids)) if node_ids else []
    ship_keys = [r.id.partition(":")[2] for r in records if r.kind is NodeKind.SHIPMENT]
    return summary_from_parts(
        records,
        store.edges_among([r.id for r in records]),
        store.shipments(ship_keys) if ship_keys else [],
        evidence=evidence,
        title=title,
        key_count=key_count,
    )


def summary_from_parts(
    records: Iterable[NodeRecord],
    edges: Iterable[EdgeRecord],
    shipments: Iterable[ShipmentRecord],
    *,
    evidence: Collection[str] = (),
    title: str = "",
    key_count: int = KEY_NODES,
) -> NetworkSummary:
    """``fold`` over what a caller already read: the nodes, the edges among them (the
    shipment-party edges say who played which role) and the shipments' rows."""
    records = list(records)
    labels = {r.id: (r.kind, r.label or r.id) for r in records if r.kind is not NodeKind.SHIPMENT}
    parties: dict[tuple[str, Role], str] = {}
    for e in edges:
        role = _ROLE_OF_EDGE.get(e.kind)
        if role is not None and e.target in labels:
            parties[(e.source.partition(":")[2], role)] = e.target
    return fold(shipments, parties, labels, evidence=evidence, title=title, key_count=key_count,
                aliases=alias_ids(records))  # fmt: skip


def summarize_network(
    store: GraphStore,
    network_id: str,
    run_id: str | None = None,
    *,
    key_count: int = KEY_NODES,
) -> NetworkSummary:
    """The summarised link chart of a network of an analysis run (the latest by default):
    its parties and identifiers, the links its shipments make among them, placed without
    overlap; the nodes its reasons cite are key nodes."""
    run = find_run(store, run_id)
    network = store.network(run.run_id, network_id)
    if network is None:
        raise NotFoundError(f"no network {network_id!r} in analysis run {run.run_id!r}")
    summary = summarize_nodes(
        store,
        network_members(network),
        evidence=cited_node_ids(network),
        title=f"Network {network_id}",
        key_count=key_count,
    )
    if not summary.nodes:
        raise NotFoundError(
            f"network {network_id!r} of run {run.run_id!r} has no nodes in the current graph"
        )
    return replace(summary, network_id=network_id, run_id=run.run_id)

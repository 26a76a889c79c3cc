"""Networks carved around evidence: grown from hits through strong links, split into rings.

Connected components over every shared identifier glue rings to each other and to the
legitimate traffic around them once the data is dense (a household's address, a resolver
merge of two shells with one name). Here a network is grown instead:

1. **From evidence**: every typology hit and seizure is a seed; growth runs only through
   *strong* links (a shared phone, e-mail, payment account or IP address, the resolved
   party itself, the parties of a seized parcel or split order) and through the addresses
   a hit names (a drop address, a rotated office). Ordinary delivery addresses do not
   carry growth: a tower or a household is not evidence. Hubs stop growth, and so does a
   party whose shipments are almost all unflagged (a large legitimate seller with one
   seized parcel).
2. **One ring per network**: a grown region holding more than ``split_min_parties`` parties
   is split into communities (Leiden on the strong links plus trade links, by each region's
   own modularity: ``leiden_each_labels``), so two rings that meet through one merged shell
   or one shared consignee come out as two networks.
3. **Linked networks**: communities of one region that share strong links are reported
   as linked (``link_pairs``), so rings that truly share infrastructure stay visible as such.
4. **Ordinary recipients left out**: a party most of whose parcels come from outside its
   network unflagged, tied in only as the consignee of a ring's parcels (a seized parcel,
   a first-seen shell's buyers) or as a housemate of a ring consignee, is a real consumer.
   Its own parcels would outnumber the ring's and rank a mostly legitimate network; it is
   left out (``trim_recipients``), scoring does not count its parcels through the
   identifiers it shares (``left_out``), and the network says so.

Regions without a seed are not networks (they have nothing to score), unless risk flows
into them from a seized or listed neighbour (``graphintel.analytics.risk_flow``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from graphintel.analytics.algorithms import leiden_each_labels
from graphintel.analytics.arrays import BoolArray, FloatArray, IntArray, concat_edges
from graphintel.analytics.components import Components, component_labels, split_components
from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.hubs import ADDRESS_CODE
from graphintel.analytics.projection import Projection
from graphintel.analytics.risk_flow import RiskFlow
from graphintel.analytics.typologies import Hit

logger = logging.getLogger(__name__)

Edges = tuple[IntArray, IntArray, FloatArray]


@dataclass(frozen=True, eq=False)
class Trimmed:
    """The ordinary recipients left out of one network, and how many of their parcels
    (those not touching the network's other parties) left with them."""

    parties: IntArray
    parcels: int


@dataclass(frozen=True, eq=False)
class Carving:
    """Network labels over the unified index space, the linked network pairs (label pairs
    sharing strong links, with how many links they share) and, per network label, the
    ordinary recipients left out of it."""

    components: Components
    link_pairs: dict[tuple[int, int], int]
    trimmed: dict[int, Trimmed] = field(default_factory=dict)


def _flagged(projection: Projection, hits: Mapping[str, Sequence[Hit]]) -> BoolArray:
    """Shipments some hit is about (a seizure, a drop's deliveries, a churned name's parcels)."""
    flagged = np.zeros(projection.n_shipments, dtype=bool)
    for typology_hits in hits.values():
        for hit in typology_hits:
            flagged[list(hit.shipments)] = True
    return flagged


_ROLES = ("ship_shipper", "ship_consignee", "ship_seller")


def _party_counts(projection: Projection, masks: Sequence[BoolArray]) -> FloatArray:
    """Per party: its shipments (as shipper, consignee or seller) within each role's mask."""
    counts = np.zeros(projection.n_parties, dtype=np.float64)
    for role, mask in zip(_ROLES, masks, strict=True):
        column: IntArray = getattr(projection, role)
        counts += np.bincount(column[(column >= 0) & mask], minlength=projection.n_parties)
    return counts


def _evidence_share(projection: Projection, flagged: BoolArray) -> FloatArray:
    """Per party: the share of its shipments that some hit is about."""
    every = np.ones(projection.n_shipments, dtype=bool)
    total = _party_counts(projection, (every,) * 3)
    return np.asarray(_party_counts(projection, (flagged,) * 3) / np.maximum(total, 1.0))


def strong_edges(
    projection: Projection,
    hits: Mapping[str, Sequence[Hit]],
    joins: Iterable[Sequence[int]],
    min_share: float = 0.0,
) -> Edges:
    """Links that carry growth: shared identifiers and a chain through each join group.

    Addresses carry growth only when a hit names them (drop address, identity churn,
    seizure): who lives or receives somewhere is not evidence of a ring by itself. A join
    group (a seized parcel's or split order's parties and identifiers) ties in a party
    only when at least ``min_share`` of the party's shipments are flagged by some hit: one
    seized parcel among a legitimate seller's hundreds does not make the seller part of
    the ring that received it. (Tying the parties of every flagged shipment as well was
    measured and dropped: on dev200k it pulled legitimate merchants' customers in, recall
    0.90 -> 0.67.)
    """
    p = projection
    named = np.zeros(p.n_identifiers, dtype=bool)
    for typology_hits in hits.values():
        for hit in typology_hits:
            for anchor in hit.anchors:
                if anchor >= p.n_parties:
                    named[anchor - p.n_parties] = True
    kind = p.ident_kind[p.link_ident]
    keep = p.active_links() & ((kind != ADDRESS_CODE) | named[p.link_ident])
    is_hub = p.node_is_hub()
    flagged = _flagged(p, hits)
    weak_party = p.party_is_hub | (_evidence_share(p, flagged) < min_share)
    weak = np.concatenate([weak_party, np.zeros(p.n_identifiers, dtype=bool)])
    src: list[int] = []
    dst: list[int] = []
    for group in joins:
        kept = [int(n) for n in group if not (is_hub[n] or weak[n])]
        src.extend(kept[:-1])
        dst.extend(kept[1:])
    return (
        np.concatenate([p.link_party[keep], np.asarray(src, dtype=np.int64)]),
        np.concatenate([p.link_ident[keep] + p.n_parties, np.asarray(dst, dtype=np.int64)]),
        np.concatenate([p.link_weight[keep], np.ones(len(src), dtype=np.float64)]),
    )


def _named(
    projection: Projection, hits: Mapping[str, Sequence[Hit]], config: AnalysisConfig
) -> BoolArray:
    """Parties a detector names by themselves (a churned shipper name, a listed party), not
    as the other end of a seized parcel, split order or first-seen shell's parcel."""
    named = np.zeros(projection.n_parties, dtype=bool)
    for name, typology_hits in hits.items():
        if name in config.join_typologies:
            continue
        for hit in typology_hits:
            anchors = np.asarray(hit.anchors, dtype=np.int64)
            named[anchors[anchors < projection.n_parties]] = True
    return named


def _seeded(
    projection: Projection, components: Components, hits: Mapping[str, Sequence[Hit]]
) -> BoolArray:
    """Which component labels hold at least one hit anchor."""
    seeded = np.zeros(components.count, dtype=bool)
    labels = components.labels
    for typology_hits in hits.values():
        for hit in typology_hits:
            anchors = np.asarray(hit.anchors, dtype=np.int64)
            found = labels[anchors]
            seeded[found[found >= 0]] = True
    return seeded


def carve_networks(
    projection: Projection,
    hits: Mapping[str, Sequence[Hit]],
    joins: Iterable[Sequence[int]],
    trade: Edges,
    config: AnalysisConfig,
    risk: RiskFlow | None = None,
) -> Carving:
    """Grow networks from the hits through strong links, split each region into communities
    and record which communities of a region stay linked. A region without a hit of its
    own is kept when risk flows into it (``risk``: trading partners of a seized network)."""
    strong = strong_edges(projection, hits, joins, config.join_min_share)
    keep = ~projection.node_is_hub()
    regions = component_labels(projection.n_nodes, strong[0], strong[1], keep=keep)
    seeded = _seeded(projection, regions, hits)
    if risk is not None and risk.total > 0 and config.risk_flow_weight > 0:
        seeded |= risk.inflow(regions.labels, regions.count) >= config.risk_flow_min_inflow
    seeded = np.r_[seeded, False]
    # Nodes of unseeded regions are left out: nothing grew there (-1 looks up the False).
    labels = np.where(seeded[regions.labels], regions.labels, -1)
    regions = _dense(labels)
    if regions.count == 0:
        return Carving(regions, {})
    with_trade = concat_edges(strong, trade)
    split = split_components(
        projection,
        regions,
        with_trade,
        leiden_each_labels,
        min_parties=config.carve_split_min_parties,
        resolution=config.carve_resolution,
        seed=config.seed,
    )
    split = absorb_fragments(
        split, regions.labels, with_trade, projection.n_parties, config.carve_min_parties
    )
    trimmed: dict[int, Trimmed] = {}
    if config.carve_trim_recipients:
        split, trimmed = trim_recipients(
            projection, split, _flagged(projection, hits), _named(projection, hits, config)
        )
    pairs = _link_pairs(split.labels, regions.labels, strong)
    logger.info(
        "carved %d seeded regions into %d networks, %d linked pairs, %d ordinary recipients"
        " left out",
        regions.count,
        split.count,
        len(pairs),
        sum(len(t.parties) for t in trimmed.values()),
    )
    return Carving(split, pairs, trimmed)


def _with_own_network(projection: Projection, party_labels: IntArray) -> list[BoolArray]:
    """Per role: the shipments whose party in that role is in a network that also holds
    the party of another role of the shipment (its shipper, consignee or seller)."""
    # Index -1 (no party in that role) reads the sentinel -2, never a network label.
    lab = np.r_[party_labels, -2]
    columns = [getattr(projection, role) for role in _ROLES]
    masks = []
    for k, column in enumerate(columns):
        own = lab[column]
        with_own = np.zeros(projection.n_shipments, dtype=bool)
        for j, other in enumerate(columns):
            if j != k:
                with_own |= (lab[other] == own) & (other != column)
        masks.append(with_own & (own >= 0))
    return masks


def trim_recipients(
    projection: Projection, carved: Components, flagged: BoolArray, protected: BoolArray
) -> tuple[Components, dict[int, Trimmed]]:
    """Leave out of each network the parties reached only as ordinary recipients, with the
    identifiers only they link to it (their home address, card, IP).

    Such a party only receives (it never ships or sells: a shell's sibling on its phone
    stays), has fewer than half of its parcels coming from the network's other parties or
    flagged by any hit, and either shares no identifier with
    another party of the network (a real consumer a ring's shell shipped to) or has no
    such parcel at all (a member of a ring consignee's household, on the family's router
    or card). Its parcels are other merchants' ordinary trade; the ring's parcels to it
    stay in the network (their shipper is still in it). Consignees that *are* the ring
    (names at a drop address, on a shared card or IP) have flagged parcels and shared
    identifiers and stay, as do ``protected`` parties (named by a detector themselves: a
    churned shipper name, a listed party); a network left without any other party (one
    consumer with one seized parcel) stays whole.
    """
    p = projection
    labels = carved.labels
    party_labels = labels[: p.n_parties]
    active = p.active_links()
    lp, li = p.link_party[active], p.link_ident[active]
    same = (party_labels[lp] >= 0) & (party_labels[lp] == labels[li + p.n_parties])
    lp, li = lp[same], li[same]
    members = np.bincount(li, minlength=p.n_identifiers)
    shares = np.zeros(p.n_parties, dtype=bool)
    shares[lp[members[li] >= 2]] = True
    every, none = np.ones(p.n_shipments, dtype=bool), np.zeros(p.n_shipments, dtype=bool)
    total = _party_counts(p, (every,) * 3)
    sends = _party_counts(p, (every, none, every)) > 0
    inside = _party_counts(p, _with_own_network(p, party_labels))
    marked = _party_counts(p, (flagged,) * 3)
    ordinary = (
        (party_labels >= 0)
        & ~sends
        & ~protected
        & (2 * np.maximum(inside, marked) < total)
        & (~shares | (inside + marked == 0))
    )
    core = (party_labels >= 0) & ~ordinary
    has_core = np.bincount(party_labels[core], minlength=carved.count) > 0
    ordinary &= has_core[np.maximum(party_labels, 0)]
    if not ordinary.any():
        return carved, {}
    core_links = np.bincount(li[core[lp]], minlength=p.n_identifiers)
    ordinary_links = np.bincount(li[ordinary[lp]], minlength=p.n_identifiers)
    private = (core_links == 0) & (ordinary_links > 0)
    out = labels.copy()
    out[: p.n_parties][ordinary] = -1
    out[p.n_parties :][private] = -1
    left = np.flatnonzero(ordinary)
    order = np.argsort(party_labels[left], kind="stable")
    left = left[order]
    bounds = np.searchsorted(party_labels[left], np.arange(carved.count + 1))
    outside = total - inside
    trimmed = {}
    for label in np.flatnonzero(np.diff(bounds) > 0).tolist():
        parties = left[bounds[label] : bounds[label + 1]]
        trimmed[int(label)] = Trimmed(parties, int(outside[parties].sum()))
    return Components(labels=out, count=carved.count), trimmed


def absorb_fragments(
    split: Components, regions: IntArray, edges: Edges, n_parties: int, min_parties: int
) -> Components:
    """Put each community of fewer than ``min_parties`` parties back into the community of
    its region it shares the most link weight with (one of at least ``min_parties``).

    Modularity cuts a ring's periphery off as well as the bridge between two rings: a
    first-seen shell with its two buyers, or a seized parcel's consignee, would rank as a
    network of its own and push whole rings down; a real second ring has its own core.
    """
    labels = split.labels
    if split.count == 0:
        return split
    party_labels = labels[:n_parties]
    sizes = np.bincount(party_labels[party_labels >= 0], minlength=split.count)
    small = sizes < min_parties
    src, dst, weight = edges
    a, b = labels[src], labels[dst]
    cross = (a >= 0) & (b >= 0) & (a != b) & (regions[src] == regions[dst])
    a, b, weight = a[cross], b[cross], weight[cross]
    # Both directions: a small community on either end may move to the other end.
    frm, to, w = np.r_[a, b], np.r_[b, a], np.r_[weight, weight]
    useful = small[frm] & ~small[to]
    if not useful.any():
        return split
    frm, to, w = frm[useful], to[useful], w[useful]
    keys, inverse = np.unique(frm * split.count + to, return_inverse=True)
    totals = np.bincount(inverse, w)
    order = np.lexsort((-totals, keys // split.count))
    first = np.r_[True, (keys // split.count)[order][1:] != (keys // split.count)[order][:-1]]
    best = keys[order][first]
    target = np.arange(split.count)
    target[best // split.count] = best % split.count
    moved = np.where(labels >= 0, target[np.maximum(labels, 0)], -1)
    return _dense(moved)


def _dense(labels: IntArray) -> Components:
    out = np.full(len(labels), -1, dtype=np.int64)
    kept = labels >= 0
    uniques, inverse = np.unique(labels[kept], return_inverse=True)
    out[kept] = inverse
    return Components(labels=out, count=len(uniques))


def _link_pairs(labels: IntArray, regions: IntArray, strong: Edges) -> dict[tuple[int, int], int]:
    """Pairs of networks of one region joined by strong links, with the links' count."""
    src, dst = strong[0], strong[1]
    a, b = labels[src], labels[dst]
    cross = (a >= 0) & (b >= 0) & (a != b) & (regions[src] == regions[dst])
    low, high = np.minimum(a[cross], b[cross]), np.maximum(a[cross], b[cross])
    n = max(int(labels.max()) + 1, 1) if len(labels) else 1
    keys, counts = np.unique(low * n + high, return_counts=True)
    return {(int(k // n), int(k % n)): int(c) for k, c in zip(keys, counts, strict=True)}

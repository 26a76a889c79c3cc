"""One score per network, with the reasons and evidence ids an investigator can check.

A network's score adds up its seizures and typology hits (each typology weighted, repeated
hits with diminishing returns), then rewards independent signals (several typologies,
several kinds of shared identifier) and damps sprawling components, so that a ring showing
a seizure, a drop address and a shared card outranks a large legitimate customer base
that trips one threshold many times.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from graphintel.analytics import naming
from graphintel.analytics.arrays import IntArray, distinct
from graphintel.analytics.carving import Trimmed
from graphintel.analytics.components import Components
from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import IDENTIFIER_KIND_ORDER, OUTCOME_SEIZED, Projection
from graphintel.analytics.risk_flow import RiskFlow
from graphintel.analytics.typologies import Finding, Hit, get_typology
from graphintel.analytics.typologies.base import group_by, strength
from graphintel.model import NodeKind
from graphintel.records import Network

STRUCTURE = "structure"
RISK_FLOW = "risk_flow"
BONUS_REASON = "bonus for independent signals (less for a sprawling network)"
OTHER_REASONS = "other reasons (not listed)"
_TRIMMED_EVIDENCE = 50  # left-out recipients listed as a reason's evidence
_KIND_WORDS = {
    NodeKind.ADDRESS: "address",
    NodeKind.PHONE: "phone",
    NodeKind.EMAIL: "e-mail",
    NodeKind.PAYMENT_ACCOUNT: "payment account",
    NodeKind.IP_ADDRESS: "IP address",
}


@dataclass(frozen=True, eq=False)
class ScoredNetwork:
    """A component with a positive score, before it gets its rank and id."""

    component: int
    score: float
    findings: tuple[Finding, ...]  # strongest first
    typologies: tuple[str, ...]
    nodes: IntArray  # unified node indices (parties and identifiers)
    shipments: IntArray  # shipment indices
    first_date: str
    last_date: str
    seized_count: int
    n_parties: int
    countries: tuple[str, ...] = ()  # origin countries, most shipments first
    # The score as points per reason (reason text -> points), adding up to ``score``: each
    # typology reason what it added (the k-th of a typology counts 1/k), the bonuses and
    # damping on the structure reason (or BONUS_REASON), reasons left out as OTHER_REASONS.
    points: tuple[tuple[str, float], ...] = ()


def _diminishing(points: Sequence[float]) -> float:
    """Sum with harmonic damping: the k-th strongest hit counts 1/k."""
    return sum(p / (k + 1) for k, p in enumerate(sorted(points, reverse=True)))


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat() if ordinal > 0 else ""


def _countries(projection: Projection, ships: IntArray) -> tuple[str, ...]:
    """Origin countries of these shipments, most shipments first (ties by name)."""
    counts = Counter(projection.ship_country[int(s)] for s in ships)
    counts.pop("", None)
    return tuple(c for c, _ in sorted(counts.items(), key=lambda cn: (-cn[1], cn[0])))


def left_out(trimmed: Mapping[int, Trimmed] | None, n_parties: int) -> IntArray:
    """Per party: the network (component) it was left out of as an ordinary recipient, -1."""
    out = np.full(n_parties, -1, dtype=np.int64)
    for comp, t in (trimmed or {}).items():
        out[t.parties] = comp
    return out


def _network_shipments(
    projection: Projection, labels: IntArray, wanted: IntArray, left: IntArray
) -> list[IntArray]:
    """Shipments of each wanted component: shipped, consigned or sold by its parties, or
    delivered to, paid with or ordered from its identifiers, except, through identifiers,
    the parcels of a party left out of it (``left``: a housemate's parcels on the family
    card are the housemate's, not the ring's)."""
    p = projection
    roles = (p.ship_shipper, p.ship_consignee, p.ship_seller)
    columns = [
        (p.ship_shipper, 0),
        (p.ship_consignee, 0),
        (p.ship_seller, 0),
        (p.ship_address, p.n_parties),
        (p.ship_payment, p.n_parties),
        (p.ship_ip, p.n_parties),
    ]
    left_of = np.r_[left, -2]  # index -1 (no party in the role) reads the sentinel
    slot = np.full(labels.max() + 1 if len(labels) else 0, -1, dtype=np.int64)
    slot[wanted] = np.arange(len(wanted))
    shipment_parts, slot_parts = [], []
    for column, offset in columns:
        present = np.flatnonzero(column >= 0)
        comp = labels[column[present] + offset]
        if offset:
            for role in roles:
                comp[left_of[role[present]] == comp] = -1
        present, comp = present[comp >= 0], comp[comp >= 0]
        target = slot[comp]
        shipment_parts.append(present[target >= 0])
        slot_parts.append(target[target >= 0])
    ships = np.concatenate(shipment_parts)
    slots = np.concatenate(slot_parts)
    keys = distinct(slots * max(p.n_shipments, 1) + ships)
    slots, ships = keys // max(p.n_shipments, 1), keys % max(p.n_shipments, 1)
    bounds = np.searchsorted(slots, np.arange(len(wanted) + 1))
    return [ships[bounds[i] : bounds[i + 1]] for i in range(len(wanted))]


def _shared_kinds(projection: Projection, labels: IntArray) -> dict[int, list[tuple[int, int]]]:
    """Per component, its identifiers linking two or more non-hub parties, with kind codes."""
    active = projection.active_links()
    parties_per_ident = np.bincount(
        projection.link_ident[active], minlength=projection.n_identifiers
    )
    shared = np.flatnonzero(parties_per_ident >= 2)
    comps = labels[shared + projection.n_parties]
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for ident, comp in zip(shared.tolist(), comps.tolist(), strict=True):
        if comp >= 0:
            out[comp].append((ident, int(projection.ident_kind[ident])))
    return out


def _structure_finding(
    projection: Projection, shared: list[tuple[int, int]], config: AnalysisConfig
) -> tuple[Finding | None, int]:
    kinds = sorted({code for _, code in shared})
    if len(kinds) < 2:
        return None, len(kinds)
    words = ", ".join(_KIND_WORDS[IDENTIFIER_KIND_ORDER[code]] for code in kinds)
    evidence = tuple(projection.ident_ids[i] for i, _ in shared[: config.max_evidence])
    reason = f"parties linked through {len(kinds)} kinds of shared identifier: {words}"
    return Finding(STRUCTURE, reason, evidence, 0.0), len(kinds)


def _risk_flow_finding(
    projection: Projection, nodes: IntArray, risk: RiskFlow, flow: float, config: AnalysisConfig
) -> Finding:
    """The risk-flow reason: how much known risk reaches the network, through which nodes."""
    top = nodes[np.argsort(-risk.mass[nodes], kind="stable")[:5]]
    points = config.risk_flow_weight * strength(flow, config.risk_flow_min_inflow)
    reason = (
        f"risk flows in from seized or listed parties nearby: {flow:.2f} seizure-equivalents"
        " (personalized PageRank)"
    )
    return Finding(RISK_FLOW, reason, tuple(projection.node_id(int(n)) for n in top), points)


def score_networks(
    projection: Projection,
    components: Components,
    hits: Mapping[str, Sequence[Hit]],
    config: AnalysisConfig,
    risk: RiskFlow | None = None,
    trimmed: Mapping[int, Trimmed] | None = None,
) -> list[ScoredNetwork]:
    """Score every component that holds a hit (or receives risk flow); return those
    scoring above 0, best first. ``trimmed``: the ordinary recipients carving left out of
    each component (their parcels are not the network's)."""
    labels = components.labels
    has_party = np.zeros(components.count, dtype=bool)
    party_labels = labels[: projection.n_parties]
    has_party[party_labels[party_labels >= 0]] = True

    by_component: dict[int, dict[str, list[Hit]]] = defaultdict(lambda: defaultdict(list))
    for name, typology_hits in hits.items():
        for hit in typology_hits:
            comps = {int(labels[a]) for a in hit.anchors}
            for comp in comps:
                if comp >= 0 and has_party[comp]:
                    by_component[comp][name].append(hit)
    inflow = None
    if risk is not None and risk.total > 0:
        inflow = risk.inflow(labels, components.count)
        for reached in np.flatnonzero((inflow >= config.risk_flow_min_inflow) & has_party):
            by_component[int(reached)]  # noqa: B018  (a network may score on risk flow alone)
    if not by_component:
        return []

    shared = _shared_kinds(projection, labels)
    node_order, node_bounds = group_by(labels, components.count)
    drafts: list[tuple[int, float, list[Finding], list[str], tuple[tuple[str, float], ...]]] = []
    for comp, comp_hits in by_component.items():
        findings: list[Finding] = []
        trusted: list[Finding] = []
        base = 0.0
        typologies = []
        added: dict[int, float] = {}  # id(finding) -> the points it added to ``base``
        nodes = node_order[node_bounds[comp] : node_bounds[comp + 1]]
        for name, typology_hits in comp_hits.items():
            own = get_typology(name).summarize(typology_hits, projection, config)
            weight = config.weight(name)
            if weight <= 0:
                continue
            # Negative points (a trusted-list hit) damp the network instead of adding.
            trusted += [
                Finding(f.typology, f.reason, f.evidence, weight * f.points)
                for f in own
                if f.points < 0
            ]
            own = [f for f in own if f.points > 0]
            if not own:
                continue
            typologies.append(name)
            base += weight * _diminishing([f.points for f in own])
            for k, f in enumerate(sorted(own, key=lambda f: -f.points)):
                findings.append(Finding(f.typology, f.reason, f.evidence, weight * f.points))
                added[id(findings[-1])] = weight * f.points / (k + 1)
        flow = float(inflow[comp]) if inflow is not None else 0.0
        if risk is not None and flow >= config.risk_flow_min_inflow:
            flow_finding = _risk_flow_finding(projection, nodes, risk, flow, config)
            base += flow_finding.points
            findings.append(flow_finding)
            added[id(flow_finding)] = flow_finding.points
        if base <= 0:
            continue
        structure, n_kinds = _structure_finding(projection, shared.get(comp, []), config)
        n_parties = int((nodes < projection.n_parties).sum())
        score = base
        score *= 1.0 + config.diversity_bonus * (len(typologies) - 1)
        score *= 1.0 + config.structure_bonus * max(0, n_kinds - 1)
        if n_parties > config.large_network_parties:
            score /= 1.0 + math.log2(n_parties / config.large_network_parties)
        undamped = score
        if trusted:
            damped = score * config.trusted_factor
            trusted = [Finding(f.typology, f.reason, f.evidence, damped - score) for f in trusted]
            score = damped
        # The structure reason amplifies the others, so it comes last but is always kept,
        # as are trusted-list reasons (they explain a lowered score).
        findings.sort(key=lambda f: -f.points)
        findings = findings[: max(1, config.max_reasons - len(trusted) - 1)] + trusted
        if structure is not None:
            findings = findings[: config.max_reasons - 1]
            findings.append(
                Finding(structure.typology, structure.reason, structure.evidence, score - base)
            )
        shown = findings[: config.max_reasons]
        points = [(f.reason, added[id(f)]) for f in shown if id(f) in added]
        points += [(f.reason, (score - undamped) / len(trusted)) for f in trusted if f in shown]
        bonus = structure.reason if structure is not None else BONUS_REASON
        points.append((bonus, undamped - base))
        points.append((OTHER_REASONS, score - sum(p for _, p in points)))
        drafts.append((comp, score, findings, typologies, tuple(points)))

    wanted = np.array(sorted(d[0] for d in drafts), dtype=np.int64)
    left = left_out(trimmed, projection.n_parties)
    shipment_lists = dict(
        zip(wanted.tolist(), _network_shipments(projection, labels, wanted, left), strict=True)
    )
    scored = []
    for comp, score, findings, typologies, breakdown in drafts:
        ships = shipment_lists[comp]
        dates = projection.ship_date[ships]
        dates = dates[dates >= 0]
        nodes = node_order[node_bounds[comp] : node_bounds[comp + 1]]
        scored.append(
            ScoredNetwork(
                component=comp,
                score=round(score, 6),
                findings=tuple(findings[: config.max_reasons]),
                typologies=tuple(sorted(typologies)),
                nodes=np.sort(nodes),
                shipments=ships,
                first_date=_iso(int(dates.min())) if len(dates) else "",
                last_date=_iso(int(dates.max())) if len(dates) else "",
                seized_count=int((projection.ship_outcome[ships] == OUTCOME_SEIZED).sum()),
                n_parties=int((nodes < projection.n_parties).sum()),
                countries=_countries(projection, ships),
                points=tuple((r, round(p, 6)) for r, p in breakdown if abs(p) > 1e-9),
            )
        )
    scored.sort(key=lambda n: (-n.score, -n.seized_count, -len(n.shipments), int(n.nodes[0])))
    return scored


def _name(net: ScoredNetwork, projection: Projection, cited: set[str], fallback: str) -> str:
    """The network's human name: its key party (on the most of its shipments, as shipper,
    consignee or seller) and its headline typology (see naming.py)."""
    p = projection
    roles = np.concatenate([p.ship_shipper[net.shipments], p.ship_consignee[net.shipments],
                            p.ship_seller[net.shipments]])  # fmt: skip
    by_index = Counter(roles[roles >= 0].tolist())
    index = {p.party_ids[i]: i for i in by_index}
    key = naming.key_party({pid: by_index[i] for pid, i in index.items()}, cited)
    label = p.label(index[key]) if key is not None else ""
    strongest = list(dict.fromkeys(f.typology for f in net.findings))
    return naming.network_name(label, strongest, fallback)


def _hub_notes(
    projection: Projection, scored: Sequence[ScoredNetwork], per_network: int = 3
) -> dict[int, list[tuple[str, str]]]:
    """Per network (by component): the hub decisions that shaped it, as (reason, node id):
    identifiers kept over the hub limit inside it, and the largest hubs its parties use."""
    p = projection
    owner = np.full(p.n_nodes, -1, dtype=np.int64)
    for net in scored:
        owner[net.nodes] = net.component
    notes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for node, reason in p.hub_reasons.items():
        if node >= p.n_parties and owner[node] >= 0 and not p.ident_is_hub[node - p.n_parties]:
            notes[int(owner[node])].append((f"{p.label(node)}: {reason}", p.node_id(node)))
    at_hub = p.ident_is_hub[p.link_ident] & (owner[p.link_party] >= 0)
    pairs = distinct(owner[p.link_party[at_hub]] * max(p.n_identifiers, 1) + p.link_ident[at_hub])
    comps, idents = pairs // max(p.n_identifiers, 1), pairs % max(p.n_identifiers, 1)
    order = np.lexsort((-p.ident_parties[idents], comps))
    used: Counter[int] = Counter()
    for comp, ident in zip(comps[order].tolist(), idents[order].tolist(), strict=True):
        if used[comp] < per_network:
            used[comp] += 1
            node = p.n_parties + ident
            reason = p.hub_reasons.get(node, "hub")
            notes[comp].append((f"stopped at hub {p.label(node)}: {reason}", p.node_id(node)))
    return notes


def _trimmed_reason(trimmed: Trimmed, projection: Projection) -> tuple[str, list[str]]:
    n = len(trimmed.parties)
    reason = (
        f"left out {n} consignee{'s' if n != 1 else ''} reached only as ordinary"
        f" recipient{'s' if n != 1 else ''} (customers of its shippers, housemates of its"
        " consignees: most of their parcels come from outside the network, unflagged):"
        f" their {trimmed.parcels} other parcels are not counted"
    )
    return reason, [projection.party_ids[int(q)] for q in trimmed.parties[:_TRIMMED_EVIDENCE]]


def to_networks(
    scored: Sequence[ScoredNetwork],
    projection: Projection,
    run_id: str,
    links: Mapping[tuple[int, int], int] | None = None,
    trimmed: Mapping[int, Trimmed] | None = None,
) -> list[Network]:
    """Ranked ``Network`` records (rank 1 = highest score, ids ``net-0001``...), with the
    networks each is linked to (``links``: component pairs sharing strong links), the
    ordinary recipients left out of it (``trimmed``, by component) and the hub decisions
    that shaped it as reasons."""
    width = max(4, len(str(len(scored))))
    ids = {net.component: f"net-{rank:0{width}d}" for rank, net in enumerate(scored, start=1)}
    linked: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for (a, b), count in (links or {}).items():
        if a in ids and b in ids:
            linked[a].append((count, ids[b]))
            linked[b].append((count, ids[a]))
    notes = _hub_notes(projection, scored)
    out = []
    for rank, net in enumerate(scored, start=1):
        points: dict[str, float] = {}
        for reason, value in net.points:
            points[reason] = round(points.get(reason, 0.0) + value, 6)
        evidence: dict[str, list[str]] = {}
        for finding in net.findings:
            ids_ = evidence.setdefault(finding.reason, [])
            for evidence_id in finding.evidence:
                if evidence_id not in ids_:
                    ids_.append(evidence_id)
        cited = {e for ids_ in evidence.values() for e in ids_}  # the findings' evidence
        if linked.get(net.component):
            shared = sorted(linked[net.component], key=lambda cn: (-cn[0], cn[1]))
            listed = ", ".join(f"{other} ({count} shared links)" for count, other in shared[:5])
            evidence.setdefault(f"linked networks (shared infrastructure): {listed}", [])
        if trimmed and net.component in trimmed:
            reason, parties = _trimmed_reason(trimmed[net.component], projection)
            evidence.setdefault(reason, parties)
        for reason, node in notes.get(net.component, ()):
            evidence.setdefault(reason, []).append(node)
        network_id = ids[net.component]
        out.append(
            Network(
                network_id=network_id,
                run_id=run_id,
                rank=rank,
                score=net.score,
                reasons=tuple(evidence),
                evidence=evidence,
                shipment_ids=tuple(projection.shipment_ids[s] for s in net.shipments),
                entity_ids=tuple(projection.node_id(int(n)) for n in net.nodes),
                first_date=net.first_date,
                last_date=net.last_date,
                seized_count=net.seized_count,
                typologies=net.typologies,
                n_shipments=len(net.shipments),
                n_entities=len(net.nodes),
                countries=net.countries,
                name=_name(net, projection, cited, network_id),
                points=points,
            )
        )
    return out

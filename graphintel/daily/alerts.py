"""Alerts: what an analyst should look at after a day's load, each with its reasons.

An analysis run raises an alert when shipments new since the previous run (members of this
run's networks that no network of the previous run held)

- link to a party or identifier of a saved case (``kind="case"``, one per case; an
  identifier of a party links the party's shipments),
- link to a party or identifier matched by a ``bad`` watchlist entry (``"watchlist"``, one
  per listed node), or
- sit in a network scoring at least the threshold (``"network"``, one per network).

Quiet networks above the threshold raise nothing again, so a daily run alerts on what the
day changed rather than repeating yesterday's list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from graphintel.daily.records import Alert
from graphintel.model import NodeKind, kind_of
from graphintel.records import CaseRecord, Network

DEFAULT_SCORE_THRESHOLD = 5.0  # score points (a seizure and a couple of typologies)
SHOWN = 5  # ids quoted in a reason; the alert keeps every shipment id
MAX_SHIPMENTS = 1000  # shipment ids an alert keeps as evidence


def case_entities(case: CaseRecord) -> set[str]:
    """The parties and identifiers drawn in a saved case (shipments are the case's past)."""
    out: set[str] = set()
    for el in case.payload.get("elements") or ():
        data = el.get("data") if isinstance(el, Mapping) else None
        if not isinstance(data, Mapping) or "source" in data:
            continue
        node = str(data.get("id", ""))
        try:
            kind = kind_of(node)
        except ValueError:
            continue  # a drawn element that is not a store node (a group, a note)
        if kind is not NodeKind.SHIPMENT:
            out.add(node)
    return out


def _shown(ids: Iterable[str]) -> str:
    items = sorted(ids)
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return ", ".join(items[:SHOWN]) + more


def _loads(shipments: Iterable[str], load_of: Mapping[str, str]) -> str:
    loads = sorted({load_of[s] for s in shipments if s in load_of})
    return f" (load {_shown(loads)})" if loads else ""


def new_shipments(networks: Sequence[Network], before: Iterable[str]) -> set[str]:
    """Shipment node ids of ``networks`` that are not in ``before`` (earlier members)."""
    seen = set(before)
    return {
        s if s.startswith("shipment:") else f"shipment:{s}"
        for n in networks
        for s in n.shipment_ids
    } - seen


def raise_alerts(
    run_id: str,
    networks: Sequence[Network],
    fresh: set[str],
    links: Mapping[str, set[str]],
    cases: Sequence[CaseRecord],
    bad: Mapping[str, str],
    score_threshold: float = DEFAULT_SCORE_THRESHOLD,
    load_of: Mapping[str, str] | None = None,
) -> list[Alert]:
    """The run's alerts. ``fresh``: new shipment node ids; ``links``: new shipment -> the
    parties and identifiers it links to (at least those of the cases and of ``bad``);
    ``bad``: listed node id -> what listed it; ``load_of``: shipment node id -> load id."""
    load_of = load_of or {}
    network_of: dict[str, str] = {}
    for n in networks:
        for s in n.shipment_ids:
            network_of[s if s.startswith("shipment:") else f"shipment:{s}"] = n.network_id
    touching: dict[str, set[str]] = defaultdict(set)  # entity -> new shipments linked to it
    for shipment, entities in links.items():
        if shipment in fresh:
            for entity in entities:
                touching[entity].add(shipment)
    drafts: list[tuple[str, str, tuple[str, ...], set[str]]] = []
    for case in sorted(cases, key=lambda c: c.case_id):
        hit = {e for e in case_entities(case) if e in touching}
        ships = set().union(*(touching[e] for e in hit)) if hit else set()
        if ships:
            reason = (f"{len(ships)} new shipment(s){_loads(ships, load_of)} touch case"
                      f" {case.name!r} ({case.case_id}) through {_shown(hit)}")  # fmt: skip
            drafts.append(("case", case.case_id, (reason,), ships))
    for node in sorted(bad):
        ships = touching.get(node, set())
        if ships:
            reason = (f"{len(ships)} new shipment(s){_loads(ships, load_of)} link to {node},"
                      f" listed: {bad[node]}")  # fmt: skip
            drafts.append(("watchlist", node, (reason,), ships))
    for n in networks:
        ships = new_shipments([n], ()) & fresh
        if ships and n.score >= score_threshold:
            reason = (f"{n.network_id} scores {n.score:.2f} (threshold {score_threshold:.2f})"
                      f" with {len(ships)} new shipment(s){_loads(ships, load_of)}")  # fmt: skip
            drafts.append(("network", n.network_id, (reason, *n.reasons), ships))
    return [
        Alert(
            alert_id=f"{run_id}.{i}",
            run_id=run_id,
            kind=kind,
            subject=subject,
            reasons=reasons,
            shipment_ids=tuple(sorted(ships)[:MAX_SHIPMENTS]),
            network_ids=tuple(sorted({network_of[s] for s in ships if s in network_of})),
        )
        for i, (kind, subject, reasons, ships) in enumerate(drafts, start=1)
    ]

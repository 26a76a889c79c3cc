"""What an analysis run does at its end for daily operation: stable ids before the run is
finished; its lineage and alerts (stored, then posted to the webhook if one is set) after,
so a run killed before it finished leaves nothing of its own behind."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from graphintel.daily.alerts import (
    DEFAULT_SCORE_THRESHOLD,
    case_entities,
    new_shipments,
    raise_alerts,
)
from graphintel.daily.follow import Followed, follow_networks, lineage_counts
from graphintel.daily.records import Alert
from graphintel.daily.webhook import post_alerts
from graphintel.model import NodeKind, kind_of
from graphintel.records import Network
from graphintel.store.base import GraphStore

logger = logging.getLogger(__name__)

LINK_LIMIT = 10_000  # edges read per watched party or identifier when raising alerts


class ListedHit(Protocol):
    """What alerts need of a watchlist hit (``graphintel.analytics.watchlist``)."""

    @property
    def list_name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def row_number(self) -> int: ...
    @property
    def field(self) -> str: ...
    @property
    def listed(self) -> str: ...
    @property
    def node_id(self) -> str: ...


@dataclass(frozen=True)
class AlertOptions:
    """When a network alerts, and where alerts are posted ("" for nowhere)."""

    score_threshold: float = DEFAULT_SCORE_THRESHOLD
    webhook: str = ""


def bad_nodes(hits: Iterable[ListedHit]) -> dict[str, str]:
    """Listed node id -> why, for the hits of ``bad`` watchlists."""
    out: dict[str, list[str]] = {}
    for h in hits:
        if h.kind == "bad":
            why = f"list {h.list_name!r} row {h.row_number} ({h.field} {h.listed!r})"
            out.setdefault(h.node_id, []).append(why)
    return {node: "; ".join(whys) for node, whys in out.items()}


def follow_run(
    store: GraphStore, run_id: str, networks: Sequence[Network]
) -> tuple[Followed, dict[str, int]]:
    """Stable ids and lineage for the run's networks, and the counts to record with it."""
    followed = follow_networks(store, networks, run_id)
    return followed, lineage_counts(followed.identity)


def _links(store: GraphStore, watched: Iterable[str], fresh: set[str]) -> dict[str, set[str]]:
    """New shipment -> the watched parties and identifiers it links to: directly (its
    parties, its delivery address, payment account, IP) or through one of its parties (a
    party's phone, e-mail, address)."""
    links: dict[str, set[str]] = {}
    for node in sorted(set(watched)):
        edges, _ = store.neighbours(node, limit=LINK_LIMIT)
        ends = [e.target if e.source == node else e.source for e in edges]
        reach = [n for n in ends if n in fresh]
        if kind_of(node) is not NodeKind.PARTY:
            for party in (n for n in ends if kind_of(n) is NodeKind.PARTY):
                party_edges, _ = store.neighbours(party, limit=LINK_LIMIT)
                reach += [e.source for e in party_edges if e.source in fresh]
        for shipment in reach:
            links.setdefault(shipment, set()).add(node)
    return links


def _load_of(store: GraphStore, shipments: Iterable[str]) -> dict[str, str]:
    ids = sorted({s.removeprefix("shipment:") for s in shipments})
    return {f"shipment:{s.shipment_id}": s.provenance.load_id for s in store.shipments(ids)}


def alert_run(
    store: GraphStore,
    run_id: str,
    followed: Followed,
    bad: Mapping[str, str],
    options: AlertOptions,
) -> list[Alert]:
    """Save the finished run's lineage, then raise, store and post its alerts (a failed
    post is logged; the alerts stay)."""
    store.save_lineage(run_id, followed.identity.lineage)
    cases = [c for c in (store.case(x.case_id) for x in store.cases()) if c is not None]
    watched = {n for c in cases for n in case_entities(c)} | set(bad)
    watched = {n for n in watched if kind_of(n) is not NodeKind.SHIPMENT}
    links = _links(store, watched, followed.fresh)
    hot = (
        new_shipments([n for n in followed.networks if n.score >= options.score_threshold], ())
        & followed.fresh
    )
    draft = raise_alerts(
        run_id,
        followed.networks,
        followed.fresh,
        links,
        cases,
        bad,
        options.score_threshold,
        _load_of(store, set(links) | hot),
    )
    alerts = store.add_alerts(draft) if draft else []
    if alerts and options.webhook:
        problem = post_alerts(options.webhook, alerts)
        if problem:
            logger.error("could not post %d alerts of run %s: %s", len(alerts), run_id, problem)
    return alerts

"""Saved cases follow their network: what is new since a case was saved, and a refresh that
brings the new members into the case.

A case saved from a network remembers the network's id (``payload["source"]``). Ids are
stable across runs (``graphintel.daily.identity``), so the latest run's network of that id
is the case's network today. When there is none (the case was drawn from a search, or its
network is gone) the case follows the latest network holding most of its parties and
identifiers. What is new is that network's members the case does not show yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphintel.errors import NotFoundError
from graphintel.model import NodeKind, kind_of
from graphintel.records import CaseRecord, Network
from graphintel.store.base import RunStore

REFRESH_LIMIT = 200  # new nodes a refresh draws (parties and identifiers first)
Element = dict[str, Any]


@dataclass(frozen=True)
class CaseFollow:
    """Where a case stands against the latest analysis run."""

    case_id: str
    run_id: str  # the latest analysis run
    network_id: str  # the network the case follows in it ("" when none holds its nodes)
    saved_run: str  # the run the case was drawn from ("" when unknown)
    shipments: tuple[str, ...]  # node ids new since the case was saved, by kind
    parties: tuple[str, ...]
    identifiers: tuple[str, ...]

    @property
    def new(self) -> tuple[str, ...]:
        """Every new node id, parties and identifiers first."""
        return (*self.parties, *self.identifiers, *self.shipments)


def case_nodes(payload: Mapping[str, Any]) -> set[str]:
    """The store node ids drawn in a case payload (edges and foreign elements left out)."""
    out: set[str] = set()
    for el in payload.get("elements") or ():
        data = el.get("data") if isinstance(el, Mapping) else None
        if not isinstance(data, Mapping) or "source" in data:
            continue
        node = str(data.get("id", ""))
        try:
            kind_of(node)
        except ValueError:
            continue
        out.add(node)
    return out


def _members(network: Network) -> set[str]:
    shipments = (s if s.startswith("shipment:") else f"shipment:{s}" for s in network.shipment_ids)
    return {*network.entity_ids, *shipments}


def _holding_most(store: RunStore, run_id: str, drawn: set[str]) -> Network | None:
    entities = {n for n in drawn if kind_of(n) is not NodeKind.SHIPMENT}
    best: tuple[int, int, Network] | None = None
    for network in store.networks(run_id):
        shared = len(entities & set(network.entity_ids))
        if shared and (best is None or (shared, -network.rank) > best[:2]):
            best = (shared, -network.rank, network)
    return best[2] if best else None


def follow_case(store: RunStore, case: CaseRecord) -> CaseFollow:
    """What is new for ``case`` in the latest analysis run (NotFoundError without one)."""
    latest = store.latest_run("analyze")
    if latest is None:
        raise NotFoundError("no analysis run in the store yet: run `graphintel analyze` first")
    source = case.payload.get("source") or {}
    drawn = case_nodes(case.payload)
    wanted = str(source.get("network_id") or "")
    network = store.network(latest.run_id, wanted) if wanted else None
    if network is None:
        network = _holding_most(store, latest.run_id, drawn)
    fresh = sorted(_members(network) - drawn) if network else []
    kinds = {n: kind_of(n) for n in fresh}
    return CaseFollow(
        case_id=case.case_id,
        run_id=latest.run_id,
        network_id=network.network_id if network else "",
        saved_run=str(source.get("run_id") or ""),
        shipments=tuple(n for n in fresh if kinds[n] is NodeKind.SHIPMENT),
        parties=tuple(n for n in fresh if kinds[n] is NodeKind.PARTY),
        identifiers=tuple(n for n in fresh if kinds[n] not in (NodeKind.SHIPMENT, NodeKind.PARTY)),
    )


def refreshed_payload(
    payload: Mapping[str, Any],
    follow: CaseFollow,
    draw: Callable[[Sequence[str], Sequence[Element]], list[Element]],
    now: str,
) -> dict[str, Any]:
    """``payload`` with the first ``REFRESH_LIMIT`` new nodes drawn in (``draw`` gets the new
    ids and the elements drawn so far and returns the whole new element list), its source
    moved to the latest run and network, and what the refresh added kept under
    ``followed`` so the app can highlight it."""
    elements: list[Element] = list(payload.get("elements") or [])
    shown = list(follow.new[:REFRESH_LIMIT])
    if shown:
        elements = draw(shown, elements)
    source = {**(payload.get("source") or {}), "run_id": follow.run_id}
    if follow.network_id:
        source["network_id"] = follow.network_id
    return {
        **payload,
        "elements": elements,
        "source": source,
        "followed": {
            "run_id": follow.run_id,
            "network_id": follow.network_id,
            "refreshed_at": now,
            "new": shown,
            "not_drawn": len(follow.new) - len(shown),
        },
    }

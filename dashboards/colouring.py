"""Colour by network: each drawn node takes the colour of the ranked network of the analysis
run it belongs to (read from the run, not recomputed here), so an expansion shows at a glance
which neighbours belong to another ranked network and which to none. The legend is built
from the same tags, so it always names exactly the colours on the chart."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dashboards.data import ANALYSIS_KIND
from dashboards.styles import COMMUNITY_COLOURS, NODE_STYLES
from graphintel.labels import shipment_node_id
from graphintel.store.base import RunStore

Element = dict[str, Any]
OTHER_COLOUR = "#cbd5e1"  # nodes in no ranked network of the run
OTHER_LABEL = "in no ranked network"
MEMBERSHIP_NETWORKS = 500  # best-ranked networks whose members are read for colouring


@dataclass(frozen=True)
class Membership:
    """Which ranked network of one run each member node belongs to, and their names."""

    run_id: str
    network_of: dict[str, str]  # node id -> network id
    names: dict[str, str]  # network id -> "name (net-0001)"
    rank: dict[str, int]


_cache: dict[tuple[int, str], Membership] = {}
_lock = threading.Lock()


def membership(store: RunStore, run_id: str | None) -> Membership | None:
    """The run's network membership (``run_id`` or the latest analysis), read once per run."""
    if not run_id:
        latest = store.latest_run(ANALYSIS_KIND)
        if latest is None:
            return None
        run_id = latest.run_id
    key = (id(store), run_id)
    with _lock:
        if key in _cache:
            return _cache[key]
    network_of: dict[str, str] = {}
    names: dict[str, str] = {}
    rank: dict[str, int] = {}
    for net in store.networks(run_id, limit=MEMBERSHIP_NETWORKS, with_members=True):
        names[net.network_id] = network_label(net.network_id, net.name)
        rank[net.network_id] = net.rank
        for member in net.entity_ids:
            network_of.setdefault(member, net.network_id)
        for shipment in net.shipment_ids:
            network_of.setdefault(shipment_node_id(shipment), net.network_id)
    found = Membership(run_id, network_of, names, rank)
    with _lock:
        if len(_cache) > 8:
            _cache.clear()
        _cache[key] = found
    return found


def network_label(network_id: str, name: str) -> str:
    return f"{name} ({network_id})" if name and name != network_id else network_id


def tag(elements: list[Element], member: Membership | None) -> list[Element]:
    """Nodes tagged with their network (``cnet``) and its colour (``ccolour``): colours go to
    the networks on the chart by rank, best first; nodes in none are grey."""
    if member is None:
        return elements
    on_chart = sorted(
        {member.network_of[str(el["data"]["id"])] for el in elements if _in_network(el, member)},
        key=lambda n: member.rank.get(n, 0),
    )
    colour = {
        n: COMMUNITY_COLOURS[i] if i < len(COMMUNITY_COLOURS) else OTHER_COLOUR
        for i, n in enumerate(on_chart)
    }
    out: list[Element] = []
    for el in elements:
        if "source" not in el["data"]:
            net = member.network_of.get(str(el["data"]["id"]), "")
            label = member.names.get(net, OTHER_LABEL)
            el = {
                **el,
                "data": {**el["data"], "cnet": label, "ccolour": colour.get(net, OTHER_COLOUR)},
            }
        out.append(el)
    return out


def _in_network(el: Element, member: Membership) -> bool:
    return "source" not in el["data"] and str(el["data"]["id"]) in member.network_of


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    shape: str  # cytoscape shape name, or "" for a ring marker
    count: int


def legend_entries(elements: Sequence[Element], by_network: bool) -> list[LegendEntry]:
    """What the legend shows for the chart as drawn: one entry per fill colour on it (node
    kinds, or networks when colouring by network), then the markers present (evidence ring,
    seizures)."""
    nodes = [el for el in elements if "source" not in el.get("data", {})]
    classes = [set(str(el.get("classes", "")).split()) for el in nodes]
    entries: list[LegendEntry] = []
    seized_shipments = sum(1 for c in classes if {"Shipment", "seized"} <= c)
    if by_network:
        counts = Counter(
            (str(el["data"].get("cnet", OTHER_LABEL)), str(el["data"].get("ccolour", "")))
            for el, c in zip(nodes, classes, strict=True)
            if not {"Shipment", "seized"} <= c
        )
        ordered = sorted(counts.items(), key=lambda kv: (kv[0][0] == OTHER_LABEL, -kv[1]))
        entries += [LegendEntry(label, colour, "ellipse", n) for (label, colour), n in ordered]
    else:
        kinds = Counter(
            str(el["data"].get("kind", ""))
            for el, c in zip(nodes, classes, strict=True)
            if not {"Shipment", "seized"} <= c
        )
        for kind, style in NODE_STYLES.items():
            if kinds.get(kind.value):
                entries.append(LegendEntry(style.label, style.colour, style.shape, kinds[kind]))
    if seized_shipments:
        entries.append(LegendEntry("seized shipment", "#b91c1c", "star", seized_shipments))
    marks = {
        "evidence": sum(1 for c in classes if "evidence" in c),
        "seized": sum(1 for c in classes if "seized" in c and "Shipment" not in c),
    }
    if marks["evidence"]:
        entries.append(LegendEntry("cited as evidence", "#f59e0b", "", marks["evidence"]))
    if marks["seized"]:
        entries.append(LegendEntry("linked to a seizure", "#b91c1c", "", marks["seized"]))
    return entries

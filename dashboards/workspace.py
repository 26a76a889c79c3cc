"""Graph edits of the investigator workspace, on plain cytoscape element lists.

The browser holds the chart; each edit (expand, hide, pin, path, date filter, undo) comes to
the server as an intent with the node positions the browser had, and goes back as a whole new
element list. Keeping the edits here, as pure functions over lists and the store, makes every
one testable without a browser and keeps positions stable: nodes already drawn keep theirs,
new nodes are placed around the node they came from.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dashboards.styles import EDGE_LABELS, SEIZED_SHIPMENT_SIZE, VIA_SHIPMENTS, node_size
from graphintel.labels import short_label
from graphintel.model import EdgeKind, NodeKind
from graphintel.records import EdgeRecord, NodeRecord
from graphintel.store.base import GraphReader

log = logging.getLogger(__name__)

Element = dict[str, Any]
Positions = dict[str, dict[str, float]]

EXPAND_LIMIT = 40  # neighbours one expand adds; the rest are counted, not drawn
HISTORY_DEPTH = 20  # undo steps kept
PATH_MAX_DEPTH = 6  # hops a shortest-path search goes out from each end, in all
PATH_FANOUT = 200  # neighbours read per node while searching a path (hubs are cut here)
PATH_MAX_VISITS = 4000  # nodes a path search may read before it gives up


# -- building elements ---------------------------------------------------------------------------
def is_node(el: Element) -> bool:
    return "source" not in el.get("data", {})


def classes_of(el: Element) -> set[str]:
    return set(str(el.get("classes", "")).split())


def with_classes(el: Element, classes: Iterable[str]) -> Element:
    return {**el, "classes": " ".join(sorted(set(classes)))}


def node_risk(kind: NodeKind, degree: int, cited: bool, seized: bool) -> float:
    """A 0..1 weight the chart sizes nodes by: cited evidence and seizures count most, then how
    connected the node is (square root, so a hub does not dwarf everything)."""
    risk = 0.45 * cited + 0.35 * seized
    if kind is not NodeKind.SHIPMENT:
        risk += 0.2 * min(1.0, math.sqrt(max(degree - 1, 0)) / 6)
    return round(min(risk, 1.0), 3)


def node_element(
    node: NodeRecord, degree: int, cited: bool = False, seized: bool = False
) -> Element:
    """One node as a cytoscape element; shipments carry their date and value for the filters.
    Parties, cited nodes and seizures are ``key``: labelled at every zoom."""
    risk = node_risk(node.kind, degree, cited, seized)
    label = short_label(node.label or node.id)
    size = round(node_size(node.kind, degree) * (1 + 0.6 * risk), 1)
    if seized and node.kind is NodeKind.SHIPMENT:
        label, size = f"SEIZED {label}", float(SEIZED_SHIPMENT_SIZE)
    data: dict[str, Any] = {
        "id": node.id,
        "label": label,
        "kind": node.kind.value,
        "risk": risk,
        "size": size,
    }
    if node.kind is NodeKind.SHIPMENT:
        data["date"] = str(node.props.get("arrival_date", ""))
        value = node.props.get("declared_value_usd")
        if isinstance(value, int | float):
            data["value"] = float(value)
    classes = [node.kind.value]
    if cited:
        classes.append("evidence")
    if seized:
        classes.append("seized")
    if node.kind is NodeKind.PARTY or seized or (cited and node.kind is not NodeKind.SHIPMENT):
        classes.append("key")  # parties, cited identifiers and seizures: labelled at any zoom
    return {"data": data, "classes": " ".join(classes)}


def place(elements: list[Element], positions: Positions) -> list[Element]:
    """Elements with each node's position set from ``positions`` where it has one."""
    out: list[Element] = []
    for el in elements:
        pos = positions.get(str(el["data"]["id"])) if is_node(el) else None
        out.append({**el, "position": dict(pos)} if pos else el)
    return out


def edge_label(kind: str, weight: float) -> str:
    if kind == VIA_SHIPMENTS:
        return f"{int(weight)} shipment{'s' if weight != 1 else ''}"
    return EDGE_LABELS.get(kind, kind)


def edge_element(source: str, target: str, kind: str, weight: float = 1.0) -> Element:
    return {
        "data": {
            "id": f"{source}|{kind}|{target}",
            "source": source,
            "target": target,
            "kind": kind,
            "weight": weight,
            "label": edge_label(kind, weight),
        },
        "classes": kind,
    }


def is_seized(node: NodeRecord) -> bool:
    return str(node.props.get("inspection_outcome", "")).strip().lower() == "seized"


# -- edits ---------------------------------------------------------------------------------------
def node_ids(elements: Sequence[Element]) -> list[str]:
    return [str(el["data"]["id"]) for el in elements if is_node(el)]


def hide(elements: list[Element], hidden: Iterable[str]) -> list[Element]:
    """The chart without these nodes and the links that touch them."""
    gone = set(hidden)
    return [
        el
        for el in elements
        if (is_node(el) and el["data"]["id"] not in gone)
        or (
            not is_node(el)
            and el["data"]["source"] not in gone
            and el["data"]["target"] not in gone
        )
    ]


def toggle_pin(elements: list[Element], chosen: Iterable[str]) -> list[Element]:
    """Pin the chosen nodes in place (locked, marked), or unpin them if all are pinned."""
    ids_ = set(chosen)
    targets = [el for el in elements if is_node(el) and el["data"]["id"] in ids_]
    unpin = bool(targets) and all(el.get("locked") for el in targets)
    out: list[Element] = []
    for el in elements:
        if is_node(el) and el["data"]["id"] in ids_:
            cls = classes_of(el)
            cls = cls - {"pinned"} if unpin else cls | {"pinned"}
            el = {**with_classes(el, cls), "locked": not unpin}
        out.append(el)
    return out


def _outside(start: str | None, end: str | None, first: str, last: str) -> bool:
    """Whether the dates [first, last] miss [start, end] entirely (open ends allowed)."""
    return bool(start and last and last < start) or bool(end and first and first > end)


def fade_outside(elements: list[Element], start: str | None, end: str | None) -> list[Element]:
    """Fade what lies outside [start, end] (ISO dates, either end open): shipments dated
    outside and their links, summary links whose first-to-last dates miss the range, and
    parties or identifiers all of whose dated links are faded. With neither bound every fade
    is cleared."""
    dates = {
        str(el["data"]["id"]): str(el["data"]["date"])
        for el in elements
        if is_node(el) and el["data"].get("date") is not None
    }
    faded = {n for n, d in dates.items() if _outside(start, end, d, d)}
    faded_edges: set[str] = set()
    dated: Counter[str] = Counter()  # per node: its dated links
    dark: Counter[str] = Counter()  # per node: its faded dated links
    for el in elements:
        if is_node(el):
            continue
        d = el["data"]
        first, last = str(d.get("first_date") or ""), str(d.get("last_date") or "")
        ends = (str(d["source"]), str(d["target"]))
        if not (first or last or any(e in dates for e in ends)):
            continue
        hit = any(e in faded for e in ends) or _outside(start, end, first, last)
        if hit:
            faded_edges.add(str(d["id"]))
        for e in ends:
            dated[e] += 1
            dark[e] += hit
    faded |= {n for n, k in dated.items() if n not in dates and dark[n] == k}
    out: list[Element] = []
    for el in elements:
        cls = classes_of(el) - {"faded"}
        hit = el["data"]["id"] in (faded if is_node(el) else faded_edges)
        out.append(with_classes(el, cls | {"faded"} if hit else cls))
    return out


def _around(anchor: dict[str, float] | None, count: int, radius: float) -> list[dict[str, float]]:
    cx, cy = (anchor["x"], anchor["y"]) if anchor else (0.0, 0.0)
    return [
        {
            "x": round(cx + radius * math.cos(2 * math.pi * i / max(count, 1)), 1),
            "y": round(cy + radius * math.sin(2 * math.pi * i / max(count, 1)), 1),
        }
        for i in range(count)
    ]


def _add_nodes(
    store: GraphReader,
    elements: list[Element],
    new_ids: Sequence[str],
    positions: Positions,
    anchor: str,
    extra_classes: Iterable[str] = (),
) -> list[Element]:
    """Append ``new_ids`` (read from the store) around ``anchor`` and every link the store
    holds between them and what is drawn already."""
    present = set(node_ids(elements))
    fresh = [n for n in dict.fromkeys(new_ids) if n not in present]
    records = store.nodes(fresh)
    spots = _around(positions.get(anchor), len(records), 60.0 + 6.0 * len(records))
    added: list[Element] = []
    for rec, spot in zip(records, spots, strict=True):
        _, degree = store.neighbours(rec.id, limit=0)
        el = node_element(rec, degree, seized=is_seized(rec))
        el = with_classes(el, classes_of(el) | set(extra_classes))
        added.append({**el, "position": spot})
    all_ids = [*present, *(r.id for r in records)]
    have = {el["data"]["id"] for el in elements if not is_node(el)}
    new_edges = [
        edge_element(e.source, e.target, e.kind.value, e.weight)
        for e in store.edges_among(all_ids)
        if f"{e.source}|{e.kind.value}|{e.target}" not in have
    ]
    return [*place(elements, positions), *added, *new_edges]


@dataclass(frozen=True)
class Expansion:
    elements: list[Element]
    added: int  # neighbours newly drawn
    not_shown: int  # neighbours left out by the bound
    total: int  # neighbours in the whole graph


def expand(
    store: GraphReader,
    elements: list[Element],
    node: str,
    positions: Positions,
    limit: int = EXPAND_LIMIT,
    budget: int | None = None,
) -> Expansion:
    """Draw up to ``limit`` more neighbours of ``node`` (within the element ``budget``) and say
    how many were left out."""
    present = set(node_ids(elements))
    edges, total = store.neighbours(node, limit=limit + len(present))
    others = [e.target if e.source == node else e.source for e in edges]
    new = [o for o in dict.fromkeys(others) if o not in present]
    if budget is not None:
        room = max(0, (budget - len(elements)) // 2)
        new = new[:room]
    new = new[:limit]
    already = sum(1 for o in dict.fromkeys(others) if o in present)
    out = _add_nodes(store, elements, new, positions, node, ("expanded",))
    return Expansion(out, len(new), max(0, total - already - len(new)), total)


def _other(edge: EdgeRecord, node: str) -> str:
    return edge.target if edge.source == node else edge.source


def shortest_path(
    store: GraphReader,
    a: str,
    b: str,
    max_depth: int = PATH_MAX_DEPTH,
    fanout: int = PATH_FANOUT,
    max_visits: int = PATH_MAX_VISITS,
) -> list[str] | None:
    """The node ids of a shortest path from ``a`` to ``b`` in the stored graph, searched from
    both ends at once; None if there is none within ``max_depth`` hops (or the search had to
    read more than ``max_visits`` nodes). Hubs are read up to ``fanout`` neighbours only."""
    if a == b:
        return [a]
    parents: tuple[dict[str, str | None], dict[str, str | None]] = ({a: None}, {b: None})
    depth: tuple[dict[str, int], dict[str, int]] = ({a: 0}, {b: 0})
    frontiers: tuple[list[str], list[str]] = ([a], [b])
    visits = 0
    for _ in range(max_depth):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        mine, theirs = parents[side], parents[1 - side]
        next_frontier: list[str] = []
        meets: list[str] = []
        for current in frontiers[side]:  # a whole level, so the best meeting point is found
            visits += 1
            if visits > max_visits:
                return None
            edges, _ = store.neighbours(current, limit=fanout)
            for e in edges:
                nxt = _other(e, current)
                if nxt in mine:
                    continue
                mine[nxt] = current
                depth[side][nxt] = depth[side][current] + 1
                if nxt in theirs:
                    meets.append(nxt)
                next_frontier.append(nxt)
        if meets:
            best = min(meets, key=lambda m: (depth[1 - side][m], m))
            return _join(parents, best)
        if not next_frontier:
            return None
        frontiers = (next_frontier, frontiers[1]) if side == 0 else (frontiers[0], next_frontier)
    return None


def _join(parents: tuple[dict[str, str | None], dict[str, str | None]], meet: str) -> list[str]:
    left: list[str] = []
    node: str | None = meet
    while node is not None:
        left.append(node)
        node = parents[0][node]
    left.reverse()
    node = parents[1][meet]
    while node is not None:
        left.append(node)
        node = parents[1][node]
    return left


def show_path(
    store: GraphReader, elements: list[Element], path: Sequence[str], positions: Positions
) -> list[Element]:
    """Draw every node of ``path`` (adding the missing ones) and mark the path's nodes and
    links; earlier path marks are cleared."""
    out = _add_nodes(store, elements, path, positions, path[0], ("path",))
    on_path = set(path)
    hops = {frozenset(pair) for pair in zip(path, path[1:], strict=False)}
    marked: list[Element] = []
    for el in out:
        cls = classes_of(el) - {"path"}
        if is_node(el):
            hit = el["data"]["id"] in on_path
        else:
            hit = frozenset((el["data"]["source"], el["data"]["target"])) in hops
        marked.append(with_classes(el, cls | {"path"} if hit else cls))
    return marked


# -- undo / redo ---------------------------------------------------------------------------------
def empty_history() -> dict[str, list[list[Element]]]:
    return {"past": [], "future": []}


def push(history: dict[str, Any] | None, before: list[Element]) -> dict[str, Any]:
    """History after an edit: ``before`` can be undone to, redo is no longer possible."""
    past = [*(history or empty_history())["past"], before][-HISTORY_DEPTH:]
    return {"past": past, "future": []}


def undo(
    history: dict[str, Any] | None, current: list[Element]
) -> tuple[list[Element], dict[str, Any]] | None:
    h = history or empty_history()
    if not h["past"]:
        return None
    return h["past"][-1], {"past": h["past"][:-1], "future": [current, *h["future"]]}


def redo(
    history: dict[str, Any] | None, current: list[Element]
) -> tuple[list[Element], dict[str, Any]] | None:
    h = history or empty_history()
    if not h["future"]:
        return None
    return h["future"][0], {"past": [*h["past"], current], "future": h["future"][1:]}


# -- paths as text -------------------------------------------------------------------------------
# A link read against its direction, from its target to its source ("consignee of").
REVERSE_WORDS: dict[str, str] = {
    EdgeKind.SHIPPED_BY: "shipper of",
    EdgeKind.CONSIGNED_TO: "consignee of",
    EdgeKind.SOLD_BY: "seller of",
    EdgeKind.DELIVERED_TO: "delivery address of",
    EdgeKind.PAID_WITH: "payment account of",
    EdgeKind.ORDERED_FROM: "IP address of",
    EdgeKind.HAS_ADDRESS: "address of",
    EdgeKind.HAS_PHONE: "phone of",
    EdgeKind.HAS_EMAIL: "e-mail of",
}


@dataclass(frozen=True)
class Hop:
    """One node of a path, with the link that leads to the next one."""

    node_id: str
    label: str
    kind: str
    link: str  # "shipped by", "delivered to"...; "" for the last node


def path_hops(store: GraphReader, path: Sequence[str]) -> list[Hop]:
    """The path node by node with the kind of link between each and the next, read from the
    store (so the list holds for nodes hidden from the chart too)."""
    records = {r.id: r for r in store.nodes(list(path))}
    links: dict[tuple[str, str], str] = {}
    for e in store.edges_among(list(path)):
        links.setdefault((e.source, e.target), EDGE_LABELS.get(e.kind, e.kind.value))
        links.setdefault((e.target, e.source), REVERSE_WORDS.get(e.kind, e.kind.value))
    hops: list[Hop] = []
    for i, node in enumerate(path):
        rec = records.get(node)
        link = links.get((node, path[i + 1]), "linked to") if i + 1 < len(path) else ""
        hops.append(
            Hop(
                node,
                rec.label if rec is not None and rec.label else node,
                rec.kind.value if rec is not None else "",
                link,
            )
        )
    return hops

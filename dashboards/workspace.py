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
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import igraph as ig  # type: ignore[import-untyped]

from dashboards.styles import COMMUNITY_COLOURS, EDGE_LABELS, VIA_SHIPMENTS, node_size
from graphintel.model import NodeKind
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
LAYOUT_SEED = 20240601
SPREAD = 40.0  # px between layout units


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
    """One node as a cytoscape element; shipments carry their date and value for the filters."""
    risk = node_risk(node.kind, degree, cited, seized)
    data: dict[str, Any] = {
        "id": node.id,
        "label": short_label(node.label or node.id),
        "kind": node.kind.value,
        "risk": risk,
        "size": round(node_size(node.kind, degree) * (1 + 0.6 * risk), 1),
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
    return {"data": data, "classes": " ".join(classes)}


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


def short_label(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_seized(node: NodeRecord) -> bool:
    return str(node.props.get("inspection_outcome", "")).strip().lower() == "seized"


# -- whole-chart computations --------------------------------------------------------------------
def _igraph(elements: Sequence[Element]) -> tuple[ig.Graph, list[str]]:
    names = [str(el["data"]["id"]) for el in elements if is_node(el)]
    index = {n: i for i, n in enumerate(names)}
    pairs = [
        (index[el["data"]["source"]], index[el["data"]["target"]])
        for el in elements
        if not is_node(el) and el["data"]["source"] in index and el["data"]["target"] in index
    ]
    return ig.Graph(n=len(names), edges=pairs), names


def seeded_positions(elements: Sequence[Element]) -> Positions:
    """Server-side Fruchterman-Reingold positions, the same for the same chart every time.

    Used as the preset layout for large charts (no force simulation in the browser) and as the
    starting point of fCoSE, which otherwise starts from random positions on every load.
    """
    graph, names = _igraph(elements)
    if not names:
        return {}
    state = random.getstate()  # igraph draws from Python's RNG; do not disturb anyone else's
    try:
        random.seed(LAYOUT_SEED)
        coords = graph.layout_fruchterman_reingold(niter=300, grid=len(names) > 300).coords
    finally:
        random.setstate(state)
    scale = SPREAD * max(1.0, math.sqrt(len(names)) / 4)
    xs = [c[0] for c in coords] or [0.0]
    ys = [c[1] for c in coords] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    factor = scale * math.sqrt(len(names)) / span
    return {
        n: {"x": round((c[0] - min(xs)) * factor, 1), "y": round((c[1] - min(ys)) * factor, 1)}
        for n, c in zip(names, coords, strict=True)
    }


def place(elements: list[Element], positions: Positions) -> list[Element]:
    """Elements with each node's position set from ``positions`` where it has one."""
    out: list[Element] = []
    for el in elements:
        pos = positions.get(str(el["data"]["id"])) if is_node(el) else None
        out.append({**el, "position": dict(pos)} if pos else el)
    return out


def with_communities(elements: list[Element]) -> list[Element]:
    """Tag each node with its Louvain community (deterministic) and that community's colour,
    which the chart uses when the investigator turns community colouring on."""
    graph, names = _igraph(elements)
    if not names:
        return elements
    state = random.getstate()
    try:
        random.seed(LAYOUT_SEED)
        membership = graph.community_multilevel().membership
    finally:
        random.setstate(state)
    sizes = Counter(membership)
    # Number communities largest first, so colour 0 is always the biggest group.
    order = {c: i for i, (c, _) in enumerate(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))}
    community = {n: order[m] for n, m in zip(names, membership, strict=True)}
    out: list[Element] = []
    for el in elements:
        if is_node(el):
            c = community[str(el["data"]["id"])]
            colour = COMMUNITY_COLOURS[c] if c < len(COMMUNITY_COLOURS) else "#9ca3af"
            el = {**el, "data": {**el["data"], "community": c, "ccolour": colour}}
        out.append(el)
    return out


def community_count(elements: Sequence[Element]) -> int:
    return len({el["data"].get("community") for el in elements if is_node(el)} - {None})


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


def fade_outside(elements: list[Element], start: str | None, end: str | None) -> list[Element]:
    """Fade shipments dated outside [start, end] (ISO dates, either end open) and their links;
    with neither bound every fade is cleared."""
    faded: set[str] = set()
    for el in elements:
        date = el["data"].get("date") if is_node(el) else None
        if date is None:
            continue
        outside = bool(start and date < start) or bool(end and date > end)
        if outside:
            faded.add(str(el["data"]["id"]))
    out: list[Element] = []
    for el in elements:
        cls = classes_of(el) - {"faded"}
        if is_node(el):
            hit = el["data"]["id"] in faded
        else:
            hit = el["data"]["source"] in faded or el["data"]["target"] in faded
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

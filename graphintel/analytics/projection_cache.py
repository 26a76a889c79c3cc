"""The projection's inputs kept between analysis runs, updated from the store's change journal.

Reading the resolved graph out of the store is most of a daily analysis (about three
quarters of it at 200k shipments: JSON properties and one Python step per edge). Yet the
builder's state after a full read (``ProjectionInputs``) is a function of the graph's rows
alone: nodes are read in id order, so a node's index is its rank among the ids of its
class, and each edge sets one slot (a shipment's party or identifier of one role) or adds
one party-identifier link. That state is saved next to the store with the journal mark it
is current at. The next run replays the keys the journal names since then: it takes out
every cached node and edge they name, puts back their current rows (parsed by the same
builder code), and re-ranks the ids, which gives the state a full read would give. The
projection, and so every later step, is then the one a full read gives, exactly.

The cache is used only when that argument holds; otherwise the run reads everything and
says why: no cache yet, a cache written by other code, a graph rewritten whole since (new
epoch) or journal entries trimmed past it, a store without a journal (Neo4j), a graph the
argument does not cover (a node seen only as an edge end, a shipment with two edges of one
role, ids out of order), or node counts that disagree with the store's after the update.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import zipfile
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass, fields, replace
from itertools import compress, pairwise
from pathlib import Path
from typing import Any

import numpy as np

from graphintel.analytics.arrays import BoolArray, IntArray
from graphintel.analytics.projection import (
    IDENTIFIER_KIND_ORDER,
    Projection,
    ProjectionBuilder,
    ProjectionInputs,
)
from graphintel.analytics.reading import ReadCounts, odd_days, read_graph
from graphintel.daily.retention import WindowView
from graphintel.model import EdgeKind, NodeKind
from graphintel.records import NodeRecord
from graphintel.store.base import GraphStore
from graphintel.store.journal import GraphChanges, GraphJournal, JournalMark

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int], None]
CACHE_FORMAT = 1
_ROLES = {EdgeKind.SHIPPED_BY.value: 0, EdgeKind.CONSIGNED_TO.value: 1, EdgeKind.SOLD_BY.value: 2}
_SHIP_IDENTS = {
    EdgeKind.DELIVERED_TO.value: 0,
    EdgeKind.PAID_WITH.value: 1,
    EdgeKind.ORDERED_FROM.value: 2,
}
_HAS = frozenset({EdgeKind.HAS_ADDRESS.value, EdgeKind.HAS_PHONE.value, EdgeKind.HAS_EMAIL.value})
_LIST_FIELDS = frozenset(
    f.name for f in fields(ProjectionInputs) if f.type == "list[str]"
)  # the rest are arrays or tuples of arrays


class StaleCache(Exception):
    """The cache cannot be brought up to date exactly; the message says why."""


@dataclass(frozen=True)
class CachedGraph:
    """Projection inputs of the whole (unwindowed) graph as of ``mark``."""

    mark: JournalMark
    inputs: ProjectionInputs
    odd_days: dict[str, int]  # shipment id -> retention day of a non-text arrival date


@dataclass(frozen=True)
class ProjectionSource:
    """How a run got its projection, for its summary and its recorded counts."""

    incremental: bool
    reason: str  # why a full read (empty when the cache was used)
    changed_nodes: int = 0
    changed_edges: int = 0

    def __str__(self) -> str:
        if self.incremental:
            return (
                f"graph read from the analysis cache plus {self.changed_nodes:,} changed"
                f" nodes and {self.changed_edges:,} changed edges"
            )
        return f"graph read in full ({self.reason})"


def code_fingerprint() -> str:
    """A digest of the code that decides the cached state: a cache written by other code
    (another version of these modules) is not trusted."""
    digest = hashlib.sha256(str(CACHE_FORMAT).encode())
    from graphintel.analytics import projection, reading

    for module in (projection, reading):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


# -- saving and loading -------------------------------------------------------------------


def save_cache(path: Path, cached: CachedGraph) -> None:
    """Write the cache atomically (a temporary file renamed over the old one)."""
    inputs = cached.inputs
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    texts: dict[str, list[str]] = {}
    for f in fields(ProjectionInputs):
        value = getattr(inputs, f.name)
        if f.name in _LIST_FIELDS:
            texts[f.name] = value
        elif isinstance(value, tuple):
            for n, column in enumerate(value):
                arrays[f"{f.name}.{n}"] = column
        else:
            arrays[f.name] = value
    header = {
        "format": CACHE_FORMAT,
        "code": code_fingerprint(),
        "epoch": cached.mark.epoch,
        "seq": cached.mark.seq,
        "odd_days": cached.odd_days,
    }
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("header.json", json.dumps(header))
        zf.writestr("texts.json", json.dumps(texts, ensure_ascii=False))
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            zf.writestr(f"{name}.npy", buffer.getvalue())
    os.replace(tmp, path)


def load_cache(path: Path) -> CachedGraph:
    """The cache at ``path``; ``StaleCache`` when it is unreadable or from other code
    (``FileNotFoundError`` when there is none)."""
    try:
        with zipfile.ZipFile(path) as zf:
            header = json.loads(zf.read("header.json"))
            if header.get("format") != CACHE_FORMAT or header.get("code") != code_fingerprint():
                raise StaleCache("the cache was written by another version of the analysis")
            texts = json.loads(zf.read("texts.json"))

            def array(name: str) -> np.ndarray[Any, Any]:
                with zf.open(f"{name}.npy") as fh:
                    loaded: np.ndarray[Any, Any] = np.load(
                        io.BytesIO(fh.read()), allow_pickle=False
                    )
                    return loaded

            values: dict[str, Any] = {}
            for f in fields(ProjectionInputs):
                if f.name in _LIST_FIELDS:
                    values[f.name] = list(texts[f.name])
                elif f.name in ("ship_roles", "ship_idents"):
                    values[f.name] = tuple(array(f"{f.name}.{n}") for n in range(3))
                else:
                    values[f.name] = array(f.name)
            inputs = ProjectionInputs(**values)
            mark = JournalMark(str(header["epoch"]), int(header["seq"]))
            days = {str(k): int(v) for k, v in header["odd_days"].items()}
    except FileNotFoundError:
        raise
    except StaleCache:
        raise
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise StaleCache(f"the cache is unreadable ({type(exc).__name__}: {exc})") from exc
    _check_shapes(inputs)
    return CachedGraph(mark, inputs, days)


def _check_shapes(inputs: ProjectionInputs) -> None:
    n_ship, n_party, n_ident = len(inputs.ship_ids), len(inputs.party_ids), len(inputs.ident_ids)
    ship_columns: list[Sized] = [
        inputs.ship_date,
        inputs.ship_value,
        inputs.ship_outcome,
        inputs.ship_category,
        inputs.ship_hts,
        inputs.ship_description,
        inputs.ship_country,
        *inputs.ship_roles,
        *inputs.ship_idents,
    ]
    ok = (
        all(len(c) == n_ship for c in ship_columns)
        and len(inputs.party_labels) == n_party
        and len(inputs.ident_labels) == n_ident == len(inputs.ident_kind)
        and len(inputs.has_party) == len(inputs.has_ident) == len(inputs.has_weight)
        and all(len(c) == 0 or int(c.max()) < n_party for c in inputs.ship_roles)
        and all(len(c) == 0 or int(c.max()) < n_ident for c in inputs.ship_idents)
        and (len(inputs.has_party) == 0 or int(inputs.has_party.max()) < n_party)
        and (len(inputs.has_ident) == 0 or int(inputs.has_ident.max()) < n_ident)
    )
    if not ok:
        raise StaleCache("the cache is corrupt (its columns disagree in length or range)")


# -- the state a full read gives ----------------------------------------------------------


def exact_inputs(builder: ProjectionBuilder, counts: ReadCounts) -> ProjectionInputs | str:
    """The builder's state, or why it is not one the cache can keep (see the module doc)."""
    inputs = builder.inputs()
    if (len(inputs.ship_ids), len(inputs.party_ids), len(inputs.ident_ids)) != (
        counts.shipments,
        counts.parties,
        counts.identifiers,
    ):
        return "some edge ends are not nodes of the graph"
    filled = sum(int((c >= 0).sum()) for c in (*inputs.ship_roles, *inputs.ship_idents))
    if filled + len(inputs.has_party) != counts.edges:
        return "a shipment has two edges of one role"
    for ids in (inputs.ship_ids, inputs.party_ids, inputs.ident_ids):
        if not all(a < b for a, b in pairwise(ids)):
            return "the store does not read nodes in id order"
    try:
        return _canonical_links(inputs)
    except StaleCache as exc:
        return str(exc)


def _canonical_links(inputs: ProjectionInputs) -> ProjectionInputs:
    """The party-identifier edges in (party, identifier) order: the projection does not
    depend on their order, and one order makes cached and read states comparable."""
    keys = inputs.has_party * max(len(inputs.ident_ids), 1) + inputs.has_ident
    order = np.argsort(keys, kind="stable")
    if bool((np.diff(keys[order]) == 0).any()):
        raise StaleCache("a party has two edges to one identifier")
    return replace(
        inputs,
        has_party=inputs.has_party[order],
        has_ident=inputs.has_ident[order],
        has_weight=inputs.has_weight[order],
    )


# -- bringing the state up to date --------------------------------------------------------


def _find(ids: list[str], node_id: str) -> int:
    at = bisect_left(ids, node_id)
    return at if at < len(ids) and ids[at] == node_id else -1


@dataclass
class _Reranked:
    """One node class (shipments, parties or identifiers) after the update."""

    ids: list[str]
    old_to_new: IntArray  # new index of each old node, -1 if gone
    kept_new: IntArray  # new indices of the old nodes carried over unchanged, in order
    kept_old: BoolArray  # which old nodes were carried over unchanged
    add_at: IntArray  # new indices of the (re)added nodes, in ``adds`` order


def _rerank(old: list[str], dirty: Iterable[str], adds: list[str]) -> _Reranked:
    """Take ``dirty`` ids out of the sorted ``old``, put ``adds`` (sorted) in."""
    kept = np.ones(len(old), dtype=bool)
    gone = [at for node_id in dirty if (at := _find(old, node_id)) >= 0]
    kept[gone] = False
    ids = list(compress(old, kept))
    ids.extend(adds)
    ids.sort()  # two sorted runs: linear
    add_at = np.asarray([bisect_left(ids, a) for a in adds], dtype=np.int64)
    is_add = np.zeros(len(ids), dtype=bool)
    is_add[add_at] = True
    kept_new = np.flatnonzero(~is_add)
    old_to_new = np.full(len(old), -1, dtype=np.int64)
    old_to_new[kept] = kept_new
    for at in gone:
        old_to_new[at] = _find(ids, old[at])
    return _Reranked(ids, old_to_new, kept_new, kept, add_at)


def _move(values: Any, r: _Reranked, added: Any, fill: Any) -> Any:
    """A node column re-ranked: kept values carried, added ones put in their places."""
    if isinstance(values, list):
        out = np.empty(len(r.ids), dtype=object)
        out[r.kept_new] = np.asarray(values, dtype=object)[r.kept_old]
        out[r.add_at] = np.asarray(added, dtype=object)
        return out.tolist()
    array = np.full(len(r.ids), fill, dtype=values.dtype)
    array[r.kept_new] = values[r.kept_old]
    array[r.add_at] = np.asarray(added, dtype=values.dtype)
    return array


def _remap(values: IntArray, old_to_new: IntArray, what: str) -> IntArray:
    out = np.where(values >= 0, old_to_new[np.maximum(values, 0)], -1)
    if bool(((values >= 0) & (out < 0)).any()):
        raise StaleCache(f"an edge of the cache lost its {what} (a node removed, its edge kept)")
    return np.asarray(out, dtype=np.int64)


def _carry(column: IntArray, r: _Reranked) -> IntArray:
    """A shipment edge column re-ranked: every shipment still there keeps its slot."""
    out = np.full(len(r.ids), -1, dtype=np.int64)
    there = r.old_to_new >= 0
    out[r.old_to_new[there]] = column[there]
    return out


def apply_changes(cached: CachedGraph, changes: GraphChanges) -> CachedGraph:
    """The cached state brought up to ``changes.until``: what a full read would give."""
    old = cached.inputs
    n_ident_old = max(len(old.ident_ids), 1)
    roles = [c.copy() for c in old.ship_roles]
    idents = [c.copy() for c in old.ship_idents]
    # 1. every named edge out, on the old indices
    has_out = []
    for source, kind, target in changes.edge_keys:
        if (r := _ROLES.get(kind)) is not None:
            s, p = _find(old.ship_ids, source), _find(old.party_ids, target)
            if s >= 0 and p >= 0 and roles[r][s] == p:
                roles[r][s] = -1
        elif (c := _SHIP_IDENTS.get(kind)) is not None:
            s, i = _find(old.ship_ids, source), _find(old.ident_ids, target)
            if s >= 0 and i >= 0 and idents[c][s] == i:
                idents[c][s] = -1
        elif kind in _HAS:
            p, i = _find(old.party_ids, source), _find(old.ident_ids, target)
            if p >= 0 and i >= 0:
                has_out.append(p * n_ident_old + i)
    keep_has = ~np.isin(old.has_party * n_ident_old + old.has_ident, has_out)
    # 2. every named node out, its current row (parsed as a full read parses it) in
    current = ProjectionBuilder()
    ships = sorted((n for n in changes.nodes if n.kind is NodeKind.SHIPMENT), key=_node_id)
    current.add_nodes(ships)
    current.add_node_labels(
        (n.id, n.kind.value, n.label)
        for n in sorted(changes.nodes, key=_node_id)
        if n.kind is not NodeKind.SHIPMENT
    )
    new = current.inputs()
    ship_r = _rerank(old.ship_ids, changes.node_ids, new.ship_ids)
    party_r = _rerank(old.party_ids, changes.node_ids, new.party_ids)
    ident_r = _rerank(old.ident_ids, changes.node_ids, new.ident_ids)
    ship_nodes = {
        name: _move(getattr(old, name), ship_r, getattr(new, name), fill)
        for name, fill in (
            ("ship_date", -1),
            ("ship_value", np.nan),
            ("ship_outcome", 0),
            ("ship_category", ""),
            ("ship_hts", ""),
            ("ship_description", ""),
            ("ship_country", ""),
        )
    }
    # 3. the kept edges on the new indices
    new_roles = [_remap(_carry(c, ship_r), party_r.old_to_new, "party") for c in roles]
    new_idents = [_remap(_carry(c, ship_r), ident_r.old_to_new, "identifier") for c in idents]
    has_party = _remap(old.has_party[keep_has], party_r.old_to_new, "party")
    has_ident = _remap(old.has_ident[keep_has], ident_r.old_to_new, "identifier")
    has_weight = old.has_weight[keep_has]
    # 4. the named edges that exist now, in
    more_party, more_ident, more_weight = [], [], []
    for source, kind, target, weight in changes.edges:
        if (r := _ROLES.get(kind)) is not None:
            _fill(new_roles[r], _end(ship_r.ids, source), _end(party_r.ids, target), kind)
        elif (c := _SHIP_IDENTS.get(kind)) is not None:
            _fill(new_idents[c], _end(ship_r.ids, source), _end(ident_r.ids, target), kind)
        elif kind in _HAS:
            more_party.append(_end(party_r.ids, source))
            more_ident.append(_end(ident_r.ids, target))
            more_weight.append(float(weight))
    has_party = np.concatenate([has_party, np.asarray(more_party, dtype=np.int64)])
    has_ident = np.concatenate([has_ident, np.asarray(more_ident, dtype=np.int64)])
    inputs = ProjectionInputs(
        party_ids=party_r.ids,
        party_labels=_move(old.party_labels, party_r, new.party_labels, ""),
        ident_ids=ident_r.ids,
        ident_labels=_move(old.ident_labels, ident_r, new.ident_labels, ""),
        ident_kind=_move(old.ident_kind, ident_r, new.ident_kind, 0),
        ship_ids=ship_r.ids,
        ship_roles=(new_roles[0], new_roles[1], new_roles[2]),
        ship_idents=(new_idents[0], new_idents[1], new_idents[2]),
        has_party=has_party,
        has_ident=has_ident,
        has_weight=np.concatenate([has_weight, np.asarray(more_weight, dtype=np.float64)]),
        **ship_nodes,
    )
    inputs = _canonical_links(inputs)
    days = {k: v for k, v in cached.odd_days.items() if k not in changes.node_ids}
    days.update(odd_days(ships))
    _check_counts(inputs, changes.node_counts)
    return CachedGraph(changes.until, inputs, days)


def _node_id(node: NodeRecord) -> str:
    return node.id


def _end(ids: list[str], node_id: str) -> int:
    at = _find(ids, node_id)
    if at < 0:
        raise StaleCache(f"an edge end is not a node of the graph ({node_id})")
    return at


def _fill(column: IntArray, ship: int, other: int, kind: str) -> None:
    if column[ship] not in (-1, other):
        raise StaleCache(f"a shipment has two {kind} edges")
    column[ship] = other


def _check_counts(inputs: ProjectionInputs, counts: dict[str, int]) -> None:
    idents = np.bincount(inputs.ident_kind, minlength=len(IDENTIFIER_KIND_ORDER))
    expected = {
        NodeKind.SHIPMENT.value: len(inputs.ship_ids),
        NodeKind.PARTY.value: len(inputs.party_ids),
        **{k.value: int(idents[n]) for n, k in enumerate(IDENTIFIER_KIND_ORDER)},
    }
    found = {kind: counts.get(kind, 0) for kind in expected}
    if found != expected:
        raise StaleCache(f"the updated cache holds {expected} nodes, the store {found}")


# -- the window ---------------------------------------------------------------------------


def windowed(cached: CachedGraph, days: int) -> ProjectionInputs:
    """The inputs ``WindowView(store, days)`` would give: shipments before the window out
    (their edges with them), the window ending at the newest arrival day."""
    inputs = cached.inputs
    day = inputs.ship_date.copy()
    for node_id, odd in cached.odd_days.items():
        day[_find(inputs.ship_ids, node_id)] = odd
    dated = day >= 0  # _ordinal and retention_day agree on text; -1 is "no day"
    if not dated.any():
        return inputs
    first = int(day[dated].max()) - (days - 1)
    keep = ~(dated & (day < first))
    if keep.all():
        return inputs
    ship_fields: dict[str, Any] = {}
    for name in (
        "ship_date",
        "ship_value",
        "ship_outcome",
        "ship_category",
        "ship_hts",
        "ship_description",
        "ship_country",
        "ship_ids",
    ):
        value = getattr(inputs, name)
        ship_fields[name] = list(compress(value, keep)) if isinstance(value, list) else value[keep]
    roles = tuple(c[keep] for c in inputs.ship_roles)
    idents = tuple(c[keep] for c in inputs.ship_idents)
    return replace(
        inputs,
        ship_roles=(roles[0], roles[1], roles[2]),
        ship_idents=(idents[0], idents[1], idents[2]),
        **ship_fields,
    )


# -- a run's projection -------------------------------------------------------------------


def cache_path(store: GraphStore) -> Path | None:
    """Where the store's analysis cache lives: next to a SQLite file; None elsewhere."""
    path = getattr(store, "path", None)
    return Path(f"{path}.analysis-cache") if isinstance(path, Path) else None


def project_store(
    store: GraphStore,
    *,
    window_days: int | None,
    full: bool,
    build: Callable[[ProjectionInputs], Projection],
    progress: ProgressCallback | None = None,
) -> tuple[Projection, ProjectionSource]:
    """The run's projection, from the cache when it can be brought up to date exactly
    (``full``: never), else from a full read (which then renews the cache)."""
    path = cache_path(store)
    if not isinstance(store, GraphJournal) or path is None:
        reader = WindowView(store, window_days) if window_days is not None else store
        builder_projection = build_projection_via(reader, build, progress)
        return builder_projection, ProjectionSource(False, "the store keeps no change journal")
    report = progress or (lambda stage, count: None)
    cached, reason = None, "--full"
    if not full:
        cached, reason = _current(store, path)
    if cached is not None:
        report("cached graph updated", len(cached[1].node_ids) + len(cached[1].edge_keys))
        graph, changes = cached
        source = ProjectionSource(True, "", len(changes.node_ids), len(changes.edge_keys))
    else:
        logger.info("analysis reads the whole graph: %s", reason)
        mark = store.graph_mark()  # before the read: later changes are replayed next time
        builder, counts = read_graph(store, progress=progress)
        exact = exact_inputs(builder, counts)
        source = ProjectionSource(False, reason)
        if isinstance(exact, str):
            logger.warning("analysis cache not kept: %s", exact)
            path.unlink(missing_ok=True)
            if window_days is None:
                return build(builder.inputs()), source
            return build_projection_via(WindowView(store, window_days), build, progress), source
        graph = CachedGraph(mark, exact, counts.odd_days)
        changes = None
    if changes is None or changes.node_ids or changes.edge_keys:
        try:
            save_cache(path, graph)
        except OSError as exc:  # the analysis stands; the next one reads in full
            logger.warning("could not save the analysis cache %s: %s", path, exc)
            path.unlink(missing_ok=True)
    store.trim_graph_journal(graph.mark)
    inputs = graph.inputs if window_days is None else windowed(graph, window_days)
    return build(inputs), source


def _current(
    store: GraphJournal, path: Path
) -> tuple[tuple[CachedGraph, GraphChanges] | None, str]:
    """The cache brought up to date with its changes, or None and why not."""
    try:
        cached = load_cache(path)
    except FileNotFoundError:
        return None, "no analysis cache yet"
    except StaleCache as exc:
        return None, str(exc)
    changes = store.graph_changes(cached.mark)
    if changes is None:
        return None, "the graph was rewritten whole since the cache (or its journal trimmed)"
    try:
        return (apply_changes(cached, changes), changes), ""
    except StaleCache as exc:
        return None, str(exc)


def build_projection_via(
    reader: Any, build: Callable[[ProjectionInputs], Projection], progress: Any
) -> Projection:
    builder, _ = read_graph(reader, progress=progress)
    return build(builder.inputs())

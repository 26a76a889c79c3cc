"""Bringing cached projection inputs up to date with a store's journalled changes.

A full read gives a ``ProjectionBuilder`` whose state is a function of the graph's rows:
nodes arrive in id order, so a node's index is its rank among the ids of its class
(shipments, parties, identifiers); each role or shipment-identifier edge fills one slot of
its shipment; each party-identifier edge adds one link (their order does not matter to the
projection; they are kept sorted so that states compare). ``apply_changes`` takes every
node and edge the journal names out of the cached state, puts their current rows back
(parsed by the builder's own code) and re-ranks the ids: the state a full read of the
store gives now. Where that argument does not hold it raises ``StaleCache``.
"""

from __future__ import annotations

import secrets
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import compress, pairwise
from typing import Any

import numpy as np

from graphintel.analytics.arrays import BoolArray, IntArray
from graphintel.analytics.cache_file import CachedGraph, StaleCache
from graphintel.analytics.projection import (
    IDENTIFIER_KIND_ORDER,
    ProjectionBuilder,
    ProjectionInputs,
)
from graphintel.analytics.reading import ReadCounts, odd_days
from graphintel.model import EdgeKind, NodeKind
from graphintel.records import NodeRecord
from graphintel.store.journal import GraphChanges

_ROLES = {EdgeKind.SHIPPED_BY.value: 0, EdgeKind.CONSIGNED_TO.value: 1, EdgeKind.SOLD_BY.value: 2}
_SHIP_IDENTS = {
    EdgeKind.DELIVERED_TO.value: 0,
    EdgeKind.PAID_WITH.value: 1,
    EdgeKind.ORDERED_FROM.value: 2,
}
_HAS = frozenset({EdgeKind.HAS_ADDRESS.value, EdgeKind.HAS_PHONE.value, EdgeKind.HAS_EMAIL.value})


def exact_inputs(inputs: ProjectionInputs, counts: ReadCounts) -> ProjectionInputs | str:
    """A full read's inputs (``ProjectionBuilder.inputs``) as the cache keeps them, or why
    they are not a state the cache can keep (see the module doc)."""
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


def find(ids: list[str], node_id: str) -> int:
    """The index of ``node_id`` in the sorted ``ids``, -1 when absent."""
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
    gone = [at for node_id in dirty if (at := find(old, node_id)) >= 0]
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
        old_to_new[at] = find(ids, old[at])
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
            s, p = find(old.ship_ids, source), find(old.party_ids, target)
            if s >= 0 and p >= 0 and roles[r][s] == p:
                roles[r][s] = -1
        elif (c := _SHIP_IDENTS.get(kind)) is not None:
            s, i = find(old.ship_ids, source), find(old.ident_ids, target)
            if s >= 0 and i >= 0 and idents[c][s] == i:
                idents[c][s] = -1
        elif kind in _HAS:
            p, i = find(old.party_ids, source), find(old.ident_ids, target)
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
    # a cache that absorbed changes is saved again, under a new token; else it stands
    changed = bool(changes.node_ids or changes.edge_keys)
    holder = secrets.token_hex(16) if changed else cached.holder
    return CachedGraph(changes.until, inputs, days, holder)


def _node_id(node: NodeRecord) -> str:
    return node.id


def _end(ids: list[str], node_id: str) -> int:
    at = find(ids, node_id)
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

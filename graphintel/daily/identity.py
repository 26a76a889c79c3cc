"""Stable network identity across analysis runs, and the lineage between two runs.

Each run carves networks afresh, so identity is decided by membership: a network's
members are its parties and its shipments (identifiers follow their parties). The rule,
after Greene, Doyle and Cunningham (2010, "Tracking the evolution of communities in
dynamic social networks"), which found a Jaccard threshold of 0.3 tracks communities well:

1. A current network C continues a previous network P (keeps P's id) when their Jaccard
   overlap |P & C| / |P | C| is at least ``MATCH_THRESHOLD`` (0.3), one-to-one, chosen by
   an optimal assignment that maximises the summed Jaccard over all pairs
   (``scipy.optimize.linear_sum_assignment``, per group of overlapping networks).
2. A still unmatched C also continues an unmatched P when it holds at least half of P's
   members (P grew more than threefold in one step); the P with the largest overlap wins.
3. Every other C gets a new id (``net-0001``, ``net-0002``... in rank order, numbering on
   from the highest id ever issued, so no id is ever reused for another network).

Events (``LineageEntry.event``) for a continued network, in this order of precedence:
``merged`` (half or more of another, unmatched previous network went into it), ``split``
(half or more of a new network came out of it), ``quiet`` (no member added), ``grown`` /
``shrunk`` (more / fewer members), ``changed`` (as many members, not the same ones). A new
network is ``split`` when half or more of it came from one previous network, else ``new``.
A previous network without a successor is ``gone``, listing the networks that took half or
more of its members (a merge) if any.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from graphintel.daily.records import LineageEntry
from graphintel.model import NodeKind, kind_of
from graphintel.records import Network

MATCH_THRESHOLD = 0.3
MAJORITY = 0.5
ID_PREFIX = "net-"

Members = frozenset[str]


def network_members(network: Network) -> Members:
    """A network's parties and shipments, as node ids (what identity is matched on)."""
    parties = (e for e in network.entity_ids if kind_of(e) is NodeKind.PARTY)
    shipments = (s if s.startswith("shipment:") else f"shipment:{s}" for s in network.shipment_ids)
    return frozenset((*parties, *shipments))


def network_id(serial: int) -> str:
    return f"{ID_PREFIX}{serial:04d}"


def serial_of(network_id_: str) -> int:
    """The number in a stable network id (0 when it is not one)."""
    digits = network_id_.removeprefix(ID_PREFIX)
    return int(digits) if digits.isdigit() else 0


@dataclass(frozen=True)
class Identity:
    """The outcome of matching a run's networks against the previous run's."""

    ids: tuple[str, ...]  # stable id of each current network, in the order given
    lineage: tuple[LineageEntry, ...]  # current networks in order, then gone ones
    serial: int  # the highest id number issued so far


def _overlaps(previous: Sequence[Members], current: Sequence[Members]) -> list[dict[int, int]]:
    """For each current network: previous network index -> shared member count."""
    owner: dict[str, list[int]] = defaultdict(list)
    for p, members in enumerate(previous):
        for m in members:
            owner[m].append(p)
    out: list[dict[int, int]] = []
    for members in current:
        shared: dict[int, int] = defaultdict(int)
        for m in members:
            for p in owner.get(m, ()):
                shared[p] += 1
        out.append(dict(shared))
    return out


def _jaccard(shared: int, a: int, b: int) -> float:
    return shared / (a + b - shared)


def _assign(
    pairs: dict[tuple[int, int], float],
) -> dict[int, int]:
    """Current -> previous, one-to-one, maximising summed Jaccard within each group of
    networks linked by candidate pairs (groups are small, the full matrix would not be)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p, c in pairs:
        parent[find(("p", p))] = find(("c", c))
    groups: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for p, c in sorted(pairs):
        groups[find(("c", c))].append((p, c))
    matched: dict[int, int] = {}
    for group in groups.values():
        prevs = sorted({p for p, _ in group})
        curs = sorted({c for _, c in group})
        weights = np.zeros((len(prevs), len(curs)))
        row = {p: i for i, p in enumerate(prevs)}
        col = {c: j for j, c in enumerate(curs)}
        for p, c in group:
            weights[row[p], col[c]] = pairs[p, c]
        rows, cols = linear_sum_assignment(weights, maximize=True)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            if weights[i, j] > 0:
                matched[curs[j]] = prevs[i]
    return matched


def match_networks(
    previous: Sequence[tuple[str, Members]],
    current: Sequence[Members],
    serial: int,
    run_id: str = "",
    previous_run: str = "",
    threshold: float = MATCH_THRESHOLD,
) -> Identity:
    """Stable ids for ``current`` (members of this run's networks, in rank order) given
    ``previous`` (id and members of the previous run's networks) and the highest id number
    issued so far; see the module docstring for the rule."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    overlaps = _overlaps([m for _, m in previous], current)
    pairs = {
        (p, c): j
        for c, shared in enumerate(overlaps)
        for p, o in shared.items()
        if (j := _jaccard(o, len(previous[p][1]), len(current[c]))) >= threshold
    }
    matched = _assign(pairs)  # current -> previous
    taken = set(matched.values())
    for c, shared in enumerate(overlaps):  # rule 2: swallowed most of an unmatched network
        if c in matched:
            continue
        flows = [
            (o, -p)
            for p, o in shared.items()
            if p not in taken and o >= MAJORITY * len(previous[p][1])
        ]
        if flows:
            p = -max(flows)[1]
            matched[c] = p
            taken.add(p)
    ids: list[str] = []
    for c in range(len(current)):
        if c in matched:
            ids.append(previous[matched[c]][0])
        else:
            serial += 1
            ids.append(network_id(serial))
    lineage = _lineage(previous, current, overlaps, matched, ids, run_id, previous_run)
    return Identity(tuple(ids), lineage, serial)


def _lineage(
    previous: Sequence[tuple[str, Members]],
    current: Sequence[Members],
    overlaps: list[dict[int, int]],
    matched: dict[int, int],
    ids: list[str],
    run_id: str,
    previous_run: str,
) -> tuple[LineageEntry, ...]:
    taken = set(matched.values())
    # p -> currents holding half or more of p; c -> previous holding half or more of c
    went_to: dict[int, list[int]] = defaultdict(list)
    came_from: dict[int, list[int]] = defaultdict(list)
    offshoots_of: dict[int, list[str]] = defaultdict(list)  # p -> new networks out of it
    for c, shared in enumerate(overlaps):
        for q, o in sorted(shared.items()):
            if o >= MAJORITY * len(previous[q][1]):
                went_to[q].append(c)
            if o >= MAJORITY * len(current[c]):
                came_from[c].append(q)
                if c not in matched:
                    offshoots_of[q].append(ids[c])
    came_in: dict[int, list[int]] = defaultdict(list)  # c -> previous with half or more in c
    for q, cs in sorted(went_to.items()):
        for c in cs:
            came_in[c].append(q)
    entries: list[LineageEntry] = []
    for c, members in enumerate(current):
        p = matched.get(c)
        if p is None:
            sources = [previous[q][0] for q in came_from[c]]
            event = "split" if sources else "new"
            entries.append(
                LineageEntry(
                    run_id,
                    ids[c],
                    event,
                    tuple(sources),
                    len(members),
                    0,
                    len(members),
                    previous_run,
                )  # fmt: skip
            )
            continue
        before = previous[p][1]
        added, removed = len(members - before), len(before - members)
        absorbed = [previous[q][0] for q in came_in[c] if q != p and q not in taken]
        offshoots = offshoots_of.get(p, [])
        if absorbed:
            event = "merged"
        elif offshoots:
            event = "split"
        elif not added:
            event = "quiet"
        elif len(members) != len(before):
            event = "grown" if len(members) > len(before) else "shrunk"
        else:
            event = "changed"
        entries.append(
            LineageEntry(
                run_id,
                ids[c],
                event,
                (*absorbed, *offshoots),
                added,
                removed,
                len(members),
                previous_run,
            )  # fmt: skip
        )
    for p, (pid, before) in enumerate(previous):
        if p not in taken:
            into = tuple(ids[c] for c in went_to.get(p, ()))
            entries.append(LineageEntry(run_id, pid, "gone", into, 0, len(before), 0, previous_run))
    return tuple(entries)

"""The analysis cache's update (``apply_changes``) at scale, without a store (issue 17).

A synthetic resolved graph of ``--shipments`` shipments (as many parties, 2.6 identifiers
a shipment; role, shipment-identifier and party-identifier edges) and a day of ``--new``
shipments that also rewrites ``--touched`` (a share) of the parties and identifiers, and
drops or re-weights the touched parties' identifier edges, as a daily resolution does. It
times, in this process:

* update: ``apply_changes`` of the day on the cached state of the base graph;
* rebuild (the named baseline): the same state built from every row of the updated graph
  by ``ProjectionBuilder``, the parsing a full read does (without SQLite's own work);

and prints their CPU seconds, the ratio, and whether the two states are identical.

Usage::

    .venv/bin/python benchmarks/cache_update_bench.py --shipments 200000 --new 10000
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import fields
from typing import Any

import numpy as np

from graphintel.analytics.cache_file import CachedGraph
from graphintel.analytics.cache_update import apply_changes, exact_inputs
from graphintel.analytics.projection import ProjectionBuilder, ProjectionInputs
from graphintel.analytics.reading import ReadCounts
from graphintel.model import NodeKind
from graphintel.records import NodeRecord
from graphintel.store.base import EdgeEnds
from graphintel.store.journal import GraphChanges, JournalMark

Labels = dict[str, tuple[str, str]]  # node id -> (kind value, label)


def _ids(rng: random.Random, prefix: str, n: int) -> list[str]:
    return [f"{prefix}:{rng.getrandbits(64):016x}" for _ in range(n)]


def _ship(node_id: str, day: int) -> NodeRecord:
    props = {"arrival_date": f"2025-06-{day:02d}", "declared_value_usd": 100.0}
    return NodeRecord(node_id, NodeKind.SHIPMENT, node_id[9:], props)


def _ship_edges(
    rng: random.Random, ship: str, parties: list[str], idents: list[str]
) -> list[EdgeEnds]:
    return [
        (ship, "SHIPPED_BY", rng.choice(parties), 1.0),
        (ship, "CONSIGNED_TO", rng.choice(parties), 1.0),
        (ship, "DELIVERED_TO", rng.choice(idents), 1.0),
    ]


def _state(
    ships: dict[str, NodeRecord], labels: Labels, edges: dict[Any, float]
) -> ProjectionInputs:
    """What a full read of these rows gives (nodes in id order, then the edges)."""
    builder = ProjectionBuilder()
    builder.add_nodes(ships[s] for s in sorted(ships))
    builder.add_node_labels((i, *labels[i]) for i in sorted(labels))
    builder.add_edge_ends((s, k, t, w) for (s, k, t), w in edges.items())
    parties = sum(1 for kind, _ in labels.values() if kind == "Party")
    counts = ReadCounts(len(ships), parties, len(labels) - parties, len(edges))
    exact = exact_inputs(builder.inputs(), counts)
    assert not isinstance(exact, str), exact
    return exact


def _same(a: ProjectionInputs, b: ProjectionInputs) -> bool:
    for f in fields(ProjectionInputs):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, list):
            same = x == y
        elif isinstance(x, tuple):
            same = all(np.array_equal(p, q) for p, q in zip(x, y, strict=True))
        else:
            same = np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
        if not same:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shipments", type=int, default=200_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument(
        "--touched", type=float, default=0.07, help="share of parties and identifiers rewritten"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    n = args.shipments
    parties, idents = _ids(rng, "party", n), _ids(rng, "address", int(2.6 * n))
    ships = {s: _ship(s, rng.randint(1, 20)) for s in _ids(rng, "shipment", n)}
    labels: Labels = {p: ("Party", p[-6:]) for p in parties}
    labels.update((i, ("Address", i[-6:])) for i in idents)
    edges = {
        (s, k, t): w for ship in ships for s, k, t, w in _ship_edges(rng, ship, parties, idents)
    }
    for party in parties:
        for ident in rng.sample(idents, rng.randint(1, 4)):
            edges[(party, "HAS_ADDRESS", ident)] = 1.0
    base = _state(ships, labels, edges)
    cached = CachedGraph(JournalMark("bench", 0), base, {}, "bench")
    # the day
    new_ships = [_ship(s, 30) for s in _ids(rng, "shipment", args.new)]
    touched = rng.sample(parties, int(args.touched * n)) + rng.sample(
        idents, int(args.touched * 2.6 * n)
    )
    keys: set[tuple[str, str, str]] = set()
    for ship in new_ships:
        ships[ship.id] = ship
        for s, k, t, w in _ship_edges(rng, ship.id, parties, idents):
            edges[(s, k, t)] = w
            keys.add((s, k, t))
    touched_parties = set(touched[: int(args.touched * n)])
    for key in [key for key in edges if key[0] in touched_parties]:
        keys.add(key)
        if rng.random() < 0.1:
            del edges[key]
        else:
            edges[key] = 2.0
    for node_id in touched:
        labels[node_id] = (labels[node_id][0], "rewritten " + node_id[-6:])
    rows = [ships[s.id] for s in new_ships]
    rows += [NodeRecord(i, NodeKind(labels[i][0]), labels[i][1], {}) for i in touched]
    counts = {"Shipment": len(ships), "Party": n, "Address": len(idents)}
    changes = GraphChanges(
        JournalMark("bench", 0),
        JournalMark("bench", 1),
        frozenset(r.id for r in rows),
        frozenset(keys),
        tuple(rows),
        tuple((s, k, t, edges[(s, k, t)]) for s, k, t in keys if (s, k, t) in edges),
        counts,
    )
    print(
        f"graph: {n:,} shipments, {len(base.party_ids) + len(base.ident_ids) + n:,} nodes,"
        f" {len(edges):,} edges; day: {len(changes.node_ids):,} changed nodes,"
        f" {len(keys):,} changed edges"
    )
    started = time.process_time()
    updated = apply_changes(cached, changes)
    update = time.process_time() - started
    started = time.process_time()
    rebuilt = _state(ships, labels, edges)
    rebuild = time.process_time() - started
    print(f"update (apply_changes)            {update:7.2f} s CPU")
    print(f"rebuild from every row (baseline) {rebuild:7.2f} s CPU")
    print(f"update / rebuild: {update / rebuild:.2f}")
    print(f"states identical: {_same(updated.inputs, rebuilt)}")


if __name__ == "__main__":
    main()

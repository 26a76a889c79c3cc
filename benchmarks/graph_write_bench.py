"""The resolved graph's write: tuple rows (what ``graphintel resolve`` hands
``replace_graph_parts``) against one record per row converted to rows on the way.

Reads the resolved graph of ``--store`` (opened read-only, never written) into the shapes
the resolver's graph builders hold before they write (node id, kind, label and a property dict; edge
ends, kind and weight; mention tuples; the merge evidence), then writes it into a fresh
SQLite store once per mode, each in its own process:

* ``records``, the named baseline: a frozen ``NodeRecord`` / ``EdgeRecord`` /
  ``MentionAssignment`` per row, as the resolver's graph builder made them before, turned
  into rows by ``node_rows`` / ``edge_rows`` as they are written (what the removed
  ``replace_graph`` did);
* ``rows``: tuples with the properties encoded by ``props_json``, as ``ShipmentGraph`` and
  ``PartyGraph`` make them, written as one part of ``replace_graph_parts`` (the resolver
  itself writes two halves and stages the second).

Both modes get the same rows in the same order; only the write is timed. It prints rows,
CPU and wall seconds, rows per CPU second, the ratio against the baseline, the load
average (other jobs skew wall time; compare CPU) and checks that both wrote the same
tables. Usage:

    .venv/bin/python benchmarks/graph_write_bench.py --store /tmp/gi_big/s200k.db
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from hashlib import sha256
from pathlib import Path
from typing import Any

from graphintel.model import EdgeKind, NodeKind, Role
from graphintel.records import EdgeRecord, MentionAssignment, MergeEvidence, NodeRecord
from graphintel.store import SqliteStore
from graphintel.store.base import GraphPart, edge_rows, node_rows, props_json

MODES = ("records", "rows")
_NODE_KIND = {k.value: k for k in NodeKind}
_EDGE_KIND = {k.value: k for k in EdgeKind}
_ROLE = {r.value: r for r in Role}

Graph = tuple[
    list[tuple[str, str, str, dict[str, Any]]],
    list[tuple[str, str, str, float]],
    list[tuple[str, str, str, str]],
    list[MergeEvidence],
]


def read_graph(source: Path) -> Graph:
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        nodes = [
            (i, k, label, json.loads(p))
            for i, k, label, p in conn.execute("SELECT id, kind, label, props FROM nodes")
        ]
        edges = conn.execute("SELECT source, kind, target, weight FROM edges").fetchall()
        mentions = conn.execute(
            "SELECT shipment_id, role, entity_id, name FROM mentions"
        ).fetchall()
        evidence = [
            MergeEvidence(*r)
            for r in conn.execute(
                "SELECT entity_id, mention_a, mention_b, field, value_a, value_b, similarity,"
                " weight, rule FROM merge_evidence ORDER BY id"
            )
        ]
    finally:
        conn.close()
    return nodes, edges, mentions, evidence


def write(mode: str, graph: Graph, target: Path) -> None:
    nodes, edges, mentions, evidence = graph
    store = SqliteStore(target)
    if mode == "records":
        assignments = (MentionAssignment(sid, _ROLE[r], e, n) for sid, r, e, n in mentions)
        part = GraphPart(
            node_rows(NodeRecord(i, _NODE_KIND[k], label, p) for i, k, label, p in nodes),
            edge_rows(EdgeRecord(s, t, _EDGE_KIND[k], w) for s, k, t, w in edges),
            ((a.shipment_id, a.role.value, a.entity_id, a.name) for a in assignments),
            evidence,
        )
    else:
        part = GraphPart(
            ((i, k, label, props_json(p)) for i, k, label, p in nodes),
            ((s, k, t, w, "{}") for s, k, t, w in edges),
            iter(mentions),
            evidence,
        )
    store.replace_graph_parts([part])
    store.close()


def tables_digest(path: Path) -> str:
    """A digest of the graph tables (props decoded, so only content counts)."""
    conn = sqlite3.connect(path)
    digest = sha256()
    for sql, has_props in (
        ("SELECT id, kind, label, props FROM nodes ORDER BY id", True),
        ("SELECT * FROM edges ORDER BY source, kind, target", True),
        ("SELECT * FROM mentions ORDER BY shipment_id, role", False),
        ("SELECT * FROM merge_evidence ORDER BY id", False),
    ):
        for row in conn.execute(sql):
            shown = (*row[:-1], json.loads(row[-1])) if has_props else row
            digest.update(repr(shown).encode())
    conn.close()
    return digest.hexdigest()


def child(mode: str, source: Path, target: Path) -> dict[str, Any]:
    graph = read_graph(source)
    rows = sum(len(part) for part in graph)
    wall, cpu = time.perf_counter(), time.process_time()
    write(mode, graph, target)
    return {
        "mode": mode,
        "rows": rows,
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a resolved SQLite store")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.store, args.target)))
        return
    results: dict[str, dict[str, Any]] = {}
    digests: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="graph-write-") as tmp:
        for mode in MODES:
            target = Path(tmp) / f"{mode}.db"
            out = subprocess.run(
                [sys.executable, __file__, "--store", str(args.store), "--child", mode,
                 "--target", str(target)],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            results[mode] = json.loads(out.strip().splitlines()[-1])
            digests[mode] = tables_digest(target)
    base = results["records"]
    print(f"graph write of {args.store} ({base['rows']:,} rows: nodes, edges, mentions, evidence)")
    for mode in MODES:
        r = results[mode]
        print(
            f"  {mode:8s} {r['cpu_s']:7.1f} s CPU  {r['wall_s']:7.1f} s wall"
            f"  {r['rows'] / r['cpu_s']:>10,.0f} rows/CPU s  {base['cpu_s'] / r['cpu_s']:.2f}x"
            f"  peak {r['peak_mb']:,.0f} MiB  load {r['load']:.1f}"
        )
    same = digests["records"] == digests["rows"]
    print(f"  same tables written by both: {same}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

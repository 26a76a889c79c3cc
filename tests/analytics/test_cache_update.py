"""``apply_changes`` against its oracle, a full read of the store, over random edits.

The synth days of ``test_projection_cache`` change what a resolution changes; here each
seed builds a random graph, saves its full read as a cache, then removes shipments,
parties and identifiers, relabels nodes, adds nodes whose ids sort before, between and
after the old ones, and adds and drops edges of every kind. The updated cache must be the
state a full read of the edited store gives, exactly (ids, ranks, every column).
"""

from __future__ import annotations

import random
import secrets
from pathlib import Path

import pytest

from graphintel.analytics.cache_file import CachedGraph
from graphintel.analytics.cache_update import apply_changes, exact_inputs
from graphintel.analytics.reading import read_graph
from graphintel.store import SqliteStore
from graphintel.store.base import EdgeRow, GraphChange, GraphPart, GraphRemoval, NodeRow, props_json
from tests.analytics.test_projection_cache import _full_inputs, assert_same_inputs

_ROLES = ("SHIPPED_BY", "CONSIGNED_TO", "SOLD_BY")
_SHIP_IDENTS = {
    "DELIVERED_TO": "Address",
    "PAID_WITH": "PaymentAccount",
    "ORDERED_FROM": "IPAddress",
}
_HAS = {"HAS_ADDRESS": "Address", "HAS_PHONE": "Phone", "HAS_EMAIL": "Email"}
_PREFIX = {"Address": "address", "Phone": "phone", "Email": "email", "PaymentAccount": "payment"}
_PREFIX["IPAddress"] = "ip"


def _key(rng: random.Random) -> str:
    """A key that sorts anywhere among the others (before, between, after)."""
    return "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(6))


def _shipment(rng: random.Random, key: str) -> NodeRow:
    props = {
        "arrival_date": f"2025-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
        "declared_value_usd": round(rng.uniform(1, 900), 2),
        "hts_code": rng.choice(["8517", "6109", "3304"]),
    }
    return (f"shipment:{key}", "Shipment", key.upper(), props_json(props))


def _ship_edges(
    rng: random.Random, ship: str, parties: list[str], idents: dict[str, list[str]]
) -> list[EdgeRow]:
    edges: list[EdgeRow] = []
    for kind in _ROLES:
        if parties and rng.random() < 0.7:
            edges.append((ship, kind, rng.choice(parties), 1.0, "{}"))
    for kind, ident_kind in _SHIP_IDENTS.items():
        if idents[ident_kind] and rng.random() < 0.5:
            edges.append((ship, kind, rng.choice(idents[ident_kind]), 1.0, "{}"))
    return edges


def _has_edges(rng: random.Random, party: str, idents: dict[str, list[str]]) -> list[EdgeRow]:
    edges: list[EdgeRow] = []
    for kind, ident_kind in _HAS.items():
        for target in rng.sample(
            idents[ident_kind], min(len(idents[ident_kind]), rng.randint(0, 2))
        ):
            edges.append((party, kind, target, float(rng.randint(1, 3)), "{}"))
    return edges


def _base(rng: random.Random, store: SqliteStore) -> None:
    idents = {
        k: [f"{p}:{_key(rng)}" for _ in range(rng.randint(3, 12))] for k, p in _PREFIX.items()
    }
    idents = {k: sorted(set(v)) for k, v in idents.items()}
    parties = sorted({f"party:{_key(rng)}" for _ in range(rng.randint(5, 25))})
    ships = sorted({_key(rng) for _ in range(rng.randint(10, 60))})
    nodes: list[NodeRow] = [_shipment(rng, s) for s in ships]
    nodes += [(p, "Party", f"Party {p[-6:]}", "{}") for p in parties]
    nodes += [(i, k, i.split(":", 1)[1].upper(), "{}") for k, ids in idents.items() for i in ids]
    edges = [e for s in ships for e in _ship_edges(rng, f"shipment:{s}", parties, idents)]
    edges += [e for p in parties for e in _has_edges(rng, p, idents)]
    store.replace_graph_parts([GraphPart(nodes, edges, [], [])])


def _edit(rng: random.Random, store: SqliteStore) -> None:
    """Removals, relabels, new nodes and edges, as one ``update_graph`` step."""
    nodes = {n.id: n for batch in store.iter_nodes() for n in batch}
    by_kind: dict[str, list[str]] = {}
    for node in nodes.values():
        by_kind.setdefault(node.kind.value, []).append(node.id)
    targets = {e.target for batch in store.iter_edges() for e in batch}
    ships = sorted(by_kind.get("Shipment", []))
    parties = sorted(by_kind.get("Party", []))
    gone_ships = rng.sample(ships, len(ships) // 5)
    gone_parties = rng.sample(parties, len(parties) // 5)
    lonely = [i for k in _PREFIX for i in by_kind.get(k, []) if i not in targets]
    gone_idents = rng.sample(lonely, len(lonely) // 2)
    gone = {*gone_ships, *gone_parties, *gone_idents}
    relabel = [i for i in rng.sample(sorted(nodes), len(nodes) // 6) if i not in gone]
    removal = GraphRemoval(  # a relabelled node is removed and written again, edges kept
        nodes=[*gone_ships, *gone_idents, *relabel],
        entities=gone_parties,
        edges_from=[(s, k) for s in gone_ships for k in (*_ROLES, *_SHIP_IDENTS)],
    )
    kept_parties = sorted(set(parties) - set(gone_parties))
    new_parties = sorted({f"party:{_key(rng)}" for _ in range(rng.randint(0, 6))} - set(parties))
    idents = {k: sorted(by_kind.get(k, [])) for k in _PREFIX}
    for kind, prefix in _PREFIX.items():
        fresh = {f"{prefix}:{_key(rng)}" for _ in range(rng.randint(0, 4))} - set(idents[kind])
        idents[kind] = sorted((set(idents[kind]) - set(gone_idents)) | fresh)
    new_ships = sorted({_key(rng) for _ in range(rng.randint(0, 15))} - {s[9:] for s in ships})
    part_nodes: list[NodeRow] = [_shipment(rng, s) for s in new_ships]
    part_nodes += [(p, "Party", f"New {p[-6:]}", "{}") for p in new_parties]
    part_nodes += [
        (i, k, i.split(":", 1)[1], "{}") for k, ids in idents.items() for i in ids if i not in nodes
    ]
    part_nodes += [
        (i, nodes[i].kind.value, f"{nodes[i].label} (renamed)", props_json(nodes[i].props))
        for i in relabel
    ]
    all_parties = sorted({*kept_parties, *new_parties})
    part_edges = [
        e for s in new_ships for e in _ship_edges(rng, f"shipment:{s}", all_parties, idents)
    ]
    part_edges += [e for p in new_parties for e in _has_edges(rng, p, idents)]
    store.update_graph([GraphChange(removal, GraphPart(part_nodes, part_edges, [], []))])


@pytest.mark.parametrize("seed", range(10))
def test_an_updated_cache_is_the_full_read_of_the_edited_store(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    store = SqliteStore(tmp_path / "graph.db")
    _base(rng, store)
    cached = None
    for _ in range(3):  # one cache updated over several edits, as day after day
        if cached is None:
            mark = store.graph_mark()
            builder, counts = read_graph(store)
            inputs = exact_inputs(builder.inputs(), counts)
            assert not isinstance(inputs, str), inputs
            cached = CachedGraph(mark, inputs, counts.odd_days, secrets.token_hex(16))
        store.trim_graph_journal(cached.mark, cached.holder)
        _edit(rng, store)
        changes = store.graph_changes(cached.mark, cached.holder)
        assert changes is not None and changes.node_ids
        cached = apply_changes(cached, changes)
        assert_same_inputs(cached.inputs, _full_inputs(store))
    store.close()

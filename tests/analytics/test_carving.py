"""Networks carved around evidence: a ring next to dense legitimate traffic comes out as its
own network, two rings sharing infrastructure come out as two linked networks (checked
against the generated ground truth), and the old component path stays selectable."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

from graphintel.analytics import AnalysisConfig, analyze_store
from graphintel.analytics.carving import absorb_fragments, strong_edges
from graphintel.analytics.components import Components
from graphintel.analytics.reading import build_projection
from graphintel.analytics.typologies import detect
from graphintel.cli.commands import cli
from graphintel.model import NodeKind, node_id
from graphintel.records import Network
from graphintel.store import GraphStore
from tests.analytics.graphs import GraphBuilder, party

TOWER = "1 tower plaza"


def _legit(g: GraphBuilder, rng: np.random.Generator) -> None:
    """150 shoppers of 12 shops: households of 2-3 sharing an address and a router, and a
    tower of 15 unrelated residents (under the hub limit: dense, but not a hub by count)."""
    for k in range(150):
        home = TOWER if k < 15 else f"{k // 3} maple st"
        for j in range(int(rng.integers(1, 4))):
            g.ship(
                f"legit-{k}-{j}",
                f"shop {int(rng.integers(0, 12))}",
                f"shopper {k}",
                address=home,
                payment=f"card:shopper-{k}",
                ip=f"10.1.{k // 3}.1",
                shipper_phone=None,
            )


def _ring(g: GraphBuilder, name: str, *, phone: str, seized: int, tower_member: bool) -> set[str]:
    """One shipper rotating through 6 names (one phone, one e-mail) feeding 10 consignee
    names at a drop address; returns the ring's shipment ids (the truth)."""
    ships = set()
    for k in range(60):
        sid = f"{name}-{k}"
        ships.add(sid)
        g.ship(
            sid,
            f"{name} trading {k // 10}",
            f"{name} buyer {k % 10}",
            date=f"2026-{1 + k // 20:02d}-{1 + k % 20:02d}",
            value=120.0,
            address=f"{name} drop unit 4",
            payment=f"card:{name}-{k % 2}",
            ip=f"10.9.{ord(name[0])}.{k % 3}",
            shipper_phone=phone,
            shipper_email=f"sales@{name}.example",
            outcome="seized" if k < seized else "",
            category="fentanyl" if k < seized else "",
        )
    if tower_member:  # one buyer also receives ordinary parcels at home, in the tower
        for j in range(3):
            g.ship(f"{name}-home-{j}", "shop 1", f"{name} buyer 0", address=TOWER)
    return ships


def _best(networks: list[Network], truth: set[str]) -> tuple[float, Network]:
    def jaccard(n: Network) -> float:
        ships = {s.removeprefix("shipment:") for s in n.shipment_ids}
        return len(ships & truth) / len(ships | truth)

    best = max(networks, key=jaccard)
    return jaccard(best), best


@pytest.fixture()
def ring_next_to_tower(store: GraphStore) -> tuple[GraphStore, set[str]]:
    g = GraphBuilder()
    _legit(g, np.random.default_rng(11))
    truth = _ring(g, "alder", phone="+86 131 0000 0001", seized=5, tower_member=True)
    return g.write(store), truth


def test_a_ring_next_to_a_dense_legit_tower_is_its_own_network(
    ring_next_to_tower: tuple[GraphStore, set[str]],
) -> None:
    store, truth = ring_next_to_tower
    tower = node_id(NodeKind.ADDRESS, TOWER)
    carved = store.networks(analyze_store(store, AnalysisConfig()).run_id)
    score, ring = _best(carved, truth)
    assert score >= 0.9 and ring.rank == 1
    assert tower not in ring.entity_ids
    assert not any("shopper" in e for e in ring.entity_ids)
    # The component path (the baseline) glues the ring to the tower's residents.
    glued = store.networks(
        analyze_store(store, AnalysisConfig(hub_rule="fixed", carving="components")).run_id
    )
    old_score, old = _best(glued, truth)
    assert tower in old.entity_ids and old_score < score


def test_carved_regions_are_the_components_of_the_strong_links_holding_a_hit(
    ring_next_to_tower: tuple[GraphStore, set[str]],
) -> None:
    """networkx oracle: before splitting, each carved network lies within one connected
    component of the strong-link graph, and that component holds a hit anchor."""
    store, _ = ring_next_to_tower
    config = AnalysisConfig(carve_split_min_parties=10_000)  # no community split
    projection = build_projection(store, config.hub_settings())
    hits = detect(projection, config)
    joins = [h.anchors for name in config.join_typologies for h in hits.get(name, ())]
    src, dst, _ = strong_edges(projection, hits, joins, config.join_min_share)
    graph = nx.Graph()
    hubs = projection.node_is_hub()
    graph.add_nodes_from(n for n in range(projection.n_nodes) if not hubs[n])
    graph.add_edges_from((int(a), int(b)) for a, b in zip(src, dst, strict=True))
    anchors = {a for typology in hits.values() for h in typology for a in h.anchors}
    expected = [
        {projection.node_id(n) for n in c}
        for c in nx.connected_components(graph)
        if c & anchors and any(n < projection.n_parties for n in c)
    ]
    networks = store.networks(analyze_store(store, config).run_id)
    assert sorted(map(sorted, expected)) == sorted(sorted(n.entity_ids) for n in networks)


def test_two_rings_sharing_a_phone_are_two_linked_networks(store: GraphStore) -> None:
    g = GraphBuilder()
    _legit(g, np.random.default_rng(12))
    alder = _ring(g, "alder", phone="+86 131 0000 0009", seized=5, tower_member=False)
    birch = _ring(g, "birch", phone="+86 131 0000 0009", seized=2, tower_member=False)
    g.write(store)
    networks = store.networks(analyze_store(store, AnalysisConfig()).run_id)
    a_score, a_net = _best(networks, alder)
    b_score, b_net = _best(networks, birch)
    assert a_net.network_id != b_net.network_id and min(a_score, b_score) >= 0.9
    assert any(r.startswith("linked networks") and b_net.network_id in r for r in a_net.reasons)
    assert any(r.startswith("linked networks") and a_net.network_id in r for r in b_net.reasons)
    # As whole components, both rings' shippers are glued into one network.
    whole = store.networks(analyze_store(store, AnalysisConfig(carving="components")).run_id)
    [glued] = [n for n in whole if party("alder trading 0") in n.entity_ids]
    assert party("birch trading 0") in glued.entity_ids


def test_cli_selects_the_carving_and_hub_rule_and_explains_hubs(
    ring_next_to_tower: tuple[GraphStore, set[str]],
) -> None:
    store, _ = ring_next_to_tower
    args = ["--quiet", "--store", store.url, "analyze"]
    old = CliRunner().invoke(
        cli, [*args, "--carving", "components", "--hub-rule", "adaptive", "--fed-kind", "ip"]
    )
    assert old.exit_code == 0, old.output
    run = store.latest_run("analyze")
    assert run is not None and run.params["carving"] == "components"
    assert run.params["hub_rule"] == "adaptive" and run.params["fed_kinds"] == ["ip"]
    new = CliRunner().invoke(cli, args)
    assert new.exit_code == 0, new.output
    run = store.latest_run("analyze")
    assert run is not None and run.params["carving"] == "evidence"
    assert run.params["hub_rule"] == "fixed"
    assert run.params["fed_kinds"] == ["address", "payment"]
    bad = CliRunner().invoke(cli, [*args, "--fed-kind", "phone"])
    assert bad.exit_code == 2 and "phone" in bad.output


def _crew(g: GraphBuilder, name: str, shell: str | None = None) -> set[str]:
    """A 24-party ring: one shipper under 8 names (one phone, one e-mail) feeding 16 buyer
    names at a drop address, 2 parcels seized; ``shell`` is a shipper name the resolver
    merged across rings (its parcels keep this ring's phone). Returns the ring's shipments."""
    ships = set()
    for k in range(96):
        sid = f"{name}-{k}"
        ships.add(sid)
        g.ship(
            sid,
            shell if shell and k % 8 == 0 else f"{name} trading {k % 8}",
            f"{name} buyer {k % 16}",
            date=f"2026-{1 + k // 24:02d}-{1 + k % 24:02d}",
            address=f"{name} drop unit 4",
            payment=f"card:{name}-{k % 16}",
            ip=f"10.{len(name)}.{ord(name[0])}.{k % 16}",
            shipper_phone=f"+86 131 {ord(name[0]):04d} {ord(name[1]):04d}",
            shipper_email=f"sales@{name}.example",
            outcome="seized" if k % 48 == 0 else "",
            category="fentanyl" if k % 48 == 0 else "",
        )
    return ships


def test_two_rings_glued_by_a_merged_shell_are_two_linked_networks_among_many(
    store: GraphStore,
) -> None:
    """A shipper name merged across two rings (one party holding both rings' phones) glues
    their regions; among many other regions that are split at the same time, each region is
    still judged by its own modularity, so the two rings come out as two linked networks."""
    g = GraphBuilder()
    _legit(g, np.random.default_rng(13))
    shell = "jiahe yida biotech"
    alder = _crew(g, "alder", shell)
    birch = _crew(g, "birch", shell)
    for k in range(40):
        _crew(g, f"crew{k:02d}")
    g.write(store)
    networks = store.networks(analyze_store(store, AnalysisConfig()).run_id)
    a_score, a_net = _best(networks, alder)
    b_score, b_net = _best(networks, birch)
    assert a_net.network_id != b_net.network_id
    assert min(a_score, b_score) >= 0.8
    assert any(r.startswith("linked networks") and b_net.network_id in r for r in a_net.reasons)


def test_a_consolidator_shipping_for_two_rings_is_in_no_network_and_glues_nothing(
    store: GraphStore,
) -> None:
    """A forwarder that ships for 130 unrelated customers and for two rings (some of their
    parcels seized) is a hub: it sits in no network and does not join the two rings."""
    g = GraphBuilder()
    _legit(g, np.random.default_rng(14))
    forwarder = "global express forwarding"
    for k in range(130):
        g.ship(
            f"fwd-{k}", forwarder, f"customer {k}", address=f"{k} oak st", shipper_phone="+852 1"
        )
    rings = {name: _crew(g, name) for name in ("alder", "birch")}
    for name in rings:
        for k in range(6):
            sid = g.ship(
                f"{name}-fwd-{k}",
                forwarder,
                f"{name} buyer {k}",
                address=f"{name} drop unit 4",
                outcome="seized" if k == 0 else "",
                category="fentanyl" if k == 0 else "",
                shipper_phone="+852 1",
            )
            rings[name].add(sid.removeprefix("shipment:"))
    g.write(store)
    run = analyze_store(store, AnalysisConfig())
    networks = store.networks(run.run_id)
    assert not any(party(forwarder) in n.entity_ids for n in networks)
    assert any("global express forwarding" in h.label for h in run.hubs)
    a_score, a_net = _best(networks, rings["alder"])
    b_score, b_net = _best(networks, rings["birch"])
    assert a_net.network_id != b_net.network_id and min(a_score, b_score) >= 0.8


def test_a_small_fragment_joins_the_community_it_shares_most_with() -> None:
    """Communities 0 (6 parties) and 1 (7 parties) stay apart; community 2 (2 parties,
    under the minimum of 6) joins 1, with which it shares more weight (3 against 1);
    community 3 (1 party, in another region) has nowhere to go and stays."""
    labels = np.array([0] * 6 + [1] * 7 + [2] * 2 + [3] + [-1], dtype=np.int64)
    regions = np.array([0] * 15 + [1] + [-1], dtype=np.int64)
    split = Components(labels=labels, count=4)
    src = np.array([0, 13, 14, 5, 15], dtype=np.int64)
    dst = np.array([6, 12, 7, 14, 16], dtype=np.int64)
    weight = np.array([1.0, 2.0, 1.0, 1.0, 5.0])
    merged = absorb_fragments(split, regions, (src, dst, weight), 17, 6)
    assert merged.count == 3
    out = merged.labels
    assert len(set(out[:6])) == 1 and len(set(out[6:15])) == 1 and out[0] != out[6]
    assert out[15] not in (out[0], out[6]) and out[16] == -1

"""The app's store access and graph shaping, without a browser."""

from __future__ import annotations

from dashboards import data
from dashboards.styles import VIA_SHIPMENTS
from graphintel.labels import LABEL_CHARS
from graphintel.model import EdgeKind, NodeKind
from graphintel.records import EdgeRecord, Network, NodeRecord
from graphintel.store import GraphStore
from tests.builders import IMG_NAME, SCRIPT_NAME, AppSample
from tests.graph_writes import write_records

Sampled = tuple[GraphStore, AppSample]


def test_latest_analysis_is_none_on_an_empty_store(store: GraphStore) -> None:
    assert data.latest_analysis(store) is None


def test_latest_analysis_skips_running_and_failed_runs(sample_store: Sampled) -> None:
    store, sample = sample_store
    store.start_run("analyze", {}, {})
    failed = store.start_run("analyze", {}, {})
    store.fail_run(failed.run_id, "boom")
    latest = data.latest_analysis(store)
    assert latest is not None and latest.run_id == sample.run_id


def test_network_rows_follow_the_ranking_and_link_to_each_network(sample_store: Sampled) -> None:
    store, sample = sample_store
    rows = data.network_rows(store, sample.run_id)
    assert [r["id"] for r in rows] == [sample.ring, sample.big, sample.tiny]
    top = rows[0]
    assert top["rank"] == 1 and top["score"] == 0.912
    assert (top["n_shipments"], top["n_entities"], top["seized_count"]) == (30, 14, 3)
    assert top["href"] == f"/network/{sample.run_id}/{sample.ring}"
    assert top["network"] == f"[net\\-0001]({top['href']})"
    assert "4 consignees share one delivery address" in top["reasons"]
    assert top["typologies"] == "split-shipments, drop-address"
    assert len(data.network_rows(store, sample.run_id, limit=2)) == 2


def test_network_links_survive_any_id() -> None:
    run_id, network_id = "run 1/2", "net?#/<x>%"
    href = data.network_href(run_id, network_id)
    _, run_part, net_part = href.removeprefix("/").split("/")
    assert data.network_path_ids(run_part, net_part) == (run_id, network_id)


def test_markdown_text_leaves_no_live_markup() -> None:
    for hostile in (SCRIPT_NAME, IMG_NAME, "[x](javascript:alert(1))", "**b** `c`"):
        escaped = data.markdown_text(hostile)
        unescaped = escaped.replace("\\<", "").replace("\\>", "").replace("\\[", "")
        assert "<" not in unescaped and "[" not in unescaped
        assert escaped.replace("\\", "") == hostile.replace("\\", "")


def test_store_summary_counts_what_the_sample_holds(sample_store: Sampled) -> None:
    store, _ = sample_store
    summary = data.store_summary(store)
    assert summary["shipments"] == 830
    assert summary["parties"] == 8 + 41 + 1
    assert summary["identifiers"] == 6 + 10 + 1


def test_a_small_network_is_drawn_whole(sample_store: Sampled) -> None:
    store, sample = sample_store
    view = data.network_view(store, sample.run_id, sample.ring)
    assert view is not None
    assert not view.collapsed and view.omitted_nodes == 0 and view.missing_nodes == 0
    kinds = [n.kind for n in view.nodes]
    assert kinds.count(NodeKind.SHIPMENT) == sample.ring_shipments
    assert len(view.nodes) == 44 and len(view.edges) == 160
    assert sample.shared_address in view.evidence_ids
    assert "shipment:HAWB00004" in view.evidence_ids


def test_a_large_network_folds_shipments_into_weighted_links(sample_store: Sampled) -> None:
    store, sample = sample_store
    view = data.network_view(store, sample.run_id, sample.big)
    assert view is not None and view.collapsed
    assert view.total_nodes == 851 and view.total_edges == 2400
    assert view.element_count <= data.MAX_ELEMENTS
    assert all(n.kind is not NodeKind.SHIPMENT for n in view.nodes)
    assert {e.kind for e in view.edges} == {VIA_SHIPMENTS}
    hub = "party:bigco"
    hub_to_parties = [
        e
        for e in view.edges
        if hub in (e.source, e.target) and (e.source + e.target).count("party:") == 2
    ]
    # Every one of the 800 shipments joined the hub shipper to one of 40 consignees.
    assert len(hub_to_parties) == 40
    assert sum(e.weight for e in hub_to_parties) == sample.big_shipments
    drawn = {n.id for n in view.nodes}
    assert all(e.source in drawn and e.target in drawn for e in view.edges)


def test_folding_keeps_entity_to_entity_edges() -> None:
    nodes = [
        NodeRecord("shipment:1", NodeKind.SHIPMENT, "1"),
        NodeRecord("party:a", NodeKind.PARTY, "A"),
        NodeRecord("party:b", NodeKind.PARTY, "B"),
        NodeRecord("phone:1", NodeKind.PHONE, "1"),
        NodeRecord("address:1", NodeKind.ADDRESS, "1"),
    ]
    edges = [
        data.ViewEdge("shipment:1", "party:a", EdgeKind.SHIPPED_BY.value),
        data.ViewEdge("shipment:1", "party:b", EdgeKind.CONSIGNED_TO.value),
        data.ViewEdge("shipment:1", "address:1", EdgeKind.DELIVERED_TO.value),
        data.ViewEdge("party:b", "phone:1", EdgeKind.HAS_PHONE.value),
    ]
    kept_nodes, kept_edges = data.collapse_shipments(nodes, edges)
    assert [n.id for n in kept_nodes] == ["party:a", "party:b", "phone:1", "address:1"]
    pairs = {(e.source, e.target, e.kind) for e in kept_edges}
    assert pairs == {
        ("party:b", "phone:1", "HAS_PHONE"),
        ("address:1", "party:a", VIA_SHIPMENTS),
        ("address:1", "party:b", VIA_SHIPMENTS),
        ("party:a", "party:b", VIA_SHIPMENTS),
    }


def test_a_tight_budget_leaves_out_the_least_connected_but_keeps_evidence(
    sample_store: Sampled,
) -> None:
    store, sample = sample_store
    view = data.network_view(store, sample.run_id, sample.big, max_elements=30)
    assert view is not None and view.collapsed
    assert view.element_count <= 30
    assert view.omitted_nodes == 51 - len(view.nodes) > 0
    assert "party:bigco" in {n.id for n in view.nodes}
    drawn = {n.id for n in view.nodes}
    assert all(e.source in drawn and e.target in drawn for e in view.edges)


def test_bare_shipment_ids_in_evidence_become_node_ids() -> None:
    assert data.evidence_node_id("HAWB1") == "shipment:HAWB1"
    assert data.evidence_node_id("shipment:HAWB1") == "shipment:HAWB1"
    assert data.evidence_node_id("phone:+12015550143") == "phone:+12015550143"


def test_unknown_network_has_no_view(sample_store: Sampled) -> None:
    store, sample = sample_store
    assert data.network_view(store, sample.run_id, "net-missing") is None
    assert data.network_view(store, "run-missing", sample.ring) is None


def test_members_gone_after_re_resolution_are_counted(store: GraphStore) -> None:
    write_records(store, [NodeRecord("party:a", NodeKind.PARTY, "A")], [], [], [])
    run = store.start_run("analyze", {}, {})
    net = Network(
        "n1", run.run_id, 1, 1.0, ("r",), {"r": ["party:a"]}, ("S9",), ("party:a", "party:gone")
    )
    store.finish_run(run.run_id, {}, [net])
    view = data.network_view(store, run.run_id, "n1")
    assert view is not None
    assert [n.id for n in view.nodes] == ["party:a"]
    assert view.missing_nodes == 2  # party:gone and shipment:S9


def test_cytoscape_elements_are_consistent_and_styled_by_kind(sample_store: Sampled) -> None:
    store, sample = sample_store
    view = data.network_view(store, sample.run_id, sample.ring)
    assert view is not None
    seized = data.seized_shipments(store, view)
    assert seized == {"shipment:HAWB00004", "shipment:HAWB00011", "shipment:HAWB00023"}
    elements = data.cytoscape_elements(view, seized)
    node_els = [e for e in elements if "source" not in e["data"]]
    edge_els = [e for e in elements if "source" in e["data"]]
    node_ids = {e["data"]["id"] for e in node_els}
    assert len(node_ids) == len(node_els) == 44
    assert len({e["data"]["id"] for e in edge_els}) == len(edge_els) == 160
    assert all(
        e["data"]["source"] in node_ids and e["data"]["target"] in node_ids for e in edge_els
    )
    by_id = {e["data"]["id"]: e for e in node_els}
    assert by_id[sample.main_shipper]["classes"].split() == ["Party", "evidence", "key"]
    assert "seized" in by_id["shipment:HAWB00004"]["classes"].split()
    assert by_id[sample.script_party]["data"]["label"] == SCRIPT_NAME
    long_label = by_id[sample.shared_address]["data"]["label"]
    assert long_label.startswith("1200 Industrial Blvd") and long_label.endswith("…")
    assert len(long_label) == LABEL_CHARS
    # Hubs are drawn larger than leaves of the same kind.
    assert by_id[sample.main_shipper]["data"]["size"] > by_id["party:c5"]["data"]["size"]


def test_party_detail_has_merge_evidence_and_source_rows(sample_store: Sampled) -> None:
    store, sample = sample_store
    detail = data.node_detail(store, sample.main_shipper)
    assert detail is not None
    assert detail.node.props["names"][0] == "SHENZHEN HUAYU TRADING CO LTD"
    assert [ev.rule for ev in detail.merge_evidence] == [
        "company-name-jaro-winkler",
        "same-phone",
    ]
    assert len(detail.provenance) == 20
    assert {p.load_id for p in detail.provenance} == {"load-sample"}
    assert detail.degree == 20 and detail.shipment is None


def test_shipment_and_identifier_details(sample_store: Sampled) -> None:
    store, sample = sample_store
    shipment = data.node_detail(store, "shipment:HAWB00004")
    assert shipment is not None and shipment.shipment is not None
    assert shipment.shipment.inspection_outcome == "seized"
    assert [(p.row_number, p.file_id) for p in shipment.provenance] == [(6, "sha256-sample")]
    assert shipment.merge_evidence == []
    address = data.node_detail(store, sample.shared_address)
    # 24 shipments delivered there, plus 4 more of the consignees who list it.
    assert address is not None and len(address.provenance) == 28
    assert address.shipment is None and address.merge_evidence == []


def test_detail_of_unknown_or_malformed_ids_is_none(sample_store: Sampled) -> None:
    store, _ = sample_store
    assert data.node_detail(store, "party:nobody") is None
    assert data.node_detail(store, "not-a-node-id") is None


def test_edges_between_members_only(store: GraphStore) -> None:
    write_records(
        store,
        [
            NodeRecord("party:a", NodeKind.PARTY, "A"),
            NodeRecord("phone:1", NodeKind.PHONE, "1"),
            NodeRecord("phone:2", NodeKind.PHONE, "2"),
        ],
        [
            EdgeRecord("party:a", "phone:1", EdgeKind.HAS_PHONE),
            EdgeRecord("party:a", "phone:2", EdgeKind.HAS_PHONE),
        ],
        [],
        [],
    )
    run = store.start_run("analyze", {}, {})
    store.finish_run(
        run.run_id, {}, [Network("n", run.run_id, 1, 1.0, (), {}, (), ("party:a", "phone:1"))]
    )
    view = data.network_view(store, run.run_id, "n")
    assert view is not None
    assert [(e.source, e.target) for e in view.edges] == [("party:a", "phone:1")]

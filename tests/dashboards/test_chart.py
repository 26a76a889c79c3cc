"""The link chart's pieces without a browser: server layouts, timeline, date filter on
summarised links, path hops, legend, merge evidence in words, the network page's name,
points and views."""

from __future__ import annotations

import math

from dash import html

from dashboards import chart_layout, colouring, ids, merge_view, timeline, workspace
from dashboards.components import detail_panel
from dashboards.data import node_detail
from dashboards.pages import network
from dashboards.styles import NODE_STYLES
from graphintel.model import NodeKind
from graphintel.records import MergeEvidence
from graphintel.store import GraphStore
from tests.builders import RING_NAME, AppSample
from tests.dashboards.test_pages import find, texts

Sampled = tuple[GraphStore, AppSample]


def _node(nid: str, size: float = 30.0, kind: str = "Party") -> workspace.Element:
    return {"data": {"id": nid, "kind": kind, "size": size}, "classes": kind}


def _edge(a: str, b: str, **extra: object) -> workspace.Element:
    return {"data": {"id": f"{a}|x|{b}", "source": a, "target": b, **extra}, "classes": "x"}


def _hub_and_twin() -> list[workspace.Element]:
    """A shipper and a drop address both linked to the same 30 shipments: structurally the
    same, which a spring layout puts on top of each other."""
    els = [_node("shipper", 60), _node("drop", 60, "Address")]
    for i in range(30):
        els.append(_node(f"s{i}", 12, "Shipment"))
        els += [_edge(f"s{i}", "shipper"), _edge(f"s{i}", "drop")]
    return els


def test_server_layouts_never_overlap_two_nodes() -> None:
    els = _hub_and_twin()
    for compute in (chart_layout.seeded_positions, chart_layout.concentric_positions):
        placed = workspace.place(els, compute(els))
        assert chart_layout.overlapping_pairs(placed) == 0
        assert compute(els) == compute(els)  # seeded: the same picture every time


def test_rings_layout_uses_several_rings() -> None:
    els = _hub_and_twin()
    spots = chart_layout.concentric_positions(els)
    cx = sum(p["x"] for p in spots.values()) / len(spots)
    cy = sum(p["y"] for p in spots.values()) / len(spots)
    radii = {round(math.hypot(p["x"] - cx, p["y"] - cy) / 40) for p in spots.values()}
    assert len(radii) >= 3  # cytoscape's own concentric put all 32 on one ring


def test_timeline_counts_days_and_seizures() -> None:
    days = [("2026-01-02", False), ("2026-01-01", True), ("2026-01-02", True), ("", False)]
    assert timeline.daily_counts(days) == [("2026-01-01", 1, 1), ("2026-01-02", 2, 1)]
    fig = timeline.figure(timeline.daily_counts(days))
    assert fig["data"][0]["y"] == [0, 1] and fig["data"][1]["y"] == [1, 1]
    assert fig["layout"]["dragmode"] == "select"


def test_date_filter_fades_summary_links_and_their_lonely_ends() -> None:
    els = [
        _node("a"),
        _node("b"),
        _node("c"),
        _edge("a", "b", first_date="2026-01-01", last_date="2026-01-09"),
        _edge("b", "c", first_date="2026-03-01", last_date="2026-03-05"),
    ]
    out = workspace.fade_outside(els, "2026-02-01", "2026-03-31")
    faded = {e["data"]["id"] for e in out if "faded" in workspace.classes_of(e)}
    assert faded == {"a", "a|x|b"}  # b keeps a link inside the dates, c is inside
    cleared = workspace.fade_outside(out, None, None)
    assert not any("faded" in workspace.classes_of(e) for e in cleared)


def test_path_hops_name_each_node_and_link(sample_store: Sampled) -> None:
    store, sample = sample_store
    path = workspace.shortest_path(store, sample.img_party, sample.script_party)
    assert path is not None
    hops = workspace.path_hops(store, path)
    assert [h.node_id for h in hops] == path and len(hops) == 4
    assert hops[0].kind == "Party" and hops[-1].link == ""
    assert all(h.link for h in hops[:-1]) and [h.link for h in hops] == [
        "has address",
        "delivery address of",
        "shipped by",
        "",
    ]


def test_legend_names_exactly_the_fills_on_the_chart(sample_store: Sampled) -> None:
    store, sample = sample_store
    page = network.render(store, sample.run_id, sample.ring)
    elements = find(page, ids.GRAPH).elements
    by_kind = colouring.legend_entries(elements, by_network=False)
    kinds = {e["data"]["kind"] for e in elements if "source" not in e["data"]}
    fills = {NODE_STYLES[NodeKind(k)].colour for k in kinds}
    assert {e.colour for e in by_kind if e.shape and e.label != "seized shipment"} == fills
    assert "seized shipment" in {e.label for e in by_kind}
    by_network = colouring.legend_entries(elements, by_network=True)
    coloured = {e["data"]["ccolour"] for e in elements if "source" not in e["data"]}
    assert {e.colour for e in by_network if e.shape == "ellipse"} == coloured
    assert any(RING_NAME in e.label for e in by_network)


def test_merge_evidence_reads_per_field_without_internal_ids() -> None:
    rows = [
        MergeEvidence("party:x", f"S{i}#shipper", f"S{i + 1}#shipper", "name", "ACME LTD",
                      "Acme Limited" if i % 2 else "ACME LTD", 0.9, 2.0,
                      "fellegi_sunter:one_typo" if i % 2 else "fellegi_sunter:exact")
        for i in range(6)
    ]  # fmt: skip
    rows += [
        MergeEvidence("party:x", "S0#shipper", "S1#shipper", "match_probability", "", "", 0.97,
                      0.0, "fellegi_sunter"),
        MergeEvidence("party:x", "S0#shipper", "S1#shipper", "phone", "+1555", "+1555", 1.0,
                      3.0, "brand-new-rule"),
    ]  # fmt: skip
    summary = merge_view.summarize(rows)
    assert [g.label for g in summary.groups] == ["Name", "Phone"]
    assert summary.pairs == 6 and summary.mentions == 7 and summary.probability == (0.97, 0.97)
    name = summary.groups[0]
    assert dict(name.outcomes) == {"identical": 3, "one typo apart": 3}
    shown = " ".join(texts(html.Div(merge_view.merge_section(rows))))
    assert "#shipper" not in shown and "S0" not in shown  # mention ids only on hover
    assert "brand-new-rule" in shown  # an unknown rule is shown as recorded


def test_shipment_panel_shows_each_field_once(sample_store: Sampled) -> None:
    store, _ = sample_store
    panel = detail_panel(node_detail(store, "shipment:HAWB00004"), "shipment:HAWB00004")
    shown = texts(panel)
    for label in ("Arrival", "Declared value (USD)", "Description", "Inspection"):
        assert shown.count(label) == 1
    assert "arrival_date" not in shown and "Properties" not in shown
    assert shown.count("HAWB00004") == 1


def test_network_page_shows_name_points_and_views(sample_store: Sampled) -> None:
    store, sample = sample_store
    page = network.render(store, sample.run_id, sample.ring)
    shown = texts(page)
    assert RING_NAME in shown and sample.ring in shown
    reasons = texts(find(page, ids.REASONS))
    assert "+0.4" in reasons and "+0.0" in reasons and "bonus for independent signals" in reasons
    assert any("0.9 points" in t for t in reasons)
    # a small network opens in full, a large one summarised; either can ask for the other
    assert "gi-view gi-view-on" in str(find(page, ids.VIEW_SWITCH))
    ring = store.network(sample.run_id, sample.ring)
    assert ring is not None and network.chosen_view(ring, None) == "full"
    big = network.render(store, sample.run_id, sample.big)
    counts = find(big, ids.GRAPH_COUNTS).children
    assert "summarising 800 shipments" in counts
    graph = find(big, ids.GRAPH)
    nodes = [e for e in graph.elements if "source" not in e["data"]]
    assert len(nodes) == 51 and all("position" in e for e in nodes)
    assert chart_layout.overlapping_pairs(graph.elements) == 0
    full = network.render(store, sample.run_id, sample.big, "full")
    assert "summarising" not in find(full, ids.GRAPH_COUNTS).children

"""Page layouts and callbacks against a hand-built store, and the app's wiring over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import dash
import pytest
from dash.development.base_component import Component

from dashboards import graph_panel, ids, styles
from dashboards.app import create_app
from dashboards.data import network_href
from dashboards.pages import network, networks
from graphintel.model import NodeKind
from graphintel.records import NodeRecord
from graphintel.store import GraphStore
from tests.builders import IMG_NAME, SCRIPT_NAME, AppSample
from tests.graph_writes import write_records

Sampled = tuple[GraphStore, AppSample]


def walk(root: Component) -> Iterator[Component]:
    yield root
    yield from root._traverse()


def texts(root: Component) -> list[str]:
    """Every string the tree renders as text."""
    out: list[str] = []
    for c in walk(root):
        children = getattr(c, "children", None)
        if isinstance(children, str):
            out.append(children)
        elif isinstance(children, list):
            out += [ch for ch in children if isinstance(ch, str)]
    return out


def find(root: Component, id_: Any) -> Component:
    for c in walk(root):
        if getattr(c, "id", None) == id_:
            return c
    raise AssertionError(f"no component {id_!r}")


def assert_no_raw_html(root: Component) -> None:
    for c in walk(root):
        assert not getattr(c, "dangerously_allow_html", False), c
        assert type(c).__name__ != "Markdown", "markdown would render manifest text"


# -- networks page -----------------------------------------------------------------------------
def test_networks_page_without_a_run_says_what_to_do(store: GraphStore) -> None:
    page = networks.render(store)
    empty = find(page, ids.NETWORKS_EMPTY)
    assert "graphintel run FILE" in texts(empty)
    assert "No analysis yet" in texts(empty)
    with pytest.raises(AssertionError):
        find(page, ids.NETWORKS_TABLE)


def test_networks_page_with_an_empty_run(store: GraphStore) -> None:
    run = store.start_run("analyze", {}, {})
    store.finish_run(run.run_id, {})
    page = networks.render(store)
    assert "No networks found" in texts(find(page, ids.NETWORKS_EMPTY))


def test_networks_page_lists_ranked_networks_sortable_and_filterable(
    sample_store: Sampled,
) -> None:
    store, sample = sample_store
    page = networks.render(store)
    table = find(page, ids.NETWORKS_TABLE)
    assert [row["id"] for row in table.rowData] == [sample.ring, sample.big, sample.tiny]
    assert table.defaultColDef["sortable"] and table.defaultColDef["floatingFilter"]
    assert table.getRowId == "params.data.id"
    assert not any(c.get("cellRenderer") for c in table.columnDefs)  # text, never HTML
    column_ids = [c["field"] for c in table.columnDefs]
    for wanted in (
        "rank",
        "score",
        "n_shipments",
        "n_entities",
        "reasons",
        "first_date",
        "last_date",
        "seized_count",
        "typologies",
        "countries",
    ):
        assert wanted in column_ids
    numbers = [c["field"] for c in table.columnDefs if c["filter"] == "agNumberColumnFilter"]
    assert numbers == ["rank", "score", "n_shipments", "n_entities", "seized_count"]
    assert sample.run_id in texts(page)
    assert_no_raw_html(page)


def test_clicking_a_row_opens_its_network(sample_store: Sampled) -> None:
    store, sample = sample_store
    rows = networks.render(store)
    table = find(rows, ids.NETWORKS_TABLE)
    cell = {"colId": "n_shipments", "rowIndex": 1, "rowId": sample.big, "value": 800}
    assert networks.row_href(cell, table.rowData) == network_href(sample.run_id, sample.big)
    assert networks.row_href(None, table.rowData) is dash.no_update
    assert networks.row_href({"rowId": "nope"}, table.rowData) is dash.no_update


# -- network page ------------------------------------------------------------------------------
def test_network_page_draws_the_ring_with_reasons_and_legend(sample_store: Sampled) -> None:
    store, sample = sample_store
    page = network.render(store, sample.run_id, sample.ring)
    graph = find(page, ids.GRAPH)
    n_nodes = sum(1 for e in graph.elements if "source" not in e["data"])
    n_edges = len(graph.elements) - n_nodes
    assert (n_nodes, n_edges) == (44, 160)
    assert find(page, ids.GRAPH_COUNTS).children == "44 nodes · 160 links"
    # opens with the server's positions (a preset), the "server" choice of the selector
    assert find(page, ids.LAYOUT_SELECT).value == styles.DEFAULT_LAYOUT == "server"
    assert graph.layout["name"] == "preset"
    assert all("position" in e for e in graph.elements if "source" not in e["data"])
    with pytest.raises(AssertionError):
        find(page, ids.GRAPH_NOTICE)
    reasons = texts(find(page, ids.REASONS))
    assert "4 consignees share one delivery address" in reasons
    chip = find(page, {"type": ids.EVIDENCE_CHIP, "node": sample.shared_address})
    assert chip.title == sample.shared_address
    legend = texts(find(page, ids.LEGEND))
    assert {
        "Party",
        "Shipment",
        "Address",
        "Phone",
        "E-mail",
        "Payment account",
        "IP address",
    } <= set(legend)


def test_network_page_says_when_shipments_are_folded(sample_store: Sampled) -> None:
    store, sample = sample_store
    page = network.render(store, sample.run_id, sample.big, "full")
    graph = find(page, ids.GRAPH)
    assert len(graph.elements) <= 1500
    notice = " ".join(texts(find(page, ids.GRAPH_NOTICE)))
    assert "shipments are folded" in notice and "3,251 elements" in notice
    assert "network: 851 nodes · 2,400 links" in find(page, ids.GRAPH_COUNTS).children


def test_unknown_network_page(sample_store: Sampled) -> None:
    store, sample = sample_store
    page = network.render(store, sample.run_id, "net-none")
    assert page.id == ids.NETWORK_MISSING
    assert "net-none" in texts(page)


def test_hostile_names_stay_text(sample_store: Sampled) -> None:
    store, sample = sample_store
    page = network.render(store, sample.run_id, sample.ring)
    assert_no_raw_html(page)
    assert f"Shipper names rotate: {IMG_NAME} and 3 variants" in texts(page)
    labels = {e["data"].get("label") for e in find(page, ids.GRAPH).elements}
    assert SCRIPT_NAME in labels
    panel = network.show_detail(store, ids.GRAPH, {"id": sample.script_party})
    assert_no_raw_html(panel)
    assert SCRIPT_NAME in texts(panel)


def test_detail_panel_follows_the_last_click(sample_store: Sampled) -> None:
    store, sample = sample_store
    chip = {"type": ids.EVIDENCE_CHIP, "node": sample.main_shipper}
    panel = network.show_detail(store, chip, {"id": sample.script_party})
    shown = texts(panel)
    assert "Shenzhen Huayu Trading Co., Ltd." in shown and sample.main_shipper in shown
    assert any("company-name-jaro-winkler" in t for t in shown)  # merge evidence, in words
    assert "Source rows (20)" in shown
    tapped = network.show_detail(store, ids.GRAPH, {"id": "shipment:HAWB00004"})
    assert "seized" in texts(tapped) and "tablet press parts" in texts(tapped)
    nothing = network.show_detail(store, None, None)
    assert "Nothing selected" in texts(nothing)
    gone = network.show_detail(store, ids.GRAPH, {"id": "party:gone"})
    assert "Not in the store" in texts(gone)


def test_detail_shows_every_name_seen(store: GraphStore) -> None:
    names = ["ACME LTD", "Acme Limited", "A.C.M.E."]
    write_records(
        store, [NodeRecord("party:a", NodeKind.PARTY, "ACME", {"names": names})], [], [], []
    )
    shown = texts(network.show_detail(store, ids.GRAPH, {"id": "party:a"}))
    assert all(n in shown for n in names)


def test_layout_selector_maps_to_cytoscape_layouts(sample_store: Sampled) -> None:
    store, sample = sample_store
    page = network.render(store, sample.run_id, sample.ring)
    elements = find(page, ids.GRAPH).elements
    assert graph_panel.layout_for("fcose", elements)["name"] == "fcose"
    # the server layouts come as a preset with a position for every node
    rings = graph_panel.layout_for("concentric", elements)
    assert rings["name"] == "preset"
    assert set(rings["positions"]) == {
        e["data"]["id"] for e in elements if "source" not in e["data"]
    }
    for unknown in ("no-such-layout", None):
        chosen = graph_panel.layout_for(unknown, elements)
        assert chosen["name"] == "preset" and len(chosen["positions"]) == 44


# -- the assembled app over HTTP -----------------------------------------------------------------
def _update(
    client: Any,
    output: str,
    outputs: Any,
    inputs: list[Any],
    changed: str,
    state: list[Any] | None = None,
) -> Any:
    body = {
        "output": output,
        "outputs": outputs,
        "inputs": inputs,
        "changedPropIds": [changed],
        "state": state or [],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data
    return response


def test_app_serves_pages_offline_with_its_own_assets(app: dash.Dash) -> None:
    client = app.server.test_client()
    index = client.get("/")
    assert index.status_code == 200
    html = index.data.decode()
    assert "/assets/graphintel.css" in html
    assert "unpkg.com" not in html and "cdn." not in html
    assert client.get("/assets/graphintel.css").status_code == 200
    deps = client.get("/_dash-dependencies").json
    outputs = {d["output"] for d in deps}
    assert f"{ids.DETAIL}.children" in outputs and f"{ids.GRAPH}.layout" in outputs


def test_app_routes_to_the_network_page_and_escapes_names(
    app: dash.Dash, sample_store: Sampled
) -> None:
    _, sample = sample_store
    client = app.server.test_client()
    client.get("/")
    response = _update(
        client,
        ".._pages_content.children..._pages_store.data..",
        [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        [
            {
                "id": "_pages_location",
                "property": "pathname",
                "value": network_href(sample.run_id, sample.ring),
            },
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
        "_pages_location.pathname",
    )
    body = response.data.decode()
    assert "<script>" not in body and "<img" not in body
    payload = json.loads(body)["response"]
    assert payload["_pages_store"]["data"]["title"] == "net-0001 · GraphIntel"
    assert json.dumps(SCRIPT_NAME) in json.dumps(payload)


def test_app_detail_callback_answers_a_tap(app: dash.Dash, sample_store: Sampled) -> None:
    _, sample = sample_store
    client = app.server.test_client()
    client.get("/")
    response = _update(
        client,
        f"{ids.DETAIL}.children",
        {"id": ids.DETAIL, "property": "children"},
        [
            {"id": ids.GRAPH, "property": "tapNodeData", "value": {"id": sample.img_party}},
            {"id": ids.GRAPH, "property": "tapEdgeData", "value": None},
            [
                {
                    "id": {"type": ids.EVIDENCE_CHIP, "node": sample.shared_address},
                    "property": "n_clicks",
                    "value": 0,
                }
            ],
        ],
        f"{ids.GRAPH}.tapNodeData",
        [{"id": ids.WORKSPACE_CONTEXT, "property": "data", "value": None}],
    )
    payload = json.loads(response.data)["response"][ids.DETAIL]["children"]
    assert IMG_NAME in json.dumps(payload)
    assert "<img" not in response.data.decode()


def test_two_apps_in_one_process_read_their_own_stores(
    sample_store: Sampled, store: GraphStore
) -> None:
    sample_app = create_app(sample_store[0])
    empty_app = create_app(store)
    with sample_app.server.test_request_context("/"):
        assert "No analysis yet" not in texts(networks.layout())
    with empty_app.server.test_request_context("/"):
        assert "No analysis yet" in texts(networks.layout())

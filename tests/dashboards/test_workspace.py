"""Workspace edits over the sample store: expand, hide, pin, path, date fade, undo/redo, and
the deterministic layout and communities."""

from __future__ import annotations

from dashboards import chart_layout, colouring, data, graph_panel, ids, workspace
from graphintel.store import GraphStore
from tests.builders import AppSample

Sampled = tuple[GraphStore, AppSample]


def _ring_elements(sampled: Sampled) -> list[workspace.Element]:
    store, sample = sampled
    view = data.network_view(store, sample.run_id, sample.ring)
    assert view is not None
    return data.cytoscape_elements(view, data.seized_shipments(store, view))


def _ids(elements: list[workspace.Element]) -> set[str]:
    return set(workspace.node_ids(elements))


def test_expand_adds_bounded_neighbours_and_counts_the_rest(sample_store: Sampled) -> None:
    store, sample = sample_store
    start = [workspace.node_element(store.nodes([sample.main_shipper])[0], 1)]
    grown = workspace.expand(store, start, sample.main_shipper, {}, limit=5)
    _, total = store.neighbours(sample.main_shipper, limit=0)
    assert grown.added == 5 and grown.total == total
    assert grown.not_shown == total - 5
    assert len(_ids(grown.elements)) == 6
    # every new node is linked to the one expanded
    links = [e for e in grown.elements if not workspace.is_node(e)]
    assert len(links) == 5 and all(
        sample.main_shipper in (e["data"]["source"], e["data"]["target"]) for e in links
    )
    again = workspace.expand(store, grown.elements, sample.main_shipper, {}, limit=5)
    assert again.added == 5 and len(_ids(again.elements)) == 11


def test_hide_removes_nodes_and_their_links(sample_store: Sampled) -> None:
    _, sample = sample_store
    elements = _ring_elements(sample_store)
    left = workspace.hide(elements, [sample.shared_address])
    assert sample.shared_address not in _ids(left)
    assert all(
        sample.shared_address not in (e["data"]["source"], e["data"]["target"])
        for e in left
        if not workspace.is_node(e)
    )


def test_pin_locks_and_a_second_pin_unlocks(sample_store: Sampled) -> None:
    _, sample = sample_store
    elements = _ring_elements(sample_store)
    pinned = workspace.toggle_pin(elements, [sample.main_shipper])
    node = next(e for e in pinned if e["data"]["id"] == sample.main_shipper)
    assert node["locked"] is True and "pinned" in workspace.classes_of(node)
    unpinned = workspace.toggle_pin(pinned, [sample.main_shipper])
    node = next(e for e in unpinned if e["data"]["id"] == sample.main_shipper)
    assert node["locked"] is False and "pinned" not in workspace.classes_of(node)


def test_fade_outside_marks_only_shipments_out_of_range(sample_store: Sampled) -> None:
    elements = _ring_elements(sample_store)
    faded = workspace.fade_outside(elements, "2026-02-01", "2026-02-28")
    dated = {e["data"]["id"]: e for e in faded if e["data"].get("date")}
    assert len(dated) == 30
    outside = {i for i, e in dated.items() if "faded" in workspace.classes_of(e)}
    assert len(outside) == 20  # January and March
    assert all(not ("2026-02-01" <= dated[i]["data"]["date"] <= "2026-02-28") for i in outside)
    cleared = workspace.fade_outside(faded, None, None)
    assert not any("faded" in workspace.classes_of(e) for e in cleared)


def test_shortest_path_through_the_store(sample_store: Sampled) -> None:
    store, sample = sample_store
    path = workspace.shortest_path(store, sample.script_party, sample.img_party)
    assert path is not None and path[0] == sample.script_party and path[-1] == sample.img_party
    for a, b in zip(path, path[1:], strict=False):
        assert b in {e.target if e.source == a else e.source for e in store.neighbours(a)[0]}
    # the script-named shipper never ships to the img-named consignee: the shortest link is
    # shipper - shipment - shared delivery address - consignee
    assert len(path) == 4 and path[2] == sample.shared_address
    lone = workspace.shortest_path(store, sample.script_party, "party:solo")
    assert lone is None
    shown = workspace.show_path(store, [], path, {})
    marked = [e for e in shown if "path" in workspace.classes_of(e)]
    assert len(marked) == 7  # 4 nodes, 3 links


def test_undo_and_redo_walk_the_history() -> None:
    a: list[workspace.Element] = [{"data": {"id": "a"}}]
    b: list[workspace.Element] = [{"data": {"id": "b"}}]
    history = workspace.push(None, a)
    step = workspace.undo(history, b)
    assert step is not None and step[0] == a
    back = workspace.redo(step[1], step[0])
    assert back is not None and back[0] == b
    assert workspace.undo(workspace.empty_history(), a) is None


def test_layout_and_colours_are_the_same_on_every_load(sample_store: Sampled) -> None:
    store, sample = sample_store
    member = colouring.membership(store, sample.run_id)
    assert member is not None
    first = graph_panel.prepare(_ring_elements(sample_store), member)
    second = graph_panel.prepare(_ring_elements(sample_store), member)
    assert first == second
    elements, layout = first
    assert layout["name"] == "preset"
    nodes = [e for e in elements if workspace.is_node(e)]
    assert all("position" in e for e in nodes)
    assert chart_layout.overlapping_pairs(elements) == 0
    # every node of the ring is coloured as the run's ring network, read from the run
    assert {e["data"]["cnet"] for e in nodes} == {member.names[sample.ring]}


def test_dispatcher_applies_an_intent_and_keeps_history(sample_store: Sampled) -> None:
    store, sample = sample_store
    elements = _ring_elements(sample_store)
    intent = {"op": ids.BTN_HIDE, "positions": {}, "selected": [sample.shared_address]}
    new, history, message = graph_panel.apply_intent(store, intent, elements, None, None, None, [])
    assert sample.shared_address not in _ids(new) and "Hid 1 node" in message
    undo = {"op": ids.BTN_UNDO, "positions": {}, "selected": []}
    back, _, _ = graph_panel.apply_intent(store, undo, new, history, None, None, [])
    assert sample.shared_address in _ids(back)
    bad = {"op": ids.BTN_DATES, "positions": {}, "selected": []}
    *_, said = graph_panel.apply_intent(store, bad, elements, None, "03/01/2026", None, [])
    assert "YYYY-MM-DD" in said

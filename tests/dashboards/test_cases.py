"""Saving, reopening, renaming and deleting cases, and notes, through the page functions."""

from __future__ import annotations

from dashboards import data, ids, workspace
from dashboards.pages import cases
from graphintel.store import GraphStore
from tests.builders import SCRIPT_NAME, AppSample

Sampled = tuple[GraphStore, AppSample]


def _elements(sampled: Sampled) -> list[workspace.Element]:
    store, sample = sampled
    view = data.network_view(store, sample.run_id, sample.ring)
    assert view is not None
    return data.cytoscape_elements(view)


def test_save_keeps_positions_filters_and_notes_then_overwrites(sample_store: Sampled) -> None:
    store, sample = sample_store
    elements = _elements(sample_store)
    store.set_note(sample.script_party, "alias of Huayu?")
    positions = {sample.script_party: {"x": 12.0, "y": -7.5}}
    intent = {"op": ids.BTN_SAVE_CASE, "positions": positions, "selected": []}
    context = {"run_id": sample.run_id, "network_id": sample.ring}
    status, new_context = cases.save_case(
        store, intent, "  Ring A  ", elements, context, "2026-02-01", "", ["on"], "concentric"
    )
    case_id = new_context["case_id"]
    saved = store.case(case_id)
    assert saved is not None and saved.name == "Ring A"
    assert saved.payload["filters"] == {
        "date_from": "2026-02-01",
        "date_to": "",
        "community": True,
        "layout": "concentric",
    }
    assert saved.payload["notes"] == {sample.script_party: "alias of Huayu?"}
    assert saved.payload["source"] == context
    node = next(e for e in saved.payload["elements"] if e["data"]["id"] == sample.script_party)
    assert node["position"] == {"x": 12.0, "y": -7.5}
    # saving again from the same workspace overwrites the same case
    cases.save_case(store, intent, "Ring A2", elements, new_context, "", "", [], None)
    assert [c.name for c in store.cases()] == ["Ring A2"]
    # an unnamed save and other operations save nothing
    said, _ = cases.save_case(store, intent, " ", elements, None, "", "", [], None)
    assert said == "Name the case first." and len(store.cases()) == 1
    other = {"op": ids.BTN_HIDE, "positions": {}, "selected": []}
    assert cases.save_case(store, other, "x", elements, None, "", "", [], None)[0] is not None
    assert len(store.cases()) == 1


def test_reopened_case_renders_its_saved_chart(sample_store: Sampled) -> None:
    store, sample = sample_store
    elements = workspace.place(_elements(sample_store), {sample.script_party: {"x": 1, "y": 2}})
    store.save_case(
        "case-x", "Saved ring", {"elements": elements, "filters": {"date_to": "2026-02-28"}}
    )
    page = str(cases.render_case(store, "case-x"))
    assert "Saved ring" in page and "2026-02-28" in page and SCRIPT_NAME in page
    assert "'name': 'preset'" in page
    assert "Case not found" in str(cases.render_case(store, "case-none"))


def test_rename_and_delete_from_the_cases_list(sample_store: Sampled) -> None:
    store, _ = sample_store
    store.save_case("case-a", "First", {})
    store.save_case("case-b", "Second", {})
    rename = {"type": ids.CASE_RENAME, "case": "case-a"}
    cases.case_actions(store, rename, {"case-a": "Renamed <b>"}, True)
    case_a = store.case("case-a")
    assert case_a is not None and case_a.name == "Renamed <b>"
    listing = str(cases.case_actions(store, {"type": ids.CASE_DELETE, "case": "case-b"}, {}, True))
    assert store.case("case-b") is None and "Second" not in listing
    assert "No cases yet" in str(cases.cases_table([]))


def test_note_save_and_remove(sample_store: Sampled) -> None:
    store, sample = sample_store
    assert cases.save_note(store, 1, "watch", sample.main_shipper) == "Note saved."
    detail = data.node_detail(store, sample.main_shipper)
    assert detail is not None and detail.note == "watch"
    assert cases.save_note(store, 2, "", sample.main_shipper) == "Note removed."
    assert store.notes([sample.main_shipper]) == {}

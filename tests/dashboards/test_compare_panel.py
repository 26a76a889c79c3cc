"""The detail panel's "Compare with..." box renders the pairwise explanation as text, and
an identifier node shows the spellings merged into it, each with why."""

from __future__ import annotations

from typing import Any

from dashboards.compare_panel import _compare, aliases_section, comparison_view
from dashboards.components import detail_panel
from dashboards.data import node_detail
from graphintel.resolve import resolve_store
from graphintel.resolve.explain import FieldLine, PairExplanation
from graphintel.store import GraphStore
from tests.dashboards.test_pages import texts
from tests.resolve.helpers import load, ship


def _texts(component: Any) -> list[str]:
    """Every string child under ``component``."""
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    if children is None:
        return []
    if not isinstance(children, list | tuple):
        children = [children]
    return [t for child in children for t in _texts(child)]


def test_the_comparison_shows_levels_weights_and_the_rule() -> None:
    e = PairExplanation(
        "S1#shipper", "S2#shipper", "party:a", "party:b",
        (FieldLine("name", "<b>huayu</b>", "haoyu", "different", -3.5),
         FieldLine("phone", "+8613800138000", "+8613800138000", "exact", 4.2)),
        -8.0, -7.3, 0.006, False, "names differ beyond typos", "name similarity 80",
    )  # fmt: skip
    text = " ".join(_texts(comparison_view(e)))
    assert "different" in text and "-3.50" in text and "exact" in text and "4.20" in text
    assert "no merge: names differ beyond typos" in text
    assert "<b>huayu</b> | haoyu" in text  # a value is a text node, never markup
    assert "two entities now" in text


def test_nothing_typed_shows_nothing() -> None:
    assert _compare(1, None, "party:a", "  ") == ""


def test_an_address_node_shows_the_spellings_merged_into_it_with_why(store: GraphStore) -> None:
    lines = ["1535 Hill Lane Apt 5B", "1535 HILL LN #5B", "1535 Hlil Ln Unit 5B"]
    newark = {"consignee_city": "Newark", "consignee_state": "NJ", "consignee_postal_code": "07146"}
    load(store, [ship(f"S{i}", consignee_name=f"Person {chr(65 + i)}", consignee_address=line,
                      **newark) for i, line in enumerate(lines, 1)])  # fmt: skip
    resolve_store(store)
    node_id = "address:US|07146|1535 HILL LN UNIT 5B"
    shown = texts(detail_panel(node_detail(store, node_id), node_id))
    assert "Also written as (1)" in shown
    assert "US|07146|1535 HLIL LN UNIT 5B" in shown
    assert "street word HLIL read as HILL (same numbers, country US, place 07146)" in shown
    assert "aliases" not in shown  # not repeated as a raw property


def test_aliases_are_text_and_a_node_without_them_has_no_section() -> None:
    section = aliases_section(
        {"aliases": [{"key": "<b>+85215596252630</b>", "why": "one party wrote both"}]}
    )
    assert section is not None
    shown = _texts(section)
    assert "<b>+85215596252630</b>" in shown and "one party wrote both" in shown
    assert aliases_section({"raw": ["1535 Hill Ln"], "shipment_count": 2}) is None
    assert aliases_section({"aliases": []}) is None

"""The detail panel's "Compare with..." box renders the pairwise explanation as text."""

from __future__ import annotations

from typing import Any

from dashboards.compare_panel import _compare, comparison_view
from graphintel.resolve.explain import FieldLine, PairExplanation


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

"""The chart's look is declared for every kind the schema has, and the legend matches it."""

from __future__ import annotations

from dashboards import styles
from graphintel.model import EdgeKind, NodeKind


def test_every_node_kind_has_a_distinct_shape_and_colour() -> None:
    assert set(styles.NODE_STYLES) == set(NodeKind)
    assert len({s.shape for s in styles.NODE_STYLES.values()}) == len(NodeKind)
    assert len({s.colour for s in styles.NODE_STYLES.values()}) == len(NodeKind)


def test_every_edge_kind_has_a_label() -> None:
    assert {EdgeKind(k) for k in styles.EDGE_LABELS if k != styles.VIA_SHIPMENTS} == set(EdgeKind)


def test_stylesheet_has_a_rule_per_node_kind_and_folded_links() -> None:
    selectors = [rule["selector"] for rule in styles.stylesheet()]
    for kind in NodeKind:
        assert f"node.{kind.value}" in selectors
    assert f"edge.{styles.VIA_SHIPMENTS}" in selectors
    joined = " ".join(selectors)
    for kind in EdgeKind:
        assert f"edge.{kind.value}" in joined


def test_every_legend_shape_has_a_swatch() -> None:
    shapes = {s.shape for s in styles.NODE_STYLES.values()} | {"star"}
    assert shapes <= set(styles.LEGEND_CLIP_PATHS)


def test_layouts_name_themselves_and_the_default_exists() -> None:
    assert styles.DEFAULT_LAYOUT in styles.LAYOUTS
    assert set(styles.LAYOUT_LABELS) == set(styles.LAYOUTS)
    for name, opts in styles.LAYOUTS.items():
        assert opts["name"] == ("preset" if name in styles.SERVER_LAYOUTS else name)


def test_hubs_grow_within_bounds_and_shipments_stay_small() -> None:
    sizes = [styles.node_size(NodeKind.PARTY, d) for d in (1, 4, 25, 10_000)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert sizes[-1] <= styles.NODE_STYLES[NodeKind.PARTY].size * 2.6
    assert styles.node_size(NodeKind.SHIPMENT, 500) == styles.NODE_STYLES[NodeKind.SHIPMENT].size

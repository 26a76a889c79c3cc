"""A network's human name and its score broken into points per reason."""

from __future__ import annotations

import pytest

from graphintel.analytics import AnalysisConfig, analyze_store
from graphintel.analytics.naming import key_party, network_name, party_words
from graphintel.analytics.scoring import BONUS_REASON
from graphintel.store import GraphStore
from tests.analytics.graphs import GraphBuilder


def test_name_is_key_party_and_its_pattern_before_its_signals() -> None:
    assert (
        network_name("Shenzhen Huayu Trading Co., Ltd.", ["seizure", "drop_address"])
        == "Shenzhen Huayu Trading - drop address"
    )
    assert network_name("Lone Seller LLC", ["seizure"]) == "Lone Seller - seizures"
    assert network_name("", ["shared_ip"]) == "shared IP address"
    assert network_name("", [], "net-0007") == "net-0007"
    # Only whole legal-suffix words go; a hostile name keeps every character.
    assert party_words("<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert party_words("A" * 60).endswith("…") and len(party_words("A" * 60)) == 40


def test_key_party_has_most_shipments_then_is_cited() -> None:
    assert key_party({"party:a": 3, "party:b": 5}) == "party:b"
    assert key_party({"party:a": 5, "party:b": 5}, cited={"party:b"}) == "party:b"
    assert key_party({"party:b": 5, "party:a": 5}) == "party:a"
    assert key_party({}) is None


def _ring(g: GraphBuilder) -> None:
    """A shipper sending 12 parcels to 6 consignees at one drop address, 3 seized."""
    for k in range(12):
        g.ship(
            f"ring-{k}",
            "Huayu Trading Co., Ltd.",
            f"tenant {k % 6}",
            address="9 water st unit 10b",
            outcome="seized" if k < 3 else "",
            category="fentanyl" if k < 3 else "",
        )
    for k in range(4):
        g.ship(f"solo-{k}", "Other Shipper", f"shopper {k}", address=f"{k} elm st")


def test_analysis_names_networks_and_points_add_up_to_the_score(store: GraphStore) -> None:
    g = GraphBuilder()
    _ring(g)
    g.write(store)
    run = analyze_store(store, AnalysisConfig())
    [net] = [n for n in store.networks(run.run_id) if n.seized_count]
    assert net.name == "Huayu Trading - drop address"
    assert sum(net.points.values()) == pytest.approx(net.score, abs=1e-4)
    # every listed reason has its points; typology reasons each added something
    assert set(net.reasons) <= set(net.points)
    assert all(net.points[r] > 0 for r in net.reasons)
    assert set(net.points) - set(net.reasons) <= {BONUS_REASON, "other reasons (not listed)"}


def test_points_add_up_when_reasons_are_cut(store: GraphStore) -> None:
    g = GraphBuilder()
    _ring(g)
    g.write(store)
    run = analyze_store(store, AnalysisConfig(max_reasons=1))
    for net in store.networks(run.run_id):
        assert sum(net.points.values()) == pytest.approx(net.score, abs=1e-4)
        assert len(net.reasons) == 1

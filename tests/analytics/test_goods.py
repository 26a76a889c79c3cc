"""First-seen parties shipping high-risk goods (HTS headings or descriptions)."""

from __future__ import annotations

from dataclasses import replace

from graphintel.analytics import AnalysisConfig, analyze_store, build_projection, detect
from graphintel.analytics.typologies import get_typology
from graphintel.store import GraphStore
from tests.analytics.graphs import GraphBuilder, party


def _ship(g: GraphBuilder, sid: str, shipper: str, day: str, hts: str, text: str) -> None:
    node = g.ship(sid, shipper, f"buyer of {sid}", date=day, address=f"{sid} oak st")
    record = g.nodes[node]
    g.nodes[node] = replace(record, props={**record.props, "hts_code": hts, "description": text})


def _scenario(store: GraphStore) -> GraphStore:
    g = GraphBuilder()
    for k in range(6):  # an established exporter: ships 2933 from the first day of the data
        _ship(g, f"E{k}", "Old Chem Co", f"2026-01-0{k + 1}", "2933.39.9100", "pyridine")
    _ship(g, "E9", "Old Chem Co", "2026-03-20", "2933.39.9100", "pyridine")
    _ship(g, "N1", "New Shell Ltd", "2026-03-10", "", "phone cases")
    _ship(g, "N2", "New Shell Ltd", "2026-03-12", "2933.39.4100", "pharmaceutical intermediate")
    _ship(g, "N3", "New Shell Ltd", "2026-03-14", "2934.99.9000", "chemical sample")
    _ship(g, "P1", "Press Works", "2026-03-15", "8422.30", "Tablet Press TDP-5 with dies")
    _ship(g, "T1", "Tee Shop", "2026-03-15", "6109.10", "t-shirts")
    _ship(g, "L1", "Late Starter", "2026-02-15", "6109.10", "t-shirts")
    _ship(g, "L2", "Late Starter", "2026-04-30", "2933.39", "organic intermediate")
    return g.write(store)


def test_new_shippers_of_high_risk_goods_are_flagged(store: GraphStore) -> None:
    config = AnalysisConfig()
    projection = build_projection(_scenario(store))
    hits = detect(projection, config, ["first_seen_high_risk"])["first_seen_high_risk"]
    flagged = {projection.party_ids[h.anchors[0]]: h for h in hits}
    # Old Chem Co shipped 2933 from the start; Tee Shop ships no risky goods; Late
    # Starter's risky parcel came 74 days after its first.
    assert set(flagged) == {party("New Shell Ltd"), party("Press Works")}
    shell = flagged[party("New Shell Ltd")]
    assert shell.reason.startswith("shipper first seen 2026-03-10 shipped 2 high-risk parcels")
    assert "HTS 2933" in shell.reason and "HTS 2934" in shell.reason
    assert {"shipment:N2", "shipment:N3"} <= set(shell.evidence)
    assert "tablet press" in flagged[party("Press Works")].reason


def test_the_observation_period_and_lists_are_configurable(store: GraphStore) -> None:
    projection = build_projection(_scenario(store))
    strict = AnalysisConfig(high_risk_hts=("2934",), high_risk_terms=())
    hits = detect(projection, strict, ["first_seen_high_risk"])["first_seen_high_risk"]
    assert [projection.party_ids[h.anchors[0]] for h in hits] == [party("New Shell Ltd")]
    everyone = AnalysisConfig(first_seen_after_days=0, first_seen_window_days=365)
    hits = detect(projection, everyone, ["first_seen_high_risk"])["first_seen_high_risk"]
    assert party("Old Chem Co") in {projection.party_ids[h.anchors[0]] for h in hits}


def test_the_shell_and_its_buyers_form_one_ranked_network(store: GraphStore) -> None:
    run = analyze_store(_scenario(store))
    networks = store.networks(run.run_id)
    shell = [n for n in networks if party("New Shell Ltd") in n.entity_ids]
    assert len(shell) == 1
    assert {party("buyer of N2"), party("buyer of N3")} <= set(shell[0].entity_ids)
    assert shell[0].typologies == ("first_seen_high_risk",)


def test_several_new_shippers_in_one_network_make_one_reason(store: GraphStore) -> None:
    config = AnalysisConfig()
    projection = build_projection(_scenario(store))
    hits = detect(projection, config, ["first_seen_high_risk"])["first_seen_high_risk"]
    typology = get_typology("first_seen_high_risk")
    [finding] = typology.summarize(hits, projection, config)
    assert finding.reason.startswith(
        "2 shippers or sellers new to the data shipped 3 high-risk parcels within 30 days"
    )
    assert {party("New Shell Ltd"), party("Press Works")} <= set(finding.evidence)
    assert {"shipment:N2", "shipment:N3", "shipment:P1"} <= set(finding.evidence)
    assert finding.points > max(h.points for h in hits)
    [single] = typology.summarize(hits[:1], projection, config)
    assert single.reason == hits[0].reason

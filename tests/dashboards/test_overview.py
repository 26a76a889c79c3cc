"""The overview charts and the networks-page filters over the sample store."""

from __future__ import annotations

from collections import Counter

from dashboards import data, ids
from dashboards.pages import networks, overview
from graphintel.manifest import DE_MINIMIS_USD
from graphintel.records import LoadReport
from graphintel.store import GraphStore
from tests.builders import AppSample
from tests.conftest import make_shipment
from tests.dashboards.test_pages import find

Sampled = tuple[GraphStore, AppSample]


def test_overview_charts_show_the_store(sample_store: Sampled) -> None:
    store, sample = sample_store
    stats = store.shipment_stats(overview.VALUE_BIN, overview.VALUE_CAP)
    months = overview.shipments_over_time(stats)
    assert sum(months.data[0].y) == stats.total == store.shipment_count()
    values = overview.value_distribution(stats)
    assert any(s["x0"] == DE_MINIMIS_USD for s in values.layout.shapes)  # the $800 line
    countries = overview.top_countries(stats)
    assert sum(countries.data[0].x) == stats.total  # the sample has few enough countries
    typologies = overview.typology_counts(Counter({"split-shipments": 2, "drop-address": 1}))
    assert list(typologies.data[0].y) == ["split-shipments", "drop-address"]
    page = str(overview.render(store))
    assert "Latest runs" in page and "succeeded" in page


def test_network_filters_by_score_dates_and_typology(sample_store: Sampled) -> None:
    store, sample = sample_store
    rows = data.network_rows(store, sample.run_id)
    assert len(data.filter_rows(rows)) == len(rows)
    top = max(r["score"] for r in rows)
    assert [r["id"] for r in data.filter_rows(rows, min_score=top)] == [sample.ring]
    ring = next(r for r in rows if r["id"] == sample.ring)
    assert sample.ring in {r["id"] for r in data.filter_rows(rows, date_from=ring["last_date"])}
    after = data.filter_rows(rows, date_from="2099-01-01")
    assert all(not r["last_date"] for r in after)
    typology = ring["typologies"].split(",")[0].strip()
    chosen = data.filter_rows(rows, typologies=[typology])
    assert sample.ring in {r["id"] for r in chosen}
    assert all(typology in r["typologies"] for r in chosen)
    shown, said = networks.apply_filters(store, top, "not a date", None, None)
    assert [r["id"] for r in shown] == [sample.ring] and said == f"1 of {len(rows)} shown"


def test_network_filter_by_origin_country(sample_store: Sampled) -> None:
    store, sample = sample_store
    rows = data.network_rows(store, sample.run_id)
    by_id = {r["id"]: r for r in rows}
    assert by_id[sample.ring]["countries"] == "CN, HK" and by_id[sample.tiny]["countries"] == ""
    assert [r["id"] for r in data.filter_rows(rows, countries=["HK"])] == [sample.ring]
    assert [r["id"] for r in data.filter_rows(rows, countries=["CN"])] == [sample.ring, sample.big]
    assert [r["id"] for r in data.filter_rows(rows, countries=["HK", "US"])] == [sample.ring]
    assert data.filter_rows(rows, countries=["US"]) == []
    assert data.filter_rows(rows, countries=[]) == rows  # nothing chosen: no filter
    shown, said = networks.apply_filters(store, None, None, None, None, ["CN"])
    assert [r["id"] for r in shown] == [sample.ring, sample.big] and said == "2 of 3 shown"
    dropdown = find(networks.render(store), ids.NETWORKS_COUNTRY)
    assert [o["value"] for o in dropdown.options] == ["CN", "HK"]  # most networks first
    assert dropdown.options[0]["label"] == "CN (2)" and dropdown.multi


def test_overview_statistics_are_kept_until_the_next_load(sample_store: Sampled) -> None:
    store, _ = sample_store
    before = overview.cached_stats(store).total
    assert overview.cached_stats(store) is overview.cached_stats(store)  # not recounted
    report = LoadReport(load_id="load-more", file_id="file-more", file_path="/more.csv")
    with store.load_transaction(report) as tx:
        tx.add_shipments([make_shipment("MORE-1", file_id="file-more", load_id="load-more")])
        report.rows_read = report.rows_loaded = 1
        report.status = "loaded"
    assert overview.cached_stats(store).total == before + 1
    assert f"{before + 1:,}" in str(overview.render(store))

"""The networks page's status line: counted once, recounted after a load or a resolution."""

from __future__ import annotations

from dashboards.pages.networks import cached_summary
from graphintel.records import LoadReport
from graphintel.store import GraphStore
from tests.builders import AppSample
from tests.conftest import make_shipment


def test_summary_is_recounted_after_a_new_load(sample_store: tuple[GraphStore, AppSample]) -> None:
    store, _ = sample_store
    first = cached_summary(store)
    assert first["shipments"] == store.shipment_count()
    assert cached_summary(store) == first
    report = LoadReport("load-more", "sha256-more", "more.csv", status="loaded")
    with store.load_transaction(report) as tx:
        tx.add_shipments([make_shipment("EXTRA-1", file_id="sha256-more", load_id="load-more")])
        report.rows_read = report.rows_loaded = 1
    after = cached_summary(store)
    assert after["shipments"] == first["shipments"] + 1

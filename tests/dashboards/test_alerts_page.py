"""The Alerts page: open alerts with their reasons (as text), acknowledging them, and the
latest run's network changes."""

from __future__ import annotations

import pytest
from dash import html

from dashboards.data import network_href
from dashboards.pages import alerts
from graphintel.daily.records import Alert, LineageEntry
from graphintel.store import GraphStore
from tests.dashboards.test_pages import assert_no_raw_html, texts


def _alert(i: int) -> Alert:
    return Alert(f"r1.{i}", "r1", "case", f"case-{i}", ("<script>alert(1)</script> touched",),
                 ("shipment:S1",), ("net-0001",))  # fmt: skip


def test_the_page_lists_open_alerts_and_says_when_nothing_changed(store: GraphStore) -> None:
    store.add_alerts([_alert(1), _alert(2)])
    page = alerts.render(store)
    shown = texts(page)
    assert "case-1" in shown and "case-2" in shown
    assert "<script>alert(1)</script> touched" in shown  # a text child, escaped by React
    assert_no_raw_html(page)
    assert "No changes recorded yet: run an analysis twice." in shown


def test_acknowledging_from_the_page_closes_the_alert(store: GraphStore) -> None:
    store.add_alerts([_alert(1), _alert(2)])
    table, status = alerts.acknowledge(
        store,
        [None, 1],
        [{"type": alerts.ACK, "alert": "r1.1"}, {"type": alerts.ACK, "alert": "r1.2"}],
    )
    assert status == "Acknowledged r1.2."
    assert [a.alert_id for a in store.alerts()] == ["r1.1"]
    assert "case-2" not in texts(table)
    nothing, _ = alerts.acknowledge(store, [None], [{"type": alerts.ACK, "alert": "r1.1"}])
    assert nothing is alerts.dash.no_update


@pytest.mark.parametrize("event", ["new", "gone"])
def test_the_latest_runs_changes_are_listed(store: GraphStore, event: str) -> None:
    run = store.start_run("analyze", {}, {})
    store.save_lineage(run.run_id, [LineageEntry(run.run_id, "net-0007", event, ("net-0002",))])
    store.finish_run(run.run_id, {})
    shown = texts(alerts.changes_table(store))
    assert "net-0007" in shown and event in shown and "net-0002" in shown
    assert isinstance(alerts.alerts_table(store), html.P)  # no alerts: a sentence


def test_each_changed_network_links_to_the_run_it_can_be_seen_in(store: GraphStore) -> None:
    run = store.start_run("analyze", {}, {})
    entries = [
        LineageEntry(run.run_id, "net-0001", "grown", previous_run="run-before"),
        LineageEntry(run.run_id, "net-0002", "gone", previous_run="run-before"),
    ]
    store.save_lineage(run.run_id, entries)
    store.finish_run(run.run_id, {})
    links = {
        c.children: c.href
        for c in _components(alerts.changes_table(store))
        if isinstance(c, alerts.dcc.Link)
    }
    assert links == {
        "net-0001": network_href(run.run_id, "net-0001"),  # still there: this run
        "net-0002": network_href("run-before", "net-0002"),  # gone: where it was last seen
    }


def _components(node: object) -> list[object]:
    found = [node]
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found += _components(child)
    return found

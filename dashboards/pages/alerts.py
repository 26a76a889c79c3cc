"""Alerts page ("/alerts"): the open alerts with their reasons and an Acknowledge button each
(analysts; audited), and what changed in the latest analysis run: each network's lineage
event (new, grown, merged, split, quiet, gone) against the run before."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, dcc, html
from dash.development.base_component import Component

from dashboards import audit, auth
from dashboards.components import section
from dashboards.context import current_store
from dashboards.data import network_href
from graphintel.daily.records import Alert, LineageEntry
from graphintel.errors import NotFoundError
from graphintel.store.base import GraphStore

PATH = "/alerts"
WRITE_ROLE = "analyst"
SHOWN_ALERTS = 200
SHOWN_CHANGES = 300
ALERT_LIST = "gi-alerts-list"
ALERT_STATUS = "gi-alerts-status"
ACK = "gi-alert-ack"
# the events worth a look first; quiet networks last
_EVENT_ORDER = {"new": 0, "merged": 1, "split": 2, "grown": 3, "shrunk": 4, "changed": 5,
                "gone": 6, "quiet": 7}  # fmt: skip


def _alert_row(a: Alert, can_ack: bool) -> html.Tr:
    networks = [dcc.Link(n, href=network_href(a.run_id, n)) for n in a.network_ids[:5]]
    button = (
        html.Button("Acknowledge", id={"type": ACK, "alert": a.alert_id}, className="gi-button")
        if can_ack
        else ""
    )
    return html.Tr(
        [
            html.Td(a.created_at.replace("T", " ")[:19]),
            html.Td(a.kind),
            html.Td(a.subject),
            html.Td(html.Ul([html.Li(r) for r in a.reasons])),  # text children: escaped
            html.Td(networks),
            html.Td(str(len(a.shipment_ids))),
            html.Td(button),
        ]
    )


def alerts_table(store: GraphStore) -> Component:
    found = store.alerts(open_only=True, limit=SHOWN_ALERTS)
    if not found:
        return html.P("No open alerts.", className="gi-empty")
    can_ack = auth.has_role(WRITE_ROLE)
    headers = ("Raised", "Kind", "About", "Reasons", "Networks", "New shipments", "")
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in headers])),
            html.Tbody([_alert_row(a, can_ack) for a in found]),
        ],
        className="gi-table gi-alerts",
    )


def _change_row(e: LineageEntry, run_id: str) -> html.Tr:
    """One network's lineage row; its id links to where the network can be seen: this run,
    or the run before for one that is gone."""
    seen_in = e.previous_run if e.event == "gone" else run_id
    network: Any = dcc.Link(e.network_id, href=network_href(seen_in, e.network_id))
    if not seen_in:  # a gone network of a run with nothing before it: nowhere to link
        network = e.network_id
    cells = (e.event, str(e.size), f"+{e.added} / -{e.removed}", ", ".join(e.related))
    return html.Tr([html.Td(network), *(html.Td(c) for c in cells)])


def changes_table(store: GraphStore) -> Component:
    latest = store.latest_run("analyze")
    entries = store.lineage(latest.run_id) if latest else []
    if latest is None or not entries:
        return html.P("No changes recorded yet: run an analysis twice.", className="gi-empty")
    entries.sort(key=lambda e: (_EVENT_ORDER.get(e.event, 9), e.network_id))
    headers = ("Network", "Event", "Members", "Added / removed", "Related")
    since = entries[0].previous_run or "nothing earlier"
    return html.Div(
        [
            html.P(f"Run {latest.run_id} against {since}", className="gi-run-meta"),
            html.Table(
                [
                    html.Thead(html.Tr([html.Th(h) for h in headers])),
                    html.Tbody([_change_row(e, latest.run_id) for e in entries[:SHOWN_CHANGES]]),
                ],
                className="gi-table",
            ),
        ]
    )


def render(store: GraphStore) -> Component:
    return html.Div(
        [
            html.H1("Alerts"),
            html.Div(id=ALERT_STATUS, className="gi-status"),
            section("Open alerts", html.Div(alerts_table(store), id=ALERT_LIST)),
            section("Changes in the latest analysis", changes_table(store)),
        ],
        className="gi-page",
    )


def layout(**_: Any) -> Component:
    return render(current_store())


def acknowledge(store: GraphStore, clicks: list[int | None], ids_: list[dict[str, str]]) -> Any:
    """(alert list, status) after an Acknowledge click (audited as ``ack_alert``)."""
    chosen = [i["alert"] for c, i in zip(clicks, ids_, strict=True) if c]
    if not chosen:
        return dash.no_update, dash.no_update
    user = auth.require_role(WRITE_ROLE)
    done = []
    for alert_id in chosen:
        try:
            alert = store.acknowledge_alert(alert_id, user.name)
        except NotFoundError:
            continue
        audit.record("ack_alert", alert_id, f"{alert.kind} {alert.subject}")
        done.append(alert_id)
    return alerts_table(store), f"Acknowledged {', '.join(done) or 'nothing'}."


def _acknowledge_callback(clicks: list[int | None], ids_: list[dict[str, str]]) -> Any:
    return acknowledge(current_store(), clicks, ids_)


def register(app: dash.Dash) -> None:
    dash.register_page(  # type: ignore[no-untyped-call]
        __name__, path=PATH, name="Alerts", title="Alerts · GraphIntel", layout=layout, order=7
    )
    app.callback(
        Output(ALERT_LIST, "children"),
        Output(ALERT_STATUS, "children"),
        Input({"type": ACK, "alert": ALL}, "n_clicks"),
        State({"type": ACK, "alert": ALL}, "id"),
        prevent_initial_call=True,
    )(_acknowledge_callback)

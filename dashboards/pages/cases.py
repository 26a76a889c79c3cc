"""Cases: a saved workspace (chart, positions, notes, filters) under a name, kept in the store.

"/cases" lists them (open, rename, delete); "/case/<case id>" reopens one exactly as saved.
Saving happens from the workspace toolbar of any page; notes are saved from the detail panel.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any
from urllib.parse import quote, unquote

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component

from dashboards import audit, auth, colouring, graph_panel, ids, workspace
from dashboards.components import detail_placeholder
from dashboards.context import current_store
from graphintel.errors import NotFoundError
from graphintel.records import CaseRecord
from graphintel.store.base import RunStore, WorkspaceStore

LIST_PATH = "/cases"
CASE_TEMPLATE = "/case/<case_id>"
NAME_CHARS = 120
# Saving, renaming and deleting cases and notes changes what colleagues see: analysts only,
# checked in the callbacks (a 403 for a viewer whatever the page shows).
WRITE_ROLE = "analyst"


def case_href(case_id: str) -> str:
    return f"/case/{quote(case_id, safe='')}"


def case_payload(
    store: WorkspaceStore,
    elements: list[workspace.Element],
    context: dict[str, Any] | None,
    date_from: str | None,
    date_to: str | None,
    community: bool,
    layout_name: str | None,
) -> dict[str, Any]:
    """What a case keeps: the elements as drawn (positions included), the filters, the notes
    on its nodes and where it came from."""
    context = {k: v for k, v in (context or {}).items() if k != "filters"}
    return {
        "elements": elements,
        "filters": {
            "date_from": date_from or "",
            "date_to": date_to or "",
            "community": community,
            "layout": layout_name or "",
        },
        "notes": store.notes(workspace.node_ids(elements)),
        "source": context,
    }


def save_case(
    store: WorkspaceStore,
    intent: dict[str, Any] | None,
    name: str | None,
    elements: list[workspace.Element] | None,
    context: dict[str, Any] | None,
    date_from: str | None,
    date_to: str | None,
    community: list[str] | None,
    layout_name: str | None,
) -> tuple[Any, Any]:
    """(status line, updated context) after the Save case button; saving again overwrites
    the same case."""
    if not intent or intent.get("op") != ids.BTN_SAVE_CASE or not elements:
        return dash.no_update, dash.no_update
    auth.require_role(WRITE_ROLE)
    title = (name or "").strip()[:NAME_CHARS]
    if not title:
        return "Name the case first.", dash.no_update
    placed = workspace.place(
        graph_panel.drawn_elements(intent, elements), intent.get("positions") or {}
    )
    payload = case_payload(store, placed, context, date_from, date_to, bool(community), layout_name)
    case_id = str((context or {}).get("case_id") or f"case-{uuid.uuid4().hex[:12]}")
    saved = store.save_case(case_id, title, payload)
    audit.record("save_case", case_id, title)
    status = [f"Saved “{saved.name}” ", dcc.Link("(open)", href=case_href(case_id))]
    return status, {**(context or {}), "case_id": case_id}


def save_note(
    store: WorkspaceStore, clicks: int | None, text: str | None, node_id: str | None
) -> Any:
    if not clicks or not node_id:
        return dash.no_update
    auth.require_role(WRITE_ROLE)
    store.set_note(node_id, text or "")
    outcome = "saved" if (text or "").strip() else "removed"
    audit.record("note", node_id, outcome)
    return f"Note {outcome}."


# -- pages ---------------------------------------------------------------------------------------
def cases_table(cases: list[CaseRecord]) -> Component:
    rows = [
        html.Tr(
            [
                html.Td(dcc.Link(c.name, href=case_href(c.case_id), className="gi-case-link")),
                html.Td(c.updated_at.replace("T", " ")[:19]),
                html.Td(
                    [
                        dcc.Input(
                            id={"type": ids.CASE_RENAME_TEXT, "case": c.case_id},
                            value=c.name,
                            className="gi-case-name",
                        ),
                        html.Button(
                            "Rename",
                            id={"type": ids.CASE_RENAME, "case": c.case_id},
                            n_clicks=0,
                            className="gi-tool",
                        ),
                        html.Button(
                            "Delete",
                            id={"type": ids.CASE_DELETE, "case": c.case_id},
                            n_clicks=0,
                            className="gi-tool",
                        ),
                    ]
                ),
            ]
        )
        for c in cases
    ]
    if not rows:
        return html.P(
            "No cases yet: open a network, arrange it, then name it and press Save case.",
            className="gi-muted",
        )
    return html.Table(
        [html.Thead(html.Tr([html.Th("Case"), html.Th("Saved"), html.Th("")])), html.Tbody(rows)],
        className="gi-table gi-cases-table",
    )


def render_list(store: WorkspaceStore) -> Component:
    return html.Div(
        [
            html.Div([html.H1("Cases")], className="gi-page-header"),
            html.Div(cases_table(store.cases()), id=ids.CASES_LIST),
        ],
        id=ids.CASES_PAGE,
        className="gi-page",
    )


def render_case(store: WorkspaceStore, case_id: str, runs: RunStore | None = None) -> Component:
    """A saved case; ``runs`` (the store's analysis runs) colours it by network."""
    case = store.case(case_id)
    if case is None:
        return html.Div(
            [
                html.H2("Case not found"),
                html.P(
                    ["No case ", html.Code(case_id), ". ", dcc.Link("All cases", href="/cases")]
                ),
            ],
            className="gi-page gi-empty",
        )
    elements: list[workspace.Element] = list(case.payload.get("elements") or [])
    filters: dict[str, Any] = dict(case.payload.get("filters") or {})
    source: dict[str, Any] = dict(case.payload.get("source") or {})
    notes: dict[str, str] = store.notes(workspace.node_ids(elements))
    header = html.Div(
        [
            html.Div(
                [dcc.Link("Cases", href="/cases"), html.Span(" / "), html.Span(case.name)],
                className="gi-breadcrumb",
            ),
            html.H1(case.name),
            html.Div(
                f"saved {case.updated_at.replace('T', ' ')[:19]} · "
                f"{len(notes)} note{'s' if len(notes) != 1 else ''} on its nodes",
                className="gi-run-meta",
            ),
        ],
        className="gi-page-header",
    )
    panel = graph_panel.panel(
        elements,
        graph_panel.counts_text(elements),
        None,
        {**source, "case_id": case.case_id},
        filters=filters,
        layout={"name": "preset", "fit": True, "padding": 24},
        case_name=case.name,
        member=colouring.membership(runs, source.get("run_id")) if runs is not None else None,
    )
    body = html.Div(
        [
            panel,
            html.Aside(
                [html.H4("Details"), html.Div(detail_placeholder(), id=ids.DETAIL)],
                className="gi-panel gi-detail",
            ),
        ],
        className="gi-network-grid gi-explore-grid",
    )
    return html.Div([header, body], className="gi-page gi-page-wide")


def list_layout(**_: Any) -> Component:
    return render_list(current_store())


def case_layout(case_id: str = "", **_: Any) -> Component:
    store = current_store()
    return render_case(store, unquote(case_id), store)


def case_actions(
    store: WorkspaceStore, trigger: Any, names: dict[str, str], clicked: bool
) -> Component | Any:
    """Rename or delete the case whose button was pressed, then the refreshed list."""
    if not isinstance(trigger, dict) or not clicked:
        return dash.no_update
    auth.require_role(WRITE_ROLE)
    case_id = str(trigger.get("case", ""))
    if trigger.get("type") == ids.CASE_DELETE:
        store.delete_case(case_id)
        audit.record("delete_case", case_id)
    elif trigger.get("type") == ids.CASE_RENAME:
        name = (names.get(case_id) or "").strip()[:NAME_CHARS]
        if name:
            with contextlib.suppress(NotFoundError):  # deleted in another tab meanwhile
                store.rename_case(case_id, name)
                audit.record("rename_case", case_id, name)
    return cases_table(store.cases())


def _case_actions_callback(
    _renames: list[int | None],
    _deletes: list[int | None],
    texts: list[str | None],
    text_ids: list[dict[str, str]],
) -> Any:
    names = {str(i["case"]): t or "" for i, t in zip(text_ids, texts, strict=False)}
    clicked = bool(ctx.triggered and ctx.triggered[0].get("value"))
    return case_actions(current_store(), ctx.triggered_id, names, clicked)


def _save_case_callback(*args: Any) -> tuple[Any, Any]:
    return save_case(current_store(), *args)


def _save_note_callback(clicks: int | None, text: str | None, node_id: str | None) -> Any:
    return save_note(current_store(), clicks, text, node_id)


def register(app: dash.Dash) -> None:
    dash.register_page(  # type: ignore[no-untyped-call]
        f"{__name__}.list",
        path=LIST_PATH,
        name="Cases",
        title="Cases · GraphIntel",
        layout=list_layout,
        order=5,
    )
    dash.register_page(  # type: ignore[no-untyped-call]
        f"{__name__}.case",
        path_template=CASE_TEMPLATE,
        name="Case",
        title="Case · GraphIntel",
        layout=case_layout,
        order=6,
    )
    app.callback(
        Output(ids.CASE_STATUS, "children"),
        Output(ids.WORKSPACE_CONTEXT, "data"),
        Input(ids.INTENT, "data"),
        State(ids.CASE_NAME, "value"),
        State(ids.GRAPH, "elements"),
        State(ids.WORKSPACE_CONTEXT, "data"),
        State(ids.DATE_FROM, "value"),
        State(ids.DATE_TO, "value"),
        State(ids.COMMUNITY_TOGGLE, "value"),
        State(ids.LAYOUT_SELECT, "value"),
        prevent_initial_call=True,
    )(_save_case_callback)
    app.callback(
        Output(ids.NOTE_STATUS, "children"),
        Input(ids.BTN_SAVE_NOTE, "n_clicks"),
        State(ids.NOTE_TEXT, "value"),
        State(ids.NOTE_NODE, "data"),
        prevent_initial_call=True,
    )(_save_note_callback)
    app.callback(
        Output(ids.CASES_LIST, "children"),
        Input({"type": ids.CASE_RENAME, "case": ALL}, "n_clicks"),
        Input({"type": ids.CASE_DELETE, "case": ALL}, "n_clicks"),
        State({"type": ids.CASE_RENAME_TEXT, "case": ALL}, "value"),
        State({"type": ids.CASE_RENAME_TEXT, "case": ALL}, "id"),
        prevent_initial_call=True,
    )(_case_actions_callback)

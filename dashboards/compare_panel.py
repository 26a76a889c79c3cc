"""The "Compare with..." box: why the party in the detail panel is (not) one with another.

The analyst types another party id or a mention id ("SHIP1#shipper"); the panel shows the
closest pair of their mentions compared field by field (level, weight), the total weight,
the probability and the rule that made or blocked the merge (``graphintel explain A B``).

An identifier node (an address, a phone) shows instead the other spellings resolution
merged into it (its ``aliases`` property) and why each is that node.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash
from dash import Input, Output, State, dcc, html
from dash.development.base_component import Component

from dashboards.context import current_store
from graphintel.errors import GraphIntelError
from graphintel.resolve.explain import PairExplanation, explain_pair

COMPARE_ENTITY = "gi-compare-entity"
COMPARE_INPUT = "gi-compare-input"
COMPARE_BUTTON = "gi-compare-button"
COMPARE_OUT = "gi-compare-out"


def compare_section(entity_id: str) -> Component:
    """The "Compare with..." box of a party's detail panel."""
    return html.Div(
        [
            html.H4("Compare with...", className="gi-section-title"),
            dcc.Store(id=COMPARE_ENTITY, data=entity_id),
            dcc.Input(
                id=COMPARE_INPUT,
                type="text",
                placeholder="party id or mention id (SHIP1#shipper)",
                debounce=True,
                className="gi-compare-input",
            ),
            html.Button("Compare", id=COMPARE_BUTTON, n_clicks=0, className="gi-tool"),
            html.Div(id=COMPARE_OUT, className="gi-compare-out"),
        ],
        className="gi-section gi-compare",
    )


def aliases_section(props: Mapping[str, Any]) -> Component | None:
    """The spellings merged into an identifier node, each with why (``None``: none were);
    the keys and reasons are text nodes, never markup."""
    aliases = props.get("aliases")
    rows = [
        html.Tr([html.Td(str(a.get("key", ""))), html.Td(str(a.get("why", "")))])
        for a in (aliases if isinstance(aliases, list) else [])
        if isinstance(a, dict)
    ]
    if not rows:
        return None
    return html.Section(
        [
            html.H4(f"Also written as ({len(rows)})", className="gi-section-title"),
            html.P(
                "Other spellings of this identifier that resolution merged into this node.",
                className="gi-muted",
            ),
            html.Table(
                [
                    html.Thead(html.Tr([html.Th("Written as"), html.Th("Why it is this node")])),
                    html.Tbody(rows),
                ],
                className="gi-table gi-aliases-table",
            ),  # fmt: skip
        ],
        className="gi-section gi-aliases",
    )


def comparison_view(e: PairExplanation) -> Component:
    """One explanation as a small table (values are text nodes: never markup)."""
    rows = [html.Tr([html.Td("prior"), html.Td(""), html.Td(f"{e.prior:.2f}"), html.Td("")])]
    for line in e.fields:
        rows.append(
            html.Tr(
                [
                    html.Td(line.field),
                    html.Td(line.level),
                    html.Td(f"{line.weight:.2f}"),
                    html.Td(f"{line.value_a} | {line.value_b}"),
                ]
            )
        )
    rows.append(
        html.Tr(
            [
                html.Td("total"),
                html.Td(f"p = {e.probability:.4f}"),
                html.Td(f"{e.weight:.2f}"),
                html.Td(""),
            ]
        )  # fmt: skip
    )
    same = e.entity_a and e.entity_a == e.entity_b
    return html.Div(
        [
            html.P(
                f"closest pair: {e.mention_a} vs {e.mention_b} "
                f"({'one entity now' if same else 'two entities now'})"
            ),  # fmt: skip
            html.Table(
                [
                    html.Thead(
                        html.Tr([html.Th(h) for h in ("Field", "Level", "Weight", "Values")])
                    ),
                    html.Tbody(rows),
                ],  # fmt: skip
                className="gi-table gi-compare-table",
            ),
            html.P(e.name_note, className="gi-muted"),
            html.P(f"{'merge' if e.merges else 'no merge'}: {e.rule}", className="gi-compare-rule"),
        ]
    )


def _compare(_clicks: int, _submitted: str | None, entity_id: str | None,
             other: str | None) -> Component | str:  # fmt: skip
    if not entity_id or not other or not other.strip():
        return ""
    try:
        return comparison_view(explain_pair(current_store(), entity_id, other.strip()))
    except GraphIntelError as exc:
        return html.P(str(exc), className="gi-muted")


def register(app: dash.Dash) -> None:
    app.callback(
        Output(COMPARE_OUT, "children"),
        Input(COMPARE_BUTTON, "n_clicks"),
        Input(COMPARE_INPUT, "n_submit"),
        State(COMPARE_ENTITY, "data"),
        State(COMPARE_INPUT, "value"),
        prevent_initial_call=True,
    )(_compare)

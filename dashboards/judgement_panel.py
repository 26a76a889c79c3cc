"""Judgements from the party detail panel: "not the same" on a merged mention pair, "same
as" the party selected before, withdrawing a judgement, and the judgements on the party.

Every judgement is recorded under the app's current user (``context.current_user_name``)
and needs the analyst role, checked in the callback itself (``auth.require_role``), not
only by hiding the buttons. A judgement takes effect at the next ``graphintel resolve``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component

from dashboards import audit, auth, ids
from dashboards.context import current_store, current_user_name
from dashboards.data import entity_judgements
from graphintel.model import NodeKind, kind_of
from graphintel.records import Judgement, MergeEvidence

JUDGE_ROLE = "analyst"
MAX_PAIRS = 20  # merged mention pairs offered for "not the same"


def merged_pairs(evidence: Sequence[MergeEvidence]) -> list[tuple[str, str]]:
    """The distinct mention pairs the resolver merged (first seen first), at most MAX_PAIRS."""
    pairs: dict[tuple[str, str], None] = {}
    for ev in evidence:
        if ev.mention_a and ev.mention_b and ev.mention_a != ev.mention_b:
            pairs.setdefault((ev.mention_a, ev.mention_b), None)
    return list(pairs)[:MAX_PAIRS]


def _pair_id(kind: str, left: str, right: str) -> dict[str, str]:
    return {"type": kind, "left": left, "right": right}


def judgement_list(judgements: Sequence[Judgement], can_judge: bool) -> Component:
    """The judgements on a party, oldest first, withdrawn ones marked."""
    if not judgements:
        return html.P("No judgements on this party.", className="gi-muted")
    rows = []
    for j in judgements:
        state = f"withdrawn by {j.withdrawn_by} at {j.withdrawn_at}" if j.withdrawn else "in force"
        action: Any = ""
        if can_judge and not j.withdrawn:
            action = html.Button(
                "Withdraw",
                id=_pair_id(ids.JUDGE_WITHDRAW, j.left, j.right),
                n_clicks=0,
                className="gi-tool gi-judge-withdraw",
            )
        rows.append(
            html.Tr(
                [
                    html.Td(j.verdict, className="gi-judge-verdict"),
                    html.Td(f"{j.left} ~ {j.right}"),
                    html.Td(f"{j.user}, {j.created_at}"),
                    html.Td(state),
                    html.Td(action),
                ],
                className="gi-judge-row gi-judge-withdrawn" if j.withdrawn else "gi-judge-row",
            )
        )
    head = html.Thead(html.Tr([html.Th(h) for h in ("Verdict", "Pair", "By", "State", "")]))
    return html.Table([head, html.Tbody(rows)], className="gi-table gi-judge-table")


def judgement_section(
    entity_id: str, evidence: Sequence[MergeEvidence], judgements: Sequence[Judgement]
) -> Component:
    """The "Judgements" section of a party's detail panel."""
    can_judge = auth.has_role(JUDGE_ROLE)
    children: list[Any] = [html.H4(f"Judgements ({len(judgements)})")]
    if can_judge:
        pairs = merged_pairs(evidence)
        if pairs:
            children.append(
                html.Ul(
                    [
                        html.Li(
                            [
                                html.Span(f"{a} ~ {b}", className="gi-judge-pair"),
                                html.Button(
                                    "Not the same",
                                    id=_pair_id(ids.JUDGE_DIFFERENT, a, b),
                                    n_clicks=0,
                                    className="gi-tool gi-judge-different",
                                ),
                            ]
                        )
                        for a, b in pairs
                    ],
                    className="gi-judge-pairs",
                )
            )
        children.append(
            html.Button(
                "Same as the party selected before",
                id={"type": ids.JUDGE_SAME, "entity": entity_id},
                n_clicks=0,
                title="Click another party in the chart, then this one, then this button.",
                className="gi-tool gi-judge-same",
            )
        )
    children += [
        html.Div(id=ids.JUDGE_STATUS, className="gi-judge-status"),
        html.Div(judgement_list(judgements, can_judge), id=ids.JUDGE_LIST),
        dcc.Store(id=ids.JUDGE_ENTITY, data=entity_id),
    ]
    return html.Section(children, className="gi-section gi-judgements")


def _is_party(ref: str) -> bool:
    try:
        return kind_of(ref) is NodeKind.PARTY
    except ValueError:
        return False


def judge(trigger: Any, tapped: list[str] | None, entity_id: str) -> str:
    """Record what ``trigger`` (a button id) asks for; returns the message to show."""
    user = auth.require_role(JUDGE_ROLE)  # a 403 for viewers, whatever the page shows
    name = current_user_name()
    store = current_store()
    kind = trigger.get("type") if isinstance(trigger, dict) else None
    if kind == ids.JUDGE_DIFFERENT:
        left, right = str(trigger["left"]), str(trigger["right"])
        j = store.add_judgement(left, right, "different", name)
    elif kind == ids.JUDGE_SAME:
        others = [t for t in (tapped or []) if t != entity_id and _is_party(t)]
        if not others:
            return "Click the other party in the chart first, then this one, then Same as."
        left, right = others[-1], entity_id
        j = store.add_judgement(left, right, "same", name)
    elif kind == ids.JUDGE_WITHDRAW:
        left, right = str(trigger["left"]), str(trigger["right"])
        withdrawn = store.withdraw_judgement(left, right, name)
        audit.record("judge", f"{left} {right}", "withdraw", user=user.name)
        if not withdrawn:
            return f"No judgement in force on {left} ~ {right}."
        return f"Withdrawn by {name}: {left} ~ {right}. Resolve again to apply it."
    else:
        return ""
    audit.record("judge", f"{left} {right}", j.verdict, user=user.name)
    return f"Recorded by {name}: {left} {j.verdict} {right}. Run `graphintel resolve` to apply it."


def _judge_callback(
    different: list[int | None],
    withdraw: list[int | None],
    same: list[int | None],
    tapped: list[str] | None,
    entity_id: str | None,
) -> tuple[Any, Any]:
    if not ctx.triggered or not ctx.triggered[0].get("value") or not entity_id:
        return dash.no_update, dash.no_update  # buttons appearing with n_clicks=0
    message = judge(ctx.triggered_id, tapped, entity_id)
    if not message:
        return dash.no_update, dash.no_update
    listed = entity_judgements(current_store(), entity_id)
    return message, judgement_list(listed, auth.has_role(JUDGE_ROLE))


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.JUDGE_STATUS, "children"),
        Output(ids.JUDGE_LIST, "children"),
        Input({"type": ids.JUDGE_DIFFERENT, "left": ALL, "right": ALL}, "n_clicks"),
        Input({"type": ids.JUDGE_WITHDRAW, "left": ALL, "right": ALL}, "n_clicks"),
        Input({"type": ids.JUDGE_SAME, "entity": ALL}, "n_clicks"),
        State(ids.TAPPED, "data"),
        State(ids.JUDGE_ENTITY, "data"),
        prevent_initial_call=True,
    )(_judge_callback)

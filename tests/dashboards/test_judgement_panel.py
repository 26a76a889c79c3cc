"""Judgements from a party's detail panel, through the callback's own function."""

from __future__ import annotations

import dash
import flask
import pytest
from werkzeug.exceptions import Forbidden

from dashboards import auth, ids, judgement_panel
from dashboards.data import entity_judgements
from dashboards.pages import network
from graphintel.store import GraphStore
from tests.builders import AppSample

Sampled = tuple[GraphStore, AppSample]
PAIR = ("HAWB00001#shipper", "HAWB00002#shipper")  # merged in the sample's evidence


def _texts(component: object) -> str:
    return str(component)


def test_party_panel_offers_not_the_same_per_merged_pair_and_same_as(sample_store: Sampled) -> None:
    store, sample = sample_store
    panel = _texts(network.show_detail(store, ids.GRAPH, {"id": sample.main_shipper}))
    assert "Judgements (0)" in panel and "No judgements on this party." in panel
    assert panel.count("Not the same") == 2  # two distinct merged mention pairs
    assert "Same as the party selected before" in panel
    shipment = _texts(network.show_detail(store, ids.GRAPH, {"id": "shipment:HAWB00004"}))
    assert "Judgements" not in shipment  # only parties are judged


def test_judge_withdraw_and_list_under_the_current_user(
    sample_store: Sampled, app: dash.Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, sample = sample_store
    monkeypatch.setenv("USER", "ana")  # no sign-in: the OS user judges
    entity = sample.main_shipper
    different = {"type": ids.JUDGE_DIFFERENT, "left": PAIR[0], "right": PAIR[1]}
    same = {"type": ids.JUDGE_SAME, "entity": entity}
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        message = judgement_panel.judge(different, [], entity)
        assert message.startswith("Recorded by ana: HAWB00001#shipper different HAWB00002")
        lonely = judgement_panel.judge(same, [entity], entity)
        assert "Click the other party" in lonely
        judgement_panel.judge(same, [sample.script_party, entity], entity)
    recorded = store.judgements()
    assert [(j.left, j.right, j.verdict, j.user) for j in recorded] == [
        (*PAIR, "different", "ana"), (sample.script_party, entity, "same", "ana")
    ]  # fmt: skip
    # both name this party: one by its mentions (shipped by it), one by its id
    assert entity_judgements(store, entity) == recorded
    assert entity_judgements(store, sample.tiny) == []

    withdraw = {"type": ids.JUDGE_WITHDRAW, "left": PAIR[0], "right": PAIR[1]}
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        assert judgement_panel.judge(withdraw, [], entity).startswith("Withdrawn by ana")
        assert "No judgement in force" in judgement_panel.judge(withdraw, [], entity)
    assert [j.verdict for j in store.judgements()] == ["same"]
    panel = _texts(network.show_detail(store, ids.GRAPH, {"id": entity}))
    assert "Judgements (2)" in panel and "withdrawn by ana" in panel
    assert panel.count("'Withdraw'") == 1  # a button for the one still in force


def test_a_viewer_is_refused_and_sees_no_buttons(sample_store: Sampled, app: dash.Dash) -> None:
    store, sample = sample_store
    different = {"type": ids.JUDGE_DIFFERENT, "left": PAIR[0], "right": PAIR[1]}
    with app.server.test_request_context("/"):
        flask.g.graphintel_user = auth.User("vic", "viewer")
        with pytest.raises(Forbidden):
            judgement_panel.judge(different, [], sample.main_shipper)
        panel = _texts(network.show_detail(store, ids.GRAPH, {"id": sample.main_shipper}))
    assert "Not the same" not in panel and "Same as" not in panel
    assert store.judgements() == []

"""``graphintel explain``, ``judge`` and ``judgements`` from the shell."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner, Result

from graphintel.cli.commands import cli
from graphintel.resolve import resolve_store
from graphintel.store import GraphStore
from tests.resolve.helpers import entity_of, load, ship

PHONE = "+86 138 0013 8000"
CN = {"shipper_country": "CN", "shipper_city": "Shenzhen"}


def _run(store: GraphStore, *args: str, user: str = "tester") -> Result:
    return CliRunner().invoke(cli, ["--store", store.url, "--quiet", *args], env={"USER": user})


def _resolved(store: GraphStore) -> str:
    load(
        store,
        [
            ship("S1", shipper_name="Shenzhen Huaxin Trading Co., Ltd.", shipper_phone=PHONE, **CN),
            ship("S2", shipper_name="[red]Shenzhen Huaxn Trading Co", shipper_phone=PHONE, **CN),
        ],
    )
    resolve_store(store)
    found = entity_of(store)
    assert found["S1#shipper"] == found["S2#shipper"]
    return found["S1#shipper"]


def test_explain_shows_names_mentions_and_evidence(store: GraphStore) -> None:
    entity = _resolved(store)
    result = _run(store, "explain", entity)
    assert result.exit_code == 0, result.output
    assert "mentions: 2" in result.output
    assert "[red]" in result.output  # manifest text printed as typed, never as markup
    assert "Merge evidence" in result.output
    assert re.search(r"│ phone +│", result.output)
    assert re.search(r"│ match_probability +│", result.output)  # the model's closing row

    doc = json.loads(_run(store, "explain", entity, "--format", "json").output)
    assert doc["entity_id"] == entity and doc["mentions"] == 2
    assert {"phone", "name"} <= {row["field"] for row in doc["evidence"]}
    assert all(row["mentions"] == "S1#shipper ~ S2#shipper" for row in doc["evidence"])


def test_explain_unknown_entity_is_one_clear_error(store: GraphStore) -> None:
    _resolved(store)
    result = _run(store, "explain", "party:nope")
    assert result.exit_code == 1
    assert "no party entity 'party:nope'" in result.output


def test_judge_different_records_user_and_splits_on_resolve(store: GraphStore) -> None:
    _resolved(store)
    result = _run(store, "judge", "different", "S1#shipper", "S2#shipper", user="ana")
    assert result.exit_code == 0, result.output
    [j] = store.judgements()
    assert (j.left, j.right, j.verdict, j.user) == ("S1#shipper", "S2#shipper", "different", "ana")
    assert _run(store, "judge", "same", "S1", "S2").exit_code == 2  # not a mention or party id
    assert _run(store, "resolve").exit_code == 0
    found = entity_of(store)
    assert found["S1#shipper"] != found["S2#shipper"]

    listing = json.loads(_run(store, "judgements", "--format", "json").output)
    assert [(r["verdict"], r["user"]) for r in listing] == [("different", "ana")]
    assert "S2#shipper" in _run(store, "judgements").output


def test_judge_same_with_explicit_user_shows_in_explain(store: GraphStore) -> None:
    load(store, [ship("S1", consignee_name="Maria Gonzalez"), ship("S2", consignee_name="Li Wei")])
    resolve_store(store)
    result = _run(store, "judge", "same", "S1#consignee", "S2#consignee", "--user", "bo")
    assert result.exit_code == 0, result.output
    assert _run(store, "resolve").exit_code == 0
    entity = entity_of(store)["S1#consignee"]
    doc = json.loads(_run(store, "explain", entity, "--format", "json").output)
    [row] = doc["evidence"]
    assert row["rule"] == "judgement:same" and "bo" in row["field"]
    assert len(doc["names"]) == 2 and doc["mentions"] == 2

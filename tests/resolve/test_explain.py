"""Issue 14's failure classes end to end, and ``explain A B`` saying what really happened."""

from __future__ import annotations

import itertools
import json

import numpy as np
from click.testing import CliRunner

from graphintel.cli import cli
from graphintel.resolve import resolve_store
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.explain import explain_pair, render_pair
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.fs_model import FSModel, encode
from graphintel.resolve.rules import FIELDS, model_verdict
from graphintel.resolve.scoring import PairScorer, _Columns
from graphintel.store import GraphStore, SqliteStore
from tests.resolve.helpers import entities, load, ship

JIUZHOU = {
    "shipper_country": "CN",
    "shipper_city": "Dongguan",
    "shipper_address": "No. 238 Longgang Rd Unit 29",
    "shipper_phone": "+86-13211434544",
    "shipper_email": "jinfeng@outlook.com",
}
NAMES = (
    "Dongguan Jiuzhou Jinfeng Biotechnology Co Ltd",
    "Jiuzhou Jinfeng Biotechnology Co Ltd",
    "Dongguan Jiuhzou Jinfeng Biotechnology Co., Ltd.",
    "DONGGUAN JIUZHOU JINFEKG BIOTECHNOLOGY LIMITED",
)


def _jiuzhou(store: GraphStore, copies: int = 3) -> list[str]:
    rows = []
    for n, (name, _) in enumerate(itertools.product(NAMES, range(copies)), start=1):
        rows.append(ship(f"S{n}", shipper_name=name, **JIUZHOU))
    load(store, rows)
    return [r.shipment_id for r in rows]


def test_city_prefix_drop_and_typos_with_identical_identifiers_are_one_shipper(
    store: GraphStore,
) -> None:
    ids = _jiuzhou(store)
    resolve_store(store)
    assert len(entities(store, "shipper", ids)) == 1


def test_explain_reports_a_dropped_place_not_a_typo(store: GraphStore) -> None:
    _jiuzhou(store)
    resolve_store(store)
    # S1 "Dongguan Jiuzhou ...", S4 "Jiuzhou ..." (three copies of each name)
    found = explain_pair(store, "S1#shipper", "S4#shipper")
    name = next(line for line in found.fields if line.field == "name")
    assert name.level == "words_dropped"
    assert "dongguan" in found.name_note
    assert found.merges and found.entity_a == found.entity_b
    assert "one_typo" not in render_pair(found)


def test_explain_names_the_rule_that_blocks_a_shared_identifier_alone(store: GraphStore) -> None:
    """Two distinct names over one phone (identity churn): no merge, and the reason says so."""
    load(
        store,
        [
            ship("S1", shipper_name="Huayu Trading Co", **JIUZHOU),
            ship("S2", shipper_name="Haoyu Trading Co", **JIUZHOU),
        ],
    )
    resolve_store(store)
    found = explain_pair(store, "S1#shipper", "S2#shipper")
    assert not found.merges and "shared identifier alone never merges" in found.rule
    assert found.entity_a != found.entity_b


def test_explain_command_prints_the_pair_as_json(tmp_path: object) -> None:
    path = f"{tmp_path}/s.db"
    store = SqliteStore(path)
    _jiuzhou(store, copies=1)
    resolve_store(store)
    store.close()
    out = CliRunner().invoke(
        cli, ["--store", f"sqlite:///{path}", "explain", "S1#shipper", "S2#shipper", "--format",
              "json"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert {f["field"] for f in doc["fields"]} >= {"name", "phone", "email", "address"}
    assert doc["merges"] is True


def test_plus_and_bare_country_code_phones_are_one_node(store: GraphStore) -> None:
    """Issue 14: "+85249097945" and "85249097945" were two phone nodes."""
    hk = {"shipper_country": "CN", "shipper_city": "Shenzhen"}
    load(
        store,
        [
            ship("S1", shipper_name="Xinyao Mold Co", shipper_phone="+85249097945", **hk),
            ship("S2", shipper_name="Xinyao Mold Co", shipper_phone="85249097945", **hk),
            ship("S3", shipper_name="Xinyao Mold Co", shipper_phone="00852 4909 7945", **hk),
        ],
    )
    resolve_store(store)
    phones = [n for n in store.iter_nodes() for n in n if n.id.startswith("phone:")]
    assert [n.id for n in phones] == ["phone:+85249097945"]


def test_model_verdict_agrees_with_the_vectorized_rules() -> None:
    """The one-pair rules (explain) accept exactly the pairs the resolver's arrays accept."""
    rng = np.random.default_rng(3)
    records = [
        PartyFeatures("huayu", "huayu", True, "CN", "+8613800138000", "a@b.cn",
                      "CN|SHENZHEN|1 MAIN RD", "CN||1 MAIN RD"),
        PartyFeatures("huayu", "huayu", True, "", "", "", "CN|SHENZHEN|1 MAIN RD UNIT 4",
                      "CN||1 MAIN RD UNIT 4"),
        PartyFeatures("li wei", "li wei", False, "CN", "", "", "CN|SHENZHEN|2 MAIN RD",
                      "CN||2 MAIN RD"),
        PartyFeatures("wei li", "li wei", False, "US", "+12125550147", "", "", ""),
        PartyFeatures("li wei", "li wei", False, "CN", "+8613800138000", "a@b.cn",
                      "CN|DONGGUAN|2 MAIN RD", "CN||2 MAIN RD"),
    ]  # fmt: skip
    scorer = PairScorer(records, ResolverConfig())
    scorer._cols = _Columns(records, frozenset())
    m = [np.linspace(1, 3, spec.radix - 1) for spec in FIELDS]
    u = [np.linspace(3, 1, spec.radix - 1) for spec in FIELDS]
    model = FSModel(FIELDS, [x / x.sum() for x in m], [x / x.sum() for x in u], 0.1, 0.8, {}, {})
    scorer.model = model
    name_w = model.level_weights()[0][-1]
    address_w = model.level_weights()[3][-1]
    pairs = list(itertools.combinations(range(len(records)), 2))
    accepted = rejected = 0
    for k in range(600):
        i, j = pairs[k % len(pairs)]
        vector = tuple(int(rng.integers(0, spec.radix)) for spec in FIELDS)
        codes = encode([vector], FIELDS)
        kept = scorer._accepted(np.array([i]), np.array([j]), codes)
        name_adj, address_adj = scorer._tf_adjustments(np.array([i]))
        weight = float(model.pattern_weights(codes)[0])
        if vector[0] == FIELDS[0].radix - 1:
            weight += max(name_adj[i], -name_w)
        if vector[3] == FIELDS[3].radix - 1:
            weight += max(address_adj[i], -address_w)
        verdict, _ = model_verdict(vector, records[i], records[j], weight,
                                   model.threshold_weight, bool(name_adj[i] > 0))  # fmt: skip
        assert verdict == bool(kept), (i, j, vector)
        accepted += verdict
        rejected += not verdict
    assert accepted and rejected  # both outcomes were exercised

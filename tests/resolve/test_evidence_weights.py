"""Merge evidence weighed and ordered on read (``evidence_weights``) shows what the resolver
made, and a day that writes only the merges that changed (``merge_trail``) shows what a
full run shows."""

from __future__ import annotations

import csv
import logging
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from graphintel.evidence_weights import (
    JUDGED_ROW,
    PAIR_TOTAL,
    WEIGHTS_ENTITY,
    EvidenceWeights,
    TermWeights,
    stored,
    weighed,
    weights_row,
)
from graphintel.records import MergeEvidence
from graphintel.resolve import resolver, run_resolution
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.merge_trail import JUDGED, MergeTrail, evidence_change
from graphintel.store import SqliteStore
from graphintel.synth import generate
from loaders import load_file


def _recording(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[MergeEvidence]]:
    """Every model and rule merge's evidence rows as the resolver builds them, by entity."""
    made: dict[str, list[MergeEvidence]] = defaultdict(list)
    build = resolver.decision_evidence

    def recorded(*args: object) -> list[MergeEvidence]:
        rows = build(*args)  # type: ignore[arg-type]
        made[rows[0].entity_id].extend(rows)
        return rows

    monkeypatch.setattr(resolver, "decision_evidence", recorded)
    return made


def _stored_rows(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM merge_evidence").fetchone()[0])
    finally:
        conn.close()


def test_the_store_weighs_and_orders_evidence_as_the_resolver_made_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synth = generate(tmp_path / "synth", shipments=2_000, seed=7)
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, synth.manifest)
    made = _recording(monkeypatch)
    run_resolution(store)
    assert made
    for entity, rows in made.items():
        assert store.merge_evidence(entity) == rows
    assert any(r.level == PAIR_TOTAL for rows in made.values() for r in rows)
    assert any(len(rows) > 20 for rows in made.values())  # merges to order
    store.close()


@pytest.mark.parametrize("scoring", ["model", "rules"])
def test_a_day_keeps_most_evidence_rows_and_matches_a_full_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, scoring: str
) -> None:
    config = ResolverConfig(scoring=scoring)
    synth = generate(tmp_path / "synth", shipments=3_000, seed=11)
    rows = list(csv.reader(synth.manifest.open(newline="", encoding="utf-8")))
    base, day = tmp_path / "base.csv", tmp_path / "day.csv"
    for path, part in ((base, rows[1:-150]), (day, rows[-150:])):
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([rows[0], *part])
    step = SqliteStore(tmp_path / "step.db")
    load_file(step, base)
    run_resolution(step, config)
    conn = sqlite3.connect(tmp_path / "step.db")
    before = {r[0]: r[1:] for r in conn.execute("SELECT id, entity_id FROM merge_evidence")}
    conn.close()
    load_file(step, day)
    with caplog.at_level(logging.INFO, logger="graphintel.resolve.party_job"):
        assert run_resolution(step, config).delta
    step.close()
    [line] = [r.getMessage() for r in caplog.records if "merge evidence:" in r.message]
    written, merges = (int(n) for n in re.findall(r"(\d+) of (\d+) merges", line)[0])
    assert 0 < written < merges // 2
    conn = sqlite3.connect(tmp_path / "step.db")
    kept = [r for r in conn.execute("SELECT id, entity_id FROM merge_evidence") if r[0] in before]
    conn.close()
    assert len(kept) > len(before) // 2  # the day left most rows where they were

    whole = SqliteStore(tmp_path / "whole.db")
    load_file(whole, base)
    load_file(whole, day)
    run_resolution(whole, config, full=True)
    entities = {e for b in whole.iter_mentions() for e in (m.entity_id for m in b)}
    step = SqliteStore(tmp_path / "step.db")
    for entity in entities:
        assert step.merge_evidence(entity) == whole.merge_evidence(entity)
    assert _stored_rows(tmp_path / "step.db") == _stored_rows(tmp_path / "whole.db")
    step.close()
    whole.close()


def _weights() -> EvidenceWeights:
    return EvidenceWeights(
        -1.25,
        {"name": (0.0, -3.0, 2.5, 7.0), "phone": (0.0, -2.0, 6.5)},
        {"name": TermWeights(3, 400, 0.004)},
    )


def test_weights_read_back_bit_for_bit_and_weigh_a_merge() -> None:
    weights = _weights()
    assert EvidenceWeights.from_json(weights.to_json()) == weights
    name = MergeEvidence("p", "a", "b", "name", "Ann", "Ann", 1.0, 0.0, "m:exact", 3, 8)
    phone = MergeEvidence("p", "a", "b", "phone", "1", "1", 1.0, 0.0, "m:exact", 2)
    total = MergeEvidence("p", "a", "b", "match_probability", "", "", 0.0, 0.0, "m", PAIR_TOTAL)
    named, phoned, closing = weighed([name, phone, total], weights)
    adjustment = np.log2(0.004 / (8 / 400))
    assert named.weight == round(max(7.0 + adjustment, 0.0), 3)
    assert phoned.weight == 6.5
    w = -1.25 + 7.0 + 6.5 + max(adjustment, -7.0)
    assert closing.weight == round(w, 3)
    assert closing.similarity == round(1 / (1 + 2**-w), 6)
    assert [stored(r) for r in (named, phoned, closing)] == [name, phone, total]
    fixed = MergeEvidence("p", "a", "b", "seller_id", "s", "s", 1.0, 1.0, "same_seller_account")
    assert weighed([fixed], weights) == [fixed] and stored(fixed) == fixed
    assert weights_row(weights).entity_id == WEIGHTS_ENTITY


def _trail(*merges: tuple[int, int, int, int, int]) -> MergeTrail:
    return MergeTrail.of(list(merges))


def test_a_day_writes_the_merges_that_changed_and_removes_those_gone() -> None:
    old_entity = ["e1", "e1", "e1", "e2", "e2", "e3", "e3", "e4", "e4", None]
    old_first = ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", None]
    entity_of = ["e1", "e1", "e1", "e2", "e2", "e5", "e5", "e4", "e4", "e4"]
    first = ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"]
    old = _trail(
        (0, 1, 5, 0, 0), (1, 2, 5, 0, 0), (3, 4, 6, 2, 0), (5, 6, 7, 0, 0), (7, 8, 7, 0, 0)
    )
    new = _trail(
        (0, 1, 5, 0, 0),  # kept
        (0, 2, 5, 0, 0),  # e1: another merge joined record 2 (1, 2 is gone)
        (3, 4, 6, 3, 0),  # e2: the agreed name is carried by one more party
        (5, 6, 7, 0, 0),  # now under entity e5
        (7, 8, 7, 0, 0),  # kept
        (8, 9, 5, 0, 0),  # new record 9
        (7, 9, JUDGED, 0, 0),  # a judgement's merge
    )
    change = evidence_change(old, new, (old_entity, old_first), (entity_of, first))
    assert change.written == {1, 2, 3, 5, 6}
    assert sorted(change.removed) == [("e1", "m1", "m2"), ("e2", "m3", "m4"), ("e3", "m5", "m6")]
    first[1] = "m10"  # record 1 took an earlier mention: its merges' rows name it
    assert evidence_change(old, new, (old_entity, old_first), (entity_of, first)).written == {
        0,
        1,
        2,
        3,
        5,
        6,
    }


def test_the_store_lists_an_entitys_merges_in_the_resolvers_order() -> None:
    weights = _weights()

    def merge(a: str, b: str, level: int) -> list[MergeEvidence]:
        return [
            MergeEvidence("p", a, b, "phone", "1", "1", 1.0, 0.0, "m:exact", level),
            MergeEvidence("p", a, b, "match_probability", "", "", 0.0, 0.0, "m", PAIR_TOTAL),
        ]

    judged = MergeEvidence("p", "a", "c", "judged same", "", "", 1.0, 1.0, "judged", JUDGED_ROW)
    rule = [
        MergeEvidence("p", "c", "d", "name", "X", "X", 0.5, 1.0, "r"),
        MergeEvidence("p", "c", "d", "seller_id", "s", "s", 1.0, 1.0, "r"),
    ]
    rows = [judged, *merge("a", "b", 1), *rule, *merge("b", "c", 2)]
    out = weighed(rows, weights)
    assert [(r.mention_a, r.mention_b) for r in out] == [
        ("b", "c"), ("b", "c"), ("c", "d"), ("c", "d"), ("a", "b"), ("a", "b"), ("a", "c"),
    ]  # fmt: skip
    assert weighed(rows, None) == rows  # a store from before: as written


def test_a_trail_survives_the_state_and_follows_the_canonical_order() -> None:
    trail = _trail((0, 2, 9, 1, 0), (1, 2, JUDGED, 0, 0))
    back = MergeTrail.from_parts(trail.parts())
    assert back is not None
    assert back.a.tolist() == [0, 1] and back.code.tolist() == [9, JUDGED]
    moved = back.remapped([2, 0, 1])
    assert moved.a.tolist() == [2, 0] and moved.b.tolist() == [1, 1]
    assert MergeTrail.from_parts({}) is None


def test_a_store_from_before_derived_weights_gets_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    SqliteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE merge_evidence")
    conn.execute(
        "CREATE TABLE merge_evidence (id INTEGER PRIMARY KEY, entity_id TEXT NOT NULL,"
        " mention_a TEXT NOT NULL, mention_b TEXT NOT NULL, field TEXT NOT NULL,"
        " value_a TEXT NOT NULL, value_b TEXT NOT NULL, similarity REAL NOT NULL,"
        " weight REAL NOT NULL, rule TEXT NOT NULL)"
    )
    conn.execute("CREATE INDEX merge_evidence_by_entity ON merge_evidence (entity_id)")
    conn.execute(
        "INSERT INTO merge_evidence (entity_id, mention_a, mention_b, field, value_a, value_b,"
        " similarity, weight, rule) VALUES ('p', 'a', 'b', 'name', 'x', 'x', 1.0, 4.2, 'r')"
    )
    conn.commit()
    conn.close()
    store = SqliteStore(path)
    assert store.merge_evidence("p") == [
        MergeEvidence("p", "a", "b", "name", "x", "x", 1.0, 4.2, "r")
    ]
    store.close()
    conn = sqlite3.connect(path)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert "merge_evidence_by_merge" in indexes and "merge_evidence_by_entity" not in indexes

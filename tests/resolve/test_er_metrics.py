"""``er_metrics``: pairwise, B-cubed and exact-cluster scores, against hand counts and a
brute-force pair oracle."""

from __future__ import annotations

import random
from itertools import combinations
from pathlib import Path

import pytest

from graphintel.errors import InputFileError
from graphintel.resolve.evaluate import er_metrics, read_clusters, read_entity_truth

TRUTH = {"a": "T1", "b": "T1", "c": "T1", "d": "T2", "e": "T2", "f": "T3"}
PREDICTED = {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": "Z", "f": "W", "g": "V"}


def test_hand_computed_case() -> None:
    m = er_metrics(PREDICTED, TRUTH)
    assert (m.mentions, m.only_predicted, m.only_truth) == (6, 1, 0)
    # true links ab ac bc de = 4; predicted ab cd = 2; correct ab = 1
    p = m.pairwise
    assert (p.true_links, p.predicted_links, p.correct_links) == (4, 2, 1)
    assert p.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    # B-cubed precision per mention: a 1, b 1, c 1/2, d 1/2, e 1, f 1
    assert m.bcubed_precision == pytest.approx(5 / 6)
    # B-cubed recall: a 2/3, b 2/3, c 1/3, d 1/2, e 1/2, f 1
    assert m.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 / 2 + 1 / 2 + 1) / 6)
    assert m.bcubed_f1 == pytest.approx(
        2 * m.bcubed_precision * m.bcubed_recall / (m.bcubed_precision + m.bcubed_recall)
    )
    # only {f} is a predicted cluster equal to a true one
    assert (m.exact_clusters, m.predicted_clusters, m.true_clusters) == (1, 4, 3)
    assert (m.cluster_precision, m.cluster_recall) == (0.25, pytest.approx(1 / 3))


def test_perfect_resolution_scores_one_everywhere() -> None:
    m = er_metrics(TRUTH, TRUTH)
    scores = m.as_dict()
    for key in ("pairwise_f1", "bcubed_f1", "cluster_precision", "cluster_recall"):
        assert scores[key] == 1.0, key


def _brute_force(pred: dict[str, int], truth: dict[str, int]) -> tuple[float, float, float]:
    ids = sorted(pred.keys() & truth.keys())
    predicted = {(x, y) for x, y in combinations(ids, 2) if pred[x] == pred[y]}
    true = {(x, y) for x, y in combinations(ids, 2) if truth[x] == truth[y]}
    precision = sum(
        sum(1 for y in ids if pred[y] == pred[x] and truth[y] == truth[x])
        / sum(1 for y in ids if pred[y] == pred[x])
        for x in ids
    ) / len(ids)
    pairwise_p = len(predicted & true) / len(predicted) if predicted else 1.0
    pairwise_r = len(predicted & true) / len(true) if true else 1.0
    return pairwise_p, pairwise_r, precision


@pytest.mark.parametrize("seed", range(5))
def test_matches_brute_force_on_random_clusterings(seed: int) -> None:
    rng = random.Random(seed)
    ids = [f"m{i}" for i in range(60)]
    truth = {m: rng.randrange(12) for m in ids}
    pred = {m: rng.randrange(15) for m in ids}
    m = er_metrics(pred, truth)
    p, r, b = _brute_force(pred, truth)
    assert (m.pairwise.precision, m.pairwise.recall) == (pytest.approx(p), pytest.approx(r))
    assert m.bcubed_precision == pytest.approx(b)
    # B-cubed recall is B-cubed precision with the roles swapped
    assert m.bcubed_recall == pytest.approx(_brute_force(truth, pred)[2])


def test_reads_synth_truth_and_cluster_files(tmp_path: Path) -> None:
    synth = tmp_path / "truth.csv"
    synth.write_text(
        "shipment_id,shipper_entity,consignee_entity,seller_entity,ring_id,typology,hub_kind\n"
        "S1,company-1,person-1,,,,\nS2,company-1,person-2,seller-9,ring-0001,x,\n",
        encoding="utf-8",
    )
    assert read_entity_truth(synth) == {
        "S1#shipper": "company-1", "S1#consignee": "person-1", "S2#shipper": "company-1",
        "S2#consignee": "person-2", "S2#seller": "seller-9",
    }  # fmt: skip
    clusters = tmp_path / "clusters.csv"
    clusters.write_text("record_id,cluster_id,score\nr1,r1,\nr2,r1,0.9\n", encoding="utf-8")
    assert read_clusters(clusters) == read_entity_truth(clusters) == {"r1": "r1", "r2": "r1"}
    bad = tmp_path / "bad.csv"
    bad.write_text("id,cluster\n1,1\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="needs record_id"):
        read_clusters(bad)
    twice = tmp_path / "twice.csv"
    twice.write_text("record_id,cluster_id\n1,1\n1,2\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="appears twice"):
        read_clusters(twice)

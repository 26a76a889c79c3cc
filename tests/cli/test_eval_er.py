"""``graphintel eval er``: the store's resolution or a dedupe output against ground truth."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphintel.cli.commands import cli
from graphintel.resolve import resolve_store
from graphintel.resolve.evaluate import er_metrics, read_entity_truth
from graphintel.store import SqliteStore
from graphintel.synth import generate
from loaders import load_file


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--quiet", *args])


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    out = tmp_path_factory.mktemp("synth")
    synth = generate(out, shipments=1_000, seed=11)
    store = SqliteStore(out / "store.db")
    load_file(store, synth.manifest)
    resolve_store(store)
    store.close()
    yield out / "store.db", synth.truth


def test_store_resolution_against_synth_truth(synth_store: tuple[Path, Path]) -> None:
    db, truth_path = synth_store
    result = _run("--store", str(db), "eval", "er", "--truth", str(truth_path), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["scope"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"all", "shipper", "consignee", "seller"}
    store = SqliteStore(db)
    predicted = {m.mention_id: m.entity_id for b in store.iter_mentions() for m in b}
    store.close()
    expected = er_metrics(predicted, read_entity_truth(truth_path)).as_dict()
    assert rows["all"] == {"scope": "all", **expected}
    assert rows["all"]["mentions"] == len(predicted)  # every mention has a true entity
    assert rows["shipper"]["mentions"] == rows["consignee"]["mentions"] == 1_000
    assert rows["all"]["pairwise_f1"] > 0.9 and rows["all"]["bcubed_f1"] > 0.9

    table = _run("--store", str(db), "eval", "er", "--truth", str(truth_path))
    assert table.exit_code == 0 and "pairwise_f1" in table.stdout and "consignee" in table.stdout


def test_dedupe_output_scores_like_the_store(
    synth_store: tuple[Path, Path], tmp_path: Path
) -> None:
    db, truth_path = synth_store
    store = SqliteStore(db)
    clusters = tmp_path / "clusters.csv"
    with clusters.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["record_id", "cluster_id"])
        for batch in store.iter_mentions():
            writer.writerows((m.mention_id, m.entity_id) for m in batch)
    store.close()
    from_file = _run("eval", "er", "--clusters", str(clusters), "--truth", str(truth_path),
                     "--format", "json")  # fmt: skip
    from_store = _run("--store", str(db), "eval", "er", "--truth", str(truth_path),
                      "--format", "json")  # fmt: skip
    assert from_file.exit_code == 0, from_file.output
    assert json.loads(from_file.stdout) == json.loads(from_store.stdout)


def test_hand_counted_clusters_file(tmp_path: Path) -> None:
    truth = tmp_path / "truth.csv"
    truth.write_text("record_id,entity_id\na,1\nb,1\nc,1\nd,2\n", encoding="utf-8")
    clusters = tmp_path / "clusters.csv"
    clusters.write_text("record_id,cluster_id\na,a\nb,a\nc,c\nd,c\ne,e\n", encoding="utf-8")
    result = _run("eval", "er", "--clusters", str(clusters), "--truth", str(truth),
                  "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(result.stdout.splitlines()))
    # true links ab ac bc; predicted ab cd; correct ab
    assert float(row["pairwise_precision"]) == 0.5
    assert float(row["pairwise_recall"]) == pytest.approx(1 / 3, abs=1e-6)
    assert (row["mentions"], row["only_predicted"], row["only_truth"]) == ("4", "1", "0")
    assert float(row["cluster_precision"]) == 0.0


def test_unusable_inputs_are_one_line_errors(tmp_path: Path) -> None:
    truth = tmp_path / "truth.csv"
    truth.write_text("record_id,entity_id\na,1\n", encoding="utf-8")
    empty = _run("--store", str(tmp_path / "empty.db"), "eval", "er", "--truth", str(truth))
    assert empty.exit_code == 1 and "run `graphintel resolve`" in empty.output
    other = tmp_path / "other.csv"
    other.write_text("record_id,cluster_id\nz,z\n", encoding="utf-8")
    disjoint = _run("eval", "er", "--clusters", str(other), "--truth", str(truth))
    assert disjoint.exit_code == 1 and "no id is in both" in disjoint.output
    missing = _run("eval", "er", "--clusters", str(tmp_path / "nope.csv"), "--truth", str(truth))
    assert missing.exit_code == 1 and "Traceback" not in missing.output

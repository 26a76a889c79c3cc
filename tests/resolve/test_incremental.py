"""Incremental resolution ends exactly where a full resolution of the same data does.

A synthetic manifest is split into two files by a random draw (so their shipment ids
interleave). One store loads A, resolves, loads B and resolves incrementally; another
loads A and B and resolves in full. Entities per mention, party nodes, edges and merge
evidence must be the same, with and without investigator judgements.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphintel.cli import cli
from graphintel.normalize import normalize_party_name
from graphintel.resolve import run_resolution
from graphintel.store import GraphStore, SqliteStore
from graphintel.synth import generate
from loaders import load_file
from tests.resolve.helpers import entity_of


def _split(manifest: Path, out: Path, seed: int, share: float) -> tuple[Path, Path]:
    with manifest.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    rng = random.Random(seed)
    parts: tuple[list[list[str]], list[list[str]]] = ([], [])
    for row in rows:
        parts[rng.random() >= share].append(row)
    paths = (out / "a.csv", out / "b.csv")
    for path, part in zip(paths, parts, strict=True):
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(part)
    return paths


def _graph(store: GraphStore) -> tuple[object, ...]:
    nodes = sorted((n.id, n.label, repr(sorted(n.props.items()))) for b in store.iter_nodes()
                   for n in b)  # fmt: skip
    edges = sorted((e.source, e.kind.value, e.target, e.weight) for b in store.iter_edges()
                   for e in b)  # fmt: skip
    return tuple(nodes), tuple(edges)


def _evidence(store: GraphStore, entity_ids: set[str]) -> list[tuple[object, ...]]:
    # A judged merge's field names the judgement's time, which differs between the stores.
    return sorted(
        (
            e.entity_id,
            e.mention_a,
            e.mention_b,
            e.field.split(" at ")[0],
            e.value_a,
            e.value_b,
            e.similarity,
            e.weight,  # derived on read from the run's model weights
            e.rule,
        )  # fmt: skip
        for entity in sorted(entity_ids)
        for e in store.merge_evidence(entity)
    )


def _judge(store: GraphStore, judgements: list[tuple[str, str, str]]) -> None:
    for left, right, verdict in judgements:
        store.add_judgement(left, right, verdict, "ana")


@pytest.mark.parametrize(
    ("shipments", "seed", "share", "judged"),
    [(2_000, 3, 0.7, False), (3_000, 11, 0.5, True), (1_500, 5, 0.9, True)],
)
def test_incremental_equals_full(
    tmp_path: Path, shipments: int, seed: int, share: float, judged: bool
) -> None:
    synth = generate(tmp_path / "synth", shipments=shipments, seed=seed)
    part_a, part_b = _split(synth.manifest, tmp_path, seed, share)

    step = SqliteStore(tmp_path / "step.db")
    load_file(step, part_a)
    first = run_resolution(step)
    assert first.mode == "full"
    judgements: list[tuple[str, str, str]] = []
    if judged:
        # Split one merged entity and join two parties, by mention id of part A.
        by_entity: dict[str, dict[str, str]] = {}  # entity -> name -> first mention
        for batch in step.iter_mentions():
            for m in batch:
                name = normalize_party_name(m.name).normalized  # one record per name
                by_entity.setdefault(m.entity_id, {}).setdefault(name, m.mention_id)
        merged = [list(names.values()) for names in by_entity.values() if len(names) >= 2]
        singles = [next(iter(names.values())) for names in by_entity.values()
                   if len(names) == 1]  # fmt: skip
        judgements = [
            (merged[0][0], merged[0][1], "different"),
            (singles[0], singles[1], "same"),
        ]
        _judge(step, judgements)
    load_file(step, part_b)
    second = run_resolution(step)
    assert second.mode == "incremental"
    assert second.new_mentions < second.summary.mentions
    assert second.reused_pairs > 0
    assert second.compared_pairs < second.summary.candidate_pairs + second.reused_pairs

    whole = SqliteStore(tmp_path / "whole.db")
    load_file(whole, part_a)
    load_file(whole, part_b)
    _judge(whole, judgements)
    full = run_resolution(whole, full=True)
    assert full.mode == "full"
    assert full.reused_pairs == 0

    assert entity_of(step) == entity_of(whole)
    assert _graph(step) == _graph(whole)
    parties = set(entity_of(whole).values())
    assert _evidence(step, parties) == _evidence(whole, parties)
    assert second.summary == full.summary
    if judged:
        found = entity_of(whole)
        assert found[judgements[0][0]] != found[judgements[0][1]]
        assert found[judgements[1][0]] == found[judgements[1][1]]
    step.close()
    whole.close()


def test_resolving_again_without_new_data_compares_no_candidate_pair(tmp_path: Path) -> None:
    synth = generate(tmp_path / "synth", shipments=1_500, seed=2)
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, synth.manifest)
    first = run_resolution(store)
    before = entity_of(store)
    again = run_resolution(store)
    assert again.mode == "incremental"
    assert again.new_mentions == 0
    assert again.compared_pairs == 0
    assert entity_of(store) == before
    forced = run_resolution(store, full=True)
    assert forced.mode == "full"
    assert forced.compared_pairs == first.compared_pairs
    assert entity_of(store) == before
    store.close()


def test_the_command_says_which_mode_ran_and_full_forces_a_full_run(tmp_path: Path) -> None:
    synth = generate(tmp_path / "synth", shipments=1_000, seed=9)
    part_a, part_b = _split(synth.manifest, tmp_path, 9, 0.8)
    url = f"sqlite:///{tmp_path / 'g.db'}"
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--quiet", "--store", url, *args])
        assert result.exit_code == 0, result.output
        return result.output

    run("load", str(part_a))
    assert "resolved (full resolution:" in run("resolve")
    run("load", str(part_b))
    said = run("resolve")
    assert "resolved (incremental resolution:" in said
    assert "pairs compared" in said and "reused" in said
    assert "resolved (full resolution:" in run("resolve", "--full")

"""Normalizing in worker processes changes nothing: same entities, graph, evidence, state
and warning counts as in-process, full and incremental, with judgements and bad values."""

from __future__ import annotations

import csv
import logging
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graphintel.cli import cli
from graphintel.errors import ResolveError
from graphintel.records import ShipmentRecord
from graphintel.resolve import party_job, pipeline, run_resolution
from graphintel.resolve.features import shipment_mentions
from graphintel.resolve.state import decode
from graphintel.resolve.table import raw_key, shipment_raw_keys
from graphintel.store import GraphStore, SqliteStore
from graphintel.synth import generate
from loaders import load_file
from tests.isolated import run_isolated
from tests.resolve.helpers import entity_of, load, ship


def _odd(shipment_id: str, row: int, **values: object) -> ShipmentRecord:
    return ship(shipment_id, row, file_id="odd", load_id="load-odd", **values)


# Bad and lone mentions repeated verbatim: each must stay a record of its own, and their
# warnings count once per mention, in workers as in-process.
_ODD = [
    _odd("Z1", 1, consignee_name="", consignee_address="1 Elm St", consignee_postal_code="02108"),
    _odd("Z2", 2, consignee_name="", consignee_address="1 Elm St", consignee_postal_code="02108"),
    _odd("Z3", 3, consignee_name="Ann Lee", shipper_name="J", seller_name="x"),
    _odd("Z4", 4, consignee_name="Ann Lee", shipper_name="J", seller_name="x"),
    _odd("Z5", 5, consignee_name="Bo Chan", consignee_phone="12", consignee_email="bo@example.com"),
    _odd("Z6", 6, consignee_name="Bo Chan", consignee_phone="12", consignee_email="bo@example.com"),
]


def _split(manifest: Path, out: Path) -> tuple[Path, Path]:
    with manifest.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    paths = (out / "a.csv", out / "b.csv")
    for k, path in enumerate(paths):
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([rows[0], *rows[1 + k :: 2]])
    return paths


def _graph(store: GraphStore) -> dict[str, Any]:
    """Everything the graph holds: nodes, edges, each mention's entity, each merge's evidence."""
    found = entity_of(store)
    return {
        "entities": found,
        "nodes": sorted(
            (n.id, n.label, repr(sorted(n.props.items()))) for b in store.iter_nodes() for n in b
        ),  # fmt: skip
        "edges": sorted(
            (e.source, e.kind.value, e.target, e.weight) for b in store.iter_edges() for e in b
        ),  # fmt: skip
        "evidence": sorted(
            (e.entity_id, e.mention_a, e.mention_b, e.field.split(" at ")[0], e.value_a, e.rule)
            for entity in sorted(set(found.values()))
            for e in store.merge_evidence(entity)
        ),
    }


def _everything(store: GraphStore) -> dict[str, Any]:
    state = decode(store.resolver_state())
    assert state is not None
    return {
        **_graph(store),
        "state": (
            state.features,
            state.first_mention,
            state.mention_count,
            state.shipments,
            state.hubs,
            state.pair_left.tolist(),
            state.levels.tolist(),
        ),  # fmt: skip
        "unknown": [r.params["unknown_values"] for r in store.runs("resolve")],
    }


def _resolve_in_steps(path: Path, parts: tuple[Path, Path], workers: int) -> dict[str, Any]:
    store = SqliteStore(path)
    load_file(store, parts[0])
    load(store, _ODD, "odd")
    first = run_resolution(store, workers=workers)
    found = entity_of(store)
    store.add_judgement("Z1#consignee", "Z2#consignee", "same", "ana")
    merged = [m for m in found if found[m] == found["Z3#consignee"]]
    store.add_judgement(merged[0], merged[-1], "different", "ana")
    load_file(store, parts[1])
    second = run_resolution(store, workers=workers)
    assert (first.mode, second.mode) == ("full", "incremental")
    out = _everything(store)
    out["outcomes"] = [(o.new_mentions, o.compared_pairs, o.reused_pairs, o.summary)
                       for o in (first, second)]  # fmt: skip
    store.close()
    return out


def _where_parties_resolved(caplog: pytest.LogCaptureFixture) -> list[str]:
    found = [r.getMessage() for r in caplog.records if r.name == pipeline.__name__]
    caplog.clear()
    return [m for m in found if m.startswith("resolving parties in")]


class _Messages(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _where(messages: list[str]) -> list[str]:
    return [m for m in messages if m.startswith("resolving parties in")]


def _in_steps_with_two_workers(path: Path, parts: tuple[Path, Path]) -> tuple[Any, list[str]]:
    """Run isolated (one thread: the forked path): the steps, and where parties resolved."""
    pipeline.PARALLEL_MIN_MENTIONS = 0
    log = logging.getLogger(pipeline.__name__)
    log.setLevel(logging.INFO)
    log.addHandler(messages := _Messages())
    return _resolve_in_steps(path, parts, workers=2), _where(messages.messages)


def test_workers_resolve_exactly_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_MENTIONS", 0)
    caplog.set_level(logging.INFO, logger=pipeline.__name__)
    synth = generate(tmp_path / "synth", shipments=2_500, seed=13)
    parts = _split(synth.manifest, tmp_path)
    serial = _resolve_in_steps(tmp_path / "serial.db", parts, workers=1)
    assert _where_parties_resolved(caplog) == ["resolving parties in this process"] * 2
    parallel, where = run_isolated(_in_steps_with_two_workers, tmp_path / "parallel.db", parts)
    # the full resolution's job spawned (the table sent packed), the incremental one forked
    assert where == [
        "resolving parties in a spawned second process",
        "resolving parties in a forked second process",
    ]
    assert parallel == serial
    assert serial["unknown"][0]["name:empty"] >= 2


def test_repeated_lone_mentions_stay_apart_and_count_each(store: GraphStore) -> None:
    load(store, _ODD, "odd")
    run_resolution(store)
    found = entity_of(store)
    assert found["Z1#consignee"] != found["Z2#consignee"]  # no name: nobody in particular
    assert found["Z3#consignee"] != found["Z4#consignee"]  # no identifier at all
    assert found["Z5#consignee"] == found["Z6#consignee"]  # a bad phone, an e-mail
    unknown = store.runs("resolve")[-1].params["unknown_values"]
    assert unknown["name:empty"] == 2  # once per mention of a lone raw mention
    # shipper "J" twice (lone: once per mention), seller "x" once (a seller is never lone)
    assert unknown["name:one_letter"] == 3
    assert unknown["phone:malformed"] == 1


def test_raw_keys_are_those_of_the_shipments_mentions(tmp_path: Path) -> None:
    synth = generate(tmp_path / "synth", shipments=1_000, seed=4)
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, synth.manifest)
    load(store, _ODD, "odd")
    shipments: list[ShipmentRecord] = [s for batch in store.iter_shipments() for s in batch]
    assert any(not s.seller_name.strip() for s in shipments)
    for s in shipments:
        assert shipment_raw_keys(s) == [raw_key(pm) for pm in shipment_mentions(s)]
    store.close()


def test_resolve_command_takes_a_worker_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_MENTIONS", 0)
    synth = generate(tmp_path / "synth", shipments=1_000, seed=6)
    runner = CliRunner()
    found = []
    for name, workers in (("one", "1"), ("two", "2")):
        url = f"sqlite:///{tmp_path / name}.db"
        assert (
            runner.invoke(cli, ["--quiet", "--store", url, "load", str(synth.manifest)]).exit_code
            == 0
        )
        result = runner.invoke(cli, ["--quiet", "--store", url, "resolve", "--workers", workers])
        assert result.exit_code == 0, result.output
        assert "resolved (full resolution:" in result.output
        store = SqliteStore(tmp_path / f"{name}.db")
        found.append(entity_of(store))
        store.close()
    assert found[0] == found[1]
    bad = runner.invoke(
        cli, ["--store", f"sqlite:///{tmp_path}/one.db", "resolve", "--workers", "0"]
    )
    assert bad.exit_code != 0


def _broken(*args: object, **kwargs: object) -> None:
    raise RuntimeError("resolver broke on purpose")


def _failed_resolution(tmp_path: Path, workers: int) -> None:
    """A resolution whose resolver breaks, on a store resolved before (isolated when
    ``workers`` > 1, so the forked path runs)."""
    original_min, original_resolve = pipeline.PARALLEL_MIN_MENTIONS, party_job.resolve_records
    pipeline.PARALLEL_MIN_MENTIONS = 0
    log = logging.getLogger(pipeline.__name__)
    log.setLevel(logging.INFO)
    log.addHandler(messages := _Messages())
    try:
        synth = generate(tmp_path / "synth", shipments=1_000, seed=21)
        store = SqliteStore(tmp_path / "s.db")
        load_file(store, synth.manifest)
        run_resolution(store, workers=workers)
        before = _graph(store)
        assert before["edges"] and before["evidence"]
        runs = len(store.runs("resolve"))
        messages.messages.clear()
        party_job.resolve_records = _broken  # type: ignore[assignment]
        try:
            if workers > 1:  # the second process failed: one clear error
                with pytest.raises(ResolveError, match="RuntimeError: resolver broke on purpose"):
                    run_resolution(store, workers=workers)
            else:  # the same code in this process: the error as it was raised
                with pytest.raises(RuntimeError, match="resolver broke on purpose"):
                    run_resolution(store, workers=workers)
        finally:
            party_job.resolve_records = original_resolve
        where = "in a forked second process" if workers > 1 else "in this process"
        assert _where(messages.messages) == [f"resolving parties {where}"]
        assert multiprocessing.active_children() == []
        assert _graph(store) == before
        assert len(store.runs("resolve")) == runs  # no run recorded for the failed one
        # The saved state went before the swap that never came: the next run is full, and
        # ends where the first one did.
        assert decode(store.resolver_state()) is None
        again = run_resolution(store, workers=workers)
        assert again.mode == "full"
        assert _graph(store) == before
        store.close()
    finally:
        pipeline.PARALLEL_MIN_MENTIONS = original_min
        log.removeHandler(messages)


@pytest.mark.parametrize("workers", [2, 1])
def test_a_failed_resolution_leaves_the_old_graph(tmp_path: Path, workers: int) -> None:
    if workers > 1:
        run_isolated(_failed_resolution, tmp_path, workers)
    else:
        _failed_resolution(tmp_path, workers)


def _command_with_a_broken_resolver(tmp_path: Path) -> None:
    """Run isolated: ``graphintel resolve --workers 2`` whose second process breaks (an
    incremental run's, forked: a spawned one would import the resolver unpatched)."""
    pipeline.PARALLEL_MIN_MENTIONS = 0
    synth = generate(tmp_path / "synth", shipments=1_000, seed=6)
    first, second = _split(synth.manifest, tmp_path)
    url = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["--quiet", "--store", url, "load", str(first)]).exit_code == 0
    assert (
        runner.invoke(cli, ["--quiet", "--store", url, "resolve", "--workers", "2"]).exit_code == 0
    )
    assert runner.invoke(cli, ["--quiet", "--store", url, "load", str(second)]).exit_code == 0
    party_job.resolve_records = _broken  # type: ignore[assignment]
    result = runner.invoke(cli, ["--store", url, "resolve", "--workers", "2"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a message, not an escaped exception
    assert "error: the resolution process failed" in result.stderr
    assert "resolver broke on purpose" in result.stderr
    assert "resolved (" not in result.stderr


def test_resolve_command_reports_a_failed_resolution(tmp_path: Path) -> None:
    run_isolated(_command_with_a_broken_resolver, tmp_path)

"""An incremental resolution updates the graph as a delta and ends with exactly the tables
of a full resolution of the same data: nodes, edges, mention assignments and the merge
evidence in its order, over several seeds, two loads in a row and a judgement.
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from graphintel.resolve import graph_delta, pipeline, run_resolution
from graphintel.resolve.delta_basis import DeltaBasis, EntityChange
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.graph_delta import DeltaWrite
from graphintel.resolve.identifier_aliases import IdentifierAliases
from graphintel.resolve.pipeline import ResolveOutcome
from graphintel.resolve.state import LEDGER, PARTY_LEDGER
from graphintel.store import SqliteStore
from graphintel.store.base import GraphChange, GraphPart
from graphintel.store.graph_delta import rebuilt_parts
from graphintel.synth import generate
from loaders import load_file

# Every graph table in full, ordered (the merge evidence by merge, each merge's rows in
# their order: a delta rewrites only some merges' rows, so ids and the order of merges
# differ, and ``merge_evidence`` orders them on read); a judged merge's evidence names the
# judgement's time, which differs between the stores, so the field is cut before it.
_TABLES = {
    "nodes": "SELECT id, kind, label, props FROM nodes ORDER BY id",
    "edges": "SELECT source, kind, target, weight, props FROM edges ORDER BY source, kind, target",
    "mentions": "SELECT shipment_id, role, entity_id, name FROM mentions ORDER BY 1, 2",
    "merge_evidence": "SELECT entity_id, mention_a, mention_b,"
    " substr(field, 1, instr(field || ' at ', ' at ') - 1), value_a, value_b, similarity,"
    " weight, rule, level, tf_count FROM merge_evidence"
    " ORDER BY entity_id, mention_a, mention_b, id",
}


def _tables(path: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(path)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in _TABLES.items()}
    finally:
        conn.close()


def _split(manifest: Path, out: Path, seed: int, shares: tuple[float, float]) -> list[Path]:
    """The manifest's rows drawn at random into three files (their shipment ids interleave)."""
    with manifest.open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    rng = random.Random(seed)
    parts: list[list[list[str]]] = [[], [], []]
    for row in rows:
        draw = rng.random()
        parts[0 if draw < shares[0] else 1 if draw < shares[0] + shares[1] else 2].append(row)
    paths = [out / f"part{i}.csv" for i in range(3)]
    for path, part in zip(paths, parts, strict=True):
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(part)
    return paths


def _resolved_whole(
    path: Path, parts: list[Path], judged: tuple[str, str] | None = None
) -> tuple[ResolveOutcome, dict[str, bytes]]:
    """The oracle: every part loaded into a fresh store at ``path`` and resolved in full
    (with the judgement ``judged`` made first); its outcome and saved resolver state."""
    whole = SqliteStore(path)
    for part in parts:
        load_file(whole, part)
    if judged is not None:
        whole.add_judgement(*judged, "same", "ana")
    outcome = run_resolution(whole, full=True)
    state = whole.resolver_state()
    whole.close()
    return outcome, state


@pytest.mark.parametrize(
    ("shipments", "seed", "shares", "workers"),
    [
        (1_500, 4, (0.8, 0.1), 1),
        (2_000, 12, (0.6, 0.3), 1),
        (1_200, 21, (0.9, 0.05), 1),
        (1_500, 8, (0.7, 0.2), 2),  # parties resolved in a forked second process
    ],
)
def test_a_delta_write_leaves_the_tables_of_a_full_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shipments: int,
    seed: int,
    shares: tuple[float, float],
    workers: int,
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_MENTIONS", 0)
    synth = generate(tmp_path / "synth", shipments=shipments, seed=seed)
    parts = _split(synth.manifest, tmp_path, seed, shares)

    step = SqliteStore(tmp_path / "step.db")
    load_file(step, parts[0])
    assert not run_resolution(step).delta
    load_file(step, parts[1])
    second = run_resolution(step, workers=workers)
    assert second.mode == "incremental" and second.delta
    # a judgement between two mentions of different parties, then the last day
    firsts: dict[str, str] = {}
    for batch in step.iter_mentions():
        for m in batch:
            firsts.setdefault(m.entity_id, m.mention_id)
    left, right = sorted(firsts.values())[:2]
    step.add_judgement(left, right, "same", "ana")
    load_file(step, parts[2])
    third = run_resolution(step, workers=workers)
    assert third.delta
    step_state = step.resolver_state()
    step.close()

    full, whole_state = _resolved_whole(tmp_path / "whole.db", parts, judged=(left, right))
    assert not full.delta

    assert third.summary == full.summary
    assert _tables(tmp_path / "step.db") == _tables(tmp_path / "whole.db")
    # the identifier and party ledgers and shipments' records the delta saved are the
    # full run's
    for part in (LEDGER, PARTY_LEDGER, "shipments"):
        assert _arrow(step_state[part]).equals(_arrow(whole_state[part])), part
        assert _arrow(step_state[part]).num_rows > 0


def _arrow(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


def test_resolving_again_with_nothing_new_writes_no_entity(tmp_path: Path) -> None:
    synth = generate(tmp_path / "synth", shipments=1_000, seed=6)
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, synth.manifest)
    run_resolution(store)
    before = _tables(tmp_path / "s.db")
    again = run_resolution(store)
    assert again.delta
    store.close()
    assert _tables(tmp_path / "s.db") == before


def _brute_force(
    old: list[str | None], new: list[str], touched: set[int]
) -> tuple[set[str], set[str], set[str], set[str], dict[str, str]]:
    """Entities compared as whole record sets: the oracle of ``DeltaBasis.entities``."""

    def groups(of: list[str | None] | list[str]) -> dict[str, frozenset[int]]:
        found: dict[str, set[int]] = {}
        for r, e in enumerate(of):
            if e is not None:
                found.setdefault(e, set()).add(r)
        return {e: frozenset(rs) for e, rs in found.items()}

    before, after = groups(old), groups(new)
    same = {e for e, rs in after.items() if before.get(e) == rs and not rs & touched}
    written = set(after) - same
    grown = {e for e in written if e in before and before[e] <= after[e]}
    # grown, and every record it has now was its own or new to this run
    extended = {e for e in grown if all(old[r] in (e, None) for r in after[e])}
    # a new id holding every record of one old entity, and otherwise new records only
    renamed = {
        e: x
        for e in set(after) - set(before)
        for x in set(before) - set(after)
        if before[x] <= after[e] and all(old[r] in (x, None) for r in after[e])
    }
    removed = (written - grown - set(renamed)) | (set(before) - set(after) - set(renamed.values()))
    return written, grown, removed, extended | set(renamed), renamed


@pytest.mark.parametrize("seed", range(60))
def test_changed_entities_are_those_whose_records_differ(seed: int) -> None:
    rng = random.Random(seed)
    records = rng.randint(1, 40)
    new = [f"e{rng.randint(0, 12)}" for _ in range(records)]
    old: list[str | None] = [
        None if rng.random() < 0.2 else (e if rng.random() < 0.8 else f"e{rng.randint(0, 12)}")
        for e in new
    ]
    touched = {r for r in range(records) if rng.random() < 0.1}
    moved = {r for r in touched if rng.random() < 0.3}
    change = DeltaBasis(old, touched, moved=moved).entities(new)
    written, grown, removed, extended, renamed = _brute_force(old, new, touched)
    assert change.written == written
    assert change.grown == grown
    assert change.removed == removed
    assert change.extended == extended
    assert change.renamed == renamed
    # the old shipments read back for an extended entity: those of its moved records
    assert change.recounted(new, moved) == [
        r in moved and new[r] in extended for r in range(records)
    ]


@pytest.mark.parametrize("seed", range(40))
def test_records_showing_recounted_nodes_are_those_whose_node_ids_are_named(seed: int) -> None:
    """``_showing`` files the named nodes' keys first (variants under their canonical
    key); the oracle makes each record's node ids as the graph keys them."""
    rng = random.Random(seed)
    keys = [f"K{i}" for i in range(8)]
    aliases = IdentifierAliases(
        {k: (rng.choice(keys[:3]), "why") for k in keys[3:] if rng.random() < 0.5},
        {k: (rng.choice(keys[:3]), "why") for k in keys[3:] if rng.random() < 0.5},
    )
    features = [
        PartyFeatures("n", "n", False, phone=rng.choice(["", *keys]), email=rng.choice(["", *keys]),
                      address=rng.choice(["", *keys]))
        for _ in range(30)
    ]  # fmt: skip
    prefixes = (graph_delta._ADDRESS, graph_delta._PHONE, graph_delta._EMAIL)
    nodes = {p + k for p in prefixes for k in keys if rng.random() < 0.2}

    def node_ids(f: PartyFeatures) -> set[str]:
        found = {graph_delta._ADDRESS + aliases.address_key(f.address) if f.address else "",
                 graph_delta._PHONE + aliases.phone_key(f.phone) if f.phone else "",
                 graph_delta._EMAIL + f.email if f.email else ""}  # fmt: skip
        return found - {""}

    shows = graph_delta._showing(features, nodes, aliases)
    assert shows.tolist() == [not nodes.isdisjoint(node_ids(f)) for f in features]


def _without(parts: dict[str, bytes], missing: str) -> dict[str, bytes]:
    """A state as an earlier version saved it: without a part, or without its loads."""
    if missing != "loads":
        return {k: v for k, v in parts.items() if k != missing}
    meta = json.loads(parts["meta"])
    del meta["loads"]
    return {**parts, "meta": json.dumps(meta).encode()}


@pytest.mark.parametrize("missing", ["aliases", LEDGER, PARTY_LEDGER, "loads"])
def test_a_state_saved_by_an_earlier_version_gets_a_full_resolution_once(
    tmp_path: Path, missing: str
) -> None:
    synth = generate(tmp_path / "synth", shipments=1_200, seed=13)
    parts = _split(synth.manifest, tmp_path, 13, (0.7, 0.15))
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, parts[0])
    run_resolution(store)
    # what an earlier version saved: no aliases part, no identifier or party ledger, or
    # no loads
    store.save_resolver_state(_without(store.resolver_state(), missing))
    load_file(store, parts[1])
    upgraded = run_resolution(store)
    assert upgraded.mode == "full" and not upgraded.delta
    load_file(store, parts[2])
    assert run_resolution(store).delta
    store.close()
    _resolved_whole(tmp_path / "whole.db", parts)
    assert _tables(tmp_path / "s.db") == _tables(tmp_path / "whole.db")


class _GenerationStore(SqliteStore):
    """SQLite that takes a delta the way the Neo4j store does: the whole graph rebuilt from
    the current one and the changes (``rebuilt_parts``), read before it is written (Neo4j
    reads the generation readers see while it stages the next)."""

    def update_graph(self, changes: Iterable[GraphChange]) -> None:
        parts = [
            GraphPart(list(p.nodes), list(p.edges), list(p.assignments), list(p.evidence))
            for p in rebuilt_parts(self, changes)
        ]
        self.replace_graph_parts(parts)


@pytest.mark.parametrize("seed", [5, 17])
def test_a_delta_written_as_a_whole_generation_leaves_the_tables_of_a_full_run(
    tmp_path: Path, seed: int
) -> None:
    synth = generate(tmp_path / "synth", shipments=1_200, seed=seed)
    parts = _split(synth.manifest, tmp_path, seed, (0.6, 0.3))
    store = _GenerationStore(tmp_path / "s.db")
    load_file(store, parts[0])
    run_resolution(store)
    for part in parts[1:]:
        load_file(store, part)
        assert run_resolution(store).delta
    store.close()
    _resolved_whole(tmp_path / "whole.db", parts)
    assert _tables(tmp_path / "s.db") == _tables(tmp_path / "whole.db")


@pytest.mark.parametrize("seed", [2, 9, 31])
def test_grown_parties_are_extended_from_the_ledger_without_their_old_shipments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """A day where some parties only grow (extended: built from the party ledger and the
    day's mentions; some renamed, as a new mention became their smallest) and others
    merge or split (rebuilt from their old shipments): the store ends as a full run leaves
    it, and an extended party's old shipments that hold no rebuilt party (and no record
    whose identifier key changed alias) are not read back."""
    changes: list[EntityChange] = []
    entities = DeltaBasis.entities

    def spied(self: DeltaBasis, entity_of: Sequence[str]) -> EntityChange:
        change = entities(self, entity_of)
        changes.append(change)
        return change

    # the old shipments read back for the party half, but for those holding a record whose
    # identifier key changed alias (an extended party's identifier counts move there)
    read: set[str] = set()
    spool_old_rows = DeltaWrite._spool_old_rows

    def spied_spool(self: DeltaWrite, entity_of: list[str], change: EntityChange) -> None:
        spool_old_rows(self, entity_of, change)
        assert self._old_spool is not None
        moved = self._basis.moved
        read.update(row[0][0] for row in self._old_spool if moved.isdisjoint(self._records_of(row)))

    monkeypatch.setattr(DeltaBasis, "entities", spied)
    monkeypatch.setattr(DeltaWrite, "_spool_old_rows", spied_spool)
    synth = generate(tmp_path / "synth", shipments=2_000, seed=seed)
    parts = _split(synth.manifest, tmp_path, seed, (0.9, 0.1))
    step = SqliteStore(tmp_path / "step.db")
    load_file(step, parts[0])
    run_resolution(step)
    load_file(step, parts[1])
    old_ids = {s.shipment_id for batch in step.iter_shipments() for s in batch}
    load_file(step, parts[2])
    assert run_resolution(step).delta
    entity_shipments: dict[str, set[str]] = {}
    for batch in step.iter_mentions():
        for m in batch:
            entity_shipments.setdefault(m.entity_id, set()).add(m.mention_id.split("#")[0])
    step.close()
    _resolved_whole(tmp_path / "whole.db", parts)
    assert _tables(tmp_path / "step.db") == _tables(tmp_path / "whole.db")

    change = changes[-1]  # the last day's (the job computes it again: same sets)
    assert change.extended and change.removed and change.renamed
    assert change.extended <= change.grown | change.renamed.keys()
    rebuilt = change.written - change.extended
    rebuilt_shipments = set().union(*(entity_shipments.get(e, set()) for e in rebuilt))
    untouched_old = {
        e: (entity_shipments[e] & old_ids) - rebuilt_shipments for e in change.extended
    }
    assert any(untouched_old.values())
    assert not read & set().union(*untouched_old.values())

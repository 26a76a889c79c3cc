"""A daily resolution reads only the shipments of the new loads and takes the old ones'
records from the saved state; it still ends where a full run of the same data does, and
resolves in full when shipments of the saved state left the store.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from graphintel.resolve import pipeline, run_resolution
from graphintel.resolve.shipment_records import ShipmentRecords
from graphintel.resolve.state import decode
from graphintel.store import SqliteStore
from graphintel.synth import generate
from loaders import load_file
from tests.resolve.test_graph_delta import _split, _tables


def _random_records(rng: random.Random) -> list[tuple[str, tuple[int, ...]]]:
    ids = rng.sample(range(10_000), rng.randint(0, 60))
    return [(f"S{i:05d}", tuple(rng.randrange(40) for _ in range(rng.randint(0, 3)))) for i in ids]


@pytest.mark.parametrize("seed", range(12))
def test_shipment_records_find_the_shipments_holding_some_records(seed: int) -> None:
    rng = random.Random(seed)
    items = _random_records(rng)
    more = _random_records(rng)
    records = ShipmentRecords.build(items)
    wanted = np.array([rng.random() < 0.15 for _ in range(40)])
    holding = records.ids_at(records.holding(wanted))
    assert holding == [sid for sid, rs in items if any(wanted[r] for r in rs)]
    # through the table the state saves, renumbered, and merged with more shipments
    back = ShipmentRecords.from_table(records.table())
    new_index = rng.sample(range(40), 40)
    joined = back.remapped(new_index).merged(ShipmentRecords.build(more))
    renumbered = [(sid, tuple(new_index[r] for r in rs)) for sid, rs in items]
    expected = sorted(renumbered + more, key=lambda item: item[0])  # stable: old first
    assert len(joined) == len(expected)
    assert joined.mentions == sum(len(rs) for _, rs in expected)
    assert [
        (joined.ids_at(np.array([k]))[0], joined.records_at(k)) for k in range(len(joined))
    ] == (expected)
    for k, (sid, _) in enumerate(expected):
        if sid not in {s for s, _ in expected[:k]}:
            assert joined.position(sid) == k
    assert joined.position("nowhere") == -1


@pytest.mark.parametrize(("seed", "shares"), [(3, (0.7, 0.2)), (11, (0.85, 0.1))])
def test_a_daily_resolution_normalizes_only_the_new_loads(
    tmp_path: Path, seed: int, shares: tuple[float, float]
) -> None:
    synth = generate(tmp_path / "synth", shipments=1_200, seed=seed)
    parts = _split(synth.manifest, tmp_path, seed, shares)
    store = SqliteStore(tmp_path / "s.db")
    for k, part in enumerate(parts):
        before = store.shipment_count()
        load_file(store, part)
        added = [s for b in store.iter_shipments_of_loads([store.loads()[-1].load_id]) for s in b]
        assert len(added) == store.shipment_count() - before
        outcome = run_resolution(store)
        assert outcome.mode == ("full" if k == 0 else "incremental")
        expected = sum(3 if s.seller_name.strip() else 2 for s in added)
        assert outcome.new_mentions == expected
        saved = decode(store.resolver_state())
        assert saved is not None and saved.loads is not None
        assert set(saved.loads) == {r.load_id for r in store.loads()}
        assert len(saved.shipments) == store.shipment_count()
    store.close()
    whole = SqliteStore(tmp_path / "whole.db")
    for part in parts:
        load_file(whole, part)
    run_resolution(whole)
    whole.close()
    assert _tables(tmp_path / "s.db") == _tables(tmp_path / "whole.db")


def test_shipments_gone_from_the_store_force_a_full_resolution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_MENTIONS", 0)
    synth = generate(tmp_path / "synth", shipments=1_000, seed=5)
    parts = _split(synth.manifest, tmp_path, 5, (0.7, 0.2))
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, parts[0])
    run_resolution(store)
    store.close()
    with sqlite3.connect(tmp_path / "s.db") as conn:  # gone behind the store's back
        gone = [r[0] for r in conn.execute("SELECT shipment_id FROM shipments LIMIT 25")]
        conn.executemany("DELETE FROM shipments WHERE shipment_id = ?", [(g,) for g in gone])
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, parts[1])
    assert run_resolution(store).mode == "full"
    store.close()
    whole = SqliteStore(tmp_path / "whole.db")
    load_file(whole, parts[0])
    load_file(whole, parts[1])
    whole.close()
    with sqlite3.connect(tmp_path / "whole.db") as conn:
        conn.executemany("DELETE FROM shipments WHERE shipment_id = ?", [(g,) for g in gone])
    whole = SqliteStore(tmp_path / "whole.db")
    run_resolution(whole, full=True)
    whole.close()
    assert _tables(tmp_path / "s.db") == _tables(tmp_path / "whole.db")

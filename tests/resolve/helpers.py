"""Load hand-built shipments into a store and read the resolver's answers back."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from graphintel.records import LoadReport, ShipmentRecord, mention_id
from graphintel.resolve import run_resolution
from graphintel.store import GraphStore, SqliteStore
from graphintel.synth import generate
from loaders import load_file
from tests.conftest import make_shipment


def load(store: GraphStore, shipments: Sequence[ShipmentRecord], file_id: str = "file-a") -> None:
    report = LoadReport(load_id=f"load-{file_id}", file_id=file_id, file_path=f"/{file_id}.csv")
    with store.load_transaction(report) as tx:
        tx.add_shipments(list(shipments))
        report.rows_read = report.rows_loaded = len(shipments)
        report.status = "loaded"


def resolved_synth(folder: Path, shipments: int, seed: int, name: str = "s.db") -> SqliteStore:
    """A SQLite store in ``folder`` holding a synthetic manifest, loaded and resolved."""
    synth = generate(folder / "synth", shipments=shipments, seed=seed)
    store = SqliteStore(folder / name)
    load_file(store, synth.manifest)
    run_resolution(store)
    return store


def ship(shipment_id: str, row: int = 0, **values: object) -> ShipmentRecord:
    """A shipment whose source row number follows its id, for stores with one file."""
    return make_shipment(shipment_id, row=row or int(shipment_id.lstrip("S") or 1), **values)


def entity_of(store: GraphStore) -> dict[str, str]:
    """mention id -> entity id."""
    return {a.mention_id: a.entity_id for batch in store.iter_mentions() for a in batch}


def entities(store: GraphStore, role: str, ids: Sequence[str]) -> set[str]:
    """The distinct entities of the ``role`` mentions of these shipments."""
    found = entity_of(store)
    return {found[mention_id(sid, role)] for sid in ids}

"""Loading is idempotent by content, and repeated shipment ids are caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphintel.store import GraphStore
from loaders import load_file
from tests.loaders.helpers import ROWS, all_shipments, snapshot, write_csv, write_jsonl


def test_second_load_of_same_file_adds_nothing(tmp_path: Path, store: GraphStore) -> None:
    path = write_csv(tmp_path / "m.csv", [*ROWS, {**ROWS[0], "shipment_id": ""}])
    first = load_file(store, path)
    assert (first.rows_read, first.rows_loaded, first.rows_quarantined) == (4, 3, 1)
    before = snapshot(store)
    second = load_file(store, path)
    assert second.status == "already-loaded"
    assert second.rows_duplicate == second.rows_read == 4
    assert (second.rows_loaded, second.rows_quarantined) == (0, 0)
    assert second.reconciles and first.load_id in second.message
    assert snapshot(store) == before


def test_same_content_under_another_name_is_already_loaded(
    tmp_path: Path, store: GraphStore
) -> None:
    path = write_csv(tmp_path / "m.csv", ROWS)
    load_file(store, path)
    copy = shutil.copy(path, tmp_path / "renamed.csv")
    assert load_file(store, Path(copy)).status == "already-loaded"
    assert store.shipment_count() == 3


def test_shipment_from_another_file_counts_as_duplicate(tmp_path: Path, store: GraphStore) -> None:
    load_file(store, write_csv(tmp_path / "a.csv", ROWS[:2]))
    newer = [{**ROWS[1], "shipper_name": "changed"}, ROWS[2]]
    report = load_file(store, write_jsonl(tmp_path / "b.jsonl", newer))
    assert report.status == "loaded"
    assert (report.rows_read, report.rows_loaded, report.rows_duplicate) == (2, 1, 1)
    assert report.rows_quarantined == 0 and report.reconciles
    [kept] = store.shipments(["HAWB-0002"])
    assert kept.shipper_name == ROWS[1]["shipper_name"]  # the first load's row stays


@pytest.mark.parametrize("batch_size", [1, 2, 100])
def test_repeated_id_in_one_file_is_quarantined_naming_first_row(
    tmp_path: Path, store: GraphStore, batch_size: int
) -> None:
    rows = [
        {**ROWS[0], "shipment_id": "A"},
        {**ROWS[0], "shipment_id": "B"},
        {**ROWS[0], "shipment_id": "A", "shipper_name": "other"},
        {**ROWS[0], "shipment_id": "C"},
        {**ROWS[0], "shipment_id": "A"},
    ]
    report = load_file(store, write_csv(tmp_path / "m.csv", rows), batch_size=batch_size)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (5, 3, 2)
    assert report.rows_duplicate == 0
    entries = store.quarantine(report.load_id)
    assert [(e.row_number, e.column) for e in entries] == [(3, "shipment_id"), (5, "shipment_id")]
    assert all("'A'" in e.reason and "row 1" in e.reason for e in entries)
    [a] = store.shipments(["A"])
    assert a.provenance.row_number == 1 and a.shipper_name == ROWS[0]["shipper_name"]


def test_quarantined_row_does_not_claim_its_id(tmp_path: Path, store: GraphStore) -> None:
    rows = [
        {**ROWS[0], "shipment_id": "A", "arrival_date": "bad"},
        {**ROWS[0], "shipment_id": "A"},
    ]
    report = load_file(store, write_csv(tmp_path / "m.csv", rows))
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1)
    assert [s.provenance.row_number for s in all_shipments(store)] == [2]


@pytest.mark.parametrize("batch_size", [1, 100])
def test_repeats_of_an_id_from_another_file_are_all_duplicates(
    tmp_path: Path, store: GraphStore, batch_size: int
) -> None:
    load_file(store, write_csv(tmp_path / "a.csv", [ROWS[0]]))
    rows = [ROWS[0], ROWS[1], ROWS[0]]
    report = load_file(store, write_csv(tmp_path / "b.csv", rows), batch_size=batch_size)
    assert (report.rows_loaded, report.rows_duplicate, report.rows_quarantined) == (1, 2, 0)

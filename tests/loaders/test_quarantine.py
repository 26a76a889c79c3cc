"""Bad rows go to quarantine with file, row, column and reason; every other row loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphintel.records import LoadReport
from graphintel.store import GraphStore
from loaders import load_file
from tests.loaders.helpers import ROWS, all_shipments, write_csv, write_jsonl

GOOD = ROWS[0]


def _load_one(tmp_path: Path, store: GraphStore, **changes: str) -> LoadReport:
    rows = [{**GOOD, "shipment_id": "OK-1"}, {**GOOD, "shipment_id": "BAD-2", **changes}]
    report = load_file(store, write_csv(tmp_path / "m.csv", rows))
    assert report.reconciles
    return report


@pytest.mark.parametrize(
    ("column", "value", "reason_part"),
    [
        ("shipment_id", "", "required"),
        ("shipper_name", "   ", "required"),
        ("consignee_name", "", "required"),
        ("arrival_date", "", "required"),
        ("arrival_date", "2026-02-30", "not a real date"),
        ("arrival_date", "03/01/2026", "not an ISO date"),
        ("arrival_date", "20260301", "not an ISO date"),
        ("declared_value_usd", "", "required"),
        ("declared_value_usd", "-1.00", "negative"),
        ("declared_value_usd", "12,50", "not a decimal"),
        ("declared_value_usd", "NaN", "not a decimal"),
        ("declared_value_usd", "inf", "not a decimal"),
        ("declared_value_usd", "1_000", "not a decimal"),
        ("declared_value_usd", "1e999", "out of range"),
        ("declared_value_usd", "9e99999999999999999999", "out of range"),
        ("quantity", "2.5", "not a whole number"),
        ("quantity", "two", "not a decimal"),
        ("quantity", "99999999999999999999", "out of range"),
        ("weight_kg", "heavy", "not a decimal"),
        ("inspection_outcome", "maybe", "not one of"),
    ],
)
def test_bad_value_is_quarantined_with_row_and_column(
    tmp_path: Path, store: GraphStore, column: str, value: str, reason_part: str
) -> None:
    report = _load_one(tmp_path, store, **{column: value})
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 1, 1)
    [entry] = store.quarantine(report.load_id)
    assert (entry.row_number, entry.column) == (2, column)
    assert column in entry.reason and reason_part in entry.reason
    assert entry.file_path == str(tmp_path / "m.csv")
    assert (entry.file_id, entry.load_id) == (report.file_id, report.load_id)
    assert json.loads(entry.raw)[column] == value  # the raw row, as read
    assert [s.shipment_id for s in all_shipments(store)] == ["OK-1"]


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("quantity", "4.0", 4),
        ("quantity", "+7", 7),
        ("declared_value_usd", "0", 0.0),
        ("declared_value_usd", "-0", 0.0),
        ("declared_value_usd", "1e2", 100.0),
        ("declared_value_usd", " 12.5 ", 12.5),
        ("weight_kg", ".5", 0.5),
    ],
)
def test_valid_numbers(
    tmp_path: Path, store: GraphStore, column: str, value: str, expected: float
) -> None:
    report = _load_one(tmp_path, store, **{column: value})
    assert report.rows_loaded == 2
    [shipment] = store.shipments(["BAD-2"])
    assert getattr(shipment, column) == expected


def test_several_bad_fields_count_the_row_once(tmp_path: Path, store: GraphStore) -> None:
    report = _load_one(
        tmp_path, store, arrival_date="yesterday", declared_value_usd="-3", shipper_name=""
    )
    assert (report.rows_quarantined, report.rows_loaded) == (1, 1)
    entries = store.quarantine(report.load_id)
    assert sorted(e.column for e in entries) == [
        "arrival_date",
        "declared_value_usd",
        "shipper_name",
    ]
    assert {e.row_number for e in entries} == {2}


def test_csv_row_with_wrong_field_count(tmp_path: Path, store: GraphStore) -> None:
    path = write_csv(tmp_path / "m.csv", [GOOD])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("X-2,2026-03-01,1.0\n")
    report = load_file(store, path)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 1, 1)
    [entry] = store.quarantine(report.load_id)
    assert entry.row_number == 2 and "3 fields" in entry.reason
    assert json.loads(entry.raw) == ["X-2", "2026-03-01", "1.0"]


def test_unreadable_json_lines_are_quarantined(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "m.jsonl"
    lines = [json.dumps(GOOD), '{"shipment_id": "X", broken', "[1, 2]", json.dumps(ROWS[1])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load_file(store, path)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 2)
    bad_json, not_object = store.quarantine(report.load_id)
    assert (bad_json.row_number, not_object.row_number) == (2, 3)
    assert "not valid JSON" in bad_json.reason and "not a JSON object" in not_object.reason
    assert bad_json.raw == '{"shipment_id": "X", broken'


def test_jsonl_missing_required_key_is_a_row_problem(tmp_path: Path, store: GraphStore) -> None:
    row = {k: v for k, v in GOOD.items() if k != "consignee_name"}
    report = load_file(store, write_jsonl(tmp_path / "m.jsonl", [row, ROWS[1]]))
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1)
    [entry] = store.quarantine(report.load_id)
    assert (entry.row_number, entry.column) == (1, "consignee_name")


def test_json_non_string_values(tmp_path: Path, store: GraphStore) -> None:
    row = {**GOOD, "declared_value_usd": 19.5, "quantity": 2, "weight_kg": None, "tags": [1, 2]}
    load_file(store, write_jsonl(tmp_path / "m.jsonl", [row]))
    [s] = all_shipments(store)
    assert (s.declared_value_usd, s.quantity, s.weight_kg) == (19.5, 2, None)
    assert s.extra["tags"] == "[1, 2]"


def test_report_is_stored_with_counts(tmp_path: Path, store: GraphStore) -> None:
    report = _load_one(tmp_path, store, arrival_date="never")
    [stored] = store.loads()
    assert stored.load_id == report.load_id
    assert (stored.status, stored.rows_read, stored.rows_quarantined) == ("loaded", 2, 1)
    assert stored.finished_at

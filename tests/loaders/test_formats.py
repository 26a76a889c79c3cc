"""The same manifest rows load identically from CSV, JSON Lines and Parquet."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from graphintel.records import ShipmentRecord
from graphintel.store import GraphStore, SqliteStore
from loaders import load_file
from tests.loaders.helpers import ROWS, all_shipments, write_csv, write_jsonl, write_parquet


def _comparable(s: ShipmentRecord) -> tuple[object, ...]:
    """A record without its file and load ids (which differ per file by design)."""
    fields = dataclasses.asdict(s)
    fields["provenance"] = s.provenance.row_number
    fields["extra"] = json.dumps(s.extra, sort_keys=True)
    return tuple(sorted(fields.items()))


def _load_fresh(tmp_path: Path, source: Path) -> list[ShipmentRecord]:
    store = SqliteStore(tmp_path / f"{source.suffix[1:]}.db")
    try:
        report = load_file(store, source)
        assert report.status == "loaded"
        assert (report.rows_read, report.rows_loaded) == (3, 3)
        return all_shipments(store)
    finally:
        store.close()


def test_csv_jsonl_parquet_load_identically(tmp_path: Path) -> None:
    csv_rows = _load_fresh(tmp_path, write_csv(tmp_path / "m.csv", ROWS))
    jsonl_rows = _load_fresh(tmp_path, write_jsonl(tmp_path / "m.jsonl", ROWS))
    parquet_rows = _load_fresh(tmp_path, write_parquet(tmp_path / "m.parquet", ROWS))
    expected = [_comparable(s) for s in csv_rows]
    assert [_comparable(s) for s in jsonl_rows] == expected
    assert [_comparable(s) for s in parquet_rows] == expected


def test_values_are_typed_and_defaulted(tmp_path: Path, store: GraphStore) -> None:
    load_file(store, write_csv(tmp_path / "m.csv", ROWS))
    first, second, third = all_shipments(store)
    assert first.declared_value_usd == pytest.approx(24.99)
    assert (first.quantity, first.weight_kg) == (3, pytest.approx(0.45))
    assert first.inspection_outcome == "seized"  # case-insensitive, stored lower-case
    assert first.consignee_country == "US"  # empty means the default
    assert second.consignee_country == "PR"
    assert (second.quantity, second.weight_kg) == (None, None)  # empty means unknown
    assert third.shipper_name == 'Guangzhou "Best" Export, Unit 5\nBuilding 2'
    assert third.consignee_name == "李雷"


def test_provenance_names_file_row_and_load(tmp_path: Path, store: GraphStore) -> None:
    path = write_csv(tmp_path / "m.csv", ROWS)
    report = load_file(store, path)
    rows = all_shipments(store)
    assert [s.provenance.row_number for s in rows] == [1, 2, 3]  # header excluded
    assert {s.provenance.load_id for s in rows} == {report.load_id}
    assert {s.provenance.file_id for s in rows} == {report.file_id}
    assert len(report.file_id) == 64  # SHA-256 of the content


def test_jsonl_row_number_is_the_line_number(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "m.jsonl"
    lines = [json.dumps(ROWS[0]), "", json.dumps(ROWS[1])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load_file(store, path)
    assert report.rows_read == 2  # the blank line is not a row
    assert [s.provenance.row_number for s in all_shipments(store)] == [1, 3]


def test_extra_columns_are_kept(tmp_path: Path, store: GraphStore) -> None:
    load_file(store, write_parquet(tmp_path / "m.parquet", ROWS))
    first, second, third = all_shipments(store)
    assert first.extra == {"warehouse_bin": "B-17"}
    assert second.extra == {}  # an empty extra value is unknown, like a missing column
    assert third.extra == {"warehouse_bin": "A-01"}


def test_missing_optional_columns_mean_unknown(tmp_path: Path, store: GraphStore) -> None:
    required = ["shipment_id", "arrival_date", "declared_value_usd", "shipper_name"]
    path = write_csv(tmp_path / "m.csv", ROWS, columns=[*required, "consignee_name"])
    report = load_file(store, path)
    assert report.rows_loaded == 3
    assert all(s.carrier == "" and s.quantity is None for s in all_shipments(store))


def test_utf8_bom_is_ignored(tmp_path: Path, store: GraphStore) -> None:
    path = write_csv(tmp_path / "m.csv", ROWS, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    report = load_file(store, path)
    assert report.rows_loaded == 3
    assert all_shipments(store)[0].shipment_id == "HAWB-0001"


def test_given_encoding_is_used(tmp_path: Path, store: GraphStore) -> None:
    rows = [{**ROWS[1], "shipper_name": "Café Müller GmbH"}]
    path = write_csv(tmp_path / "m.csv", rows, encoding="cp1252")
    report = load_file(store, path, encoding="cp1252")
    assert report.rows_loaded == 1
    assert all_shipments(store)[0].shipper_name == "Café Müller GmbH"


def test_utf16_with_explicit_encoding(tmp_path: Path, store: GraphStore) -> None:
    path = write_csv(tmp_path / "m.csv", ROWS, encoding="utf-16")
    assert load_file(store, path, encoding="utf-16").rows_loaded == 3


def test_tsv_extension_means_tab_delimited(tmp_path: Path, store: GraphStore) -> None:
    path = write_csv(tmp_path / "m.tsv", ROWS, delimiter="\t")
    assert load_file(store, path).rows_loaded == 3


def test_sql_in_a_name_is_just_text(tmp_path: Path, store: GraphStore) -> None:
    load_file(store, write_csv(tmp_path / "m.csv", ROWS))
    assert store.shipment_count() == 3  # the table is still there
    [shipment] = store.shipments(["HAWB-0002"])
    assert shipment.shipper_name == "Robert'); DROP TABLE shipments;--"


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
def test_line_endings(tmp_path: Path, store: GraphStore, ending: str) -> None:
    path = write_csv(tmp_path / "m.csv", ROWS, lineterminator=ending)
    assert path.read_bytes().count(ending.encode()) >= 4
    report = load_file(store, path)
    assert report.rows_loaded == 3
    # the newline inside a quoted field survives as written
    assert all_shipments(store)[2].shipper_name == ROWS[2]["shipper_name"]


def test_parquet_typed_columns_become_canonical_text(tmp_path: Path, store: GraphStore) -> None:
    import datetime as dt

    rows = [
        {
            "shipment_id": "P1",
            "arrival_date": dt.date(2026, 3, 1),
            "declared_value_usd": 12.5,
            "shipper_name": "A",
            "consignee_name": "B",
            "quantity": 4,
            "weight_kg": None,
            "flagged": True,
        }
    ]
    load_file(store, write_parquet(tmp_path / "t.parquet", rows))
    [s] = all_shipments(store)
    assert (s.arrival_date, s.declared_value_usd, s.quantity, s.weight_kg) == (
        "2026-03-01",
        12.5,
        4,
        None,
    )
    assert s.extra == {"flagged": "true"}


def test_batches_cover_every_row(tmp_path: Path, store: GraphStore) -> None:
    rows = [{**ROWS[0], "shipment_id": f"S{i:03d}"} for i in range(23)]
    report = load_file(store, write_csv(tmp_path / "m.csv", rows), batch_size=5)
    assert (report.rows_read, report.rows_loaded) == (23, 23)
    assert store.shipment_count() == 23


def test_progress_callback_sees_each_batch(tmp_path: Path, store: GraphStore) -> None:
    rows = [{**ROWS[0], "shipment_id": f"S{i:03d}"} for i in range(7)]
    seen: list[int] = []
    load_file(
        store,
        write_csv(tmp_path / "m.csv", rows),
        batch_size=3,
        on_batch=lambda r: seen.append(r.rows_read),
    )
    assert seen == [3, 6, 7]

"""Whole-file errors name the file (and where) and leave the store exactly as it was."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphintel.errors import InputFileError
from graphintel.store import GraphStore
from loaders import load_file
from tests.loaders.helpers import ROWS, snapshot, write_csv, write_parquet

MANY = [{**ROWS[0], "shipment_id": f"S{i:03d}"} for i in range(40)]


@pytest.fixture
def used_store(tmp_path: Path, store: GraphStore) -> Iterator[GraphStore]:
    """A store that already holds a load, so 'unchanged' is not trivially 'empty'."""
    load_file(store, write_csv(tmp_path / "earlier.csv", ROWS))
    yield store


def _fails(store: GraphStore, path: Path, *parts: str, **kwargs: object) -> InputFileError:
    before = snapshot(store)
    with pytest.raises(InputFileError) as caught:
        load_file(store, path, batch_size=5, **kwargs)  # type: ignore[arg-type]
    assert snapshot(store) == before
    assert str(path) in str(caught.value)
    for part in parts:
        assert part in str(caught.value)
    return caught.value


def test_wrong_encoding_names_offset_and_line(tmp_path: Path, used_store: GraphStore) -> None:
    path = write_csv(tmp_path / "m.csv", [{**ROWS[0], "shipper_name": "Café"}], encoding="cp1252")
    text = path.read_bytes()
    offset = text.index(b"\xe9")
    line = text[:offset].count(b"\n") + 1
    _fails(used_store, path, f"byte offset {offset}", f"line {line}", "--encoding")


def test_wrong_encoding_late_in_file_rolls_back_earlier_batches(
    tmp_path: Path, used_store: GraphStore
) -> None:
    # 40 good rows stream through 8 batches of 5 before the bad byte is reached
    path = write_csv(tmp_path / "m.csv", MANY)
    good = path.read_bytes()
    path.write_bytes(good + b"S999,2026-03-01,1,Caf\xe9,c\n")
    _fails(used_store, path, "line 42", f"byte offset {len(good) + 21}")


def test_given_encoding_that_does_not_fit(tmp_path: Path, used_store: GraphStore) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(write_csv(tmp_path / "ok.csv", ROWS).read_bytes() + b"\xff\xfe\xfd\n")
    error = _fails(used_store, path, "not decodable as ascii", encoding="ascii")
    assert "ascii" in error.reason


def test_unknown_encoding_name(tmp_path: Path, used_store: GraphStore) -> None:
    _fails(used_store, write_csv(tmp_path / "m.csv", ROWS), "unknown encoding", encoding="nope")


def test_missing_required_column_is_named(tmp_path: Path, used_store: GraphStore) -> None:
    columns = [c for c in ROWS[0] if c != "declared_value_usd"]
    path = write_csv(tmp_path / "m.csv", ROWS, columns=columns)
    _fails(used_store, path, "missing required column", "'declared_value_usd'")


def test_missing_required_column_in_parquet(tmp_path: Path, used_store: GraphStore) -> None:
    rows = [{k: v for k, v in r.items() if k != "arrival_date"} for r in ROWS]
    _fails(used_store, write_parquet(tmp_path / "m.parquet", rows), "'arrival_date'")


@pytest.mark.parametrize(
    ("name", "content"),
    [("m.csv", b""), ("m.csv", b"\n\n  \n"), ("m.jsonl", b""), ("m.jsonl", b"\n \n")],
)
def test_empty_file(tmp_path: Path, used_store: GraphStore, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    _fails(used_store, path, "empty file")


def test_header_only_csv_loads_nothing(tmp_path: Path, store: GraphStore) -> None:
    path = write_csv(tmp_path / "m.csv", [], columns=list(ROWS[0]))
    report = load_file(store, path)
    assert (report.status, report.rows_read) == ("loaded", 0)


def test_binary_file(tmp_path: Path, used_store: GraphStore) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"shipment_id,arrival_date\n\x89PNG\x00\x00\x01\x02\xff")
    _fails(used_store, path, "binary", "byte offset 29")


def test_nul_byte_after_many_rows(tmp_path: Path, used_store: GraphStore) -> None:
    rows = [{**r, "shipper_name": "x" * 2000} for r in MANY]  # NUL beyond the sniffed start
    path = write_csv(tmp_path / "m.csv", rows)
    path.write_bytes(path.read_bytes() + b"S999,2026-03-01,1,a\x00b,c\n")
    assert path.stat().st_size > 64 * 1024
    _fails(used_store, path, "NUL byte on line 42")


def test_utf16_read_as_utf8_suggests_encoding(tmp_path: Path, used_store: GraphStore) -> None:
    path = write_csv(tmp_path / "m.csv", ROWS, encoding="utf-16")
    _fails(used_store, path, "UTF-16", "--encoding utf-16")


def test_parquet_named_csv(tmp_path: Path, used_store: GraphStore) -> None:
    path = write_parquet(tmp_path / "m.parquet", ROWS)
    _fails(used_store, path.rename(tmp_path / "m.csv"), "Parquet")


@pytest.mark.parametrize(
    "content", [b"shipment_id,arrival_date\nA,2026-01-01\n", b"PAR1" + b"\x00" * 20 + b"PAR1"]
)
def test_not_a_parquet_file(tmp_path: Path, used_store: GraphStore, content: bytes) -> None:
    path = tmp_path / "m.parquet"
    path.write_bytes(content)
    _fails(used_store, path, "Parquet")


def test_truncated_parquet(tmp_path: Path, used_store: GraphStore) -> None:
    path = write_parquet(tmp_path / "m.parquet", MANY)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + data[-8:])  # footer kept, pages cut
    _fails(used_store, path, "Parquet")


def test_missing_file(tmp_path: Path, used_store: GraphStore) -> None:
    _fails(used_store, tmp_path / "nope.csv", "cannot read")


def test_unknown_extension(tmp_path: Path, used_store: GraphStore) -> None:
    path = tmp_path / "m.xlsx"
    path.write_text("shipment_id\n", encoding="utf-8")
    _fails(used_store, path, "'.xlsx'")


def test_duplicate_header_column(tmp_path: Path, used_store: GraphStore) -> None:
    path = tmp_path / "m.csv"
    path.write_text("shipment_id,shipment_id\nA,B\n", encoding="utf-8")
    _fails(used_store, path, "appears twice")


def _oversized_row_is_quarantined(tmp_path: Path, store: GraphStore) -> None:
    rows = [*MANY[:3], {**ROWS[0], "shipper_name": "x" * 200_000}, MANY[4]]
    report = load_file(store, write_csv(tmp_path / "m.csv", rows), batch_size=2)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (5, 4, 1)
    [entry] = store.quarantine(load_id=report.load_id)
    assert (entry.row_number, entry.column) == (4, "shipper_name")
    assert "200,000 characters" in entry.reason and "x" * 200_000 in entry.raw


def test_oversized_field_is_quarantined_naming_row_and_column(
    tmp_path: Path, used_store: GraphStore
) -> None:
    _oversized_row_is_quarantined(tmp_path, used_store)


def test_field_limit_holds_when_a_library_raised_it(tmp_path: Path, used_store: GraphStore) -> None:
    """followthemoney raises csv's process-global limit on import; the loader keeps its own."""
    csv.field_size_limit(31_457_280)
    _oversized_row_is_quarantined(tmp_path, used_store)


def test_error_after_rows_in_jsonl_rolls_back(tmp_path: Path, used_store: GraphStore) -> None:
    path = tmp_path / "m.jsonl"
    body = "".join(json.dumps(r) + "\n" for r in MANY).encode()
    path.write_bytes(body + b'{"shipment_id": "\xff"}\n')
    _fails(used_store, path, "line 41", f"byte offset {len(body) + 17}")


def test_unbalanced_quote_is_not_swallowed(tmp_path: Path, used_store: GraphStore) -> None:
    path = write_csv(tmp_path / "m.csv", MANY[:3])
    with path.open("a", encoding="utf-8") as fh:
        fh.write('S900,2026-03-01,1,"Acme, Inc,B\nS901,2026-03-01,1,A,B\n')
    _fails(used_store, path, "line 5", "unbalanced quote")

"""Every case of the bad-input corpus has the outcome docs/bad-input.md documents.

Each file loads into a store that already holds an earlier load, so "nothing written" is not
trivially "empty" and a shipment id from another file can be a duplicate. For every case
the counts reconcile (rows read = loaded + quarantined + duplicate), every quarantined row
is stored with file, row, column and reason, loaded values are stored verbatim, and a
refused file names itself in the error and leaves the store as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphintel.errors import GraphIntelError
from graphintel.records import LoadReport, ShipmentRecord
from graphintel.store import GraphStore
from loaders import load_file
from tests.badinput.corpus import CASES, ROWS, STORED_ID, Case, markdown_table
from tests.loaders.helpers import all_shipments, snapshot

DOC = Path(__file__).resolve().parents[2] / "docs" / "bad-input.md"


@pytest.fixture
def used_store(tmp_path: Path, store: GraphStore) -> GraphStore:
    earlier = tmp_path / "earlier.csv"
    earlier.write_text(
        "shipment_id,arrival_date,declared_value_usd,shipper_name,consignee_name\n"
        f"{STORED_ID},2026-01-01,1,Earlier Co,Earlier Person\n",
        encoding="utf-8",
    )
    load_file(store, earlier)
    return store


def _value(shipment: ShipmentRecord, name: str) -> object:
    if name.startswith("extra:"):
        return shipment.extra.get(name.removeprefix("extra:"))
    return getattr(shipment, name)


def _load(store: GraphStore, case: Case, folder: Path) -> LoadReport:
    case.build(folder)
    mapping = None
    if case.mapping is not None:
        mapping = folder / f"{case.file}.toml"
        mapping.write_text(case.mapping, encoding="utf-8")
    return load_file(
        store, folder / case.file, mapping=mapping, encoding=case.encoding, batch_size=2
    )


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_case_has_its_documented_outcome(
    tmp_path: Path, used_store: GraphStore, case: Case
) -> None:
    store = used_store
    before = snapshot(store)
    ids_before = {s.shipment_id for s in all_shipments(store)}
    folder = tmp_path / "corpus"
    folder.mkdir()

    if case.outcome == "error":
        with pytest.raises(GraphIntelError) as caught:
            _load(store, case, folder)
        assert str(folder / case.file) in str(caught.value)
        for fragment in case.error:
            assert fragment in str(caught.value)
        assert snapshot(store) == before
        return

    report = _load(store, case, folder)
    counts = (report.rows_read, report.rows_loaded, report.rows_quarantined, report.rows_duplicate)
    assert counts == (case.read, case.loaded, case.quarantined, case.duplicate)
    assert report.rows_read == report.rows_loaded + report.rows_quarantined + report.rows_duplicate
    assert report.reconciles and report.status == "loaded"
    assert case.outcome == ("quarantined" if case.quarantined else "loaded")

    entries = store.quarantine(load_id=report.load_id)
    assert len({e.row_number for e in entries}) == case.quarantined
    for entry in entries:
        assert entry.file_path == str(folder / case.file) and entry.row_number > 0
        assert entry.column and entry.reason and entry.raw
    for row, column, fragment in case.reasons:
        found = [e for e in entries if (e.row_number, e.column) == (row, column)]
        assert found, f"no quarantine entry for row {row} column {column!r}: {entries}"
        assert any(fragment in e.reason for e in found), [e.reason for e in found]

    new = [s for s in all_shipments(store) if s.shipment_id not in ids_before]
    assert len(new) == case.loaded == store.shipment_count() - before[0]
    assert len({s.provenance.row_number for s in new}) == len(new)
    by_id = {s.shipment_id: s for s in new}
    for shipment_id, name, value in case.stored:
        assert _value(by_id[shipment_id], name) == value


def test_quarantined_rows_keep_their_raw_text(tmp_path: Path, used_store: GraphStore) -> None:
    """Nothing disappears: the raw text of a quarantined row is kept whole, even 1 MiB."""
    case = next(c for c in CASES if c.file == "field_1mb.csv")
    report = _load(used_store, case, tmp_path)
    [entry] = used_store.quarantine(load_id=report.load_id)
    assert json.loads(entry.raw)["shipper_name"] == "x" * 1024 * 1024


def test_loaded_rows_of_a_quoted_newline_file_keep_their_record_numbers(
    tmp_path: Path, used_store: GraphStore
) -> None:
    case = next(c for c in CASES if c.file == "quoted_newlines.csv")
    _load(used_store, case, tmp_path)
    rows = {s.shipment_id: s.provenance.row_number for s in all_shipments(used_store)}
    assert [rows[r[0]] for r in ROWS] == [1, 2, 3]  # records, not physical lines


def test_docs_table_lists_every_case_with_its_outcome() -> None:
    assert markdown_table() in DOC.read_text(encoding="utf-8"), (
        "docs/bad-input.md is out of date: paste `python -m tests.badinput.corpus --markdown`"
    )

"""Any rows of text, in any format: each row is loaded, quarantined with a reason, or counted
as a duplicate, exactly once, and the counts add up."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from graphintel.store import SqliteStore
from loaders import load_file
from tests.loaders.helpers import all_shipments, write_csv, write_parquet

STORED = "A"  # an id the store holds from an earlier load: later rows with it are duplicates
COLUMNS = (
    "shipment_id",
    "arrival_date",
    "declared_value_usd",
    "shipper_name",
    "consignee_name",
    "quantity",
    "weight_kg",
    "inspection_outcome",
    "note",
)


def _text(surrogates: bool, nul: bool) -> st.SearchStrategy[str]:
    """Any text; lone surrogates only where the format can carry them (JSON escapes), and a
    NUL only where it is not a raw byte of a text file (which refuses the whole file)."""
    chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="" if nul else "\0")
    if surrogates:  # hypothesis never draws them on its own
        chars = st.one_of(chars, st.sampled_from(["\ud800", "\udfff"]))
    return st.text(chars, max_size=12)


def _values(surrogates: bool, nul: bool) -> dict[str, st.SearchStrategy[str]]:
    text = _text(surrogates, nul)
    return {
        "shipment_id": st.one_of(st.sampled_from([STORED, "B", "C", " B ", ""]), text),
        "arrival_date": st.one_of(st.sampled_from(["2026-03-01", "2026-02-30", ""]), text),
        "declared_value_usd": st.one_of(st.sampled_from(["5", "-1", "1e999", "0.5", ""]), text),
        "shipper_name": st.one_of(st.just("Huayu Trading"), text),
        "consignee_name": st.one_of(st.just("John Smith"), text),
        "quantity": st.one_of(st.sampled_from(["", "3", "2.5"]), text),
        "weight_kg": st.one_of(st.sampled_from(["", "0.4"]), text),
        "inspection_outcome": st.one_of(st.sampled_from(["", "seized", "Cleared"]), text),
        "note": text,
    }


def _rows(surrogates: bool = False, nul: bool = True) -> st.SearchStrategy[list[dict[str, str]]]:
    return st.lists(st.fixed_dictionaries(_values(surrogates, nul)), min_size=1, max_size=8)


def _check(path: Path, rows: list[dict[str, str]], folder: Path) -> None:
    store = SqliteStore(folder / "s.db")
    try:
        earlier = folder / "earlier.csv"
        earlier.write_text(
            "shipment_id,arrival_date,declared_value_usd,shipper_name,consignee_name\n"
            f"{STORED},2026-01-01,1,Earlier,Earlier\n",
            encoding="utf-8",
        )
        load_file(store, earlier)
        report = load_file(store, path, batch_size=3)
        entries = store.quarantine(load_id=report.load_id, limit=10**6)
        loaded = {
            s.provenance.row_number: s
            for s in all_shipments(store)
            if s.provenance.load_id == report.load_id
        }
    finally:
        store.close()

    assert report.status == "loaded" and report.reconciles
    assert report.rows_read == len(rows)
    quarantined = {e.row_number for e in entries}
    assert all(e.column and e.reason for e in entries)
    assert len(loaded) == report.rows_loaded and len(quarantined) == report.rows_quarantined
    assert not quarantined & loaded.keys()
    duplicates = set(range(1, len(rows) + 1)) - quarantined - loaded.keys()
    assert len(duplicates) == report.rows_duplicate
    for row in duplicates:
        assert rows[row - 1]["shipment_id"].strip() == STORED
    for row, shipment in loaded.items():
        assert shipment.shipper_name == rows[row - 1]["shipper_name"].strip()


def _write_escaped_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    """JSON Lines with every non-ASCII character escaped, lone surrogates included."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="ascii")
    return path


def _run(write: Any, suffix: str, rows: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _check(write(folder / f"m.{suffix}", rows), rows, folder)


@settings(max_examples=25, deadline=None)
@given(_rows(nul=False))
def test_any_csv_rows_reconcile(rows: list[dict[str, str]]) -> None:
    _run(lambda p, r: write_csv(p, r, columns=COLUMNS), "csv", rows)


@settings(max_examples=25, deadline=None)
@given(_rows(surrogates=True))
def test_any_json_lines_reconcile(rows: list[dict[str, str]]) -> None:
    _run(_write_escaped_jsonl, "jsonl", rows)


@settings(max_examples=15, deadline=None)
@given(_rows())
def test_any_parquet_rows_reconcile(rows: list[dict[str, str]]) -> None:
    _run(write_parquet, "parquet", rows)

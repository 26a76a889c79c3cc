"""Any text a manifest can hold comes out of every format as the same text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from graphintel.store import SqliteStore
from loaders import load_file
from tests.loaders.helpers import ROWS, all_shipments, write_csv, write_jsonl, write_parquet

# Any Unicode except control characters other than tab and line breaks (a value holding one
# is quarantined) and lone surrogates (not encodable).
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"),
    max_size=40,
)
WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "parquet": write_parquet}


@settings(max_examples=25, deadline=None)
@given(names=st.lists(TEXT, min_size=1, max_size=6), extra=TEXT)
def test_text_round_trips_in_every_format(names: list[str], extra: str) -> None:
    rows = [
        {**ROWS[0], "shipment_id": f"S{i}", "shipper_name": name, "note": extra}
        for i, name in enumerate(names)
    ]
    expected_names = [n.strip() for n in names if n.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, write in WRITERS.items():
            path = write(Path(tmp) / f"m.{suffix}", rows)
            store = SqliteStore(Path(tmp) / f"{suffix}.db")
            try:
                report = load_file(store, path)
                loaded = all_shipments(store)
            finally:
                store.close()
            assert report.reconciles and report.rows_read == len(rows)
            assert report.rows_quarantined == len(names) - len(expected_names)
            assert sorted(s.shipper_name for s in loaded) == sorted(expected_names), suffix
            note = extra if extra.strip() else None
            assert {s.extra.get("note") for s in loaded} <= {note}, suffix

"""Mapping files read other layouts; the shipped KCS example loads the real customs data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graphintel.errors import InputFileError, MappingError
from graphintel.store import GraphStore
from loaders import load_file, read_mapping
from tests.loaders.helpers import all_shipments, snapshot, write_csv, write_parquet

REPO = Path(__file__).resolve().parents[2]
KCS_MAPPING = REPO / "examples" / "mappings" / "kcs_customs.toml"
# The first 1,000 rows of the KCS valid split, shipped with its licence (examples/data/).
KCS_SAMPLE = REPO / "examples" / "data" / "customs" / "df_syn_valid_eng_first1000.csv"

PARTNER_MAPPING = """
[source]
format = "csv"
delimiter = ";"
encoding = "cp1252"
date_format = "%d/%m/%Y"

[columns]
shipment_id = "AWB"
arrival_date = "Arrived"
declared_value_usd = "Value EUR"
shipper_name = ["Sender", "Sender Company"]
consignee_name = "Receiver"
weight_kg = "Weight g"
inspection_outcome = "Status"

[constants]
carrier = "PostNL"

[defaults]
consignee_country = "CA"

[values.inspection_outcome]
"2" = "seized"
"0" = ""

[scale]
declared_value_usd = 1.1
weight_kg = 0.001
"""

PARTNER_ROWS = [
    {"AWB": "P-1", "Arrived": "31/01/2026", "Value EUR": "10", "Sender": "Jan",
     "Sender Company": "", "Receiver": "Ann", "Weight g": "1500", "Status": "2", "Bag": "7"},
    {"AWB": "P-2", "Arrived": "01/02/2026", "Value EUR": "20", "Sender": "",
     "Sender Company": "Pakjes BV", "Receiver": "Bob", "Weight g": "", "Status": "0", "Bag": ""},
    {"AWB": "P-3", "Arrived": "2026-02-01", "Value EUR": "5", "Sender": "",
     "Sender Company": "", "Receiver": "Cy", "Weight g": "", "Status": "", "Bag": ""},
]  # fmt: skip


def _partner(tmp_path: Path) -> tuple[Path, Path]:
    mapping = tmp_path / "partner.toml"
    mapping.write_text(PARTNER_MAPPING, encoding="utf-8")
    data = write_csv(tmp_path / "partner.txt", PARTNER_ROWS, delimiter=";", encoding="cp1252")
    return data, mapping


def test_mapping_file_load(tmp_path: Path, store: GraphStore) -> None:
    data, mapping = _partner(tmp_path)
    report = load_file(store, data, mapping=mapping)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    first, second = all_shipments(store)
    assert (first.shipment_id, first.arrival_date) == ("P-1", "2026-01-31")  # date_format
    assert first.declared_value_usd == pytest.approx(11.0)  # scale
    assert first.weight_kg == pytest.approx(1.5)
    assert first.inspection_outcome == "seized"  # value map
    assert first.carrier == second.carrier == "PostNL"  # constant
    assert first.consignee_country == "CA"  # mapping default beats the built-in US
    assert first.shipper_name == "Jan"
    assert second.shipper_name == "Pakjes BV"  # fallback column
    assert second.inspection_outcome == ""
    assert first.extra == {"Bag": "7"} and second.extra == {}
    entries = store.quarantine(report.load_id)
    assert {(e.row_number, e.column) for e in entries} == {
        (3, "arrival_date"),
        (3, "shipper_name"),
    }
    reasons = " ".join(e.reason for e in entries)
    assert "'Arrived'" in reasons and "%d/%m/%Y" in reasons
    assert "'Sender' or 'Sender Company'" in reasons


def test_encoding_argument_overrides_mapping(tmp_path: Path, store: GraphStore) -> None:
    data, mapping = _partner(tmp_path)
    data.write_bytes(data.read_bytes().replace(b"Jan", "Jürgen".encode()))
    load_file(store, data, mapping=mapping, encoding="utf-8")
    assert all_shipments(store)[0].shipper_name == "Jürgen"


def test_mapping_works_for_parquet(tmp_path: Path, store: GraphStore) -> None:
    _, mapping = _partner(tmp_path)
    text = mapping.read_text(encoding="utf-8").replace('format = "csv"', 'format = "parquet"')
    mapping.write_text(text, encoding="utf-8")
    data = write_parquet(tmp_path / "partner.bin", PARTNER_ROWS)
    report = load_file(store, data, mapping=mapping)
    assert (report.rows_loaded, report.rows_quarantined) == (2, 1)


def test_mapped_column_missing_from_file(tmp_path: Path, store: GraphStore) -> None:
    data, mapping = _partner(tmp_path)
    rows = [{k: v for k, v in r.items() if k != "Weight g"} for r in PARTNER_ROWS]
    write_csv(data, rows, delimiter=";")
    before = snapshot(store)
    with pytest.raises(MappingError, match="'Weight g'"):
        load_file(store, data, mapping=mapping)
    assert snapshot(store) == before


def test_required_mapped_column_missing_from_file(tmp_path: Path, store: GraphStore) -> None:
    data, mapping = _partner(tmp_path)
    rows = [{k: v for k, v in r.items() if k != "Receiver"} for r in PARTNER_ROWS]
    write_csv(data, rows, delimiter=";")
    with pytest.raises(InputFileError, match="consignee_name.*'Receiver'"):
        load_file(store, data, mapping=mapping)
    assert store.shipment_count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns]\nshipment_id = ", "not a valid TOML"),
        ("[colums]\n", "unknown section"),
        ("[source]\nsheet = 1\n", "unknown key"),
        ("[columns]\nshipment_idd = 'x'\n", "unknown canonical column"),
        ("[columns]\nshipment_id = 'x'\n", "no source for required column"),
        ("[columns]\nshipment_id = []\n", "non-empty list"),
        ("[scale]\nquantity = 2\n", "decimal columns only"),
        ("[scale]\nweight_kg = -1\n", "positive"),
        ("[scale]\nweight_kg = 'x'\n", "must be a number"),
        ("[constants]\ncarrier = 5\n", "quoted strings"),
        ("[source]\nformat = 'xlsx'\n", "source.format"),
        ("[source]\ndelimiter = '::'\n", "one character"),
        ("[source]\nencoding = 'klingon'\n", "unknown encoding"),
        ("[source]\ndate_format = '%Y-%m'\n", "date_format"),
        ("[source]\ndate_format = 'YYYY'\n", "date_format"),
    ],
)
def test_bad_mapping_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=message):
        read_mapping(path)


def test_constant_and_column_for_same_field(tmp_path: Path) -> None:
    path = tmp_path / "both.toml"
    path.write_text(PARTNER_MAPPING.replace('carrier = "PostNL"', 'shipment_id = "X"'), "utf-8")
    with pytest.raises(MappingError, match="both mapped and constant"):
        read_mapping(path)


def test_missing_mapping_file(tmp_path: Path, store: GraphStore) -> None:
    data, _ = _partner(tmp_path)
    with pytest.raises(MappingError, match="cannot read"):
        load_file(store, data, mapping=tmp_path / "nope.toml")


def test_shipped_kcs_example_parses() -> None:
    mapping = read_mapping(KCS_MAPPING)
    assert mapping.columns["shipper_name"] == ("Seller ID", "Courier ID")
    assert mapping.values["inspection_outcome"]["2"] == "seized"


def test_kcs_example_loads_the_real_file(store: GraphStore) -> None:
    with KCS_SAMPLE.open(encoding="utf-8", newline="") as fh:
        source = list(csv.DictReader(fh))
    no_shipper = sum(1 for r in source if not r["Seller ID"] and not r["Courier ID"])
    outcomes = {"0": 0, "1": 0, "2": 0}
    for r in source:
        if r["Seller ID"] or r["Courier ID"]:
            outcomes[r["Critical Fraud"]] += 1

    report = load_file(store, KCS_SAMPLE, mapping=KCS_MAPPING)

    assert report.status == "loaded" and report.reconciles
    assert report.rows_read == len(source) == 1000
    assert report.rows_quarantined == no_shipper > 0
    assert report.rows_loaded == 1000 - no_shipper == store.shipment_count()
    assert report.rows_duplicate == 0
    entries = store.quarantine(report.load_id, limit=10_000)
    assert {e.column for e in entries} == {"shipper_name"}
    shipments = all_shipments(store)
    by_outcome = {o: sum(1 for s in shipments if s.inspection_outcome == o) for o in
                  ("cleared", "violation", "seized")}  # fmt: skip
    assert by_outcome == {"cleared": outcomes["0"], "violation": outcomes["1"],
                          "seized": outcomes["2"]}  # fmt: skip
    first = next(s for s in shipments if s.shipment_id == source[0]["Declaration ID"])
    row = source[0]
    assert first.consignee_name == row["Importer ID"] and first.consignee_country == "KR"
    assert first.declared_value_usd == pytest.approx(float(row["Item Price"]) * 0.000909)
    assert first.extra["Declarant ID"] == row["Declarant ID"]
    assert first.provenance.row_number == 1

    again = load_file(store, KCS_SAMPLE, mapping=KCS_MAPPING)
    assert again.status == "already-loaded" and again.rows_duplicate == 1000


def test_quotechar_and_tab_delimiter(tmp_path: Path, store: GraphStore) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[source]\nformat = \'csv\'\ndelimiter = "\\t"\nquotechar = "\'"\n'
        "[columns]\nshipment_id = 'id'\narrival_date = 'date'\ndeclared_value_usd = 'usd'\n"
        "shipper_name = 'from'\nconsignee_name = 'to'\n",
        encoding="utf-8",
    )
    data = tmp_path / "m.dat"
    data.write_text(
        "id\tdate\tusd\tfrom\tto\nA\t2026-01-02\t3\t'Tab\tand ''quote'''\tB\n", encoding="utf-8"
    )
    assert load_file(store, data, mapping=mapping).rows_loaded == 1
    assert all_shipments(store)[0].shipper_name == "Tab\tand 'quote'"

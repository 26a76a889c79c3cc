"""Party lists (watchlists, seller lists, customer lists) read through a TOML mapping.

The mapping has the sections of a manifest mapping that make sense for a list of parties
(``[source]``, ``[columns]``, ``[constants]``, ``[defaults]``), plus ``[party]`` (the role
the list's parties play, which picks the normalization defaults) and ``[join]`` (fields
built from several source columns, such as a name from given name and surname). The format
is documented in ``docs/dedupe.md``. A row that cannot be used is reported as a
``RowProblem`` (file, row, field, reason) and the rest of the file is still read.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphintel.errors import MappingError
from graphintel.model import Role
from graphintel.records import PARTY_FIELDS, PartyRecord
from loaders.filetypes import Format
from loaders.readers import RawRow
from loaders.tabular import open_table

_TOP_KEYS = frozenset({"source", "party", "columns", "join", "constants", "defaults"})
_SOURCE_KEYS = frozenset({"format", "encoding", "delimiter", "quotechar"})
_PARTY_KEYS = frozenset({"role"})
_FORMATS = {"csv": Format.CSV, "jsonl": Format.JSONL, "ndjson": Format.JSONL,
            "parquet": Format.PARQUET}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row (or one of its fields) that could not be used as given."""

    file: str
    row: int
    field: str
    reason: str
    raw: str = ""


@dataclass(frozen=True)
class PartyListMapping:
    """Where each party field comes from. ``record_id`` unmapped means the row number."""

    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    join: dict[str, tuple[str, ...]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    role: Role = Role.SHIPPER
    format: Format | None = None
    encoding: str | None = None
    delimiter: str | None = None
    quotechar: str = '"'

    def sources(self) -> set[str]:
        return {c for cols in (*self.columns.values(), *self.join.values()) for c in cols}

    def record(self, values: dict[str, str], row: int) -> PartyRecord:
        """The row's party record (no validation: see ``read_party_list``)."""
        out: dict[str, str] = {}
        for name in PARTY_FIELDS:
            value = ""
            if name in self.constants:
                value = self.constants[name]
            elif name in self.columns:
                value = next((v for c in self.columns[name] if (v := values.get(c, "").strip())),
                             "")  # fmt: skip
            elif name in self.join:
                value = " ".join(v for c in self.join[name] if (v := values.get(c, "").strip()))
            out[name] = value or self.defaults.get(name, "")
        if "record_id" not in self.columns and "record_id" not in self.join:
            out["record_id"] = str(row)
        return PartyRecord(**out)


def _strings(section: str, key: str, value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        raise MappingError(f"[{section}] {key} must be a column name or a list of them")
    return tuple(items)


def _table(doc: dict[str, Any], section: str) -> dict[str, Any]:
    value = doc.get(section, {})
    if not isinstance(value, dict):
        raise MappingError(f"[{section}] must be a table")
    for key in value:
        if section not in ("source", "party") and key not in PARTY_FIELDS:
            raise MappingError(
                f"[{section}] {key!r} is not a party field (one of {', '.join(PARTY_FIELDS)})"
            )
    return value


def read_party_mapping(path: Path) -> PartyListMapping:
    """Parse and check a party-list mapping; anything it does not understand is refused."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: cannot read the mapping: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise MappingError(f"{path}: unknown section(s) {sorted(unknown)}")
    source, party = _table(doc, "source"), _table(doc, "party")
    for name, allowed, table in (("source", _SOURCE_KEYS, source), ("party", _PARTY_KEYS, party)):
        extra = set(table) - allowed
        if extra:
            raise MappingError(f"{path}: unknown [{name}] key(s) {sorted(extra)}")
    columns = {k: _strings("columns", k, v) for k, v in _table(doc, "columns").items()}
    join = {k: _strings("join", k, v) for k, v in _table(doc, "join").items()}
    constants, defaults = _table(doc, "constants"), _table(doc, "defaults")
    for name, table in (("constants", constants), ("defaults", defaults)):
        if not all(isinstance(v, str) for v in table.values()):
            raise MappingError(f"{path}: [{name}] values must be strings")
    both = (set(columns) & set(join)) | ((set(columns) | set(join)) & set(constants))
    if both:
        raise MappingError(f"{path}: {sorted(both)} given more than one source")
    if not ({"name"} & (set(columns) | set(join) | set(constants))):
        raise MappingError(f"{path}: no source for the party field 'name'")
    try:
        role = Role(party.get("role", Role.SHIPPER.value))
    except ValueError:
        raise MappingError(
            f"{path}: [party] role must be one of {', '.join(r.value for r in Role)}"
        ) from None
    fmt_name = source.get("format")
    if fmt_name is not None and fmt_name not in _FORMATS:
        raise MappingError(f"{path}: [source] format must be one of {', '.join(_FORMATS)}")
    for key in ("delimiter", "quotechar"):
        if key in source and (not isinstance(source[key], str) or len(source[key]) != 1):
            raise MappingError(f"{path}: [source] {key} must be one character")
    return PartyListMapping(
        columns=columns,
        join=join,
        constants=dict(constants),
        defaults=dict(defaults),
        role=role,
        format=_FORMATS[fmt_name] if fmt_name else None,
        encoding=source.get("encoding"),
        delimiter=source.get("delimiter"),
        quotechar=source.get("quotechar", '"'),
    )


@dataclass
class PartyList:
    """What ``read_party_list`` found: usable records and every problem, in row order."""

    records: list[PartyRecord] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # record id -> row number
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0


def read_party_list(path: Path, spec: PartyListMapping, encoding: str | None = None) -> PartyList:
    """Every row of ``path`` as a ``PartyRecord``; rows without a record id or repeating one
    are reported and left out, rows with an empty name are reported and kept (they stay
    alone in their cluster). Whole-file faults raise ``InputFileError``/``MappingError``."""
    path = Path(path)
    source = open_table(
        path, spec.format, encoding or spec.encoding, spec.delimiter, spec.quotechar
    )
    if source.columns is not None:
        missing = sorted(spec.sources() - set(source.columns))
        if missing:
            raise MappingError(f"{path}: mapped column(s) {missing} not in the file's header")
    out = PartyList()
    rows: Iterator[RawRow] = source.rows
    for raw in rows:
        out.rows_read += 1

        def problem(column: str, reason: str, raw: RawRow = raw) -> None:
            out.problems.append(
                RowProblem(str(path), raw.row_number, column, reason, raw.raw_text())
            )

        if raw.values is None:
            problem("(row)", raw.problem)
            continue
        record = spec.record(raw.values, raw.row_number)
        if not record.record_id:
            problem("record_id", "empty record id; row left out")
            continue
        if record.record_id in out.rows:
            first = out.rows[record.record_id]
            problem("record_id", f"record id {record.record_id!r} already on row {first};"
                    " row left out")  # fmt: skip
            continue
        if not record.name:
            problem("name", "empty name; kept alone in its cluster")
        out.rows[record.record_id] = raw.row_number
        out.records.append(record)
    return out

"""Column-mapping files: read any tabular layout as the canonical manifest.

A mapping is a small TOML file (format in ``loaders/MAPPING.md``) that says where each
canonical column comes from. The canonical layout itself is the identity mapping, so every
file goes through one code path.
"""

from __future__ import annotations

import codecs
import math
import tomllib
from collections.abc import Mapping as MappingABC
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from itertools import repeat
from pathlib import Path
from typing import Any, NamedTuple

from graphintel.errors import InputFileError, MappingError
from graphintel.manifest import COLUMN_BY_NAME, COLUMN_NAMES, REQUIRED_COLUMNS, ColumnType
from loaders.filetypes import Format

_TOP_KEYS = frozenset({"source", "columns", "constants", "defaults", "values", "scale"})
_SOURCE_KEYS = frozenset({"format", "encoding", "delimiter", "quotechar", "date_format"})
_FORMAT_NAMES = {
    "csv": Format.CSV,
    "jsonl": Format.JSONL,
    "ndjson": Format.JSONL,
    "parquet": Format.PARQUET,
}
_SCALABLE = frozenset(c.name for c in COLUMN_BY_NAME.values() if c.type is ColumnType.DECIMAL)
CONSTANT = "[constants]"
DEFAULT = "[defaults]"


@dataclass(frozen=True, slots=True)
class MappedRow:
    """A source row in canonical terms: values, which source column gave each, extras."""

    values: dict[str, str]  # canonical column -> value ("" = unknown)
    extra: dict[str, str]  # unmapped, non-empty source columns
    base_origin: dict[str, str]  # shared by all rows of a mapping
    overrides: dict[str, str]  # this row's origins that differ from the base

    def origin(self, column: str) -> str:
        """The quoted source column(s) a canonical value came from, for messages."""
        found = self.overrides.get(column) or self.base_origin.get(column)
        return found or repr(column)


@dataclass(frozen=True)
class Mapping:
    """Where each canonical column comes from, and how its values are converted."""

    columns: dict[str, tuple[str, ...]]
    constants: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)
    format: Format | None = None
    encoding: str | None = None
    delimiter: str | None = None
    quotechar: str = '"'
    date_format: str | None = None
    name: str | None = None  # the mapping file; None for the canonical layout

    @cached_property
    def used_sources(self) -> frozenset[str]:
        """Source columns the mapping reads; every other column is kept as an extra."""
        return frozenset(s for sources in self.columns.values() for s in sources)

    def check_columns(self, header: Sequence[str], path: Path) -> None:
        """Fail before loading if the file lacks a required column or a mapped one."""
        present = set(header)
        missing_required: list[str] = []
        missing_mapped: list[str] = []
        for canonical, sources in self.columns.items():
            if any(s in present for s in sources):
                continue
            if canonical in REQUIRED_COLUMNS and canonical not in self.defaults:
                missing_required.append(_describe(canonical, sources))
            elif self.name is not None:
                missing_mapped.append(_describe(canonical, sources))
        if missing_required:
            raise InputFileError(
                str(path),
                "missing required column(s): "
                + ", ".join(missing_required)
                + _delimiter_hint(header),
            )
        if missing_mapped:
            raise MappingError(
                f"{self.name}: mapped column(s) not in {path}: " + ", ".join(missing_mapped)
            )

    @cached_property
    def _plan(self) -> tuple[_Step, ...]:
        return tuple(
            _Step(
                c,
                sources[0] if len(sources) == 1 else None,
                tuple((s, repr(s)) for s in sources),
                self.values.get(c),
            )
            for c, sources in self.columns.items()
        )

    @cached_property
    def _base_origin(self) -> dict[str, str]:
        base = {c: _quoted(sources) for c, sources in self.columns.items()}
        base.update(dict.fromkeys(self.constants, CONSTANT))
        return base

    def extra_columns(self, header: Sequence[str]) -> tuple[str, ...]:
        """The columns of ``header`` this mapping keeps as extras (see ``apply``)."""
        return tuple(c for c in header if c not in self.used_sources)

    def apply(
        self, raw: MappingABC[str, str], extra_columns: Sequence[str] | None = None
    ) -> MappedRow:
        """Pick each canonical value (first non-empty source), convert it, keep the rest.

        ``extra_columns`` (from ``extra_columns(header)``) saves scanning every key of
        every row when the file has a header.
        """
        overrides: dict[str, str] = {}
        direct = self._direct
        if direct is not None:  # one source per column, no value table: the common case
            columns, sources = direct
            texts = map(str.strip, map(raw.get, sources, repeat("")))
            values = dict(zip(columns, texts, strict=True))
        else:
            values = self._picked(raw, overrides)
        values.update(self.constants)
        for canonical, value in self.defaults.items():
            if not values.get(canonical):
                values[canonical] = value
                overrides[canonical] = DEFAULT
        if extra_columns is None:
            used = self.used_sources
            extra = {k: v for k, v in raw.items() if v and k not in used and not v.isspace()}
        else:
            extra = {k: v for k in extra_columns if (v := raw.get(k)) and not v.isspace()}
        return MappedRow(values, extra, self._base_origin, overrides)

    @cached_property
    def _direct(self) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(canonical columns, their one source each) when no step needs more (a choice of
        sources, a value table): then C-level maps fill the row, a fifth of the per-row
        cost of the general loop (a million rows a large load)."""
        if any(single is None or table is not None for _, single, _, table in self._plan):
            return None
        singles = [single for _, single, _, _ in self._plan if single is not None]
        return tuple(step.canonical for step in self._plan), tuple(singles)

    def _picked(self, raw: MappingABC[str, str], overrides: dict[str, str]) -> dict[str, str]:
        """Each canonical value: the first non-empty source, through its value table."""
        values: dict[str, str] = {}
        for canonical, single, sources, table in self._plan:
            if single is not None:
                text = raw.get(single)
                value = text.strip() if text else ""
            else:
                value = ""
                for name, quoted in sources:
                    text = raw.get(name)
                    if text and (text := text.strip()):
                        value = text
                        overrides[canonical] = quoted
                        break
            if table is not None:
                value = table.get(value, value)
            values[canonical] = value
        return values


class _Step(NamedTuple):
    """How one canonical column is filled: precomputed once per mapping, used per row."""

    canonical: str
    single: str | None  # the source column when there is exactly one
    sources: tuple[tuple[str, str], ...]  # (source column, its quoted name), in order
    table: dict[str, str] | None


def _quoted(sources: tuple[str, ...]) -> str:
    return " or ".join(repr(s) for s in sources)


def _describe(canonical: str, sources: tuple[str, ...]) -> str:
    if sources == (canonical,):
        return repr(canonical)
    return f"{canonical!r} (from {_quoted(sources)})"


_OTHER_DELIMITERS = {";": "';'", "\t": "tab", "|": "'|'"}


def _delimiter_hint(header: Sequence[str]) -> str:
    """Why columns may look missing: a one-column header that holds another delimiter."""
    if len(header) != 1:
        return ""
    for char, label in _OTHER_DELIMITERS.items():
        if char in header[0]:
            return (
                f"; the header is one column containing {label}: the file looks"
                f" {label}-delimited (name it *.tsv for tabs, or set source.delimiter"
                " in a mapping file)"
            )
    return ""


def canonical_mapping() -> Mapping:
    """The identity mapping of the canonical manifest layout."""
    return Mapping(columns={name: (name,) for name in COLUMN_NAMES})


def load_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML of a mapping file; an unreadable or invalid file is a ``MappingError``."""
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise MappingError(f"{path}: cannot read mapping file: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: not a valid TOML mapping file: {exc}") from None


def read_mapping(path: Path) -> Mapping:
    """Parse and check a TOML mapping file; any mistake is a ``MappingError``."""
    return parse_mapping(load_toml(path), str(path))


def parse_mapping(data: dict[str, Any], name: str) -> Mapping:
    """Build a ``Mapping`` from parsed TOML, refusing anything it does not understand."""
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise MappingError(f"{name}: unknown section(s) {sorted(unknown)}")
    source = _table(data, "source", name)
    bad = set(source) - _SOURCE_KEYS
    if bad:
        raise MappingError(f"{name}: unknown key(s) in [source]: {sorted(bad)}")
    columns = {c: _sources(v, c, name) for c, v in _canonical_table(data, "columns", name).items()}
    constants = _strings(_canonical_table(data, "constants", name), "constants", name)
    defaults = _strings(_canonical_table(data, "defaults", name), "defaults", name)
    values = {
        c: _strings(_table_value(v, f"values.{c}", name), f"values.{c}", name)
        for c, v in _canonical_table(data, "values", name).items()
    }
    scale = {c: _factor(v, c, name) for c, v in _canonical_table(data, "scale", name).items()}
    fmt = _format(source.get("format"), name)
    encoding = _encoding(source, name)
    delimiter = _char(source, "delimiter", name)
    quotechar = _char(source, "quotechar", name) or '"'
    date_format = _date_format(source.get("date_format"), name)
    both = set(columns) & set(constants)
    if both:
        raise MappingError(f"{name}: column(s) both mapped and constant: {sorted(both)}")
    unmapped = [c for c in REQUIRED_COLUMNS if c not in columns | constants | defaults]
    if unmapped:
        raise MappingError(f"{name}: no source for required column(s) {unmapped}")
    return Mapping(
        columns=columns,
        constants=constants,
        defaults=defaults,
        values=values,
        scale=scale,
        format=fmt,
        encoding=encoding,
        delimiter=delimiter,
        quotechar=quotechar,
        date_format=date_format,
        name=name,
    )


def _table(data: dict[str, Any], key: str, name: str) -> dict[str, Any]:
    return _table_value(data.get(key, {}), key, name)


def _table_value(value: object, key: str, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MappingError(f"{name}: [{key}] must be a table")
    return value


def _canonical_table(data: dict[str, Any], key: str, name: str) -> dict[str, Any]:
    table = _table(data, key, name)
    unknown = [c for c in table if c not in COLUMN_BY_NAME]
    if unknown:
        raise MappingError(f"{name}: [{key}] names unknown canonical column(s) {unknown}")
    if key == "scale":
        wrong = [c for c in table if c not in _SCALABLE]
        if wrong:
            raise MappingError(f"{name}: [scale] applies to decimal columns only, not {wrong}")
    return table


def _sources(value: object, canonical: str, name: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(s, str) and s for s in items):
        raise MappingError(
            f"{name}: [columns] {canonical} must be a column name or a non-empty list of names"
        )
    return tuple(items)


def _strings(table: dict[str, Any], key: str, name: str) -> dict[str, str]:
    wrong = [k for k, v in table.items() if not isinstance(v, str)]
    if wrong:
        raise MappingError(f"{name}: [{key}] values must be quoted strings: {wrong}")
    return {k: str(v) for k, v in table.items()}


def _factor(value: object, canonical: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MappingError(f"{name}: [scale] {canonical} must be a number")
    factor = float(value)
    if not math.isfinite(factor) or factor <= 0:
        raise MappingError(f"{name}: [scale] {canonical} must be a positive finite number")
    return factor


def _format(value: object, name: str) -> Format | None:
    if value is None:
        return None
    if not isinstance(value, str) or value.lower() not in _FORMAT_NAMES:
        raise MappingError(f"{name}: source.format must be one of {sorted(_FORMAT_NAMES)}")
    return _FORMAT_NAMES[value.lower()]


def _optional_str(source: dict[str, Any], key: str, name: str) -> str | None:
    value = source.get(key)
    if value is not None and (not isinstance(value, str) or not value):
        raise MappingError(f"{name}: source.{key} must be a non-empty string")
    return value


def _encoding(source: dict[str, Any], name: str) -> str | None:
    value = _optional_str(source, "encoding", name)
    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            raise MappingError(f"{name}: source.encoding: unknown encoding {value!r}") from None
    return value


def _char(source: dict[str, Any], key: str, name: str) -> str | None:
    value = _optional_str(source, key, name)
    if value is not None and len(value) != 1:
        raise MappingError(f"{name}: source.{key} must be one character, got {value!r}")
    return value


def _date_format(value: object, name: str) -> str | None:
    """Accept a strptime format only if a date survives a round trip through it."""
    if value is None:
        return None
    probe = date(2001, 2, 3)
    try:
        if not isinstance(value, str) or "%" not in value:
            raise ValueError
        if datetime.strptime(probe.strftime(value), value).date() != probe:
            raise ValueError
    except ValueError:
        raise MappingError(
            f"{name}: source.date_format {value!r} is not a strptime format with year,"
            ' month and day (e.g. "%d/%m/%Y")'
        ) from None
    return value

"""Watchlist files: known bad parties or trusted ones (e.g. C-TPAT members), read through a
TOML mapping like a manifest's (``loaders/MAPPING.md``, section "Watchlists").

A watchlist row names a party by any of: name (with its country), address, phone, e-mail,
payment account, IP address. Every row keeps its row number, so a hit found by analysis
points back to the source row. A row that names nothing, or that cannot be parsed, is not
silently dropped: it comes back as a ``WatchlistProblem`` for the command to report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from graphintel.errors import InputFileError, MappingError
from graphintel.records import WatchlistEntry
from loaders.filetypes import Format
from loaders.mapping import _char, _encoding, _format, _sources, _strings, load_toml
from loaders.readers import RawRow, to_text
from loaders.tabular import open_table

# The columns of a watchlist entry a mapping can fill, in record order.
WATCHLIST_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in fields(WatchlistEntry) if f.name not in ("list_name", "row_number")
)
# An entry must name at least one of these to be matchable.
IDENTIFYING_COLUMNS: tuple[str, ...] = tuple(
    c for c in WATCHLIST_COLUMNS if c not in ("country", "note")
)
_TOP_KEYS = frozenset({"source", "columns", "constants", "defaults"})
_SOURCE_KEYS = frozenset({"format", "encoding", "delimiter", "quotechar"})


@dataclass(frozen=True)
class WatchlistMapping:
    """Where each watchlist column comes from (the first non-empty source column wins)."""

    columns: dict[str, tuple[str, ...]]
    constants: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    format: Format | None = None
    encoding: str | None = None
    delimiter: str | None = None
    quotechar: str = '"'
    name: str | None = None

    def entry_values(self, values: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for column in WATCHLIST_COLUMNS:
            if column in self.constants:
                out[column] = self.constants[column]
                continue
            found = next(
                (
                    v.strip()
                    for s in self.columns.get(column, ())
                    if (v := values.get(s, "")).strip()
                ),
                "",
            )
            out[column] = found or self.defaults.get(column, "")
        return out


def identity_mapping() -> WatchlistMapping:
    """A file whose headers are the watchlist column names themselves."""
    return WatchlistMapping(columns={c: (c,) for c in WATCHLIST_COLUMNS})


def read_watchlist_mapping(path: Path) -> WatchlistMapping:
    """Parse and check a watchlist mapping file; any mistake is a ``MappingError``."""
    return parse_watchlist_mapping(load_toml(path), str(path))


def _section(data: dict[str, Any], key: str, name: str) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise MappingError(f"{name}: [{key}] must be a table")
    if key != "source":
        unknown = [c for c in table if c not in WATCHLIST_COLUMNS]
        if unknown:
            raise MappingError(
                f"{name}: [{key}] names unknown watchlist column(s) {unknown};"
                f" known: {', '.join(WATCHLIST_COLUMNS)}"
            )
    return table


def parse_watchlist_mapping(data: dict[str, Any], name: str) -> WatchlistMapping:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise MappingError(f"{name}: unknown section(s) {sorted(unknown)} in a watchlist mapping")
    source = _section(data, "source", name)
    bad = set(source) - _SOURCE_KEYS
    if bad:
        raise MappingError(f"{name}: unknown key(s) in [source]: {sorted(bad)}")
    columns = {c: _sources(v, c, name) for c, v in _section(data, "columns", name).items()}
    constants = _strings(_section(data, "constants", name), "constants", name)
    defaults = _strings(_section(data, "defaults", name), "defaults", name)
    both = set(columns) & set(constants)
    if both:
        raise MappingError(f"{name}: column(s) both mapped and constant: {sorted(both)}")
    if not any(c in columns for c in IDENTIFYING_COLUMNS):
        raise MappingError(
            f"{name}: [columns] must map at least one of {', '.join(IDENTIFYING_COLUMNS)}"
        )
    return WatchlistMapping(
        columns=columns,
        constants=constants,
        defaults=defaults,
        format=_format(source.get("format"), name),
        encoding=_encoding(source, name),
        delimiter=_char(source, "delimiter", name),
        quotechar=_char(source, "quotechar", name) or '"',
        name=name,
    )


@dataclass(frozen=True)
class WatchlistProblem:
    """A source row that gave no entry, and why."""

    row_number: int
    reason: str


@dataclass
class WatchlistFile:
    """What a watchlist file gave: its entries and the rows it could not use."""

    entries: list[WatchlistEntry] = field(default_factory=list)
    problems: list[WatchlistProblem] = field(default_factory=list)


def read_watchlist(
    path: Path,
    list_name: str,
    mapping: WatchlistMapping | None = None,
    encoding: str | None = None,
) -> WatchlistFile:
    """Every usable row of ``path`` as a ``WatchlistEntry`` of ``list_name``, and the rest as
    problems. A file that cannot be read at all raises ``InputFileError``."""
    spec = mapping or identity_mapping()
    source = open_table(
        path, spec.format, encoding or spec.encoding, spec.delimiter, spec.quotechar
    )
    if source.columns is not None:
        present = set(source.columns)
        missing = [
            f"{c} ({' or '.join(repr(s) for s in sources)})"
            for c, sources in spec.columns.items()
            if not any(s in present for s in sources) and spec.name is not None
        ]
        if missing or not any(
            any(s in present for s in spec.columns.get(c, ())) for c in IDENTIFYING_COLUMNS
        ):
            detail = ", ".join(missing) if missing else "no identifying column"
            raise InputFileError(str(path), f"watchlist column(s) not in the file: {detail}")
    out = WatchlistFile()
    rows: Iterator[RawRow] = source.rows
    for row in rows:
        if row.values is None:
            out.problems.append(WatchlistProblem(row.row_number, row.problem))
            continue
        values = spec.entry_values({k: to_text(v) for k, v in row.values.items()})
        if not any(values[c] for c in IDENTIFYING_COLUMNS):
            out.problems.append(
                WatchlistProblem(
                    row.row_number,
                    "names no party: no name, address, phone, e-mail, payment account or IP",
                )
            )
            continue
        out.entries.append(WatchlistEntry(list_name, row.row_number, **values))
    return out

"""Rendering command results as a terminal table, JSON or spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

from graphintel.records import Network
from graphintel.textsafe import spreadsheet_safe, terminal_safe

FORMATS = ("table", "json", "csv")
_PIPED_WIDTH = 160


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(_flat(row.get(c))) for c in columns])


def write_json_array(rows: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    """Stream a JSON array element by element, so huge listings never sit in memory."""
    out.write("[")
    for i, row in enumerate(rows):
        out.write(",\n" if i else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
    out.write("\n]\n")


def write_network_listing(networks: Iterable[Network], title: str) -> None:
    """Networks as a readable list: one header line each, then its reasons."""
    console = Console(markup=False, highlight=False, soft_wrap=True)
    console.print(title, style="bold")
    for n in networks:
        dates = f"{n.first_date} .. {n.last_date}" if n.first_date else ""
        console.print(
            f"#{n.rank:<3} {n.network_id}  score {n.score:6.2f}  {n.n_shipments} shipments"
            f"  {n.n_entities} entities  {n.seized_count} seized  {dates}",
            style="bold" if n.rank <= 3 else None,
        )
        if n.name and n.name != n.network_id:  # its human name (analytics/naming.py)
            console.print(f"       {terminal_safe(n.name)}", style="bold" if n.rank <= 3 else None)
        for reason in n.reasons:
            console.print(f"       - {terminal_safe(reason)}")


def write_table(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], title: str | None = None
) -> None:
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # markup=False: manifest text like "[red]" must show as typed, never as styling.
        # terminal_safe: an escape sequence in manifest text is shown, never run.
        table.add_row(*[terminal_safe(_flat(row.get(c))) for c in columns])
    _console().print(table)


def _console() -> Console:
    """A console for tables; piped output gets a wide page so headers are not clipped."""
    console = Console(markup=False, highlight=False)
    if not console.is_terminal:
        console = Console(markup=False, highlight=False, width=_PIPED_WIDTH)
    return console


def render(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    title: str | None = None,
    out: TextIO | None = None,
) -> None:
    stream = out or sys.stdout
    if fmt == "json":
        write_json_array(rows, stream)
    elif fmt == "csv":
        write_csv(rows, columns, stream)
    else:
        write_table(rows, columns, title)


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " | ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)

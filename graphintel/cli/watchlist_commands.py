"""Watchlists: ``graphintel watchlist add | list | show | remove``, listed in
``COMMANDS`` for ``graphintel.cli.commands`` to add.

A list is stored under its name with every entry's source row; the next ``graphintel
analyze`` matches it against the graph (``graphintel.analytics.watchlist``).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

import click

from graphintel.cli.context import Context, pass_ctx
from graphintel.cli.output import FORMATS, render
from graphintel.errors import InputFileError, NotFoundError
from graphintel.records import Watchlist, WatchlistEntry
from graphintel.store.base import WATCHLIST_KINDS, utc_now

_LIST_COLUMNS = ("name", "kind", "entries", "file_path", "added_at")
_ENTRY_COLUMNS = tuple(f.name for f in fields(WatchlistEntry) if f.name != "list_name")


@click.group()
def watchlist() -> None:
    """Known bad parties and trusted ones (e.g. C-TPAT members), matched by `analyze`."""


@watchlist.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML mapping of the file's columns (see loaders/MAPPING.md, Watchlists);"
    " without it the headers must be the watchlist column names.",
)
@click.option("--kind", type=click.Choice(WATCHLIST_KINDS), required=True)
@click.option("--name", "list_name", help="List name (default: the file name without suffix).")
@click.option("--encoding", help="Text encoding of the file (default UTF-8).")
@pass_ctx
def add(
    context: Context,
    file: Path,
    mapping: Path | None,
    kind: str,
    list_name: str | None,
    encoding: str | None,
) -> None:
    """Load FILE as a watchlist; a list of the same name is replaced."""
    from loaders.filetypes import file_sha256
    from loaders.watchlist import read_watchlist, read_watchlist_mapping

    name = (list_name or file.stem).strip()
    if not name:
        raise click.BadParameter("the list name is empty", param_hint="--name")
    spec = read_watchlist_mapping(mapping) if mapping is not None else None
    read = read_watchlist(file, name, spec, encoding)
    if not read.entries:
        raise InputFileError(
            str(file), f"no usable watchlist rows ({len(read.problems)} rows could not be used)"
        )
    stored = context.store.replace_watchlist(
        Watchlist(name, kind, str(file), file_sha256(file), utc_now(), len(read.entries)),
        read.entries,
    )
    click.echo(f"watchlist {stored.name} ({stored.kind}): {stored.entries:,} entries from {file}")
    if read.problems:
        click.echo(f"{len(read.problems):,} rows of {file} not used:", err=True)
        for problem in read.problems:
            click.echo(f"  row {problem.row_number}: {problem.reason}", err=True)


@watchlist.command("list")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@pass_ctx
def list_(context: Context, fmt: str) -> None:
    """Every loaded watchlist with its kind, entry count and source file."""
    rows = [asdict(w) for w in context.store.watchlists()]
    render(rows, _LIST_COLUMNS, fmt, title="Watchlists")


@watchlist.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@pass_ctx
def show(context: Context, name: str, fmt: str) -> None:
    """The entries of watchlist NAME with their source rows."""
    if name not in {w.name for w in context.store.watchlists()}:
        raise NotFoundError(f"no watchlist {name!r} in {context.store.url}")
    rows = [asdict(e) for e in context.store.watchlist_entries([name])]
    render(rows, _ENTRY_COLUMNS, fmt, title=f"Watchlist {name}")


@watchlist.command("remove")
@click.argument("name")
@pass_ctx
def remove(context: Context, name: str) -> None:
    """Delete watchlist NAME and its entries (the next analysis no longer sees it)."""
    if not context.store.remove_watchlist(name):
        raise NotFoundError(f"no watchlist {name!r} in {context.store.url}")
    click.echo(f"removed watchlist {name}")


# Registered on the main group by graphintel.cli.commands.
COMMANDS: tuple[click.Command, ...] = (watchlist,)

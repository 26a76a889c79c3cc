"""Store-level commands (``graphintel migrate``), listed in ``COMMANDS`` for
``graphintel.cli.commands`` to add."""

from __future__ import annotations

import click

from graphintel.cli.output import render
from graphintel.errors import StoreError
from graphintel.store import open_store
from graphintel.store.migrate import DEFAULT_MIGRATION_BATCH, TABLES, migrate


@click.command("migrate")
@click.option("--from", "source_url", required=True, help="Store to copy from (any store URL).")
@click.option("--to", "target_url", required=True, help="Empty store to copy into.")
@click.option(
    "--batch-size",
    default=DEFAULT_MIGRATION_BATCH,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows per page; each page commits with its checkpoint.",
)
@click.option("--quiet", is_flag=True, help="No per-table progress lines.")
def migrate_command(source_url: str, target_url: str, batch_size: int, quiet: bool) -> None:
    """Copy a whole store to another (e.g. SQLite to Neo4j); rerun to resume after a stop."""
    if source_url == target_url:
        raise StoreError("--from and --to name the same store")
    source = open_store(source_url)
    try:
        target = open_store(target_url)
        try:

            def progress(table: str, rows: int) -> None:
                if not quiet:
                    click.echo(f"{table}: {rows:,} rows", err=True)

            report = migrate(source, target, batch_size=batch_size, progress=progress)
        finally:
            target.close()
    finally:
        source.close()
    keys = sorted(set(report.source_counts) | set(report.target_counts))
    rows = [
        {
            "count": k,
            "source": report.source_counts.get(k, 0),
            "target": report.target_counts.get(k, 0),
            "same": "yes"
            if report.source_counts.get(k, 0) == report.target_counts.get(k, 0)
            else "NO",
        }
        for k in keys
    ]
    render(rows, ("count", "source", "target", "same"), "table", title="Migration counts")
    copied = ", ".join(f"{t} {report.copied.get(t, 0):,}" for t in TABLES)
    click.echo(f"copied: {copied}", err=True)
    if not report.ok:
        raise StoreError(f"counts differ after migration: {report.mismatches}")


# Registered on the main group by graphintel.cli.commands.
COMMANDS: tuple[click.Command, ...] = (migrate_command,)

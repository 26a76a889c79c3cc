"""``graphintel export``: a network (or, later, a saved case) written as a link chart in
one of the export formats; registered on the main group by ``graphintel.cli.commands``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from graphintel.cli.commands import Context, cli, pass_ctx
from graphintel.export import FORMATS, ExportError, chart_from_network, output_path


def write_atomically(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder so a failed export leaves nothing."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".graphintel-export-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@cli.command("export")
@click.option("--network", "network_id", required=True, help="Network id to export.")
@click.option("--run", "run_id", default=None, help="Analysis run (default: the latest).")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(list(FORMATS), case_sensitive=False),
    help="Export format.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write, or an existing folder (the file is then named after the network).",
)
@click.option("--analyst", default="", help="Analyst name for the PDF report and metadata.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@pass_ctx
def export_command(
    context: Context,
    network_id: str,
    run_id: str | None,
    fmt: str,
    output: Path,
    analyst: str,
    force: bool,
) -> None:
    """Export a network as a link chart: png, svg, anx (i2), graphml, gexf, cytoscape, csv,
    ftm (FollowTheMoney) or pdf (case report)."""
    export_format = FORMATS[fmt.lower()]
    path = output_path(output, network_id, export_format.extension)
    if path.exists() and not force:
        raise ExportError(f"{path} exists (use --force to overwrite)")
    chart = chart_from_network(context.store, network_id, run_id, analyst=analyst)
    data = export_format.render(chart)
    write_atomically(path, data)
    click.echo(
        f"wrote {path} ({export_format.name}, {len(chart.nodes)} nodes, "
        f"{len(chart.edges)} edges, run {chart.run_id}, {len(data):,} bytes)",
        err=True,
    )

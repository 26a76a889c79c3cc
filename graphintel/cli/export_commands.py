"""``graphintel export``: a network or a saved case written as a link chart in one of the
export formats; registered on the main group by ``graphintel.cli.commands``."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import click

from graphintel.cli.audit_commands import audit_cli
from graphintel.cli.commands import Context, cli, pass_ctx
from graphintel.export import FORMATS, ExportError, chart_from_network, cytoscape, output_path
from graphintel.export.case import chart_from_case


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
@click.option("--network", "network_id", default=None, help="Network id to export.")
@click.option("--case", "case_ref", default=None, help="Saved case (id or name) to export.")
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
@click.option(
    "--narrative",
    "narrative_file",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Text file with the case narrative (who, what, why, next steps) for every format.",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    default="a4",
    show_default=True,
    help="Paper of the PDF report (landscape).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@pass_ctx
def export_command(
    context: Context,
    network_id: str | None,
    case_ref: str | None,
    run_id: str | None,
    fmt: str,
    output: Path,
    analyst: str,
    narrative_file: Path | None,
    paper: str,
    force: bool,
) -> None:
    """Export a network (--network) or a saved case (--case) as a link chart: png, svg,
    anx (i2), graphml, gexf, cytoscape, csv, ftm (FollowTheMoney) or pdf (case report)."""
    if (network_id is None) == (case_ref is None):
        raise click.UsageError("give exactly one of --network ID or --case NAME")
    if case_ref is not None and run_id is not None:
        raise click.UsageError("--run goes with --network (a case names its own run)")
    export_format = FORMATS[fmt.lower()]
    name = network_id if network_id is not None else f"case-{case_ref}"
    path = output_path(output, name, export_format.extension)
    if path.exists() and not force:
        raise ExportError(f"{path} exists (use --force to overwrite)")
    narrative = ""
    if narrative_file is not None:
        try:
            narrative = narrative_file.read_text(encoding="utf-8", errors="replace").strip()
        except OSError as exc:
            raise ExportError(f"cannot read the narrative {narrative_file}: {exc}") from exc
    if network_id is not None:
        chart = chart_from_network(
            context.store, network_id, run_id, analyst=analyst, narrative=narrative
        )
    else:
        chart = chart_from_case(context.store, str(case_ref), analyst=analyst, narrative=narrative)
    chart.paper = paper.lower()
    data = export_format.render(chart)
    write_atomically(path, data)
    target = f"{chart.run_id}/{network_id}" if network_id is not None else f"case:{case_ref}"
    audit_cli(context.store, "export", target, f"{export_format.name} {path}")
    click.echo(
        f"wrote {path} ({export_format.name}, {len(chart.nodes)} nodes, "
        f"{len(chart.edges)} edges, run {chart.run_id or 'none'}, {len(data):,} bytes)",
        err=True,
    )


@cli.command("import-case")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", default=None, help="Case name (default: the chart's title).")
@pass_ctx
def import_case_command(context: Context, path: Path, name: str | None) -> None:
    """Save a Cytoscape.js JSON chart (from `graphintel export --format cytoscape` or the
    app) as a case the app opens at /case/<id>, with its nodes at their positions."""
    from dashboards.export_control import case_payload_from_chart

    chart = cytoscape.read(path.read_bytes())
    payload = case_payload_from_chart(context.store, chart)
    nodes = sum(1 for el in payload["elements"] if "source" not in el["data"])
    if not nodes:
        raise ExportError(f"{path}: none of its nodes are in the store's current graph")
    title = (name or chart.case_name or chart.title or path.stem).strip()[:120]
    case = context.store.save_case(f"case-{uuid.uuid4().hex[:12]}", title, payload)
    click.echo(
        f"saved case {case.case_id} “{case.name}” ({nodes} of {len(chart.nodes)} "
        f"nodes in the store); open /case/{case.case_id} in the app",
        err=True,
    )

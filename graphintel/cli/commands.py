"""The ``graphintel`` command line: the one composition root that wires loaders, the core
library and the app together (``graphintel`` itself never imports ``loaders`` or
``dashboards``)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graphintel.cli import (
    audit_commands,
    daily_commands,
    dedupe_commands,
    eval_commands,
    export_commands,
    resolve_commands,
    store_commands,
    user_commands,
    watchlist_commands,
)
from graphintel.cli.context import Context, latest_run_id, pass_ctx
from graphintel.cli.output import (
    FORMATS,
    render,
    write_csv,
    write_json_array,
    write_network_listing,
)
from graphintel.cli.progress import stage_progress
from graphintel.errors import GraphIntelError, NotFoundError
from graphintel.records import LoadReport, Network
from graphintel.settings import Settings
from graphintel.synth import MIN_SHIPMENTS

if TYPE_CHECKING:
    from graphintel.daily.after_run import AlertOptions

log = logging.getLogger("graphintel")


class GraphIntelGroup(click.Group):
    """Turns every expected failure into one clear line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraphIntelError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=GraphIntelGroup)
@click.option(
    "--store",
    "store_url",
    envvar="GRAPHINTEL_STORE",
    default=Settings().store,
    show_default=True,
    help="Store URL: sqlite:///path.db (or a plain path) or neo4j://host:7687.",
)
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="graphintel")
@click.pass_context
def cli(ctx: click.Context, store_url: str, quiet: bool, verbose: int) -> None:
    """GraphIntel: find the networks behind low-value e-commerce shipments."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    context = Context(store_url, quiet)
    ctx.obj = context
    ctx.call_on_close(context.close)


# -- synth ---------------------------------------------------------------------------------
@cli.command()
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for manifest.csv, truth.csv, rings.csv.",
)
@click.option(
    "--shipments", default=20_000, show_default=True, type=click.IntRange(min=MIN_SHIPMENTS)
)
@click.option("--seed", default=7, show_default=True, type=int)
@click.option(
    "--profile",
    type=click.Choice(["default", "national"]),
    default="default",
    show_default=True,
    help="national: dense legitimate hubs at 1M-10M shipments and the full variation catalogue.",
)
@click.option(
    "--variations",
    type=click.Choice(["basic", "full"]),
    default=None,
    help="Spelling variations: basic, or full (docs/variations.md). Default: the profile's.",
)
def synth(out_dir: Path, shipments: int, seed: int, profile: str, variations: str | None) -> None:
    """Generate a synthetic manifest with planted rings and its ground truth."""
    from graphintel.synth import generate

    summary = generate(
        out_dir, shipments=shipments, seed=seed, profile=profile, variations=variations
    )
    click.echo(f"wrote {summary.manifest} ({shipments:,} shipments) and ground truth in {out_dir}")


# -- load ----------------------------------------------------------------------------------
_LOAD_COLUMNS = ("file", "status", "read", "loaded", "quarantined", "duplicate", "load_id")


def _load_row(report: LoadReport) -> dict[str, Any]:
    return {
        "file": report.file_path,
        "status": report.status,
        "read": report.rows_read,
        "loaded": report.rows_loaded,
        "quarantined": report.rows_quarantined,
        "duplicate": report.rows_duplicate,
        "load_id": report.load_id,
    }


def _load_files(
    context: Context, files: Sequence[Path], mapping: Path | None, encoding: str | None
) -> list[LoadReport]:
    """Load each file on its own; one bad file is reported and the others still load."""
    from loaders import load_file

    reports: list[LoadReport] = []
    failures: list[str] = []
    for path in files:
        try:
            with stage_progress(f"load {path.name}", enabled=not context.quiet) as progress:
                reports.append(
                    load_file(
                        context.store,
                        path,
                        mapping=mapping,
                        encoding=encoding,
                        on_batch=lambda r: progress("rows read", r.rows_read),
                    )
                )
        except GraphIntelError as exc:
            failures.append(str(exc))
            click.echo(f"error: {exc}", err=True)
    if reports:
        render([_load_row(r) for r in reports], _LOAD_COLUMNS, "table", title="Load report")
    if failures:
        raise click.exceptions.Exit(1)
    return reports


_file_args = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
_mapping_opt = click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Column-mapping file (TOML) for a layout other than the canonical manifest.",
)
_encoding_opt = click.option("--encoding", default=None, help="Text encoding (default UTF-8).")


@cli.command()
@_file_args
@_mapping_opt
@_encoding_opt
@pass_ctx
def load(
    context: Context, files: tuple[Path, ...], mapping: Path | None, encoding: str | None
) -> None:
    """Load manifest files (CSV, JSON Lines, Parquet) into the store; safe to repeat."""
    _load_files(context, files, mapping, encoding)


@cli.command()
@click.option("--load", "load_id", default=None, help="Only this load's rows.")
@click.option("--limit", default=1000, show_default=True, type=click.IntRange(min=1))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_ctx
def quarantine(context: Context, load_id: str | None, limit: int, fmt: str) -> None:
    """List quarantined source rows with file, row, column and reason."""
    entries = context.store.quarantine(load_id=load_id, limit=limit)
    rows = [
        {
            "file": e.file_path,
            "row": e.row_number,
            "column": e.column,
            "reason": e.reason,
            "load_id": e.load_id,
            "raw": e.raw,
        }
        for e in entries
    ]
    render(rows, ("file", "row", "column", "reason", "load_id", "raw"), fmt, title="Quarantine")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_ctx
def loads(context: Context, fmt: str) -> None:
    """List the loads recorded in the store."""
    render([_load_row(r) for r in context.store.loads()], _LOAD_COLUMNS, fmt, title="Loads")


# -- resolve and analyze -------------------------------------------------------------------
def _resolve(context: Context, full: bool = False, workers: int | None = None) -> None:
    from graphintel.resolve import run_resolution

    count = workers if workers is not None else min(os.cpu_count() or 1, 4)
    with stage_progress("resolve", enabled=not context.quiet) as progress:
        outcome = run_resolution(context.store, progress=progress, full=full, workers=count)
    click.echo(f"resolved ({outcome})", err=True)


def _alert_options() -> AlertOptions:
    """When networks alert and where alerts go, from the environment (``Settings``)."""
    from graphintel.daily.after_run import AlertOptions

    settings = Settings.from_env()
    return AlertOptions(settings.alert_score, settings.alert_webhook)


def _analyze(
    context: Context,
    hub_limit: int | None,
    window_days: int | None,
    full: bool = False,
    **options: Any,
) -> str:
    from graphintel.analytics import AnalysisConfig, analyze_store

    if hub_limit is not None:
        options["hub_limit"] = hub_limit
    config = AnalysisConfig(**options)
    settings = Settings.from_env()
    with stage_progress("analyze", enabled=not context.quiet) as progress:
        summary = analyze_store(
            context.store,
            config,
            progress=progress,
            window_days=window_days if window_days is not None else settings.window_days,
            alerts=_alert_options(),
            full=full,
        )
    click.echo(f"analyzed: {summary}", err=True)
    return str(summary.run_id)


@cli.command()
@click.option(
    "--full",
    is_flag=True,
    help="Redo every comparison instead of resolving only what is new since the last run.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes normalizing the mentions of a large store (default: CPU count, at most 4).",
)
@pass_ctx
def resolve(context: Context, full: bool, workers: int | None) -> None:
    """Resolve party mentions into entities and rebuild the graph (incrementally when the
    store was resolved before)."""
    _resolve(context, full, workers)


_hub_opt = click.option(
    "--hub-limit",
    type=click.IntRange(min=1),
    default=None,
    help="Cut identifiers shared by more parties than this (default 20).",
)
_window_opt = click.option(
    "--window-days",
    type=click.IntRange(min=1),
    default=None,
    help="Analyse only the last N days of shipments (older ones stay in the store;"
    " default GRAPHINTEL_WINDOW_DAYS, else all).",
)


@cli.command()
@_hub_opt
@click.option(
    "--engine",
    type=click.Choice(("embedded", "gds")),
    default="embedded",
    show_default=True,
    help="gds: run components, Leiden and PageRank inside Neo4j (needs the GDS plugin).",
)
@click.option(
    "--algorithm",
    type=click.Choice(("components", "leiden", "louvain", "label_propagation")),
    default="components",
    show_default=True,
    help="Community algorithm splitting components over --split-min-parties parties.",
)
@click.option(
    "--resolution",
    type=click.FloatRange(min=0, min_open=True),
    default=0.5,
    show_default=True,
    help="Modularity resolution: lower keeps larger communities.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--split-min-parties", type=click.IntRange(min=1), default=60, show_default=True)
@click.option(
    "--hub-rule",
    type=click.Choice(("fixed", "adaptive", "count")),
    default="fixed",
    show_default=True,
    help="fixed: counts (drop addresses spared), and under them towers fed by the whole market"
    " and agents' phones; adaptive: also the data's tail; count: counts only.",
)
@click.option(
    "--fed-kind",
    "fed_kinds",
    type=click.Choice(("address", "payment", "ip")),
    multiple=True,
    help="An identifier kind kept over the hub limit when a few non-hub shippers feed most"
    " of its parcels (a drop, a ring's card or router); repeat for more"
    " (default: address and payment).",
)
@click.option(
    "--carving",
    type=click.Choice(("evidence", "components")),
    default="evidence",
    show_default=True,
    help="evidence: networks grown from hits through strong links; components: whole"
    " connected components (split by --algorithm).",
)
@_window_opt
@click.option(
    "--full",
    is_flag=True,
    help="Read the whole graph again instead of updating the analysis cache with what"
    " changed since the last analysis (the results are the same).",
)
@pass_ctx
def analyze(
    context: Context,
    hub_limit: int | None,
    window_days: int | None,
    full: bool,
    engine: str,
    algorithm: str,
    resolution: float,
    seed: int,
    split_min_parties: int,
    hub_rule: str,
    fed_kinds: tuple[str, ...],
    carving: str,
) -> None:
    """Find and rank networks; records a run in the store."""
    if engine == "gds":
        from graphintel.analytics.gds import GdsConfig, analyze_gds

        if window_days is not None:
            raise click.UsageError("--window-days needs the embedded engine: GDS analyses all")
        # GDS always projects the whole graph inside Neo4j: --full changes nothing there

        config = GdsConfig() if hub_limit is None else GdsConfig(hub_limit=hub_limit)
        with stage_progress("analyze (GDS)", enabled=not context.quiet) as progress:
            summary = analyze_gds(context.store, config, progress, _alert_options())
        click.echo(f"analyzed: {summary}", err=True)
        return
    _analyze(
        context,
        hub_limit,
        window_days,
        full,
        algorithm=algorithm,
        resolution=resolution,
        seed=seed,
        split_min_parties=split_min_parties,
        hub_rule=hub_rule,
        carving=carving,
        **({"fed_kinds": fed_kinds} if fed_kinds else {}),
    )


@cli.command()
@_file_args
@_mapping_opt
@_encoding_opt
@_hub_opt
@_window_opt
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(min=0),
    help="How many networks to print at the end.",
)
@pass_ctx
def run(
    context: Context,
    files: tuple[Path, ...],
    mapping: Path | None,
    encoding: str | None,
    hub_limit: int | None,
    window_days: int | None,
    top: int,
) -> None:
    """Load, resolve and analyze in one go, then print the top networks."""
    _load_files(context, files, mapping, encoding)
    _resolve(context)
    run_id = _analyze(context, hub_limit, window_days)
    _print_networks(context, run_id, top, "table")


# -- results -------------------------------------------------------------------------------
_NETWORK_COLUMNS = (
    "rank",
    "id",
    "score",
    "n_shipments",
    "n_entities",
    "seized_count",
    "first_date",
    "last_date",
    "reasons",
)


def _network_json(n: Network) -> dict[str, Any]:
    return {
        "id": n.network_id,
        "run_id": n.run_id,
        "rank": n.rank,
        "score": round(n.score, 4),
        "reasons": list(n.reasons),
        "evidence": n.evidence,
        "typologies": list(n.typologies),
        "first_date": n.first_date,
        "last_date": n.last_date,
        "seized_count": n.seized_count,
        "n_shipments": n.n_shipments,
        "n_entities": n.n_entities,
        "shipment_ids": [s.removeprefix("shipment:") for s in n.shipment_ids],
        "entity_ids": list(n.entity_ids),
    }


def _print_networks(context: Context, run_id: str, top: int | None, fmt: str) -> None:
    if fmt == "table":
        nets = context.store.networks(run_id, limit=top, with_members=False)
        write_network_listing(nets, f"Top networks of {run_id}")
        return
    rows = (_network_json(n) for n in context.store.networks(run_id, limit=top))
    render(rows, _NETWORK_COLUMNS, fmt)


@cli.command()
@click.option("--top", default=None, type=click.IntRange(min=1), help="Only the N best.")
@click.option("--run", "run_id", default=None, help="Run id (default: the latest analysis).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--changes", is_flag=True, help="What each network did since the previous run (lineage)."
)
@pass_ctx
def networks(
    context: Context, top: int | None, run_id: str | None, fmt: str, changes: bool
) -> None:
    """Ranked networks of an analysis run, highest score first."""
    resolved = latest_run_id(context, run_id)
    if not any(r.run_id == resolved for r in context.store.runs("analyze")):
        raise NotFoundError(f"no analysis run {resolved!r} in {context.store_url}")
    if changes:
        daily_commands.print_changes(context, resolved, fmt)
        return
    _print_networks(context, resolved, top, fmt)


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(("csv", "json")), default="csv", show_default=True
)
@pass_ctx
def entities(context: Context, fmt: str) -> None:
    """One row per party mention: shipment_id, role, entity_id, name."""

    def rows() -> Iterator[dict[str, Any]]:
        for batch in context.store.iter_mentions():
            for m in batch:
                yield {
                    "shipment_id": m.shipment_id,
                    "role": m.role.value,
                    "entity_id": m.entity_id,
                    "name": m.name,
                }

    columns = ("shipment_id", "role", "entity_id", "name")
    if fmt == "json":
        write_json_array(rows(), sys.stdout)
    else:
        write_csv(rows(), columns, sys.stdout)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_ctx
def runs(context: Context, fmt: str) -> None:
    """List analysis and resolution runs with their status and counts."""

    def flat(values: dict[str, Any]) -> str | dict[str, Any]:
        return ", ".join(f"{k}={v}" for k, v in values.items()) if fmt == "table" else values

    rows = [
        {
            "run_id": r.run_id,
            "kind": r.kind,
            "status": r.status,
            "started_at": r.started_at,
            "finished_at": r.finished_at,
            "counts": flat(r.counts),
            "params": flat(r.params),
            "message": r.message,
        }
        for r in context.store.runs()
    ]
    render(
        rows,
        ("run_id", "kind", "status", "started_at", "finished_at", "counts", "params", "message"),
        fmt,
        title="Runs",
    )


@cli.command()
@click.option(
    "--host",
    envvar="GRAPHINTEL_HOST",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind; the default keeps the app on this machine.",
)
@click.option("--port", envvar="GRAPHINTEL_PORT", default=8050, show_default=True, type=int)
@click.option(
    "--insecure",
    is_flag=True,
    envvar="GRAPHINTEL_INSECURE",
    help="Serve a non-loopback address without sign-in (GRAPHINTEL_AUTH unset).",
)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(min=1))
@pass_ctx
def serve(context: Context, host: str, port: int, insecure: bool, threads: int) -> None:
    """Serve the investigator app (Dash, on waitress) at http://HOST:PORT."""
    from dashboards.app import serve as serve_app

    click.echo(f"GraphIntel app on http://{host}:{port}  (store {context.store_url})", err=True)
    serve_app(context.store_url, host=host, port=port, insecure=insecure, threads=threads)


for module in (
    audit_commands,
    daily_commands,
    dedupe_commands,
    eval_commands,
    export_commands,
    resolve_commands,
    store_commands,
    user_commands,
    watchlist_commands,
):
    for command in module.COMMANDS:
        cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    cli.main(args=list(argv) if argv is not None else None, prog_name="graphintel")

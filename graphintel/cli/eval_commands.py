"""``graphintel eval networks``: score a run's ranked networks against known rings;
registered on the main group by ``graphintel.cli.commands``."""

from __future__ import annotations

from pathlib import Path

import click

from graphintel.analytics.evaluate import evaluate_networks, read_truth
from graphintel.cli.commands import Context, _run_id, cli, pass_ctx
from graphintel.cli.output import FORMATS, render
from graphintel.errors import NotFoundError


@cli.group("eval")
def eval_group() -> None:
    """Measure results against ground truth."""


@eval_group.command("networks")
@click.option(
    "--truth",
    "truth_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV with shipment_id and ring_id columns (graphintel synth writes truth.csv).",
)
@click.option(
    "--top",
    default=None,
    type=click.IntRange(min=1),
    help="K for recall and precision (default: recall at 2 x rings, precision at rings).",
)
@click.option("--run", "run_id", default=None, help="Run id (default: the latest analysis).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_ctx
def eval_networks(
    context: Context, truth_path: Path, top: int | None, run_id: str | None, fmt: str
) -> None:
    """Ring recall (Jaccard >= 0.5) and precision of the top K networks, and the average
    precision of shipment risk scores."""
    truth = read_truth(truth_path)
    resolved = _run_id(context, run_id)
    if not any(r.run_id == resolved for r in context.store.runs("analyze")):
        raise NotFoundError(f"no analysis run {resolved!r} in the store")
    result = evaluate_networks(context.store.networks(resolved), truth, top)
    row = {"run": resolved, **result.as_dict()}
    row["missed"] = " ".join(result.missed) if fmt != "json" else result.missed
    render([row], list(row), fmt, title="Network evaluation")

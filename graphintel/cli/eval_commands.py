"""``graphintel eval networks``: score a run's ranked networks against known rings;
listed in ``COMMANDS`` for ``graphintel.cli.commands`` to add."""

from __future__ import annotations

from pathlib import Path

import click

from graphintel.analytics.evaluate import evaluate_networks, read_truth
from graphintel.cli.context import Context, latest_run_id, pass_ctx
from graphintel.cli.output import FORMATS, render
from graphintel.errors import NotFoundError


@click.group("eval")
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
    resolved = latest_run_id(context, run_id)
    if not any(r.run_id == resolved for r in context.store.runs("analyze")):
        raise NotFoundError(f"no analysis run {resolved!r} in the store")
    result = evaluate_networks(context.store.networks(resolved), truth, top)
    row = {"run": resolved, **result.as_dict()}
    row["missed"] = " ".join(result.missed) if fmt != "json" else result.missed
    render([row], list(row), fmt, title="Network evaluation")


_ER_COLUMNS = (
    "scope", "mentions", "pairwise_precision", "pairwise_recall", "pairwise_f1",
    "bcubed_precision", "bcubed_recall", "bcubed_f1", "cluster_precision", "cluster_recall",
    "predicted_clusters", "true_clusters", "only_predicted", "only_truth",
)  # fmt: skip
_ROLES = ("shipper", "consignee", "seller")


@eval_group.command("er")
@click.option(
    "--truth",
    "truth_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="synth's truth.csv, or any CSV with record_id and cluster_id (or entity_id).",
)
@click.option(
    "--clusters",
    "clusters_path",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Score this `graphintel dedupe` output instead of the store's resolution.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_context
def eval_er(ctx: click.Context, truth_path: Path, clusters_path: Path | None, fmt: str) -> None:
    """Pairwise, B-cubed and exact-cluster precision/recall/F1 of the store's resolution (or
    of a dedupe output) against ground truth; per role when the ids are mention ids."""
    from graphintel.resolve.evaluate import er_metrics, read_clusters, read_entity_truth

    truth = read_entity_truth(truth_path)
    if clusters_path is not None:
        predicted = read_clusters(clusters_path)
    else:
        context: Context = ctx.obj
        predicted = {m.mention_id: m.entity_id for b in context.store.iter_mentions() for m in b}
        if not predicted:
            raise NotFoundError("the store has no resolved mentions: run `graphintel resolve`")
    scopes: list[tuple[str, dict[str, str], dict[str, str]]] = [("all", predicted, truth)]
    for role in _ROLES:
        suffix = f"#{role}"
        mine = {k: v for k, v in truth.items() if k.endswith(suffix)}
        if mine:
            scopes.append((role, {k: v for k, v in predicted.items() if k.endswith(suffix)}, mine))
    rows = [{"scope": name, **er_metrics(p, t).as_dict()} for name, p, t in scopes]
    if rows[0]["mentions"] == 0:
        raise NotFoundError(f"no id is in both the resolution and {truth_path}")
    if fmt == "json":
        render(rows, _ER_COLUMNS, fmt)
        return
    if fmt == "csv":  # full precision (the table writer rounds floats to two decimals)
        exact = [{k: f"{v:.6f}" if isinstance(v, float) else v for k, v in r.items()} for r in rows]
        render(exact, _ER_COLUMNS, fmt)
        return
    # One line per measure, one column per scope: fits a terminal, four decimals.
    table = [{"measure": c, **{r["scope"]: _cell(r[c]) for r in rows}} for c in _ER_COLUMNS[1:]]
    render(table, ["measure", *(r["scope"] for r in rows)], fmt,
           title="Entity resolution against ground truth")  # fmt: skip


def _cell(value: object) -> str:
    return f"{value:.4f}" if isinstance(value, float) else f"{value:,}"


# Registered on the main group by graphintel.cli.commands.
COMMANDS: tuple[click.Command, ...] = (eval_group,)

"""``graphintel dedupe``: cluster a standalone party list with the pipeline's resolver;
listed in ``COMMANDS`` for ``graphintel.cli.commands`` to add."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from graphintel.cli.output import write_csv
from graphintel.cli.progress import stage_progress

_COLUMNS = ("record_id", "cluster_id")
_EXPLAIN_COLUMNS = (*_COLUMNS, "cluster_size", "matched_to", "score", "explanation")
_PROBLEM_COLUMNS = ("file", "row", "field", "reason", "raw")
_SHOWN_PROBLEMS = 20


@click.command("dedupe")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Party-list mapping (TOML, see docs/dedupe.md).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the clusters CSV here (default: standard output).",
)
@click.option("--explain", is_flag=True, help="Add cluster size, linked record, score, evidence.")
@click.option(
    "--problems",
    "problems_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every problem row (file, row, field, reason, raw) to this CSV.",
)
@click.option("--encoding", default=None, help="Text encoding (default: the mapping's, UTF-8).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes normalizing a long list (default: CPU count, at most 4).",
)
@click.option(
    "--profile",
    type=click.Choice(["list", "manifest"]),
    default="list",
    show_default=True,
    help="list: a Fellegi-Sunter model on name and address fields also links typo'd"
    " duplicates; manifest: cluster exactly as the same parties would on shipments.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
    default=None,
    help="Match probability a list-profile link needs (default 0.5, Splink's).",
)
@click.option(
    "--households/--no-households",
    "households_apart",
    default=True,
    show_default=True,
    help="Keep two plainly different given names at one address apart unless a phone or"
    " e-mail agrees (--no-households treats them as typos of one person, as Febrl does).",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the fitted model and its threshold here as JSON (default with -o: beside"
    " the output, OUTPUT with the suffix .model.json).",
)
@click.pass_context
def dedupe(
    ctx: click.Context,
    file: Path,
    mapping: Path,
    output: Path | None,
    explain: bool,
    problems_path: Path | None,
    encoding: str | None,
    workers: int | None,
    profile: str,
    threshold: float | None,
    households_apart: bool,
    model_path: Path | None,
) -> None:
    """Cluster the parties of FILE (a watchlist, a seller list) into one id per real party.

    Writes record_id,cluster_id (the cluster's smallest record id), spreadsheet-safe."""
    from graphintel.resolve.dedupe import LIST_MATCH_PROBABILITY, dedupe_records, model_document
    from loaders.party_list import RowProblem, read_party_list, read_party_mapping

    quiet = bool(ctx.obj.quiet) if ctx.obj is not None else False
    spec = read_party_mapping(mapping)
    found = read_party_list(file, spec, encoding)
    with stage_progress("dedupe", enabled=not quiet) as progress:
        count = workers if workers is not None else min(os.cpu_count() or 1, 4)
        result = dedupe_records(
            found.records,
            spec.role,
            progress=progress,
            workers=count,
            profile=profile,
            list_threshold=LIST_MATCH_PROBABILITY if threshold is None else threshold,
            households_apart=households_apart,
            explain=explain,
        )
    problems = list(found.problems)
    names = {r.record_id: r.name for r in found.records}
    for record_id, why in result.unresolved.items():
        if names.get(record_id):  # an empty name was already reported by the reader
            problems.append(RowProblem(str(file), found.rows[record_id], "name",
                                       f"{why}; kept alone in its cluster"))  # fmt: skip
    problems.sort(key=lambda p: p.row)

    columns = _EXPLAIN_COLUMNS if explain else _COLUMNS
    rows: list[dict[str, Any]] = [
        {"record_id": r.record_id, "cluster_id": r.cluster_id, "cluster_size": r.cluster_size,
         "matched_to": r.matched_to, "score": "" if r.score is None else f"{r.score:.4f}",
         "explanation": r.explanation}
        for r in result.rows
    ]  # fmt: skip
    if output is None:
        write_csv(rows, columns, sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as fh:
            write_csv(rows, columns, fh)
    if problems_path is not None:
        with problems_path.open("w", encoding="utf-8", newline="") as fh:
            write_csv([_problem_row(p) for p in problems], _PROBLEM_COLUMNS, fh)
    if model_path is None and output is not None:
        model_path = output.with_suffix(".model.json")
    if model_path is not None:
        text = json.dumps(model_document(result), indent=2, ensure_ascii=False)
        model_path.write_text(text + "\n", encoding="utf-8")

    multi = sum(1 for r in result.rows if r.cluster_size > 1 and r.cluster_id == r.record_id)
    click.echo(
        f"{found.rows_read:,} rows read, {result.records:,} records, {result.clusters:,}"
        f" clusters ({multi:,} with more than one record), {len(problems):,} problem rows",
        err=True,
    )
    if model_path is not None:
        click.echo(f"model and threshold written to {model_path}", err=True)
    # Problems go to stderr as plain lines, so they never mix into a CSV on stdout.
    for p in problems[:_SHOWN_PROBLEMS]:
        click.echo(f"problem: {p.file}: row {p.row}: {p.field}: {p.reason}", err=True)
    if len(problems) > _SHOWN_PROBLEMS and problems_path is None:
        click.echo(f"... {len(problems) - _SHOWN_PROBLEMS:,} more; --problems FILE lists all",
                   err=True)  # fmt: skip


def _problem_row(p: Any) -> dict[str, Any]:
    return {"file": p.file, "row": p.row, "field": p.field, "reason": p.reason, "raw": p.raw}


# Registered on the main group by graphintel.cli.commands.
COMMANDS: tuple[click.Command, ...] = (dedupe,)

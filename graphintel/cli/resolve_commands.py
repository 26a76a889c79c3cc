"""Explaining and correcting merges: ``graphintel explain``, ``judge`` and ``judgements``,
registered on the main group by ``graphintel.cli.commands``."""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict
from typing import Any

import click
from rich.console import Console

from graphintel.cli.audit_commands import audit_cli
from graphintel.cli.commands import Context, cli, pass_ctx
from graphintel.cli.output import render
from graphintel.errors import NotFoundError
from graphintel.model import NodeKind, kind_of

_EVIDENCE_COLUMNS = ("field", "value_a", "value_b", "similarity", "weight", "rule", "mentions")
_JUDGEMENT_COLUMNS = (
    "created_at", "user", "verdict", "left", "right", "state", "withdrawn_by", "withdrawn_at",
)  # fmt: skip


def _default_user() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@cli.command()
@click.argument("entity_id")
@click.argument("other", required=False)
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table")
@pass_ctx
def explain(context: Context, entity_id: str, other: str | None, fmt: str) -> None:
    """Why ENTITY_ID is one party: its names, mentions and every piece of merge evidence.

    With OTHER (each an entity or a mention id): why the two are, or are not, one party:
    the closest pair of their mentions compared field by field under the last resolution's
    model (level, weight, total, probability) and the rule that made or blocked the merge."""
    if other is not None:
        _explain_pair(context, _check_ref(entity_id), _check_ref(other), fmt)
        return
    store = context.store
    found = store.nodes([entity_id])
    if not found or found[0].kind is not NodeKind.PARTY:
        raise NotFoundError(f"no party entity {entity_id!r} in {store.url}")
    entity = found[0]
    names: list[str] = []
    mentions = 0
    for batch in store.iter_mentions():
        for m in batch:
            if m.entity_id == entity_id:
                mentions += 1
                if m.name not in names:
                    names.append(m.name)
    rows = [
        {
            "field": ev.field,
            "value_a": ev.value_a,
            "value_b": ev.value_b,
            "similarity": ev.similarity,
            "weight": ev.weight,
            "rule": ev.rule,
            "mentions": f"{ev.mention_a} ~ {ev.mention_b}",
        }
        for ev in store.merge_evidence(entity_id)
    ]
    if fmt == "json":
        doc: dict[str, Any] = {
            "entity_id": entity.id,
            "label": entity.label,
            "names": names,
            "mentions": mentions,
            "evidence": rows,
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    # markup off: names come from manifests and "[red]" must print as typed.
    console = Console(markup=False, highlight=False, soft_wrap=True)
    console.print(f"{entity.id}  {entity.label}", style="bold")
    console.print(f"mentions: {mentions:,}")
    console.print(f"names seen: {' | '.join(names)}")
    if rows:
        render(rows, _EVIDENCE_COLUMNS, "table", title="Merge evidence")
    else:
        console.print("no merge evidence: a single distinct record")


def _explain_pair(context: Context, left: str, right: str, fmt: str) -> None:
    from graphintel.resolve.explain import explain_pair, render_pair

    found = explain_pair(context.store, left, right)
    if fmt == "json":
        click.echo(json.dumps(asdict(found), ensure_ascii=False, indent=2))
    else:
        click.echo(render_pair(found))


def _check_ref(ref: str) -> str:
    """A judgement side: a mention id ("SHIP1#consignee") or a party entity id."""
    try:
        if kind_of(ref) is NodeKind.PARTY:
            return ref
    except ValueError:
        if "#" in ref:
            return ref
    raise click.BadParameter(f"{ref!r} is neither a mention id (SHIP#role) nor a party id")


@cli.command()
@click.argument("verdict", type=click.Choice(("same", "different", "withdraw")))
@click.argument("left")
@click.argument("right")
@click.option("--user", default=_default_user, show_default="$USER", help="Who judges.")
@pass_ctx
def judge(context: Context, verdict: str, left: str, right: str, user: str) -> None:
    """Record that LEFT and RIGHT (mention or party ids) are the same or different parties;
    every later `graphintel resolve` obeys it. `withdraw` takes back the judgements in force
    on the pair (kept on record, marked withdrawn by USER; no longer re-applied)."""
    left, right = _check_ref(left), _check_ref(right)
    if left == right:
        raise click.BadParameter("LEFT and RIGHT are the same id")
    if verdict == "withdraw":
        withdrawn = context.store.withdraw_judgement(left, right, user)
        if not withdrawn:
            raise NotFoundError(f"no judgement in force on {left} and {right}")
        audit_cli(context.store, "judge", f"{left} {right}", f"withdraw (as {user})")
        for w in withdrawn:
            click.echo(f"withdrawn: {w.left} {w.verdict} {w.right} (by {w.user} at"
                       f" {w.created_at}) by {w.withdrawn_by} at {w.withdrawn_at};"
                       " run `graphintel resolve` to apply it", err=True)  # fmt: skip
        return
    j = context.store.add_judgement(left, right, verdict, user)
    audit_cli(context.store, "judge", f"{j.left} {j.right}", f"{j.verdict} (as {j.user})")
    click.echo(f"recorded: {j.left} {j.verdict} {j.right} by {j.user} at {j.created_at};"
               " run `graphintel resolve` to apply it", err=True)  # fmt: skip


@cli.command()
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table")
@click.option("--in-force", is_flag=True, help="Only judgements not withdrawn.")
@pass_ctx
def judgements(context: Context, fmt: str, in_force: bool) -> None:
    """List the recorded same/different judgements, oldest first, withdrawn ones marked."""
    rows = [
        {"created_at": j.created_at, "user": j.user, "verdict": j.verdict, "left": j.left,
         "right": j.right, "state": "withdrawn" if j.withdrawn else "in force",
         "withdrawn_by": j.withdrawn_by, "withdrawn_at": j.withdrawn_at}
        for j in context.store.judgements(include_withdrawn=not in_force)
    ]  # fmt: skip
    render(rows, _JUDGEMENT_COLUMNS, fmt, title="Judgements")

"""Daily operation from the shell: ``graphintel alerts`` (list, ``ack``, ``post``), ``graphintel
case follow | refresh``, and the ``networks --changes`` listing; registered on the main
group by ``graphintel.cli.commands``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from graphintel.cli.audit_commands import audit_cli, os_user
from graphintel.cli.context import Context, pass_ctx
from graphintel.cli.output import FORMATS, render
from graphintel.daily.cases import Element, follow_case, refreshed_payload
from graphintel.daily.records import Alert
from graphintel.daily.webhook import check_url, post_alerts
from graphintel.errors import GraphIntelError, NotFoundError
from graphintel.store.base import utc_now

_CHANGE_COLUMNS = ("id", "event", "rank", "score", "size", "added", "removed", "related")
_ALERT_COLUMNS = ("alert_id", "created_at", "kind", "subject", "networks", "shipments",
                  "reasons", "acknowledged_by")  # fmt: skip


def print_changes(context: Context, run_id: str, fmt: str) -> None:
    """The lineage of ``run_id``: each network's event against the previous run."""
    store = context.store
    entries = store.lineage(run_id)
    if not entries:
        raise NotFoundError(
            f"run {run_id!r} recorded no network changes (analysed before stable ids?)"
        )
    ranked = {n.network_id: n for n in store.networks(run_id, with_members=False)}
    rows = [
        {
            "id": e.network_id,
            "event": e.event,
            "rank": ranked[e.network_id].rank if e.network_id in ranked else "",
            "score": round(ranked[e.network_id].score, 4) if e.network_id in ranked else "",
            "size": e.size,
            "added": e.added,
            "removed": e.removed,
            "related": list(e.related),
        }
        for e in entries
    ]
    previous = entries[0].previous_run or "none"
    render(rows, _CHANGE_COLUMNS, fmt, title=f"Changes in {run_id} since {previous}")


def _alert_row(a: Alert) -> dict[str, Any]:
    return {
        "alert_id": a.alert_id,
        "run_id": a.run_id,
        "created_at": a.created_at,
        "kind": a.kind,
        "subject": a.subject,
        "networks": list(a.network_ids),
        "shipments": len(a.shipment_ids),
        "shipment_ids": [s.removeprefix("shipment:") for s in a.shipment_ids],
        "reasons": list(a.reasons),
        "acknowledged_by": a.acknowledged_by,
        "acknowledged_at": a.acknowledged_at,
    }


@click.group("alerts", invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="Acknowledged alerts too.")
@click.option("--run", "run_id", default=None, help="Only the alerts of this run.")
@click.option("--limit", default=500, show_default=True, type=click.IntRange(min=1))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_context
def alerts(ctx: click.Context, show_all: bool, run_id: str | None, limit: int, fmt: str) -> None:
    """Open alerts, newest first: new shipments touching a saved case or a bad watchlist
    entry, and networks scoring above the threshold with new shipments."""
    if ctx.invoked_subcommand is not None:
        return
    context = ctx.find_object(Context)
    assert context is not None
    found = context.store.alerts(open_only=not show_all, run_id=run_id, limit=limit)
    render((_alert_row(a) for a in found), _ALERT_COLUMNS, fmt,
           title="Alerts" if show_all else "Open alerts")  # fmt: skip


@alerts.command("ack")
@click.argument("alert_ids", nargs=-1, required=True)
@click.option("--user", default=os_user, show_default="$USER", help="Who acknowledges.")
@pass_ctx
def ack(context: Context, alert_ids: Sequence[str], user: str) -> None:
    """Acknowledge alerts (recorded in the audit log)."""
    for alert_id in alert_ids:
        alert = context.store.acknowledge_alert(alert_id, user)
        audit_cli(context.store, "ack_alert", alert_id, f"{alert.kind} {alert.subject} (as {user})")
        click.echo(f"acknowledged {alert_id} ({alert.kind} {alert.subject}) by "
                   f"{alert.acknowledged_by} at {alert.acknowledged_at}")  # fmt: skip


@alerts.command("post")
@click.option("--url", required=True, envvar="GRAPHINTEL_ALERT_WEBHOOK", help="Webhook URL.")
@click.option("--run", "run_id", default=None, help="Only the alerts of this run.")
@pass_ctx
def post(context: Context, url: str, run_id: str | None) -> None:
    """POST the open alerts to a webhook as JSON."""
    try:
        check_url(url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--url") from None
    found = context.store.alerts(open_only=True, run_id=run_id)
    problem = post_alerts(url, found)
    if problem:
        raise GraphIntelError(f"{problem}; the alerts stay in the store")
    click.echo(f"posted {len(found)} open alert(s)", err=True)


@click.group("case")
def case_group() -> None:
    """Saved cases against the latest analysis: what is new, and a refresh."""


def _case_or_fail(context: Context, case_id: str) -> Any:
    case = context.store.case(case_id)
    if case is None:
        raise NotFoundError(f"no case {case_id!r} in {context.store_url}")
    return case


@case_group.command("follow")
@click.argument("case_id")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_ctx
def follow(context: Context, case_id: str, fmt: str) -> None:
    """What is new in CASE_ID's network since the case was saved, by kind."""
    case = _case_or_fail(context, case_id)
    f = follow_case(context.store, case)
    rows = [{"kind": kind, "node_id": node}
            for kind, nodes in (("party", f.parties), ("identifier", f.identifiers),
                                ("shipment", f.shipments))
            for node in nodes]  # fmt: skip
    where = f.network_id or "no network"
    title = (f"{case.name}: {len(rows)} new in {where} of {f.run_id}"
             f" (saved from {f.saved_run or 'an unknown run'})")  # fmt: skip
    render(rows, ("kind", "node_id"), fmt, title=title)


@case_group.command("refresh")
@click.argument("case_id")
@pass_ctx
def refresh(context: Context, case_id: str) -> None:
    """Draw what is new into CASE_ID and move it to the latest run (audited)."""
    from dashboards.case_follow import draw_new  # the app's element styling

    store = context.store
    case = _case_or_fail(context, case_id)
    f = follow_case(store, case)

    def draw(ids: Sequence[str], elements: Sequence[Element]) -> list[Element]:
        return draw_new(store, list(elements), ids)

    payload = refreshed_payload(case.payload, f, draw, utc_now())
    store.save_case(case.case_id, case.name, payload)
    added = len(payload["followed"]["new"])
    audit_cli(store, "refresh_case", case.case_id, f"{added} new node(s) from {f.run_id}")
    rest = payload["followed"]["not_drawn"]
    click.echo(f"{case.name}: drew {added} new node(s) of {f.network_id or 'no network'}"
               f" ({rest} more not drawn); now on {f.run_id}")  # fmt: skip


COMMANDS: tuple[click.Command, ...] = (alerts, case_group)

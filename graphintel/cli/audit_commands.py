"""The audit log from the shell: ``graphintel audit`` reads it, and the shell's own exports
and judgements write to it (as the OS user running the command)."""

from __future__ import annotations

import getpass
import os
import re
from datetime import date, datetime

import click

from graphintel.cli.commands import Context, cli, pass_ctx
from graphintel.cli.output import FORMATS, render
from graphintel.store.base import AUDIT_ACTIONS, AUDIT_LIMIT, AuditStore, audit_entry

COLUMNS = ("created_at", "user", "action", "target", "detail")
# Terminal control characters (ANSI escapes, carriage returns) in logged text would rewrite
# the table on screen; the table shows them as visible escapes instead.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def os_user() -> str:
    """Who runs this command, for the audit log."""
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def audit_cli(store: AuditStore, action: str, target: str, detail: str = "") -> None:
    """Append one entry for a command run from the shell."""
    store.add_audit([audit_entry(os_user(), action, target, detail)])


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _since(value: str | None) -> str | None:
    """An ISO date or date-time, checked, in the form the store compares against."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not YYYY-MM-DD or an ISO date-time") from None


@cli.command("audit")
@click.option("--user", default=None, help="Only this user's entries.")
@click.option("--since", default=None, help="Only entries from this UTC date (YYYY-MM-DD) on.")
@click.option("--action", type=click.Choice(AUDIT_ACTIONS), default=None, help="Only this action.")
@click.option(
    "--limit",
    default=AUDIT_LIMIT,
    show_default=True,
    type=click.IntRange(min=1),
    help="The newest N matching entries.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_ctx
def audit_command(
    context: Context,
    user: str | None,
    since: str | None,
    action: str | None,
    limit: int,
    fmt: str,
) -> None:
    """Who searched, viewed, judged and exported what, and when (UTC), oldest first."""
    entries = context.store.audit_log(user=user, action=action, since=_since(since), limit=limit)
    rows = [
        {
            "created_at": e.created_at,
            "user": e.user,
            "action": e.action,
            "target": e.target,
            "detail": e.detail,
        }
        for e in entries
    ]
    if fmt == "table":
        rows = [{k: _visible(v) for k, v in row.items()} for row in rows]
    render(rows, COLUMNS, fmt, title="Audit log")

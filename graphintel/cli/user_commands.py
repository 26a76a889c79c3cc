"""Managing the app's users file: ``graphintel user add|remove|list``."""

from __future__ import annotations

from pathlib import Path

import click

from graphintel.cli.output import FORMATS, render
from graphintel.users import ROLES, read_users, remove_user, set_user, users_file

_file_opt = click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Users file (default: $GRAPHINTEL_USERS_FILE or ~/.config/graphintel/users.toml).",
)


@click.group("user")
def user_group() -> None:
    """App users and their roles (viewer, analyst, admin) for GRAPHINTEL_AUTH."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option(
    "--no-password",
    is_flag=True,
    help="A user who signs in only through the reverse proxy (GRAPHINTEL_AUTH=proxy).",
)
@_file_opt
def add_user(name: str, role: str, no_password: bool, path: Path | None) -> None:
    """Add NAME, or change their role and password; the password is asked for, not echoed."""
    target = users_file(path)
    password = None
    if not no_password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    entry = set_user(target, name, role, password)
    how = "with a password" if entry.password_hash else "proxy sign-in only"
    click.echo(f"{entry.name}: {entry.role}, {how}, in {target}", err=True)


@user_group.command("remove")
@click.argument("name")
@_file_opt
def remove_user_command(name: str, path: Path | None) -> None:
    """Remove NAME; their open sessions end at their next request."""
    target = users_file(path)
    if not remove_user(target, name):
        raise click.ClickException(f"no user {name!r} in {target}")
    click.echo(f"removed {name} from {target}", err=True)


@user_group.command("list")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@_file_opt
def list_users(fmt: str, path: Path | None) -> None:
    """Every user with their role (never their password hash)."""
    rows = [
        {"user": u.name, "role": u.role, "password": "yes" if u.password_hash else "no"}
        for u in read_users(users_file(path)).values()
    ]
    render(rows, ("user", "role", "password"), fmt, title="Users")


# Registered on the main group by graphintel.cli.commands.
COMMANDS: tuple[click.Command, ...] = (user_group,)

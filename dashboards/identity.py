"""Who is making the current request. A module of its own so that both the access control
(auth) and the audit log (audit) can ask without importing each other."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

import flask

from graphintel.users import ROLES


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str


def local_user() -> User:
    """The one user of an app without ``GRAPHINTEL_AUTH``: whoever runs it, with every role."""
    try:
        name = os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        name = "local"
    return User(name, ROLES[-1])


def current_user() -> User:
    """The user of the current request (the local user outside a request or without auth)."""
    if not flask.has_request_context():
        return local_user()
    user = flask.g.get("graphintel_user")
    return user if isinstance(user, User) else local_user()

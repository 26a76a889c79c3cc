"""Who may use the app and what they may do: sign-in, sessions and roles.

Switched on by ``GRAPHINTEL_AUTH``:

* ``users``: sign in with a name and password from the users file (``graphintel user add``;
  ``GRAPHINTEL_USERS_FILE``, default ``~/.config/graphintel/users.toml``).
* ``proxy``: single sign-on through a reverse proxy that authenticates the user and passes
  the name in a header (``GRAPHINTEL_PROXY_HEADER``, default ``X-Forwarded-User``). The
  header is honoured only from the addresses in ``GRAPHINTEL_PROXY_TRUSTED`` (required);
  roles come from the users file when it exists (users not in it are refused), otherwise
  everyone gets ``GRAPHINTEL_PROXY_ROLE`` (default ``viewer``).

Without it the app serves one local user with every role, on loopback only (see
``dashboards.app.serve``). Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax,
Secure when ``GRAPHINTEL_COOKIE_SECURE=1``), keyed by ``GRAPHINTEL_SECRET_KEY`` or a key
generated once into a 0600 file (``GRAPHINTEL_SECRET_FILE``). Every request passes the
guard; callbacks that export or judge call ``require_role`` themselves, so hiding a button
is never the only barrier.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import re
import secrets
import stat
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import flask
from markupsafe import escape
from werkzeug.exceptions import Forbidden

from dashboards import audit
from dashboards.identity import User as User  # re-exported: callers use auth.User
from dashboards.identity import current_user as current_user
from dashboards.identity import local_user as local_user
from graphintel.errors import GraphIntelError
from graphintel.users import (
    UserEntry,
    check_login,
    read_users,
    role_rank,
    users_file,
)

log = logging.getLogger(__name__)

AUTH_KEY = "GRAPHINTEL_AUTH_CONFIG"
LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
DEFAULT_PROXY_HEADER = "X-Forwarded-User"
DEFAULT_SECRET_FILE = Path("~/.config/graphintel/secret_key")
SESSION_HOURS = 8
MODES = ("users", "proxy")


class AuthConfigError(GraphIntelError):
    """``GRAPHINTEL_AUTH`` and its companions do not describe a usable setup."""


@dataclass(frozen=True)
class AuthConfig:
    mode: str  # "users" | "proxy"
    users_file: Path
    secret_key: bytes
    proxy_header: str = DEFAULT_PROXY_HEADER
    proxy_trusted: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    proxy_role: str = "viewer"
    cookie_secure: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AuthConfig | None:
        """The configuration ``GRAPHINTEL_AUTH`` asks for, or None when it is not set."""
        env = os.environ if env is None else env
        mode = env.get("GRAPHINTEL_AUTH", "").strip().lower()
        if not mode:
            return None
        if mode not in MODES:
            raise AuthConfigError(f"GRAPHINTEL_AUTH must be one of {MODES}, not {mode!r}")
        path = users_file(env.get("GRAPHINTEL_USERS_FILE") or None)
        trusted = tuple(
            _network(part) for part in env.get("GRAPHINTEL_PROXY_TRUSTED", "").split(",") if part
        )
        if mode == "proxy" and not trusted:
            raise AuthConfigError(
                "GRAPHINTEL_AUTH=proxy needs GRAPHINTEL_PROXY_TRUSTED: the reverse proxy's "
                "addresses (e.g. 127.0.0.1 or 10.0.0.5/32), the only ones whose user header "
                "is believed"
            )
        if mode == "users" and not read_users(path):
            raise AuthConfigError(f"no users in {path}: add one with `graphintel user add`")
        role = env.get("GRAPHINTEL_PROXY_ROLE", "viewer")
        role_rank(role)
        return cls(
            mode=mode,
            users_file=path,
            secret_key=secret_key(env),
            proxy_header=env.get("GRAPHINTEL_PROXY_HEADER") or DEFAULT_PROXY_HEADER,
            proxy_trusted=trusted,
            proxy_role=role,
            cookie_secure=env.get("GRAPHINTEL_COOKIE_SECURE", "") in ("1", "true", "yes"),
        )


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError as exc:
        raise AuthConfigError(f"GRAPHINTEL_PROXY_TRUSTED: {exc}") from exc


def secret_key(env: Mapping[str, str]) -> bytes:
    """The session signing key: ``GRAPHINTEL_SECRET_KEY``, else the key file (created with
    a fresh random key, mode 0600, when missing; refused when others can read it)."""
    if env.get("GRAPHINTEL_SECRET_KEY"):
        return env["GRAPHINTEL_SECRET_KEY"].encode("utf-8")
    path = Path(env.get("GRAPHINTEL_SECRET_FILE") or DEFAULT_SECRET_FILE).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise AuthConfigError(
                f"{path} is readable by others (mode {mode:o}): chmod 600 it"
            ) from None
        key = path.read_bytes().strip()
        if len(key) < 32:
            raise AuthConfigError(f"{path} holds no usable key (under 32 bytes)") from None
        return key
    with os.fdopen(fd, "wb") as handle:
        key = secrets.token_hex(32).encode("ascii")
        handle.write(key)
    log.info("generated a session key in %s", path)
    return key


@dataclass
class LoginThrottle:
    """Refuses sign-in for a while after repeated failures, per user name and per address."""

    per_name: int = 5
    per_address: int = 20
    window_s: float = 300.0
    max_keys: int = 10_000
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def blocked(self, name: str, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return (
                len(self._recent(f"n:{name.lower()}", now)) >= self.per_name
                or len(self._recent(f"a:{address}", now)) >= self.per_address
            )

    def failed(self, name: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > self.max_keys:  # a spray of names must not grow memory
                for key in [k for k in self._failures if not self._recent(k, now)]:
                    del self._failures[key]
            self._recent(f"n:{name.lower()}", now).append(now)
            self._recent(f"a:{address}", now).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(f"n:{name.lower()}", None)


class _Users:
    """The users file, re-read when it changes, so a removed user is out at the next click."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._users: dict[str, UserEntry] = {}
        self._lock = threading.Lock()

    def get(self) -> dict[str, UserEntry]:
        try:
            st = self.path.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        with self._lock:
            if stamp != self._stamp:
                self._users = read_users(self.path) if stamp else {}
                self._stamp = stamp
            return self._users


def _fingerprint(entry: UserEntry) -> str:
    """Changes when the user's password or role changes, ending their old sessions."""
    return hashlib.sha256(f"{entry.role}\0{entry.password_hash}".encode()).hexdigest()[:16]


# -- what callbacks use -------------------------------------------------------------------------
def has_role(role: str) -> bool:
    """Whether the current user holds ``role`` or a higher one (for showing controls)."""
    return role_rank(current_user().role) >= role_rank(role)


def require_role(role: str) -> User:
    """The current user if they hold ``role`` or higher; else a 403 (``werkzeug``'s
    ``Forbidden``, which Flask answers as HTTP 403 even from inside a Dash callback)."""
    user = current_user()
    if role_rank(user.role) < role_rank(role):
        log.warning("refused %s (%s) an action that needs %s", user.name, user.role, role)
        raise Forbidden(f"this needs the {role} role")
    return user


# -- wiring ---------------------------------------------------------------------------------------
def install(server: flask.Flask, config: AuthConfig | None) -> None:
    """Put the guard, the sign-in and sign-out routes and the cookie settings on ``server``."""
    server.config[AUTH_KEY] = config
    if config is None:
        log.warning("GRAPHINTEL_AUTH is not set: no sign-in, every visitor has every role")
        return
    server.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_NAME="graphintel_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
    )
    users = _Users(config.users_file)
    throttle = LoginThrottle()
    log.info("sign-in required (%s mode)", config.mode)

    @server.before_request
    def _guard() -> Any:
        if config.mode == "proxy":
            return _proxy_guard(config, users)
        user = _session_user(users)
        if user is not None:
            flask.g.graphintel_user = user
        elif flask.request.path not in (LOGIN_PATH, LOGOUT_PATH):
            return _unauthenticated()
        return None

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if config.cookie_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    if config.mode == "users":
        server.add_url_rule(
            LOGIN_PATH, "graphintel_login", lambda: _login(users, throttle), methods=["GET", "POST"]
        )
    server.add_url_rule(LOGOUT_PATH, "graphintel_logout", _logout, methods=["GET", "POST"])


def auth_enabled() -> bool:
    return flask.has_request_context() and flask.current_app.config.get(AUTH_KEY) is not None


def _session_user(users: _Users) -> User | None:
    name = flask.session.get("user")
    entry = users.get().get(name) if isinstance(name, str) else None
    if entry is None or flask.session.get("v") != _fingerprint(entry):
        return None
    return User(entry.name, entry.role)


def _proxy_guard(config: AuthConfig, users: _Users) -> Any:
    remote = flask.request.remote_addr or ""
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        address = None
    if address is None or not any(address in net for net in config.proxy_trusted):
        log.warning("refused a request from %s: not a trusted proxy", remote)
        flask.abort(403)
    name = (flask.request.headers.get(config.proxy_header) or "").strip()
    if not name:
        flask.abort(401)
    listed = users.get()
    if listed:
        entry = listed.get(name)
        if entry is None:
            log.warning("refused proxy user %r: not in %s", name, config.users_file)
            flask.abort(403)
        flask.g.graphintel_user = User(entry.name, entry.role)
    else:
        flask.g.graphintel_user = User(name, config.proxy_role)
    return None


def _unauthenticated() -> Any:
    request = flask.request
    if request.method == "GET" and "text/html" in request.headers.get("Accept", ""):
        target = request.full_path.rstrip("?") if request.query_string else request.path
        return flask.redirect(f"{LOGIN_PATH}?next={quote(target, safe='/')}")
    return flask.Response("sign in first", status=401, mimetype="text/plain")


_LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9/_.~%?=&+:@!$'()*,;-]*")


def _safe_next(target: str | None) -> str:
    """Only a plain path on this site: no ``//host``, scheme, backslash, whitespace or control
    character (browsers drop tabs and newlines, turning ``/\t/evil`` into ``//evil``)."""
    if not target or not _LOCAL_PATH.fullmatch(target):
        return "/"
    return target


def _login(users: _Users, throttle: LoginThrottle) -> Any:
    request = flask.request
    next_path = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return _login_page(next_path, "")
    name = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or ""
    if not secrets.compare_digest(request.form.get("csrf", ""), str(flask.session.get("csrf", ""))):
        return _login_page(next_path, "The form expired; please sign in again.", 400)
    if throttle.blocked(name, address):
        audit.record("login_failed", name, "throttled", user=name or "?")
        return _login_page(next_path, "Too many failed attempts; try again later.", 429)
    entry = check_login(users.get(), name, password)
    if entry is None:
        throttle.failed(name, address)
        audit.record("login_failed", name, address, user=name or "?")
        return _login_page(next_path, "Wrong user name or password.", 401)
    throttle.succeeded(name)
    flask.session.clear()
    flask.session.permanent = True
    flask.session["user"] = entry.name
    flask.session["v"] = _fingerprint(entry)
    audit.record("login", entry.name, address, user=entry.name)
    return flask.redirect(next_path)


def _logout() -> Any:
    user = flask.g.get("graphintel_user")
    if isinstance(user, User):
        audit.record("logout", user.name, "", user=user.name)
    flask.session.clear()
    return flask.redirect(LOGIN_PATH)


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · GraphIntel</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f4f6f8; display: flex;
       justify-content: center; padding-top: 12vh; }}
form {{ background: #fff; padding: 2rem 2.5rem; border-radius: 8px;
       box-shadow: 0 1px 4px rgba(0,0,0,.15); min-width: 18rem; }}
label {{ display: block; margin-top: 1rem; }}
input {{ width: 100%; padding: .4rem; box-sizing: border-box; }}
button {{ margin-top: 1.5rem; padding: .5rem 1.2rem; }}
.error {{ color: #b00020; }}
</style></head>
<body><form method="post" action="{action}">
<h1>GraphIntel</h1>
<p class="error" id="gi-login-error">{error}</p>
<label>User name <input name="username" id="gi-login-user" autocomplete="username"
 required autofocus></label>
<label>Password <input name="password" id="gi-login-password" type="password"
 autocomplete="current-password" required></label>
<input type="hidden" name="csrf" value="{csrf}">
<button type="submit" id="gi-login-submit">Sign in</button>
</form></body></html>
"""


def _login_page(next_path: str, error: str, status: int = 200) -> flask.Response:
    token = flask.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        flask.session["csrf"] = token
    html = _PAGE.format(
        action=escape(f"{LOGIN_PATH}?next={quote(next_path, safe='/')}"),
        error=escape(error),
        csrf=escape(token),
    )
    response = flask.Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response

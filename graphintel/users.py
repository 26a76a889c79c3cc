"""The app's users file: names, roles and salted password hashes, in TOML.

    [users.ana]
    role = "analyst"
    password = "scrypt$32768$8$1$<salt>$<hash>"

Passwords are hashed with scrypt (``hashlib.scrypt``, memory-hard) under a fresh random salt
per user and checked in constant time; the file is written 0600 and replaced atomically, so
a reader never sees half a file. ``graphintel user add`` writes it; ``dashboards.auth`` reads
it. Names and roles are checked against fixed patterns, so the file never carries anything
but these three plain values per user.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from graphintel.errors import GraphIntelError

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")  # each role may do what the ones before may
USER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
MIN_PASSWORD = 8
DEFAULT_USERS_FILE = Path("~/.config/graphintel/users.toml")

# scrypt cost: 2**15 x 8 x 1 takes ~32 MiB and ~50 ms, OWASP's recommended minimum.
_N, _R, _P = 2**15, 8, 1
_MAXMEM = 64 * 1024 * 1024
_SCHEME = "scrypt"


class UsersFileError(GraphIntelError):
    """The users file is unreadable, malformed, or names an unknown role."""


@dataclass(frozen=True, slots=True)
class UserEntry:
    name: str
    role: str
    password_hash: str  # empty for a user who signs in only through the reverse proxy


def role_rank(role: str) -> int:
    """Position of ``role`` in ``ROLES`` (higher may do more)."""
    if role not in ROLES:
        raise UsersFileError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    return ROLES.index(role)


def check_name(name: str) -> str:
    if not USER_NAME.fullmatch(name):
        raise UsersFileError(
            f"user name {name!r} must be 1-64 letters, digits, '.', '_', '@' or '-'"
        )
    return name


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """A self-describing salted scrypt hash of ``password``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, maxmem=_MAXMEM, dklen=32
    )
    return f"{_SCHEME}${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (compared in constant time); False for a
    malformed or empty hash, never an exception."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt, validate=True),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=_MAXMEM,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# Checked against when the user name is unknown, so a wrong name costs as long as a wrong
# password and response times do not reveal which names exist.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def check_login(users: dict[str, UserEntry], name: str, password: str) -> UserEntry | None:
    """The user when ``name`` and ``password`` match an entry with a password, else None."""
    entry = users.get(name)
    stored = entry.password_hash if entry is not None and entry.password_hash else _DUMMY_HASH
    ok = verify_password(password, stored)
    return entry if ok and entry is not None and entry.password_hash else None


def read_users(path: Path) -> dict[str, UserEntry]:
    """Every user in the file, by name; a missing file has no users."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UsersFileError(f"cannot read users file {path}: {exc}") from exc
    return parse_users(text, str(path))


def parse_users(text: str, source: str = "users file") -> dict[str, UserEntry]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsersFileError(f"cannot read {source}: {exc}") from exc
    table = data.get("users", {})
    if not isinstance(table, dict):
        raise UsersFileError(f"{source}: [users] must be a table")
    users: dict[str, UserEntry] = {}
    for name, values in table.items():
        if not isinstance(values, dict):
            raise UsersFileError(f"{source}: users.{name} must be a table")
        role = str(values.get("role", ""))
        role_rank(role)
        users[check_name(str(name))] = UserEntry(name, role, str(values.get("password", "")))
    return users


def _render(users: dict[str, UserEntry]) -> str:
    lines = ["# GraphIntel users: written by `graphintel user add`; keep this file private.", ""]
    for entry in sorted(users.values(), key=lambda u: u.name):
        # names, roles and hashes are checked to plain ASCII without quotes or backslashes
        lines += [f'[users."{entry.name}"]', f'role = "{entry.role}"']
        if entry.password_hash:
            lines.append(f'password = "{entry.password_hash}"')
        lines.append("")
    return "\n".join(lines)


def write_users(path: Path, users: dict[str, UserEntry]) -> None:
    """Replace the users file atomically with ``users``, readable by its owner only."""
    for entry in users.values():
        check_name(entry.name)
        role_rank(entry.role)
        if entry.password_hash and not re.fullmatch(r"[A-Za-z0-9+/=$]+", entry.password_hash):
            raise UsersFileError(f"malformed password hash for {entry.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _render(users)
    if {u.name: u for u in users.values()} != parse_users(text):
        raise UsersFileError("users file would not read back as written")
    fd, tmp = tempfile.mkstemp(prefix=".users-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def set_user(path: Path, name: str, role: str, password: str | None) -> UserEntry:
    """Add or update one user; ``password=None`` keeps an existing password (or none, for a
    reverse-proxy user)."""
    check_name(name)
    role_rank(role)
    users = read_users(path)
    if password is not None and len(password) < MIN_PASSWORD:
        raise UsersFileError(f"password must have at least {MIN_PASSWORD} characters")
    old = users.get(name)
    stored = hash_password(password) if password is not None else (old.password_hash if old else "")
    users[name] = UserEntry(name, role, stored)
    write_users(path, users)
    return users[name]


def remove_user(path: Path, name: str) -> bool:
    """True if the user was in the file."""
    users = read_users(path)
    if users.pop(name, None) is None:
        return False
    write_users(path, users)
    return True


def users_file(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The users file: ``explicit``, else ``$GRAPHINTEL_USERS_FILE``, else the default."""
    chosen = explicit or os.environ.get("GRAPHINTEL_USERS_FILE") or DEFAULT_USERS_FILE
    return Path(chosen).expanduser()

"""The users file: salted scrypt hashes checked in constant time, names and roles checked,
written privately and atomically."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from graphintel.users import (
    UserEntry,
    UsersFileError,
    check_login,
    hash_password,
    read_users,
    remove_user,
    set_user,
    verify_password,
)


def test_hashes_are_salted_and_verify_only_the_right_password() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and "correct horse" not in first  # a fresh salt each time
    assert verify_password("correct horse", first) and verify_password("correct horse", second)
    assert not verify_password("correct horsE", first)
    for broken in ("", "scrypt$1$2", "md5$x$y$z$a$b", first.replace("$", "$x", 1)):
        assert not verify_password("correct horse", broken)


def test_users_file_round_trip_private_and_password_free(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "users.toml"
    set_user(path, "ana.lopez@cbp", "analyst", "s3cret-pass")
    set_user(path, "vic", "viewer", None)  # proxy sign-in only
    users = read_users(path)
    assert users["ana.lopez@cbp"].role == "analyst"
    assert users["vic"] == UserEntry("vic", "viewer", "")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "s3cret-pass" not in path.read_text()
    set_user(path, "ana.lopez@cbp", "admin", None)  # role change keeps the password
    assert check_login(read_users(path), "ana.lopez@cbp", "s3cret-pass") is not None
    assert remove_user(path, "vic") and not remove_user(path, "vic")
    assert set(read_users(path)) == {"ana.lopez@cbp"}


def test_check_login_refuses_wrong_unknown_and_password_less(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    set_user(path, "ana", "analyst", "s3cret-pass")
    set_user(path, "sso", "viewer", None)
    users = read_users(path)
    assert check_login(users, "ana", "s3cret-pass") == users["ana"]
    assert check_login(users, "ana", "wrong-pass") is None
    assert check_login(users, "nobody", "s3cret-pass") is None
    assert check_login(users, "sso", "") is None


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ('ana"\n[users.x]', "admin", "long-enough", "user name"),
        ("", "viewer", "long-enough", "user name"),
        ("ana", "root", "long-enough", "unknown role"),
        ("ana", "viewer", "short", "at least 8"),
    ],
)
def test_bad_names_roles_and_passwords_are_refused(
    tmp_path: Path, name: str, role: str, password: str, message: str
) -> None:
    path = tmp_path / "users.toml"
    with pytest.raises(UsersFileError, match=message):
        set_user(path, name, role, password)
    assert not path.exists()


def test_malformed_users_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    path.write_text('[users.ana]\nrole = "god"\n')
    with pytest.raises(UsersFileError, match="unknown role"):
        read_users(path)
    path.write_text("[users\n")
    with pytest.raises(UsersFileError, match="cannot read"):
        read_users(path)
    assert read_users(tmp_path / "missing.toml") == {}

"""``graphintel audit``, ``graphintel user`` and the audit rows the shell's own judge and
export commands leave."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from graphintel.cli.commands import cli
from graphintel.records import AuditEntry
from graphintel.store import GraphStore
from graphintel.users import read_users
from tests.builders import build_app_sample

HOSTILE = '=HYPERLINK("http://x")\x1b[31m<script>'


def _run(store: GraphStore, *args: str, user: str = "officer1", stdin: str = "") -> Result:
    return CliRunner().invoke(
        cli, ["--store", store.url, "--quiet", *args], env={"USER": user}, input=stdin
    )


def _seed(store: GraphStore) -> None:
    store.add_audit(
        [
            AuditEntry("ana", "search", HOSTILE, "", "2026-01-01T10:00:00+00:00"),
            AuditEntry("bo", "view", "run-1/net-0001", "network", "2026-01-02T10:00:00+00:00"),
            AuditEntry("ana", "export", "run-1/net-0001", "anx", "2026-01-03T10:00:00+00:00"),
        ]
    )


def test_audit_filters_and_formats(store: GraphStore) -> None:
    _seed(store)
    as_json = _run(store, "audit", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.output)
    assert [r["action"] for r in rows] == ["search", "view", "export"]
    assert rows[0]["target"] == HOSTILE  # JSON keeps the text exactly
    filtered = json.loads(
        _run(store, "audit", "--user", "ana", "--since", "2026-01-02", "--format", "json").output
    )
    assert [(r["user"], r["action"]) for r in filtered] == [("ana", "export")]
    only_views = json.loads(_run(store, "audit", "--action", "view", "--format", "json").output)
    assert [r["user"] for r in only_views] == ["bo"]
    as_csv = _run(store, "audit", "--format", "csv").output.splitlines()
    assert as_csv[0] == "created_at,user,action,target,detail"
    assert as_csv[1].split(",", 3)[3].startswith("\"'=HYPERLINK")  # formula neutralised
    table = _run(store, "audit", "--action", "search").output
    assert "\x1b" not in table and "\\x1b[31m" in table and "<script>" in table


def test_audit_refuses_a_bad_date(store: GraphStore) -> None:
    result = _run(store, "audit", "--since", "yesterday")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_shell_judge_and_export_are_audited_as_the_os_user(store: GraphStore) -> None:
    judged = _run(store, "judge", "different", "S1#consignee", "S2#consignee", "--user", "ana")
    assert judged.exit_code == 0, judged.output
    [entry] = store.audit_log(action="judge")
    assert (entry.user, entry.target, entry.detail) == (
        "officer1",
        "S1#consignee S2#consignee",
        "different (as ana)",
    )


def test_user_add_prompts_without_echo_and_lists_roles(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "users.toml"
    secret = "horse-battery-9"
    added = _run(
        store, "user", "add", "ana", "--role", "analyst", "--file", str(path),
        stdin=f"{secret}\n{secret}\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert secret not in added.output and read_users(path)["ana"].role == "analyst"
    mismatch = _run(
        store, "user", "add", "bo", "--role", "viewer", "--file", str(path),
        stdin="first-pass-1\nother-pass-2\nfirst-pass-1\nfirst-pass-1\n",
    )  # fmt: skip
    assert mismatch.exit_code == 0 and "do not match" in mismatch.output
    listed = json.loads(_run(store, "user", "list", "--file", str(path), "--format", "json").output)
    assert listed == [
        {"user": "ana", "role": "analyst", "password": "yes"},
        {"user": "bo", "role": "viewer", "password": "yes"},
    ]
    bad = _run(store, "user", "add", "x y", "--role", "viewer", "--file", str(path), stdin="a\na\n")
    assert bad.exit_code == 1 and "error: user name" in bad.output
    assert _run(store, "user", "remove", "bo", "--file", str(path)).exit_code == 0
    assert set(read_users(path)) == {"ana"}


def test_shell_export_is_audited(store: GraphStore, tmp_path: Path) -> None:
    sample = build_app_sample(store)
    out = tmp_path / "ring.graphml"
    done = _run(store, "export", "--network", sample.ring, "--format", "graphml", "-o", str(out))
    assert done.exit_code == 0, done.output
    [entry] = store.audit_log(action="export")
    assert entry.user == "officer1" and entry.target == f"{sample.run_id}/{sample.ring}"
    assert entry.detail == f"graphml {out}"

"""``graphintel judge withdraw``: a withdrawn judgement stays on record and stops applying."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from graphintel.cli.commands import cli
from graphintel.resolve import resolve_store
from graphintel.store import GraphStore, SqliteStore
from tests.resolve.helpers import entity_of, load, ship


def _run(store_url: str, *args: str, user: str = "tester") -> Result:
    return CliRunner().invoke(cli, ["--store", store_url, "--quiet", *args], env={"USER": user})


def test_withdrawn_same_is_no_longer_applied_and_stays_listed(store: GraphStore) -> None:
    load(store, [ship("S1", consignee_name="Maria Gonzalez"), ship("S2", consignee_name="Li Wei")])
    resolve_store(store)
    assert _run(store.url, "judge", "same", "S1#consignee", "S2#consignee").exit_code == 0
    assert _run(store.url, "resolve").exit_code == 0
    assert entity_of(store)["S1#consignee"] == entity_of(store)["S2#consignee"]

    result = _run(store.url, "judge", "withdraw", "S2#consignee", "S1#consignee", user="ana")
    assert result.exit_code == 0, result.output
    assert "withdrawn: S1#consignee same S2#consignee (by tester" in result.output
    assert _run(store.url, "resolve").exit_code == 0
    assert entity_of(store)["S1#consignee"] != entity_of(store)["S2#consignee"]
    assert "withdraw (as ana)" in [e.detail for e in store.audit_log(action="judge")]

    listing = json.loads(_run(store.url, "judgements", "--format", "json").output)
    [row] = listing
    assert (row["verdict"], row["user"], row["state"], row["withdrawn_by"]) == (
        "same", "tester", "withdrawn", "ana"
    )  # fmt: skip
    assert row["withdrawn_at"] >= row["created_at"]
    assert json.loads(_run(store.url, "judgements", "--in-force", "--format", "json").output) == []
    assert "withdrawn" in _run(store.url, "judgements").output

    again = _run(store.url, "judge", "withdraw", "S1#consignee", "S2#consignee")
    assert again.exit_code == 1 and "no judgement in force" in again.output


def test_a_store_from_before_withdrawal_gains_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = SqliteStore(path)
    store.add_judgement("S1#consignee", "S2#consignee", "different", "ana")
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE judgements DROP COLUMN withdrawn_by")
    conn.execute("ALTER TABLE judgements DROP COLUMN withdrawn_at")
    conn.commit()
    conn.close()
    reopened = SqliteStore(path)
    [old] = reopened.judgements()
    assert not old.withdrawn and old.user == "ana"
    [gone] = reopened.withdraw_judgement("S1#consignee", "S2#consignee", "bo")
    assert gone.withdrawn_by == "bo" and reopened.judgements() == []
    reopened.close()

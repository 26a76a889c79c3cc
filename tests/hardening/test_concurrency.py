"""Several processes on one SQLite store (WAL): readers keep reading, writers take turns.

- The app answers page requests while ``graphintel load`` and ``graphintel analyze`` write
  to its store in other processes.
- Two loads at once serialize on SQLite's write lock (busy timeout): both files load, each
  once; the same file loaded twice at once loads once and is "already-loaded" once.
- A writer that cannot get the lock in time fails with one line naming the lock and writes
  nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from dashboards.app import create_app
from dashboards.data import network_href
from graphintel.analytics import analyze_store
from graphintel.resolve import resolve_store
from graphintel.store import SqliteStore
from graphintel.synth import generate
from loaders import load_file
from tests.hardening import storedump
from tests.page_request import page_request

GRAPHINTEL = str(Path(sys.executable).with_name("graphintel"))

pytestmark = pytest.mark.filterwarnings("ignore:\\s*The dash_table.DataTable:DeprecationWarning")


def _start(store: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [GRAPHINTEL, "--quiet", "--store", str(store), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    """Exit status and everything the command printed (report on stdout, errors on stderr)."""
    out, err = proc.communicate(timeout=600)
    return proc.returncode, out + err


@pytest.fixture(scope="module")
def manifests(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two synthetic manifests with disjoint shipment ids."""
    out = []
    for seed in (21, 22):
        folder = tmp_path_factory.mktemp(f"synth{seed}")
        generate(folder, shipments=2000, seed=seed)
        path = folder / "manifest.csv"
        text = path.read_text(encoding="utf-8")
        named = folder / f"manifest{seed}.csv"
        # disjoint ids: the generator numbers shipments the same way for every seed
        lines = text.splitlines(keepends=True)
        named.write_text(
            lines[0] + "".join(f"S{seed}-{line}" for line in lines[1:]), encoding="utf-8"
        )
        out.append(named)
    return out


def _page(client: Any, pathname: str) -> dict[str, Any]:
    """The server-side render of a page, as the browser's first callback asks for it."""
    body = page_request(pathname)
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data[:500]
    payload: dict[str, Any] = json.loads(response.data)["response"]
    return payload


def test_app_keeps_serving_while_a_load_and_an_analysis_write(
    tmp_path: Path, manifests: list[Path]
) -> None:
    path = tmp_path / "s.db"
    store = SqliteStore(path)
    load_file(store, manifests[0])
    resolve_store(store)
    run_id = analyze_store(store).run_id
    top = store.networks(run_id, limit=1, with_members=False)[0].network_id
    client = create_app(store).server.test_client()
    client.get("/")

    writers = [_start(path, "load", str(manifests[1])), _start(path, "analyze")]
    served = 0
    while any(w.poll() is None for w in writers) or served < 3:
        networks_page = _page(client, "/")
        assert top in json.dumps(networks_page)
        network_page = _page(client, network_href(run_id, top))
        assert network_page["_pages_store"]["data"]["title"].startswith(top)
        served += 1
    results = [_finish(w) for w in writers]
    assert all(code == 0 for code, _ in results), results
    assert served >= 3

    assert storedump.integrity(path) == "ok"
    assert [status for _, status, _ in storedump.runs(path)] == ["succeeded", "succeeded"]
    statuses = sorted(r[1] for r in storedump.loads(path))
    assert statuses == ["loaded", "loaded"]
    store.close()


def test_two_loads_at_once_take_turns(tmp_path: Path, manifests: list[Path]) -> None:
    path = tmp_path / "s.db"
    SqliteStore(path).close()
    procs = [_start(path, "load", str(m)) for m in manifests]
    results = [_finish(p) for p in procs]
    assert all(code == 0 for code, _ in results), results

    store = SqliteStore(path)
    reports = store.loads()
    assert sorted(r.status for r in reports) == ["loaded", "loaded"]
    assert all(r.reconciles for r in reports)
    assert store.shipment_count() == sum(r.rows_loaded for r in reports) == 4000
    store.close()
    assert storedump.integrity(path) == "ok"


def test_same_file_twice_at_once_loads_once(tmp_path: Path, manifests: list[Path]) -> None:
    path = tmp_path / "s.db"
    SqliteStore(path).close()
    procs = [_start(path, "load", str(manifests[0])) for _ in range(2)]
    results = [_finish(p) for p in procs]
    assert all(code == 0 for code, _ in results), results

    assert [r[1] for r in storedump.loads(path)] == ["loaded"]
    assert len(storedump.shipments(path)) == 2000
    assert len(storedump.quarantine(path)) == storedump.loads(path)[0][4]
    assert sum("already-loaded" in output for _, output in results) == 1


@pytest.mark.parametrize("command", [("load",), ("analyze",)])
def test_writer_that_cannot_get_the_lock_fails_clearly(
    tmp_path: Path, manifests: list[Path], command: tuple[str, ...]
) -> None:
    path = tmp_path / "s.db"
    store = SqliteStore(path)
    load_file(store, manifests[0])
    resolve_store(store)
    store.close()
    before = (storedump.loads(path), storedump.runs(path), len(storedump.shipments(path)))

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock throughout
    try:
        args = (*command, str(manifests[1])) if command == ("load",) else command
        code, err = _finish(_start(path, *args, env={"GRAPHINTEL_BUSY_TIMEOUT": "0.5"}))
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err
    assert any("is locked by another writer" in line and str(path) in line for line in lines)
    assert (storedump.loads(path), storedump.runs(path), len(storedump.shipments(path))) == before


def test_close_waits_for_a_transaction_another_thread_is_in(tmp_path: Path) -> None:
    """Closing the store while the app's audit writer commits crashed the interpreter
    (found by CI); close now lets the transaction finish first."""
    store = SqliteStore(tmp_path / "closing.db")
    entered, release = threading.Event(), threading.Event()

    def write() -> None:
        with store._transaction() as conn:
            conn.execute("INSERT INTO audit_log (user_name, action, target, detail, created_at)"
                         " VALUES ('u', 'view', 'x', '', 't')")  # fmt: skip
            entered.set()
            release.wait(10)

    writer = threading.Thread(target=write)
    writer.start()
    assert entered.wait(10)
    closer = threading.Thread(target=store.close)
    closer.start()
    closer.join(0.3)
    assert closer.is_alive()  # still waiting for the writer's commit
    release.set()
    writer.join(10)
    closer.join(10)
    assert not closer.is_alive()
    reopened = SqliteStore(tmp_path / "closing.db")
    assert [e.target for e in reopened.audit_log()] == ["x"]
    reopened.close()

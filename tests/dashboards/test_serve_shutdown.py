"""``graphintel serve`` stopped with SIGTERM (docker stop, systemd) still writes the audit
entries it queued, even when another writer held the store's lock at that moment."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from graphintel.store import SqliteStore
from tests.builders import build_app_sample
from tests.page_request import page_request

SEARCH = page_request("/search", "?q=huayu%20trading")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60  # a slow box imports dash slowly; not a speed check
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"the app did not start:\n{log.read_text(errors='replace')}")


def test_sigterm_writes_queued_audit_entries(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    store = SqliteStore(db)
    build_app_sample(store)
    store.close()
    port, log = _free_port(), tmp_path / "serve.log"
    command = [sys.executable, "-c", "from graphintel.cli import main; main()"]
    command += ["--store", f"sqlite:///{db}", "serve", "--port", str(port)]
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, server, log)
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # a load holding the write lock
        request = urllib.request.Request(
            url + "/_dash-update-component",
            data=json.dumps(SEARCH).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200  # the page does not wait for the audit write
        server.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        blocker.execute("ROLLBACK")
        blocker.close()
        assert server.wait(timeout=60) == 0, log.read_text(errors="replace")
    finally:
        if server.poll() is None:
            server.kill()
    store = SqliteStore(db)
    try:
        assert [e.target for e in store.audit_log(action="search")] == ["huayu trading"]
    finally:
        store.close()

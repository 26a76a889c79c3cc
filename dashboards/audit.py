"""The app's side of the audit log: who searched, viewed, judged and exported what.

``record`` is what pages and callbacks call. Entries go to a queue and one writer thread
appends them to the store in batches, so a page never waits on the store's write lock (a
load or an analysis may hold it for minutes) and no entry is dropped: a failed write is
retried until it lands, and ``AuditWriter.close`` (on shutdown) drains the queue.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from typing import Any

import flask

from dashboards.identity import current_user
from graphintel.records import AuditEntry
from graphintel.store.base import AuditStore, audit_entry

log = logging.getLogger(__name__)

AUDIT_KEY = "GRAPHINTEL_AUDIT"
BATCH = 500
RETRY_S = 1.0
MAX_RETRY_S = 30.0
ATTEMPTS_AT_SHUTDOWN = 3  # then what is still unwritten goes to the error log
MAX_TEXT = 4000  # characters kept of a logged query, name or target


class AuditWriter:
    """Appends queued entries to ``store`` from one background thread."""

    def __init__(self, store: AuditStore) -> None:
        self.store = store
        self._queue: queue.Queue[AuditEntry | None] = queue.Queue()
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._run, name="graphintel-audit", daemon=True)
        self._thread.start()

    def put(self, entry: AuditEntry) -> None:
        self._queue.put(entry)

    def flush(self) -> None:
        """Wait until every entry put so far is in the store."""
        self._queue.join()

    def close(self, timeout: float = 120.0) -> None:
        """Write what is queued and stop the thread."""
        self._closing.set()
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        stop = False
        while not stop:
            batch: list[AuditEntry] = []
            item = self._queue.get()
            taken = 1
            if item is None:
                stop = True
            else:
                batch.append(item)
            while len(batch) < BATCH and not stop:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                taken += 1
                if more is None:
                    stop = True
                else:
                    batch.append(more)
            self._write(batch)
            for _ in range(taken):
                self._queue.task_done()

    def _write(self, batch: list[AuditEntry]) -> None:
        """Retry until the batch lands (a load may hold the write lock for minutes); only at
        shutdown does a batch that still cannot be written go to the error log."""
        delay = RETRY_S
        attempt = 0
        while batch:
            attempt += 1
            try:
                self.store.add_audit(batch)
                return
            except Exception as exc:  # locked or unreachable store: retry, never drop
                log.warning("audit log write failed (%s), attempt %d", exc, attempt)
                if self._closing.is_set() and attempt >= ATTEMPTS_AT_SHUTDOWN:
                    break
                self._closing.wait(delay)
                delay = min(delay * 2, MAX_RETRY_S)
        for e in batch:  # never silently lost: the entries go to the error log
            log.error(
                "audit entry not stored: %s",
                json.dumps([e.user, e.action, e.target, e.detail, e.created_at]),
            )


def bind(server: Any, writer: AuditWriter) -> None:
    server.config[AUDIT_KEY] = writer


def record(action: str, target: str, detail: str = "", user: str | None = None) -> None:
    """Note that the current user (or ``user``) did ``action`` to ``target``. Outside an app
    with an audit writer (a unit test rendering a page) it does nothing."""
    if not flask.has_app_context():
        return
    writer = flask.current_app.config.get(AUDIT_KEY)
    if not isinstance(writer, AuditWriter):
        return
    name = user if user is not None else current_user().name
    writer.put(audit_entry(name[:MAX_TEXT], action, target[:MAX_TEXT], detail[:MAX_TEXT]))

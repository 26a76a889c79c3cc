"""The app's audit writer: entries reach the store in order even when the store refuses
writes for a while (a load holds the lock), and are never silently dropped."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest

from dashboards import audit
from graphintel.errors import StoreError
from graphintel.records import AuditEntry
from graphintel.store.base import audit_entry


class FlakyStore:
    """Refuses the first ``failures`` writes, like a store whose write lock is taken."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.rows: list[AuditEntry] = []

    def add_audit(self, entries: Sequence[AuditEntry]) -> None:
        if self.failures:
            self.failures -= 1
            raise StoreError("database is locked")
        self.rows.extend(entries)


def test_entries_land_in_order_after_the_lock_is_released(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(audit, "RETRY_S", 0.01)
    store = FlakyStore(failures=4)
    writer = audit.AuditWriter(store)  # type: ignore[arg-type]
    entries = [audit_entry("ana", "search", f"query {i}") for i in range(50)]
    for e in entries:
        writer.put(e)
    writer.flush()
    assert store.rows == entries
    writer.close()


def test_what_cannot_be_written_at_shutdown_goes_to_the_error_log(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(audit, "RETRY_S", 0.01)
    store = FlakyStore(failures=10**6)
    writer = audit.AuditWriter(store)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="dashboards.audit"):
        writer.put(audit_entry("bo", "export", "run-1/net-0001", "anx"))
        writer.close(timeout=30)
    assert store.rows == []
    assert any("net-0001" in r.getMessage() and "anx" in r.getMessage() for r in caplog.records)

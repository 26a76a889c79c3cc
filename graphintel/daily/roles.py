"""The store roles daily operation adds to ``GraphStore``: lineage and alerts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graphintel.daily.records import Alert, LineageEntry

ALERT_LIMIT = 500


class LineageStore(Protocol):
    """How each network changed in each run (one entry per current network, plus gone ones)."""

    def save_lineage(self, run_id: str, entries: Sequence[LineageEntry]) -> None:
        """Replace the lineage recorded for ``run_id`` with ``entries``, atomically."""
        ...

    def lineage(self, run_id: str) -> list[LineageEntry]:
        """The lineage recorded for ``run_id``, in the order saved ([] when none)."""
        ...


class AlertStore(Protocol):
    """Alerts raised by analysis runs, open until a user acknowledges them."""

    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Store new alerts (ids unique), stamped now; returns them as stored."""
        ...

    def alerts(
        self, open_only: bool = True, run_id: str | None = None, limit: int = ALERT_LIMIT
    ) -> list[Alert]:
        """The newest ``limit`` alerts (only unacknowledged ones with ``open_only``; only
        ``run_id``'s when given), newest first."""
        ...

    def import_alerts(self, alerts: Sequence[Alert]) -> int:
        """Store alerts recorded by another store (``graphintel migrate``), oldest first,
        with their creation time and acknowledgement as recorded; an id already present is
        skipped, so a step redone after an interruption cannot double. Returns how many
        were new."""
        ...

    def acknowledge_alert(self, alert_id: str, user: str) -> Alert:
        """Mark the alert acknowledged by ``user`` now (the first acknowledgement stays);
        NotFoundError if there is no such alert."""
        ...

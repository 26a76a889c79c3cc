"""One typed settings object, read from ``GRAPHINTEL_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_STORE = "sqlite:///graphintel.db"


@dataclass(frozen=True)
class Settings:
    store: str = DEFAULT_STORE
    host: str = "127.0.0.1"
    port: int = 8050
    hub_limit: int = 20
    log_level: str = "INFO"
    busy_timeout: float = 30.0  # seconds a SQLite writer waits for another writer's lock
    window_days: int | None = None  # analyse only the last N days of shipments (retention)
    alert_score: float = 5.0  # a network with new shipments scoring this much alerts
    alert_webhook: str = ""  # where each analysis POSTs its new alerts ("" for nowhere)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            store=env.get("GRAPHINTEL_STORE", DEFAULT_STORE),
            host=env.get("GRAPHINTEL_HOST", "127.0.0.1"),
            port=int(env.get("GRAPHINTEL_PORT", "8050")),
            hub_limit=int(env.get("GRAPHINTEL_HUB_LIMIT", "20")),
            log_level=env.get("GRAPHINTEL_LOG_LEVEL", "INFO"),
            busy_timeout=float(env.get("GRAPHINTEL_BUSY_TIMEOUT", "30")),
            window_days=int(env["GRAPHINTEL_WINDOW_DAYS"])
            if env.get("GRAPHINTEL_WINDOW_DAYS")
            else None,
            alert_score=float(env.get("GRAPHINTEL_ALERT_SCORE", "5")),
            alert_webhook=env.get("GRAPHINTEL_ALERT_WEBHOOK", ""),
        )

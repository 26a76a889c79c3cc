"""Stores behind one contract: ``open_store(url)`` picks the backend from the URL."""

from __future__ import annotations

from pathlib import Path

from graphintel.errors import StoreError, UnknownStoreURL
from graphintel.settings import Settings
from graphintel.store.base import GraphStore, LoadWriter
from graphintel.store.sqlite import SqliteStore

__all__ = ["GraphStore", "LoadWriter", "SqliteStore", "open_store", "sqlite_path"]

_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL (``sqlite:///rel.db``, ``sqlite:////abs.db``) or plain path names."""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    if "://" in url:
        return None
    return Path(url)


def open_store(url: str) -> GraphStore:
    """Open the store a URL names; a plain path means SQLite."""
    path = sqlite_path(url)
    if path is not None:
        if not str(path):
            raise StoreError(f"store URL {url!r} names no file")
        return SqliteStore(path, busy_timeout=Settings.from_env().busy_timeout)
    if url.startswith(_NEO4J_SCHEMES):
        from graphintel.store.neo4j import Neo4jStore, credentials

        user, password = credentials()
        return Neo4jStore(url, user, password)
    raise UnknownStoreURL(f"unknown store URL {url!r}: use sqlite:///path.db or neo4j://host:7687")

"""The Neo4j store's plumbing: URL and credentials, the driver, and running declared
statements in managed (retried) transactions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from graphintel.errors import StoreError
from graphintel.store.neo4j.cypher import Statement
from graphintel.store.neo4j.schema import GRAPH_STATE_INIT, WIPE, schema_statements

_T = TypeVar("_T")
DEFAULT_WRITE_BATCH = 5_000
NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
KEY_SEP = "\x01"  # sorts below any printable character, so composite keys order like tuples
NO_LIMIT = 2**62  # "no limit" for statements that always take $limit


def parse_url(url: str) -> tuple[str, str | None]:
    """Split ``neo4j://host:7687/dbname`` into the driver URI and the database (or None)."""
    parts = urlsplit(url)
    if parts.scheme not in NEO4J_SCHEMES:
        raise StoreError(f"not a Neo4j URL: {url!r}")
    if not parts.hostname:
        raise StoreError(f"Neo4j URL {url!r} names no host")
    if parts.username or parts.password:
        raise StoreError(
            "put Neo4j credentials in NEO4J_USER / NEO4J_PASSWORD, not in the store URL"
        )
    database = parts.path.strip("/") or None
    return urlunsplit((parts.scheme, parts.netloc, "", parts.query, "")), database


def credentials(environ: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """User and password from GRAPHINTEL_NEO4J_USER/PASSWORD, else NEO4J_USER/PASSWORD."""
    env = os.environ if environ is None else environ
    user = env.get("GRAPHINTEL_NEO4J_USER") or env.get("NEO4J_USER") or "neo4j"
    password = env.get("GRAPHINTEL_NEO4J_PASSWORD") or env.get("NEO4J_PASSWORD")
    return user, password


def check_params(statement: Statement, params: Mapping[str, Any]) -> None:
    """Refuse to run a statement with parameters other than the ones it declares."""
    if set(params) != statement.params:
        raise StoreError(
            f"Cypher {statement.name}: parameters {sorted(params)}"
            f" != declared {sorted(statement.params)}"
        )


def run(tx: ManagedTransaction, statement: Statement, /, **params: Any) -> list[dict[str, Any]]:
    """Run one declared statement in ``tx`` and return its records as dicts."""
    check_params(statement, params)
    result = tx.run(statement.text, params)
    return [record.data() for record in result]


class Neo4jBase:
    """A driver, sessions and declared-statement runs against one database."""

    def __init__(
        self,
        url: str,
        user: str = "neo4j",
        password: str | None = None,
        database: str | None = None,
        batch_size: int = DEFAULT_WRITE_BATCH,
        *,
        driver: Driver | None = None,
    ) -> None:
        if batch_size < 1:
            raise StoreError("batch_size must be at least 1")
        uri, url_database = parse_url(url)
        self.url = url
        self.database = database or url_database
        self.batch_size = batch_size
        auth = (user, password) if password is not None else None
        self._driver = driver or GraphDatabase.driver(uri, auth=auth)
        try:
            self._driver.verify_connectivity()
            self.ensure_schema()
        except (ServiceUnavailable, AuthError, Neo4jError, OSError) as exc:
            self._driver.close()
            raise StoreError(
                f"cannot open Neo4j store {url}: {exc} (is the server up and reachable, and"
                " are NEO4J_USER / NEO4J_PASSWORD right?)"
            ) from exc

    @property
    def driver(self) -> Driver:
        """The underlying driver (for the GDS path, which shares it)."""
        return self._driver

    # -- plumbing ------------------------------------------------------------------------
    def _session(self) -> neo4j.Session:
        return self._driver.session(database=self.database)

    def read(self, statement: Statement, **params: Any) -> list[dict[str, Any]]:
        with self._session() as session:
            return session.execute_read(run, statement, **params)

    def read_pages(
        self, statement: Statement, key: str, batch_size: int
    ) -> Iterator[list[dict[str, Any]]]:
        """Keyset-page a statement taking `$after`/`$limit`, resuming after the last `key`."""
        after = ""
        while rows := self.read(statement, after=after, limit=batch_size):
            yield rows
            after = rows[-1][key]

    def write(self, statement: Statement, **params: Any) -> list[dict[str, Any]]:
        with self._session() as session:
            return session.execute_write(run, statement, **params)

    def write_many(self, work: Callable[[ManagedTransaction], _T]) -> _T:
        """Run ``work`` (several statements) in one managed, retried write transaction."""
        with self._session() as session:
            return session.execute_write(work)

    def ensure_schema(self) -> None:
        for statement in schema_statements():
            self.write(statement)
        self.write(GRAPH_STATE_INIT)

    def close(self) -> None:
        self._driver.close()

    def wipe(self) -> int:
        """Delete every node of the database (the contract tests' fresh start); returns how
        many. Constraints and indexes stay."""
        deleted = self._delete_in_batches(WIPE)
        self.write(GRAPH_STATE_INIT)
        return deleted

    def _delete_in_batches(self, statement: Statement, **params: Any) -> int:
        total = 0
        while True:
            [row] = self.write(statement, limit=self.batch_size, **params)
            total += int(row["deleted"])
            if not row["deleted"]:
                return total

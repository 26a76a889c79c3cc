"""``GraphStore`` on Neo4j 5.26 (LTS) or newer, for teams sharing one server.

Every statement is declared (``graphintel.store.neo4j.cypher.declare``) in the module of
the role that runs it; values travel as parameters. Writes
go through managed transactions (``execute_write``, which the driver retries on transient
errors), in batches of ``batch_size`` rows; a batch is materialised before its transaction
starts so a retry replays the same rows. Reads page with keysets, one short read
transaction per page, so no result set is ever held whole in the driver.

Atomicity, and how it differs from SQLite's single transaction:

* A load is staged: its ``Load`` node is written first with ``committed = false``, rows are
  written in batches tagged with its ``load_id``, and one final transaction writes the
  report and sets ``committed = true``. Readers see only rows of committed loads, so the
  flip is the commit point. If the loader raises, the load's rows, quarantine entries and
  ``Load`` node are deleted in batches before the error propagates. If the process dies
  mid-load, the uncommitted rows stay invisible and are removed when the same file is
  loaded again. Rows of a load in flight are not duplicates for another load running at the
  same time: run one load per shipment id at a time (as ``graphintel load`` does).
* A resolution is staged as a new generation (``gen``) beside the current one and swapped in
  by one transaction that moves ``GraphState.current``; dead generations are then deleted in
  batches. Readers see either the old graph or the new one, never a mix of rows (a reader
  that started on the old generation may miss nodes deleted while it pages). One
  resolution at a time per database.

One module per role (``loads``, ``graph_write``, ``graph_read``, ``search``, ``runs``,
``resolver``, ``workspace``, ``audit``, ``watchlists``, ``bulk``, and ``gds`` for the
analytics), each with its Cypher next to the methods that run it; ``statements`` lists
them all for the lint tests; ``store`` composes the roles.
"""

from __future__ import annotations

from graphintel.store.neo4j.connection import credentials, parse_url
from graphintel.store.neo4j.search import fulltext_query, fuzzy_query
from graphintel.store.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore", "credentials", "fulltext_query", "fuzzy_query", "parse_url"]

"""``GraphStore`` on Neo4j 5.26 (LTS) or newer, for teams sharing one server.

Every statement comes from ``graphintel.store.cypher``; values travel as parameters. Writes
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
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, replace
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from graphintel.errors import NotFoundError, StoreError
from graphintel.model import EDGE_TYPE_BY_KIND, EdgeKind, EdgeType, NodeKind, Role, kind_of
from graphintel.records import (
    AuditEntry,
    CaseRecord,
    EdgeRecord,
    Judgement,
    LoadReport,
    MentionAssignment,
    MergeEvidence,
    Network,
    NodeRecord,
    Provenance,
    QuarantineEntry,
    RunRecord,
    SearchCandidate,
    ShipmentRecord,
    ShipmentStats,
    Watchlist,
    WatchlistEntry,
)
from graphintel.store import cypher as q
from graphintel.store import trigram_search
from graphintel.store.base import (
    AUDIT_LIMIT,
    DEFAULT_BATCH,
    STATE_CHUNK,
    AssignmentRow,
    EdgeEnds,
    EdgeRow,
    GraphPart,
    NodeLabel,
    NodeRow,
    assignment_rows,
    check_kinds,
    check_verdict,
    check_watchlist_kind,
    chunks,
    edge_rows,
    new_run,
    node_rows,
    row_kind,
    utc_now,
)
from graphintel.store.migrate import Checkpoint, NoteRow

log = logging.getLogger(__name__)

_T = TypeVar("_T")
DEFAULT_WRITE_BATCH = 5_000
NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
KEY_SEP = "\x01"  # sorts below any printable character, so composite keys order like tuples
_ALL = 2**62  # "no limit" for statements that always take $limit


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


def check_params(statement: q.Statement, params: Mapping[str, Any]) -> None:
    """Refuse to run a statement with parameters other than the ones it declares."""
    if set(params) != statement.params:
        raise StoreError(
            f"Cypher {statement.name}: parameters {sorted(params)}"
            f" != declared {sorted(statement.params)}"
        )


def run(tx: ManagedTransaction, statement: q.Statement, /, **params: Any) -> list[dict[str, Any]]:
    """Run one declared statement in ``tx`` and return its records as dicts."""
    check_params(statement, params)
    result = tx.run(statement.text, params)
    return [record.data() for record in result]


def edge_key(source: str, target: str) -> str:
    return f"{source}{KEY_SEP}{target}"


_NODE_KIND_BY_VALUE = {k.value: k for k in NodeKind}
_EDGE_KIND_BY_VALUE = {k.value: k for k in EdgeKind}


def node_rows_by_kind(nodes: Iterable[NodeRow]) -> dict[NodeKind, list[dict[str, Any]]]:
    """Write parameters for node rows, one list per label (a label cannot be a parameter)."""
    by_value: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node_id, kind, label, props in nodes:
        by_value[kind].append({"id": node_id, "label": label, "props": props})
    check_kinds(by_value, "node")
    return {_NODE_KIND_BY_VALUE[kind]: rows for kind, rows in by_value.items()}


def edge_rows_by_kind(edges: Iterable[EdgeRow]) -> dict[EdgeKind, list[dict[str, Any]]]:
    """Write parameters for edge rows, one list per relationship type."""
    by_value: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for source, kind, target, weight, props in edges:
        by_value[kind].append(
            {
                "source": source,
                "target": target,
                "key": edge_key(source, target),
                "weight": weight,
                "props": props,
            }
        )
    check_kinds(by_value, "edge")
    return {_EDGE_KIND_BY_VALUE[kind]: rows for kind, rows in by_value.items()}


def mention_key(shipment_id: str, role: str) -> str:
    return f"{shipment_id}{KEY_SEP}{role}"


# -- record <-> row conversion ---------------------------------------------------------------
def shipment_row(s: ShipmentRecord) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(s, name) for name in q.SHIPMENT_FIELDS}
    row["id"] = f"shipment:{s.shipment_id}"
    row["extra_json"] = json.dumps(s.extra, ensure_ascii=False)
    row["file_id"] = s.provenance.file_id
    row["row_number"] = s.provenance.row_number
    row["load_id"] = s.provenance.load_id
    return row


def shipment_from_row(row: Mapping[str, Any]) -> ShipmentRecord:
    values: dict[str, Any] = {name: row.get(name) for name in q.SHIPMENT_FIELDS}
    for name, value in values.items():
        if value is None and name not in ("quantity", "weight_kg"):
            values[name] = ""
    return ShipmentRecord(
        **values,
        extra=json.loads(row.get("extra_json") or "{}"),
        provenance=Provenance(row["file_id"], int(row["row_number"]), row["load_id"]),
    )


def load_props(r: LoadReport) -> dict[str, Any]:
    return {
        "load_id": r.load_id,
        "file_id": r.file_id,
        "file_path": r.file_path,
        "status": r.status,
        "rows_read": r.rows_read,
        "rows_loaded": r.rows_loaded,
        "rows_quarantined": r.rows_quarantined,
        "rows_duplicate": r.rows_duplicate,
        "started_at": r.started_at or utc_now(),
        "finished_at": r.finished_at,
        "message": r.message,
    }


def load_from_row(row: Mapping[str, Any]) -> LoadReport:
    return LoadReport(**{name: row[name] for name in q.LOAD_FIELDS})


def quarantine_from_row(row: Mapping[str, Any]) -> QuarantineEntry:
    return QuarantineEntry(
        row["file_id"],
        row["file_path"],
        int(row["row_number"]),
        row["column"],
        row["reason"],
        row["raw"],
        row["load_id"],
    )


def node_from_row(kind: NodeKind, row: Mapping[str, Any]) -> NodeRecord:
    return NodeRecord(row["id"], kind, row["label"] or "", json.loads(row["props"] or "{}"))


def edge_from_row(row: Mapping[str, Any]) -> EdgeRecord:
    return EdgeRecord(
        row["source"],
        row["target"],
        EdgeKind(row["kind"]),
        float(row["weight"]),
        json.loads(row["props"] or "{}"),
    )


def evidence_from_row(row: Mapping[str, Any]) -> MergeEvidence:
    return MergeEvidence(**{f: row[f] for f in MergeEvidence.__dataclass_fields__})


def _judgement(row: Mapping[str, Any]) -> Judgement:
    """A judgement row (withdrawn_by/withdrawn_at empty while it stands)."""
    return Judgement(
        row["left"], row["right"], row["verdict"], row["user"], row["created_at"],
        row.get("withdrawn_by") or "", row.get("withdrawn_at") or "",
    )  # fmt: skip


def run_props(run: RunRecord) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "kind": run.kind,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "params_json": json.dumps(run.params),
        "versions_json": json.dumps(run.versions),
        "counts_json": json.dumps(run.counts),
        "message": run.message,
    }


def run_from_row(row: Mapping[str, Any]) -> RunRecord:
    return RunRecord(
        run_id=row["run_id"],
        kind=row["kind"],
        status=row["status"],
        started_at=row["started_at"],
        finished_at=row["finished_at"] or "",
        params=json.loads(row["params_json"] or "{}"),
        versions=json.loads(row["versions_json"] or "{}"),
        counts=json.loads(row["counts_json"] or "{}"),
        message=row["message"] or "",
    )


def network_row(n: Network) -> dict[str, Any]:
    return {
        "network_id": n.network_id,
        "rank": n.rank,
        "score": n.score,
        "reasons": list(n.reasons),
        "evidence_json": json.dumps(n.evidence),
        "typologies": list(n.typologies),
        "first_date": n.first_date,
        "last_date": n.last_date,
        "seized_count": n.seized_count,
        "n_shipments": n.n_shipments or len(n.shipment_ids),
        "n_entities": n.n_entities or len(n.entity_ids),
        "countries": list(n.countries),
        "name": n.name,
        "points_json": json.dumps(n.points),
        "shipment_ids": sorted(n.shipment_ids),
        "entity_ids": sorted(n.entity_ids),
    }


def network_from_row(row: Mapping[str, Any]) -> Network:
    return Network(
        network_id=row["network_id"],
        run_id=row["run_id"],
        rank=int(row["rank"]),
        score=float(row["score"]),
        reasons=tuple(row["reasons"] or ()),
        evidence=json.loads(row["evidence_json"] or "{}"),
        typologies=tuple(row["typologies"] or ()),
        first_date=row["first_date"] or "",
        last_date=row["last_date"] or "",
        seized_count=int(row["seized_count"] or 0),
        n_shipments=int(row["n_shipments"] or 0),
        n_entities=int(row["n_entities"] or 0),
        countries=tuple(row.get("countries") or ()),
        name=row.get("name") or "",
        points=json.loads(row.get("points_json") or "{}"),
        shipment_ids=tuple(row["shipment_ids"] or ()),
        entity_ids=tuple(row["entity_ids"] or ()),
    )


def fulltext_query(text: str) -> str:
    """A Lucene query matching every word of ``text`` as a prefix; '' when it has no words.

    Only letters and digits reach the query, so Lucene syntax in user input (``*``, ``:``,
    quotes, ``AND``) is never interpreted.
    """
    words = "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()
    return " AND ".join(f"{w}*" for w in words)


def fuzzy_query(text: str) -> str:
    """A Lucene query for typo-tolerant candidates: any word of ``text`` within two edits
    (words of three or more characters) or as a prefix; '' when it has no words. Only letters
    and digits reach the query, as in ``fulltext_query``."""
    words = "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()
    return " OR ".join(f"{w}~ OR {w}*" if len(w) >= 3 else f"{w}*" for w in words)


class _Neo4jLoadWriter:
    def __init__(self, store: Neo4jStore, load_id: str) -> None:
        self._store = store
        self._load_id = load_id
        self._seq = 0

    def existing_shipment_ids(self, shipment_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(shipment_ids, self._store.batch_size):
            rows = self._store.read(q.EXISTING_SHIPMENTS, ids=chunk, load_id=self._load_id)
            found.update(r["shipment_id"] for r in rows)
        return found

    def add_shipments(self, shipments: Sequence[ShipmentRecord]) -> None:
        for chunk in chunks(shipments, self._store.batch_size):
            self._store.write(q.SHIPMENTS_WRITE, rows=[shipment_row(s) for s in chunk])

    def add_quarantine(self, entries: Sequence[QuarantineEntry]) -> None:
        for chunk in chunks(entries, self._store.batch_size):
            rows = []
            for e in chunk:
                self._seq += 1
                rows.append(self._store.quarantine_row(e, self._load_id, self._seq))
            self._store.write(q.QUARANTINE_WRITE, rows=rows)


class Neo4jStore:
    """``GraphStore`` on a Neo4j server reached over Bolt (``neo4j://`` or ``bolt://``)."""

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

    def read(self, statement: q.Statement, **params: Any) -> list[dict[str, Any]]:
        with self._session() as session:
            return session.execute_read(run, statement, **params)

    def read_pages(
        self, statement: q.Statement, key: str, batch_size: int
    ) -> Iterator[list[dict[str, Any]]]:
        """Keyset-page a statement taking `$after`/`$limit`, resuming after the last `key`."""
        after = ""
        while rows := self.read(statement, after=after, limit=batch_size):
            yield rows
            after = rows[-1][key]

    def write(self, statement: q.Statement, **params: Any) -> list[dict[str, Any]]:
        with self._session() as session:
            return session.execute_write(run, statement, **params)

    def write_many(self, work: Callable[[ManagedTransaction], _T]) -> _T:
        """Run ``work`` (several statements) in one managed, retried write transaction."""
        with self._session() as session:
            return session.execute_write(work)

    def ensure_schema(self) -> None:
        for statement in q.schema_statements():
            self.write(statement)
        self.write(q.GRAPH_STATE_INIT)

    def close(self) -> None:
        self._driver.close()

    def wipe(self) -> int:
        """Delete every node of the database (the contract tests' fresh start); returns how
        many. Constraints and indexes stay."""
        deleted = self._delete_in_batches(q.WIPE)
        self.write(q.GRAPH_STATE_INIT)
        return deleted

    def _delete_in_batches(self, statement: q.Statement, **params: Any) -> int:
        total = 0
        while True:
            [row] = self.write(statement, limit=self.batch_size, **params)
            total += int(row["deleted"])
            if not row["deleted"]:
                return total

    # -- loads ---------------------------------------------------------------------------
    def completed_load(self, file_id: str) -> LoadReport | None:
        rows = self.read(q.COMPLETED_LOAD, file_id=file_id, status="loaded")
        return load_from_row(rows[0]["load"]) if rows else None

    def _discard_load(self, load_id: str) -> None:
        self._delete_in_batches(q.LOAD_DELETE_SHIPMENTS, load_id=load_id)
        self._delete_in_batches(q.LOAD_DELETE_QUARANTINE, load_id=load_id)
        self.write(q.LOAD_DELETE, load_id=load_id)

    @contextmanager
    def _load(self, report: LoadReport) -> Iterator[_Neo4jLoadWriter]:
        existing = self.read(q.LOAD_GET, load_id=report.load_id)
        if existing and existing[0]["committed"]:
            raise StoreError(f"load {report.load_id} is already committed in {self.url}")
        if existing:  # an earlier attempt with this load id died: start it afresh
            self._discard_load(report.load_id)
        for stale in self.read(q.LOAD_STALE, file_id=report.file_id, load_id=report.load_id):
            log.info("removing rows of an unfinished earlier load %s", stale["load_id"])
            self._discard_load(stale["load_id"])
        if not report.started_at:
            report.started_at = utc_now()
        props = {**load_props(report), "created_ns": time.time_ns()}
        self.write(q.LOAD_STAGE, load_id=report.load_id, props=props)
        try:
            yield _Neo4jLoadWriter(self, report.load_id)
        except BaseException:
            try:
                self._discard_load(report.load_id)
            except Exception:  # the original error matters more; rows stay invisible
                log.exception("could not remove the rows of failed load %s", report.load_id)
            raise
        self.write(q.LOAD_COMMIT, load_id=report.load_id, props=load_props(report))

    def load_transaction(self, report: LoadReport) -> AbstractContextManager[_Neo4jLoadWriter]:
        return self._load(report)

    def loads(self) -> list[LoadReport]:
        return [load_from_row(r["load"]) for r in self.read(q.LOADS)]

    def quarantine(self, load_id: str | None = None, limit: int = 1000) -> list[QuarantineEntry]:
        return [
            quarantine_from_row(r) for r in self.read(q.QUARANTINE, load_id=load_id, limit=limit)
        ]

    @staticmethod
    def quarantine_row(e: QuarantineEntry, load_id: str, seq: int) -> dict[str, Any]:
        return {
            "load_id": load_id,
            "seq": seq,
            "key": f"{load_id}{KEY_SEP}{seq:012d}",
            "file_id": e.file_id,
            "file_path": e.file_path,
            "row_number": e.row_number,
            "column": e.column,
            "reason": e.reason,
            "raw": e.raw,
        }

    def shipment_count(self) -> int:
        return int(self.read(q.SHIPMENT_COUNT)[0]["n"])

    def iter_shipments(self, batch_size: int = DEFAULT_BATCH) -> Iterator[list[ShipmentRecord]]:
        yield from self._shipment_pages("", batch_size)

    def shipments(self, shipment_ids: Sequence[str]) -> list[ShipmentRecord]:
        out: list[ShipmentRecord] = []
        for chunk in chunks(shipment_ids, self.batch_size):
            rows = self.read(q.SHIPMENTS_BY_ID, ids=chunk)
            out.extend(shipment_from_row(r["shipment"]) for r in rows)
        order = {sid: i for i, sid in enumerate(shipment_ids)}
        out.sort(key=lambda s: order.get(s.shipment_id, 0))
        return out

    # -- resolved graph: writing ---------------------------------------------------------
    def begin_graph(self) -> tuple[int, int]:
        """Reserve a new generation; returns (new generation, current generation)."""
        [row] = self.write(q.GRAPH_BEGIN)
        return int(row["gen"]), int(row["current"])

    def write_nodes(self, gen: int, current: int, nodes: Sequence[NodeRow]) -> None:
        for kind, rows in node_rows_by_kind(nodes).items():
            if kind is NodeKind.SHIPMENT:
                [res] = self.write(q.node_write(kind), rows=rows, gen=gen, current=current)
                if res["written"] != len(rows):
                    log.warning(
                        "%d shipment nodes name shipments that are not loaded; skipped",
                        len(rows) - int(res["written"]),
                    )
            else:
                self.write(q.node_write(kind), rows=rows, gen=gen)

    def write_edges(self, gen: int, edges: Sequence[EdgeRow]) -> None:
        by_kind = edge_rows_by_kind(edges)
        for kind, rows in by_kind.items():
            [res] = self.write(q.edge_write(EDGE_TYPE_BY_KIND[kind]), rows=rows, gen=gen)
            if res["written"] != len(rows):
                log.warning(
                    "%d %s edges name missing nodes; skipped", len(rows) - res["written"], kind
                )

    def write_mentions(self, gen: int, assignments: Sequence[AssignmentRow]) -> None:
        check_kinds(map(row_kind, assignments), "mention")
        rows = [
            {
                "shipment_id": shipment_id,
                "role": role,
                "entity_id": entity_id,
                "name": name,
                "key": mention_key(shipment_id, role),
            }
            for shipment_id, role, entity_id, name in assignments
        ]
        self.write(q.MENTIONS_WRITE, rows=rows, gen=gen)

    def write_evidence(self, gen: int, first_seq: int, evidence: Sequence[MergeEvidence]) -> None:
        rows = [
            {
                **{f: getattr(ev, f) for f in MergeEvidence.__dataclass_fields__},
                "seq": first_seq + i,
            }
            for i, ev in enumerate(evidence)
        ]
        self.write(q.EVIDENCE_WRITE, rows=rows, gen=gen)

    def graph_counts_of(self, gen: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind in NodeKind:
            n = int(self.read(q.node_count(kind), gen=gen)[0]["n"])
            if n:
                counts[f"nodes:{kind.value}"] = n
        counts["edges"] = sum(int(self.read(q.edge_count(k), gen=gen)[0]["n"]) for k in EdgeKind)
        counts["mentions"] = int(self.read(q.MENTION_COUNT, gen=gen)[0]["n"])
        return counts

    def publish_graph(self, gen: int) -> None:
        """Make generation ``gen`` the one readers see, then delete every other one."""
        counts = self.graph_counts_of(gen)
        self.write(q.GRAPH_FLIP, gen=gen, counts_json=json.dumps(counts))
        [state] = self.read(q.GRAPH_STATE)
        for dead in state["gens"]:
            if dead != gen:
                self.purge_generation(int(dead))

    def purge_generation(self, gen: int) -> None:
        for kind in q.GRAPH_KINDS:
            self._delete_in_batches(q.purge_nodes(kind), gen=gen)
        self._delete_in_batches(q.PURGE_MENTIONS, gen=gen)
        self._delete_in_batches(q.PURGE_EVIDENCE, gen=gen)
        self.write(q.GRAPH_FORGET_GEN, gen=gen)

    def replace_graph(
        self,
        nodes: Iterable[NodeRecord],
        edges: Iterable[EdgeRecord],
        assignments: Iterable[MentionAssignment],
        evidence: Iterable[MergeEvidence],
    ) -> None:
        self.replace_graph_rows(
            node_rows(nodes), edge_rows(edges), assignment_rows(assignments), evidence
        )

    def replace_graph_rows(
        self,
        nodes: Iterable[NodeRow],
        edges: Iterable[EdgeRow],
        assignments: Iterable[AssignmentRow],
        evidence: Iterable[MergeEvidence],
    ) -> None:
        self.replace_graph_parts([GraphPart(nodes, edges, assignments, evidence)])

    def replace_graph_parts(self, parts: Iterable[GraphPart]) -> None:
        # Every part goes into one staged generation, published only after the last part;
        # evidence seq continues across parts so merge_evidence keeps the written order.
        gen, current = self.begin_graph()
        try:
            seq = 0
            for nodes, edges, assignments, evidence in parts:
                for node_chunk in chunks(nodes, self.batch_size):
                    self.write_nodes(gen, current, node_chunk)
                for edge_chunk in chunks(edges, self.batch_size):
                    self.write_edges(gen, edge_chunk)
                for a_chunk in chunks(assignments, self.batch_size):
                    self.write_mentions(gen, a_chunk)
                for ev_chunk in chunks(evidence, self.batch_size):
                    self.write_evidence(gen, seq + 1, ev_chunk)
                    seq += len(ev_chunk)
        except BaseException:
            try:
                self.purge_generation(gen)
            except Exception:  # the staged generation stays unseen and is purged next time
                log.exception("could not remove staged graph generation %d", gen)
            raise
        self.publish_graph(gen)

    # -- resolved graph: reading ---------------------------------------------------------
    def iter_mentions(self, batch_size: int = DEFAULT_BATCH) -> Iterator[list[MentionAssignment]]:
        for rows in self.read_pages(q.MENTIONS_PAGE, "position", batch_size):
            yield [
                MentionAssignment(r["shipment_id"], Role(r["role"]), r["entity_id"], r["name"])
                for r in rows
            ]

    def merge_evidence(self, entity_id: str) -> list[MergeEvidence]:
        return [evidence_from_row(r) for r in self.read(q.MERGE_EVIDENCE, entity_id=entity_id)]

    def _node_pages(
        self,
        kinds: Collection[NodeKind] | None,
        statement_for: Callable[[NodeKind], q.Statement],
        batch_size: int,
    ) -> Iterator[tuple[NodeKind, list[dict[str, Any]]]]:
        """Pages of one statement per wanted node kind, kinds in id order, keyed by id."""
        wanted = set(kinds or NodeKind)
        for kind in q.KINDS_IN_ID_ORDER:
            if kind in wanted:
                for rows in self.read_pages(statement_for(kind), "id", batch_size):
                    yield kind, rows

    def _edge_pages(
        self,
        kinds: Collection[EdgeKind] | None,
        statement_for: Callable[[EdgeType], q.Statement],
        batch_size: int,
    ) -> Iterator[tuple[EdgeKind, list[dict[str, Any]]]]:
        """Pages of one statement per wanted edge kind (by relationship type), by position."""
        wanted = set(kinds or EdgeKind)
        for kind in q.EDGE_KINDS_IN_ORDER:
            if kind in wanted:
                statement = statement_for(EDGE_TYPE_BY_KIND[kind])
                for rows in self.read_pages(statement, "position", batch_size):
                    yield kind, rows

    def iter_nodes(
        self, kinds: Collection[NodeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[NodeRecord]]:
        for kind, rows in self._node_pages(kinds, q.nodes_page, batch_size):
            yield [node_from_row(kind, r) for r in rows]

    def iter_edges(
        self, kinds: Collection[EdgeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[EdgeRecord]]:
        for _, rows in self._edge_pages(kinds, q.edges_page, batch_size):
            yield [edge_from_row(r) for r in rows]

    def iter_node_labels(
        self, kinds: Collection[NodeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[NodeLabel]]:
        for kind, rows in self._node_pages(kinds, q.node_labels_page, batch_size):
            yield [(r["id"], kind.value, r["label"] or "") for r in rows]

    def iter_edge_ends(
        self, kinds: Collection[EdgeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[EdgeEnds]]:
        for kind, rows in self._edge_pages(kinds, q.edge_ends_page, batch_size):
            yield [(r["source"], kind.value, r["target"], float(r["weight"])) for r in rows]

    def nodes(self, node_ids: Sequence[str]) -> list[NodeRecord]:
        by_kind: dict[NodeKind, list[str]] = defaultdict(list)
        for nid in node_ids:
            try:
                by_kind[kind_of(nid)].append(nid)
            except ValueError:
                continue  # not a GraphIntel id: no such node
        out: list[NodeRecord] = []
        for kind, ids in by_kind.items():
            for chunk in chunks(ids, self.batch_size):
                out.extend(
                    node_from_row(kind, r) for r in self.read(q.nodes_by_id(kind), ids=chunk)
                )
        return out

    def edges_among(self, node_ids: Sequence[str]) -> list[EdgeRecord]:
        return [edge_from_row(r) for r in self.read(q.EDGES_AMONG, ids=list(set(node_ids)))]

    def neighbours(self, node_id: str, limit: int = 100) -> tuple[list[EdgeRecord], int]:
        try:
            kind = kind_of(node_id)
        except ValueError:
            return [], 0
        rows = self.read(q.neighbours(kind), id=node_id, limit=limit)
        if not rows:
            return [], 0
        edges = [edge_from_row(r) for r in rows if r["kind"] is not None]
        return edges, int(rows[0]["total"])

    def provenance(self, node_id: str, limit: int = 100) -> list[Provenance]:
        kind = kind_of(node_id)
        if kind is NodeKind.SHIPMENT:
            statement = q.PROVENANCE_SHIPMENT
        elif kind is NodeKind.PARTY:
            statement = q.PROVENANCE_PARTY
        else:
            statement = q.provenance_identifier(kind)
        rows = self.read(statement, id=node_id, limit=limit)
        return [Provenance(r["file_id"], int(r["row_number"]), r["load_id"]) for r in rows]

    def search(self, text: str, limit: int = 20) -> list[NodeRecord]:
        query = fulltext_query(text)
        if not query:
            return []
        rows = self.read(q.SEARCH, query=query, limit=limit)
        return [node_from_row(kind_of(r["id"]), r) for r in rows]

    def build_search_index(self) -> int:
        # Neo4j keeps its full-text index current on every write: make sure it exists and
        # wait until it is online.
        self.ensure_schema()
        self.read(q.AWAIT_INDEXES, seconds=600)
        counts = self.counts()
        return sum(counts.get(f"nodes:{k.value}", 0) for k in trigram_search.SEARCH_KINDS)

    def search_index_ready(self) -> bool:
        rows = self.read(q.INDEX_STATE, name=q.FULLTEXT_INDEX)
        return bool(rows) and rows[0]["state"] == "ONLINE"

    def fuzzy_candidates(self, text: str, limit: int = 300) -> list[SearchCandidate]:
        query = fuzzy_query(text)
        if not query or limit <= 0:
            return []
        rows = self.read(q.SEARCH, query=query, limit=limit)
        return [
            SearchCandidate(
                r["id"],
                r["label"] or r["id"],
                trigram_search.entry_text(r["id"], r["label"] or r["id"]),
            )
            for r in rows
        ]

    def counts(self) -> dict[str, int]:
        [state] = self.read(q.GRAPH_COUNTS)
        graph: dict[str, int] = json.loads(state["counts_json"] or "{}")
        out = {
            "loads": int(self.read(q.LOAD_COUNT)[0]["n"]),
            "shipments": self.shipment_count(),
            "quarantine": int(self.read(q.QUARANTINE_COUNT)[0]["n"]),
            "edges": graph.get("edges", 0),
            "mentions": graph.get("mentions", 0),
            "runs": int(self.read(q.RUN_COUNT)[0]["n"]),
        }
        out.update({k: v for k, v in graph.items() if k.startswith("nodes:")})
        return out

    # -- runs ----------------------------------------------------------------------------
    def start_run(self, kind: str, params: dict[str, Any], versions: dict[str, str]) -> RunRecord:
        run_ = new_run(kind, params, versions)
        self.write(q.RUN_CREATE, props={**run_props(run_), "created_ns": time.time_ns()})
        return run_

    def _run(self, run_id: str) -> RunRecord:
        rows = self.read(q.RUN_GET, run_id=run_id)
        if not rows:
            raise NotFoundError(f"no run {run_id!r} in {self.url}")
        return run_from_row(rows[0]["run"])

    def finish_run(
        self, run_id: str, counts: dict[str, int], networks: Iterable[Network] = ()
    ) -> RunRecord:
        self._run(run_id)
        # Materialised first: the driver may replay the transaction function on a retry.
        rows = [network_row(n) for n in networks]
        props = {"status": "succeeded", "finished_at": utc_now(), "counts_json": json.dumps(counts)}

        def work(tx: ManagedTransaction) -> None:
            for chunk in chunks(rows, self.batch_size):
                run(tx, q.NETWORKS_WRITE, run_id=run_id, rows=chunk)
            run(tx, q.RUN_UPDATE, run_id=run_id, props=props)

        self.write_many(work)
        return self._run(run_id)

    def fail_run(self, run_id: str, message: str) -> RunRecord:
        props = {"status": "failed", "finished_at": utc_now(), "message": message}
        if not self.write(q.RUN_UPDATE, run_id=run_id, props=props):
            raise NotFoundError(f"no run {run_id!r} in {self.url}")
        return self._run(run_id)

    def runs(self, kind: str | None = None) -> list[RunRecord]:
        return [run_from_row(r["run"]) for r in self.read(q.RUNS, kind=kind)]

    def latest_run(self, kind: str = "analyze") -> RunRecord | None:
        rows = self.read(q.LATEST_RUN, kind=kind, status="succeeded")
        return run_from_row(rows[0]["run"]) if rows else None

    def networks(
        self,
        run_id: str,
        limit: int | None = None,
        offset: int = 0,
        with_members: bool = True,
    ) -> list[Network]:
        rows = self.read(
            q.NETWORKS,
            run_id=run_id,
            offset=offset,
            limit=_ALL if limit is None else limit,
            with_members=with_members,
        )
        return [network_from_row(r) for r in rows]

    def network(self, run_id: str, network_id: str) -> Network | None:
        rows = self.read(q.NETWORK, run_id=run_id, network_id=network_id, with_members=True)
        return network_from_row(rows[0]) if rows else None

    def shipment_stats(
        self, value_bin: float = 50.0, value_cap: float = 2000.0, top_countries: int = 15
    ) -> ShipmentStats:
        months = [(str(r["month"]), int(r["n"])) for r in self.read(q.SHIPMENTS_BY_MONTH)]
        last_bin = int(value_cap // value_bin)
        bins = self.read(q.SHIPMENTS_BY_VALUE, value_bin=float(value_bin), last_bin=last_bin)
        countries = self.read(q.SHIPMENTS_BY_COUNTRY, limit=top_countries)
        return ShipmentStats(
            total=sum(n for _, n in months),
            by_month=months,
            value_bins=[(float(r["bin"]) * value_bin, int(r["n"])) for r in bins],
            countries=[(str(r["country"]), int(r["n"])) for r in countries],
        )

    # -- cases and notes ------------------------------------------------------------------
    def save_case(self, case_id: str, name: str, payload: dict[str, Any]) -> CaseRecord:
        self.write(
            q.CASE_SAVE,
            case_id=case_id,
            name=name,
            payload_json=json.dumps(payload),
            now=utc_now(),
        )
        found = self.case(case_id)
        assert found is not None
        return found

    def cases(self) -> list[CaseRecord]:
        return [
            CaseRecord(r["case_id"], r["name"], {}, r["created_at"], r["updated_at"])
            for r in self.read(q.CASES)
        ]

    def case(self, case_id: str) -> CaseRecord | None:
        rows = self.read(q.CASE_GET, case_id=case_id)
        if not rows:
            return None
        r = rows[0]
        payload = json.loads(r["payload_json"])
        return CaseRecord(r["case_id"], r["name"], payload, r["created_at"], r["updated_at"])

    def rename_case(self, case_id: str, name: str) -> CaseRecord:
        if not self.write(q.CASE_RENAME, case_id=case_id, name=name, now=utc_now()):
            raise NotFoundError(f"no case {case_id!r} in {self.url}")
        found = self.case(case_id)
        assert found is not None
        return found

    def delete_case(self, case_id: str) -> bool:
        [row] = self.write(q.CASE_DELETE, case_id=case_id)
        return bool(row["deleted"])

    def set_note(self, node_id: str, text: str) -> None:
        if text.strip():
            self.write(q.NOTE_SET, node_id=node_id, text=text, now=utc_now())
        else:
            self.write(q.NOTE_DELETE, node_id=node_id)

    def add_judgement(self, left: str, right: str, verdict: str, user: str) -> Judgement:
        judgement = Judgement(left, right, check_verdict(verdict), user, utc_now())
        self.write(
            q.JUDGEMENT_ADD,
            left=left,
            right=right,
            verdict=judgement.verdict,
            user=user,
            now=judgement.created_at,
            ns=time.time_ns(),
        )
        return judgement

    def resolver_state(self) -> dict[str, bytes]:
        parts: dict[str, list[bytes]] = {}
        for r in self.read(q.RESOLVER_STATE):
            parts.setdefault(r["name"], []).append(bytes(r["data"]))
        return {name: b"".join(pieces) for name, pieces in parts.items()}

    def save_resolver_state(self, parts: dict[str, bytes]) -> None:
        rows = [
            {"name": name, "chunk": k, "data": data[start : start + STATE_CHUNK]}
            for name, data in parts.items()
            for k, start in enumerate(range(0, max(len(data), 1), STATE_CHUNK))
        ]

        def work(tx: ManagedTransaction) -> None:
            run(tx, q.RESOLVER_STATE_CLEAR)
            for row in rows:  # one piece per statement keeps each Bolt message small
                run(tx, q.RESOLVER_STATE_ADD, rows=[row])

        self.write_many(work)

    def judgements(self, include_withdrawn: bool = False) -> list[Judgement]:
        return [_judgement(r) for r in self.read(q.JUDGEMENTS, include_withdrawn=include_withdrawn)]

    def withdraw_judgement(self, left: str, right: str, user: str) -> list[Judgement]:
        rows = self.write(q.JUDGEMENT_WITHDRAW, left=left, right=right, user=user, now=utc_now())
        return [_judgement(r) for r in rows]

    def add_audit(self, entries: Sequence[AuditEntry]) -> None:
        if not entries:
            return
        ns = time.time_ns()
        rows = [
            {
                "user_name": e.user,
                "action": e.action,
                "target": e.target,
                "detail": e.detail,
                "created_at": e.created_at,
                "created_ns": ns + i,  # keeps the batch's order
            }
            for i, e in enumerate(entries)
        ]
        self.write(q.AUDIT_ADD, rows=rows)

    def audit_log(
        self,
        user: str | None = None,
        action: str | None = None,
        since: str | None = None,
        limit: int = AUDIT_LIMIT,
    ) -> list[AuditEntry]:
        return [
            AuditEntry(r["user"], r["action"], r["target"], r["detail"], r["created_at"])
            for r in self.read(q.AUDIT_LOG, user=user, action=action, since=since, limit=limit)
        ]

    def notes(self, node_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in chunks(list(dict.fromkeys(node_ids)), self.batch_size):
            out.update({r["node_id"]: r["text"] for r in self.read(q.NOTES, node_ids=chunk)})
        return out

    # -- watchlists --------------------------------------------------------------------------
    def replace_watchlist(
        self, watchlist: Watchlist, entries: Sequence[WatchlistEntry]
    ) -> Watchlist:
        check_watchlist_kind(watchlist.kind)
        # Materialised first: the driver may replay the transaction function on a retry.
        rows = [{**asdict(e), "list_name": watchlist.name} for e in entries]
        stored = replace(watchlist, entries=len(rows))

        def work(tx: ManagedTransaction) -> None:
            run(tx, q.WATCHLIST_ENTRIES_DELETE, name=stored.name)
            run(tx, q.WATCHLIST_DELETE, name=stored.name)
            run(
                tx,
                q.WATCHLIST_CREATE,
                name=stored.name,
                kind=stored.kind,
                file_path=stored.file_path,
                file_id=stored.file_id,
                added_at=stored.added_at,
                entries=stored.entries,
            )
            for chunk in chunks(rows, self.batch_size):
                run(tx, q.WATCHLIST_ENTRIES_WRITE, rows=chunk)

        self.write_many(work)
        return stored

    def watchlists(self) -> list[Watchlist]:
        return [
            Watchlist(
                r["name"], r["kind"], r["file_path"], r["file_id"], r["added_at"], r["entries"]
            )
            for r in self.read(q.WATCHLISTS)
        ]

    def watchlist_entries(self, names: Sequence[str] | None = None) -> list[WatchlistEntry]:
        if names is None:
            rows = self.read(q.WATCHLIST_ENTRIES)
        else:
            rows = self.read(q.WATCHLIST_ENTRIES_OF, names=list(dict.fromkeys(names)))
        return [WatchlistEntry(**r) for r in rows]

    def remove_watchlist(self, name: str) -> bool:
        def work(tx: ManagedTransaction) -> bool:
            run(tx, q.WATCHLIST_ENTRIES_DELETE, name=name)
            [row] = run(tx, q.WATCHLIST_DELETE, name=name)
            return bool(row["deleted"])

        return self.write_many(work)

    # -- migration (see graphintel.store.migrate) ----------------------------------------
    def export_pages(
        self, table: str, after: str | None, batch_size: int
    ) -> Iterator[tuple[list[Any], str]]:
        if table == "loads":
            yield from self._pages(
                q.LOADS_PAGE, after, batch_size, lambda r: load_from_row(r["load"]), numeric=True
            )
        elif table == "shipments":
            for batch in self._shipment_pages(after or "", batch_size):
                yield batch, batch[-1].shipment_id
        elif table == "quarantine":
            yield from self._pages(q.QUARANTINE_PAGE, after, batch_size, quarantine_from_row)
        elif table == "nodes":
            for kind in q.KINDS_IN_ID_ORDER:
                statement = q.nodes_page(kind)
                last = after or ""
                while rows := self.read(statement, after=last, limit=batch_size):
                    last = rows[-1]["id"]
                    yield [node_from_row(kind, r) for r in rows], last
        elif table == "edges":
            start_kind, start_key = json.loads(after) if after else ("", "")
            for edge_kind in q.EDGE_KINDS_IN_ORDER:
                if edge_kind.value < start_kind:
                    continue
                last = start_key if edge_kind.value == start_kind else ""
                statement = q.edges_page(EDGE_TYPE_BY_KIND[edge_kind])
                while rows := self.read(statement, after=last, limit=batch_size):
                    last = rows[-1]["position"]
                    yield [edge_from_row(r) for r in rows], json.dumps([edge_kind.value, last])
        elif table == "mentions":
            yield from self._pages(
                q.MENTIONS_PAGE,
                after,
                batch_size,
                lambda r: MentionAssignment(
                    r["shipment_id"], Role(r["role"]), r["entity_id"], r["name"]
                ),
            )
        elif table == "merge_evidence":
            yield from self._pages(
                q.EVIDENCE_PAGE, after, batch_size, evidence_from_row, numeric=True
            )
        elif table == "runs":
            yield from self._pages(
                q.RUNS_PAGE, after, batch_size, lambda r: run_from_row(r["run"]), numeric=True
            )
        elif table == "networks":
            run_id, network_id = json.loads(after) if after else ("", "")
            while rows := self.read(
                q.NETWORKS_PAGE,
                run_id=run_id,
                network_id=network_id,
                limit=batch_size,
                with_members=True,
            ):
                run_id, network_id = rows[-1]["run_id"], rows[-1]["network_id"]
                yield [network_from_row(r) for r in rows], json.dumps([run_id, network_id])
        elif table == "cases":
            yield from self._pages(
                q.CASES_PAGE,
                after,
                batch_size,
                lambda r: CaseRecord(
                    r["case_id"],
                    r["name"],
                    json.loads(r["payload_json"]),
                    r["created_at"],
                    r["updated_at"],
                ),
            )
        elif table == "notes":
            yield from self._pages(
                q.NOTES_PAGE,
                after,
                batch_size,
                lambda r: NoteRow(r["node_id"], r["text"], r["updated_at"]),
            )
        elif table == "judgements":
            yield from self._pages(
                q.JUDGEMENTS_PAGE,
                after,
                batch_size,
                _judgement,  # withdrawn_by/withdrawn_at travel with the judgement
                numeric=True,
            )
        elif table == "audit_log":
            yield from self._pages(
                q.AUDIT_PAGE,
                after,
                batch_size,
                lambda r: AuditEntry(
                    r["user"], r["action"], r["target"], r["detail"], r["created_at"]
                ),
                numeric=True,
            )
        else:
            raise StoreError(f"unknown table {table!r}")

    def _shipment_pages(self, after: str, batch_size: int) -> Iterator[list[ShipmentRecord]]:
        while rows := self.read(q.SHIPMENTS_PAGE, after=after, limit=batch_size):
            batch = [shipment_from_row(r["shipment"]) for r in rows]
            after = batch[-1].shipment_id
            yield batch

    def _pages(
        self,
        statement: q.Statement,
        after: str | None,
        batch_size: int,
        convert: Callable[[dict[str, Any]], Any],
        numeric: bool = False,
    ) -> Iterator[tuple[list[Any], str]]:
        last: Any = (int(after) if after else -1) if numeric else (after or "")
        while rows := self.read(statement, after=last, limit=batch_size):
            last = rows[-1]["position"]
            yield [convert(r) for r in rows], str(last)

    def workspace_counts(self) -> dict[str, int]:
        return {
            "cases": int(self.read(q.CASE_COUNT)[0]["n"]),
            "notes": int(self.read(q.NOTE_COUNT)[0]["n"]),
            "judgements": int(self.read(q.JUDGEMENT_COUNT)[0]["n"]),
            "audit_log": int(self.read(q.AUDIT_COUNT)[0]["n"]),
            "watchlists": int(self.read(q.WATCHLIST_COUNT)[0]["n"]),
            "watchlist_entries": int(self.read(q.WATCHLIST_ENTRY_COUNT)[0]["n"]),
            "resolver_state": int(self.read(q.RESOLVER_STATE_COUNT)[0]["n"]),
        }

    def migration_checkpoint(self, migration: str, table: str) -> Checkpoint | None:
        rows = self.read(q.CHECKPOINT_GET, migration=migration, table=table)
        if not rows:
            return None
        return Checkpoint(rows[0]["position"], int(rows[0]["rows"]), bool(rows[0]["done"]))

    def _staged_generation(self, migration: str) -> tuple[int, int]:
        """The generation a migration copies the graph into (reserved on first use)."""
        staged = self.migration_checkpoint(migration, "graph")
        [state] = self.read(q.GRAPH_STATE)
        if staged is None:
            gen, current = self.begin_graph()
            self.write(
                q.CHECKPOINT_SET,
                migration=migration,
                table="graph",
                position=str(gen),
                rows=0,
                done=False,
            )
            return gen, current
        return int(staged.position), int(state["current"])

    def import_page(
        self, migration: str, table: str, records: Sequence[Any], checkpoint: Checkpoint
    ) -> None:
        gen, current = (0, 0)
        if table in ("nodes", "edges", "mentions", "merge_evidence") and records:
            gen, current = self._staged_generation(migration)
        statements = self._import_statements(table, records, gen, current, checkpoint)
        statements.append(
            (
                q.CHECKPOINT_SET,
                {
                    "migration": migration,
                    "table": table,
                    "position": checkpoint.position,
                    "rows": checkpoint.rows,
                    "done": checkpoint.done,
                },
            )
        )

        def work(tx: ManagedTransaction) -> None:
            for statement, params in statements:
                run(tx, statement, **params)

        self.write_many(work)

    def _import_statements(
        self,
        table: str,
        records: Sequence[Any],
        gen: int,
        current: int,
        checkpoint: Checkpoint,
    ) -> list[tuple[q.Statement, dict[str, Any]]]:
        if not records:
            return []
        first = checkpoint.rows - len(records)  # rows copied before this page
        base_ns = time.time_ns()
        out: list[tuple[q.Statement, dict[str, Any]]] = []
        if table == "loads":
            rows = [{**load_props(r), "created_ns": base_ns + i} for i, r in enumerate(records)]
            out.append((q.LOAD_IMPORT, {"rows": rows}))
        elif table == "shipments":
            out.append((q.SHIPMENTS_WRITE, {"rows": [shipment_row(s) for s in records]}))
        elif table == "quarantine":
            rows = [self.quarantine_row(e, e.load_id, first + i + 1) for i, e in enumerate(records)]
            out.append((q.QUARANTINE_WRITE, {"rows": rows}))
        elif table == "nodes":
            for kind, rows in node_rows_by_kind(node_rows(records)).items():
                params: dict[str, Any] = {"rows": rows, "gen": gen}
                if kind is NodeKind.SHIPMENT:
                    params["current"] = current
                out.append((q.node_write(kind), params))
        elif table == "edges":
            by_edge = edge_rows_by_kind(edge_rows(records))
            for edge_kind, params_rows in by_edge.items():
                out.append(
                    (q.edge_write(EDGE_TYPE_BY_KIND[edge_kind]), {"rows": params_rows, "gen": gen})
                )
        elif table == "mentions":
            rows = [
                {
                    "shipment_id": a.shipment_id,
                    "role": a.role.value,
                    "entity_id": a.entity_id,
                    "name": a.name,
                    "key": mention_key(a.shipment_id, a.role.value),
                }
                for a in records
            ]
            out.append((q.MENTIONS_WRITE, {"rows": rows, "gen": gen}))
        elif table == "merge_evidence":
            rows = [
                {
                    **{f: getattr(ev, f) for f in MergeEvidence.__dataclass_fields__},
                    "seq": first + i + 1,
                }
                for i, ev in enumerate(records)
            ]
            out.append((q.EVIDENCE_WRITE, {"rows": rows, "gen": gen}))
        elif table == "runs":
            rows = [{**run_props(r), "created_ns": base_ns + i} for i, r in enumerate(records)]
            out.append((q.RUN_IMPORT, {"rows": rows}))
        elif table == "networks":
            by_run: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for n in records:
                by_run[n.run_id].append(network_row(n))
            for run_id, rows in by_run.items():
                out.append((q.NETWORKS_WRITE, {"run_id": run_id, "rows": rows}))
        elif table == "cases":
            rows = [
                {
                    "case_id": c.case_id,
                    "name": c.name,
                    "payload_json": json.dumps(c.payload),
                    "created_at": c.created_at,
                    "updated_at": c.updated_at,
                }
                for c in records
            ]
            out.append((q.CASE_IMPORT, {"rows": rows}))
        elif table == "notes":
            rows = [
                {"node_id": n.node_id, "text": n.text, "updated_at": n.updated_at} for n in records
            ]
            out.append((q.NOTE_IMPORT, {"rows": rows}))
        elif table == "judgements":
            # created_ns orders judgements; pages arrive in order, so later pages sort later.
            rows = [
                {
                    "left_id": j.left,
                    "right_id": j.right,
                    "verdict": j.verdict,
                    "user_name": j.user,
                    "created_at": j.created_at,
                    "created_ns": base_ns + i,
                    "withdrawn_by": j.withdrawn_by,
                    "withdrawn_at": j.withdrawn_at,
                }
                for i, j in enumerate(records)
            ]
            out.append((q.JUDGEMENT_IMPORT, {"rows": rows}))
        elif table == "audit_log":
            # Stored user and time kept; created_ns only orders, and pages arrive in order.
            rows = [
                {
                    "user_name": e.user,
                    "action": e.action,
                    "target": e.target,
                    "detail": e.detail,
                    "created_at": e.created_at,
                    "created_ns": base_ns + i,
                }
                for i, e in enumerate(records)
            ]
            out.append((q.AUDIT_ADD, {"rows": rows}))
        else:
            raise StoreError(f"unknown table {table!r}")
        return out

    def finish_migration(self, migration: str) -> None:
        staged = self.migration_checkpoint(migration, "graph")
        if staged is not None and not staged.done:
            self.publish_graph(int(staged.position))
            self.write(
                q.CHECKPOINT_SET,
                migration=migration,
                table="graph",
                position=staged.position,
                rows=0,
                done=True,
            )

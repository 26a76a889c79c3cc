"""The ``GraphStore`` contract every backend (SQLite, Neo4j) fulfils.

It speaks in domain operations (load a file, replace the resolved graph, record a run)
rather than raw statements, so the loaders, resolver, analytics and app never see SQL or
Cypher, and each backend keeps its writes transactional in its own way. The contract is
a set of small role protocols (loads, graph write, graph read, search, runs, judgements,
resolver state, workspace, audit, watchlists) composed into ``GraphStore``; a client that
needs one role types its parameter against that role.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from itertools import islice
from operator import itemgetter
from typing import Any, NamedTuple, Protocol, TypeVar

import orjson

from graphintel.daily.roles import AlertStore, LineageStore
from graphintel.errors import StoreError
from graphintel.evidence_weights import StoredRow
from graphintel.model import EdgeKind, NodeKind, Role
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
from graphintel.store.bulk import MigrationSide

DEFAULT_BATCH = 10_000
# Property-free rows of the projection reads: (id, kind value, label) and
# (source, kind value, target, weight).
NodeLabel = tuple[str, str, str]
EdgeEnds = tuple[str, str, str, float]
# Rows of the tuple-based graph write (``GraphPart``): no record per row.
# Node: (id, kind value, label, props as JSON text, see ``props_json``).
NodeRow = tuple[str, str, str, str]
# Edge: (source, kind value, target, weight, props as JSON text, "{}" when none).
EdgeRow = tuple[str, str, str, float, str]
# Mention assignment: (shipment id, role value, entity id, name as written).
AssignmentRow = tuple[str, str, str, str]
# Merge evidence: its fields in ``MergeEvidence`` order (the merge_evidence columns).
EvidenceRow = StoredRow


class GraphPart(NamedTuple):
    """One part of a graph written by ``GraphStore.replace_graph_parts``.

    Parts let a producer write what it already knows (shipment and identifier nodes and
    their edges) while it still computes the rest (parties, after entity resolution).
    Within a part the store writes nodes, then edges, then assignments, then evidence.
    An edge's ends are nodes of its own part or of an earlier one; repeated edges, also
    across parts, add up their weights; evidence keeps its order across parts. Any of
    the iterables may be a lazy generator: each is consumed once, in that order.
    """

    nodes: Iterable[NodeRow]
    edges: Iterable[EdgeRow]
    assignments: Iterable[AssignmentRow]
    evidence: Iterable[MergeEvidence]


class GraphRemoval(NamedTuple):
    """What a ``GraphChange`` removes from the resolved graph before writing its part."""

    nodes: Collection[str] = ()  # node ids removed (their edges stay unless listed below)
    # party node ids removed with every edge at either end and their mention assignments
    entities: Collection[str] = ()
    edges_from: Collection[tuple[str, str]] = ()  # (source, edge kind value): edges removed
    # (old party id, new party id): a party whose id changed keeps the edges that end at
    # it and its mention assignments, moved to the new id (its old node goes by ``nodes``)
    renamed: Collection[tuple[str, str]] = ()
    # (entity id, mention a, mention b): the merges whose evidence rows are removed (None:
    # every row)
    evidence: Collection[tuple[str, str, str]] | None = ()


class GraphChange(NamedTuple):
    """One step of ``GraphStore.update_graph``: its removal, then its part."""

    removal: GraphRemoval
    part: GraphPart


STATE_CHUNK = 4 << 20  # bytes per stored piece of the resolver state
_T = TypeVar("_T")


def utc_now() -> str:
    """The time stamps every backend stores: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def chunks(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    """Batches of ``size`` from any iterable, so writes stream instead of piling up."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def props_json(props: dict[str, Any]) -> str:
    """A node's or edge's properties as the JSON text both backends store.

    orjson encodes a shipment's properties about eight times faster than ``json.dumps``
    (compact, UTF-8); what it refuses (non-string keys, surrogates, huge integers) goes
    through ``json.dumps`` instead. Readers only ever ``json.loads`` it.
    """
    if not props:
        return "{}"
    try:
        return orjson.dumps(props).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(props)


_NODE_KINDS = frozenset(k.value for k in NodeKind)
_EDGE_KINDS = frozenset(k.value for k in EdgeKind)
_ROLES = frozenset(r.value for r in Role)
row_kind = itemgetter(1)  # a graph row's kind (node, edge) or role (assignment) value


def check_kinds(values: Iterable[str], what: str) -> None:
    """StoreError unless every value is a ``what`` ("node", "edge" kind or "mention" role)
    GraphIntel knows: a graph write refuses rows rather than store a kind no reader maps."""
    known = {"node": _NODE_KINDS, "edge": _EDGE_KINDS, "mention": _ROLES}[what]
    unknown = set(values) - known
    if unknown:
        shown = ", ".join(repr(v) for v in sorted(map(str, unknown))[:5])
        raise StoreError(f"{what} rows name unknown kinds: {shown}; nothing was written")


def node_rows(nodes: Iterable[NodeRecord]) -> Iterator[NodeRow]:
    """Records as graph rows (what a migration into Neo4j writes)."""
    for n in nodes:
        yield n.id, n.kind.value, n.label, props_json(n.props)


def edge_rows(edges: Iterable[EdgeRecord]) -> Iterator[EdgeRow]:
    for e in edges:
        yield e.source, e.kind.value, e.target, e.weight, props_json(e.props)


def evidence_row(e: MergeEvidence) -> EvidenceRow:
    """A ``MergeEvidence`` as a row (``dataclasses.astuple`` deep-copies: ten times slower)."""
    return (e.entity_id, e.mention_a, e.mention_b, e.field, e.value_a, e.value_b,
            e.similarity, e.weight, e.rule, e.level, e.tf_count)  # fmt: skip


def new_run(kind: str, params: dict[str, Any], versions: dict[str, str]) -> RunRecord:
    """A fresh, running run record with an id that sorts by start time on every backend."""
    return RunRecord(
        run_id=f"run-{datetime.now(UTC):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:6]}",
        kind=kind,
        status="running",
        started_at=utc_now(),
        finished_at="",
        params=params,
        versions=versions,
        counts={},
    )


VERDICTS = ("same", "different")


WATCHLIST_KINDS = ("bad", "trusted")


def check_watchlist_kind(kind: str) -> str:
    """``kind`` if it is a watchlist kind, else ValueError."""
    if kind not in WATCHLIST_KINDS:
        known = ", ".join(WATCHLIST_KINDS)
        raise ValueError(f"watchlist kind must be one of {known}, not {kind!r}")
    return kind


def check_verdict(verdict: str) -> str:
    """A judgement's verdict, refused unless it is one every backend and the resolver know."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}, not {verdict!r}")
    return verdict


AUDIT_ACTIONS = ("login", "login_failed", "logout", "search", "view", "judge", "export",
                 "save_case", "rename_case", "delete_case", "note", "ack_alert",
                 "refresh_case")  # fmt: skip
AUDIT_LIMIT = 1000


def audit_entry(user: str, action: str, target: str, detail: str = "") -> AuditEntry:
    """An audit entry stamped now, refused unless its action is one of ``AUDIT_ACTIONS``."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"audit action must be one of {AUDIT_ACTIONS}, not {action!r}")
    return AuditEntry(user, action, target, detail, utc_now())


class LoadWriter(Protocol):
    """Writes one file's rows inside one transaction (see ``GraphStore.load_transaction``)."""

    def existing_shipment_ids(self, shipment_ids: Sequence[str]) -> set[str]:
        """Which of these shipment ids the store already holds (earlier batches included)."""
        ...

    def add_shipments(self, shipments: Sequence[ShipmentRecord]) -> None: ...

    def add_quarantine(self, entries: Sequence[QuarantineEntry]) -> None: ...


class LoadStore(Protocol):
    """Source rows: files loaded, their shipments and quarantined rows."""

    def completed_load(self, file_id: str) -> LoadReport | None:
        """The successful load of the file with this content hash, if there was one."""
        ...

    def load_transaction(self, report: LoadReport) -> AbstractContextManager[LoadWriter]:
        """All of a file's rows commit together with its report, or none do."""
        ...

    def loads(self) -> list[LoadReport]: ...

    def quarantine(
        self, load_id: str | None = None, limit: int = 1000
    ) -> list[QuarantineEntry]: ...

    def shipment_count(self) -> int: ...

    def iter_shipments(self, batch_size: int = DEFAULT_BATCH) -> Iterator[list[ShipmentRecord]]:
        """Every shipment, in batches, ordered by shipment id."""
        ...

    def iter_shipments_of_loads(
        self, load_ids: Collection[str], batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[ShipmentRecord]]:
        """The shipments these loads added, in batches, ordered by shipment id: a daily
        resolution reads only the loads its saved state has not seen."""
        ...

    def shipments(self, shipment_ids: Sequence[str]) -> list[ShipmentRecord]: ...

    def shipment_stats(
        self, value_bin: float = 50.0, value_cap: float = 2000.0, top_countries: int = 15
    ) -> ShipmentStats:
        """Shipments per month, per declared-value bin of ``value_bin`` USD (values from
        ``value_cap`` up share the last bin) and for the top origin countries."""
        ...


class GraphWriter(Protocol):
    """Writes the resolved graph (the resolver's output) as one atomic swap."""

    def replace_graph_parts(self, parts: Iterable[GraphPart]) -> None:
        """Swap in a new graph written from ``parts``, in order, as ONE atomic swap
        (a whole graph may be one part): readers see the old graph until every part is
        written, then the whole new one, and the search index is invalidated.

        Parts are consumed strictly in order and lazily: the next part is not taken from
        ``parts`` before the previous one is fully written, so a producer may compute
        part 2 while part 1 is written. Within a part: nodes, then edges, then
        assignments, then evidence. An edge's ends are nodes of its own part or of an
        earlier part. Repeated edges, also across parts, add up their weights. Evidence
        keeps its order across parts (SQLite ids and Neo4j ``seq`` continue), so
        ``merge_evidence`` lists it as written. A row of an unknown kind or role is a
        StoreError, and an exception raised by ``parts`` or any of its iterables
        propagates; either way the old graph stays as it was. On SQLite the write lock
        is held from the first part to the last, and a table's indexes are rebuilt after
        the first part that writes rows to it (later rows update them one by one: put
        the bulk of each table in its first part). Any iterable may be ``StagedRows``
        (``graphintel.store.staging``): SQLite copies those in one statement."""
        ...

    def update_graph(self, changes: Iterable[GraphChange]) -> None:
        """Change the resolved graph in place, as ONE atomic step: for each change in
        order, remove what its ``removal`` names, then write its ``part`` as
        ``replace_graph_parts`` would (nodes, edges with weights summed, assignments,
        evidence appended after the rows kept). A removal's ``evidence`` names the
        merges whose evidence rows go (``None``: all of them); ``merge_evidence`` lists an
        entity's merges in the resolver's order whatever order they were written in.
        Readers see the old graph until the last change is written; a built search index
        is brought up to date for the nodes the changes touched (in the same step), so a
        day's delta does not cost a rebuild. Changes are consumed lazily, each after the
        previous one is written.
        An error leaves the old graph as it was."""
        ...


class GraphReader(Protocol):
    """Reads of the resolved graph: nodes, edges, mentions, evidence, provenance."""

    def iter_mentions(
        self, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[MentionAssignment]]: ...

    def merge_evidence(self, entity_id: str) -> list[MergeEvidence]:
        """The entity's evidence rows as the resolver made them, model rows weighed with
        the graph's model weights, merges in the resolver's order (``evidence_weights``;
        in written order in a store written before the weights were kept)."""
        ...

    def iter_evidence(self, batch_size: int = DEFAULT_BATCH) -> Iterator[list[MergeEvidence]]:
        """Every evidence row as stored (derived columns 0), in written order."""
        ...

    def iter_nodes(
        self, kinds: Collection[NodeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[NodeRecord]]: ...

    def iter_edges(
        self, kinds: Collection[EdgeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[EdgeRecord]]: ...

    def iter_node_labels(
        self, kinds: Collection[NodeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[NodeLabel]]:
        """``(id, kind value, label)`` of the resolved graph's nodes, without properties:
        what an analysis projection needs of parties and identifiers, read fast."""
        ...

    def iter_edge_ends(
        self, kinds: Collection[EdgeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[EdgeEnds]]:
        """``(source, kind value, target, weight)`` of the resolved graph's edges, without
        properties (``iter_edges`` decodes them for every edge, which dominates a
        million-shipment projection)."""
        ...

    def scanning(self) -> AbstractContextManager[None]:
        """The calling thread's reads inside it are one pass over whole tables (the
        analysis' read of the graph): a store that caches pages per connection keeps few
        and lets them go at the end."""
        ...

    def nodes(self, node_ids: Sequence[str]) -> list[NodeRecord]: ...

    def edges_among(self, node_ids: Sequence[str]) -> list[EdgeRecord]:
        """Edges whose two ends are both in ``node_ids``."""
        ...

    def neighbours(self, node_id: str, limit: int = 100) -> tuple[list[EdgeRecord], int]:
        """Up to ``limit`` edges touching ``node_id`` and how many there are in all."""
        ...

    def provenance(self, node_id: str, limit: int = 100) -> list[Provenance]:
        """The source rows (file, row, load) behind a node."""
        ...

    def counts(self) -> dict[str, int]:
        """Row counts by table or node kind, for reports and the app's status line."""
        ...


class SearchStore(Protocol):
    """Finding parties and identifiers by name or number, typos included."""

    def search(self, text: str, limit: int = 20) -> list[NodeRecord]: ...

    def build_search_index(self) -> int:
        """(Re)build the typo-tolerant index over the current graph's parties and identifiers
        (analysis does it once per resolved graph); returns how many entries it covers."""
        ...

    def search_index_ready(self) -> bool:
        """Whether the index covers the current graph: False on stores written before it
        existed and after a new graph replaced the indexed one."""
        ...

    def fuzzy_candidates(self, text: str, limit: int = 300) -> list[SearchCandidate]:
        """Up to ``limit`` parties and identifiers resembling ``text``, misspellings included,
        roughly best first, for the caller to re-rank; [] while the index is not ready."""
        ...


class RunStore(Protocol):
    """Analysis runs and the networks they found."""

    def start_run(
        self, kind: str, params: dict[str, Any], versions: dict[str, str]
    ) -> RunRecord: ...

    def finish_run(
        self,
        run_id: str,
        counts: dict[str, int],
        networks: Iterable[Network] = (),
    ) -> RunRecord:
        """Mark a run succeeded and store its networks, atomically."""
        ...

    def fail_run(self, run_id: str, message: str) -> RunRecord: ...

    def runs(self, kind: str | None = None) -> list[RunRecord]: ...

    def latest_run(self, kind: str = "analyze") -> RunRecord | None:
        """The newest succeeded run of ``kind``."""
        ...

    def networks(
        self,
        run_id: str,
        limit: int | None = None,
        offset: int = 0,
        with_members: bool = True,
    ) -> list[Network]:
        """A run's networks, highest score first; listings skip the member ids."""
        ...

    def network(self, run_id: str, network_id: str) -> Network | None: ...


class JudgementStore(Protocol):
    """Investigators' same/different verdicts that every resolution obeys."""

    def add_judgement(self, left: str, right: str, verdict: str, user: str) -> Judgement:
        """Record that ``left`` and ``right`` are the ``"same"`` or a ``"different"`` party,
        stamped with ``user`` and the UTC time; later resolutions obey it."""
        ...

    def judgements(self, include_withdrawn: bool = False) -> list[Judgement]:
        """The judgements in force (with ``include_withdrawn``: every one ever recorded,
        withdrawn ones marked), oldest first."""
        ...

    def withdraw_judgement(self, left: str, right: str, user: str) -> list[Judgement]:
        """Mark every judgement in force on the pair ``left``/``right`` (either order)
        withdrawn by ``user`` now; later resolutions no longer apply them. Returns them as
        withdrawn (empty when none was in force)."""
        ...


class ResolverStateStore(Protocol):
    """What one resolution saves for the next, incremental one."""

    def resolver_state(self) -> dict[str, bytes]:
        """The named parts the last resolution saved for the next, incremental one (empty
        when there is none)."""
        ...

    def save_resolver_state(self, parts: dict[str, bytes]) -> None:
        """Replace the saved resolver state with ``parts`` in one transaction (``{}``
        clears it)."""
        ...


class WorkspaceStore(Protocol):
    """The investigator workspace: saved cases and notes on nodes."""

    def save_case(self, case_id: str, name: str, payload: dict[str, Any]) -> CaseRecord:
        """Create or overwrite a case; an overwrite keeps its creation time."""
        ...

    def cases(self) -> list[CaseRecord]:
        """Every case, most recently updated first, without payloads (a listing)."""
        ...

    def case(self, case_id: str) -> CaseRecord | None: ...

    def rename_case(self, case_id: str, name: str) -> CaseRecord:
        """Raises NotFoundError if there is no such case."""
        ...

    def delete_case(self, case_id: str) -> bool:
        """True if the case existed."""
        ...

    def set_note(self, node_id: str, text: str) -> None:
        """An investigator's note on a node; empty text deletes it."""
        ...

    def notes(self, node_ids: Sequence[str]) -> dict[str, str]:
        """The notes on these nodes, by node id (nodes without a note are left out)."""
        ...


class AuditStore(Protocol):
    """Who searched, viewed, judged and exported what."""

    def add_audit(self, entries: Sequence[AuditEntry]) -> None:
        """Append entries to the audit log (who searched, viewed, judged, exported what)."""
        ...

    def audit_log(
        self,
        user: str | None = None,
        action: str | None = None,
        since: str | None = None,
        limit: int = AUDIT_LIMIT,
    ) -> list[AuditEntry]:
        """The newest ``limit`` entries matching every filter given (``since``: an ISO date
        or time, UTC, inclusive), oldest first."""
        ...


class WatchlistStore(Protocol):
    """Known bad or trusted parties, matched by analysis."""

    def replace_watchlist(
        self, watchlist: Watchlist, entries: Sequence[WatchlistEntry]
    ) -> Watchlist:
        """Add a list, or replace the list of that name with its entries, in one step."""
        ...

    def watchlists(self) -> list[Watchlist]:
        """Every list, by name."""
        ...

    def watchlist_entries(self, names: Sequence[str] | None = None) -> list[WatchlistEntry]:
        """The entries of the named lists (all lists when None), by list then row."""
        ...

    def remove_watchlist(self, name: str) -> bool:
        """Delete a list and its entries; True if it existed."""
        ...


class GraphStore(
    LoadStore,
    GraphWriter,
    GraphReader,
    SearchStore,
    RunStore,
    JudgementStore,
    ResolverStateStore,
    WorkspaceStore,
    AuditStore,
    WatchlistStore,
    LineageStore,
    AlertStore,
    Protocol,
):
    """Persistent home of source rows, the resolved graph and analysis runs: every role
    above, plus what opening, closing and migrating a whole store needs."""

    url: str

    def close(self) -> None: ...

    def migration_side(self) -> MigrationSide:
        """This store as the source or target of ``graphintel migrate``."""
        ...

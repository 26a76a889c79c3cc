"""Every Cypher statement the Neo4j store runs, in one place.

Labels and relationship types come only from ``graphintel.model`` (the investigative graph)
and from the two enums below (the store's own bookkeeping), never from data; every value
travels as a ``$parameter``. ``all_statements()`` lists each statement once with the
parameters it takes, so a test can lint all of them with Neo4j's own Cypher front end and
check that the store passes exactly those parameters.

Storage model (why it looks the way it does):

* A ``Shipment`` node is the source row itself (typed properties, provenance) and also the
  shipment node of the resolved graph. Rows are visible once their ``Load`` node has
  ``committed = true``: a load writes its rows in batches, tagged with its ``load_id``, and
  flips that one flag at the end (see ``graphintel.store.neo4j``).
* The resolved graph is versioned by generation: ``Party`` and identifier nodes, their
  relationships, mentions and merge evidence carry ``gen``; a shipment lists the generations
  it belongs to in ``gens``. ``GraphState.current`` names the generation readers see, so a
  new resolution is staged beside the old one and swapped in by one small transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from enum import StrEnum

from graphintel.model import EDGE_TYPES, NODE_ID_PREFIX, EdgeKind, EdgeType, NodeKind
from graphintel.records import ShipmentRecord


class StoreLabel(StrEnum):
    """Labels of the store's bookkeeping nodes (not part of the investigative graph)."""

    LOAD = "Load"
    QUARANTINE = "QuarantineEntry"
    MENTION = "Mention"
    MERGE_EVIDENCE = "MergeEvidence"
    RUN = "Run"
    NETWORK = "Network"
    GRAPH_STATE = "GraphState"
    CASE = "Case"
    NOTE = "Note"
    JUDGEMENT = "Judgement"
    WATCHLIST = "Watchlist"
    WATCHLIST_ENTRY = "WatchlistEntry"
    AUDIT = "AuditEntry"
    CHECKPOINT = "MigrationCheckpoint"
    RESOLVER_STATE = "ResolverState"


class StoreRel(StrEnum):
    HAS_NETWORK = "HAS_NETWORK"


FULLTEXT_INDEX = "graphintel_search"

# Node kinds in the order of their id prefixes: walking them one after another in id order
# gives the same global id order as the embedded store's ``ORDER BY id``.
KINDS_IN_ID_ORDER: tuple[NodeKind, ...] = tuple(sorted(NodeKind, key=lambda k: NODE_ID_PREFIX[k]))
GRAPH_KINDS: tuple[NodeKind, ...] = tuple(k for k in NodeKind if k is not NodeKind.SHIPMENT)
EDGE_KINDS_IN_ORDER: tuple[EdgeKind, ...] = tuple(sorted(EdgeKind, key=lambda k: k.value))


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SHIPMENT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(ShipmentRecord) if f.name not in ("provenance", "extra")
)

# Every property key a statement may read; the lint test hands this list to the linter so a
# misspelt property is reported.
PROPERTY_KEYS: tuple[str, ...] = tuple(
    sorted(
        {
            *SHIPMENT_FIELDS,
            *_words(
                "extra_json file_id row_number load_id id label props_json gens gen key weight"
                " file_path status rows_read rows_loaded rows_quarantined rows_duplicate"
                " started_at finished_at message committed created_ns seq column reason raw"
                " role entity_id name mention_a mention_b field value_a value_b similarity rule"
                " run_id kind params_json versions_json counts_json network_id rank score"
                " reasons evidence_json typologies first_date last_date seized_count"
                " n_shipments n_entities shipment_ids entity_ids current next gens countries"
                " points_json"
                " source target migration table position rows done seized_ids"
                " gds_component gds_community gds_pagerank"
                " case_id payload_json created_at updated_at node_id text"
                " left_id right_id verdict user_name withdrawn_by withdrawn_at action target"
                " detail"
                " added_at entries list_name row_number country address phone email"
                " payment_account ip note chunk data"
            ),
        }
    )
)


@dataclass(frozen=True)
class Statement:
    """One Cypher statement and the names of the parameters it takes."""

    name: str
    text: str
    params: frozenset[str]


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def parameters_in(text: str) -> frozenset[str]:
    """The ``$names`` a statement's text refers to."""
    return frozenset(_PARAM.findall(text))


def _st(name: str, text: str, *params: str) -> Statement:
    return Statement(name, " ".join(text.split()), frozenset(params))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# -- generation-aware fragments -------------------------------------------------------------
_GEN = "MATCH (state:GraphState {key: 'graph'}) WITH state.current AS gen"
_COMMITTED = "MATCH (l:Load) WHERE l.committed WITH collect(l.load_id) AS ok"


def _in_gen(var: str, kind: NodeKind, gen: str = "gen") -> str:
    """Predicate: node ``var`` of ``kind`` belongs to generation ``gen``."""
    if kind is NodeKind.SHIPMENT:
        return f"{gen} IN coalesce({var}.gens, [])"
    return f"{var}.gen = {gen}"


def _node_return(var: str) -> str:
    return f"{var}.id AS id, {var}.label AS label, {var}.props_json AS props"


# -- schema ----------------------------------------------------------------------------------
def schema_statements() -> list[Statement]:
    """Constraints and indexes, each created only if missing (safe on every start)."""
    out = [
        _st(
            "constraint_shipment_id",
            "CREATE CONSTRAINT shipment_shipment_id IF NOT EXISTS"
            " FOR (n:Shipment) REQUIRE n.shipment_id IS UNIQUE",
        ),
        _st(
            "index_shipment_id", "CREATE INDEX shipment_id IF NOT EXISTS FOR (n:Shipment) ON (n.id)"
        ),
        _st(
            "index_shipment_load",
            "CREATE INDEX shipment_load_id IF NOT EXISTS FOR (n:Shipment) ON (n.load_id)",
        ),
    ]
    for kind in GRAPH_KINDS:
        snake = _snake(kind.value)
        out.append(
            _st(
                f"constraint_{snake}_id_gen",
                f"CREATE CONSTRAINT {snake}_id_gen IF NOT EXISTS"
                f" FOR (n:{kind.value}) REQUIRE (n.id, n.gen) IS UNIQUE",
            )
        )
        out.append(
            _st(
                f"index_{snake}_gen",
                f"CREATE INDEX {snake}_gen IF NOT EXISTS FOR (n:{kind.value}) ON (n.gen)",
            )
        )
    for edge_kind in EdgeKind:
        snake = edge_kind.value.lower()
        out.append(
            _st(
                f"index_{snake}_key",
                f"CREATE INDEX {snake}_key IF NOT EXISTS FOR ()-[r:{edge_kind.value}]-()"
                " ON (r.key)",
            )
        )
    simple = [
        ("constraint_load_id", "CONSTRAINT load_id", "Load", "REQUIRE n.load_id IS UNIQUE"),
        ("constraint_run_id", "CONSTRAINT run_id", "Run", "REQUIRE n.run_id IS UNIQUE"),
        ("constraint_case_id", "CONSTRAINT case_id", "Case", "REQUIRE n.case_id IS UNIQUE"),
        ("constraint_note_node", "CONSTRAINT note_node_id", "Note", "REQUIRE n.node_id IS UNIQUE"),
        (
            "constraint_watchlist_name",
            "CONSTRAINT watchlist_name",
            "Watchlist",
            "REQUIRE n.name IS UNIQUE",
        ),
        (
            "index_watchlist_entry",
            "INDEX watchlist_entry_list",
            "WatchlistEntry",
            "ON (n.list_name)",
        ),
        (
            "constraint_network_id",
            "CONSTRAINT network_id",
            "Network",
            "REQUIRE (n.run_id, n.network_id) IS UNIQUE",
        ),
        (
            "constraint_graph_state",
            "CONSTRAINT graph_state_key",
            "GraphState",
            "REQUIRE n.key IS UNIQUE",
        ),
        (
            "constraint_checkpoint",
            "CONSTRAINT migration_checkpoint",
            "MigrationCheckpoint",
            "REQUIRE (n.migration, n.table) IS UNIQUE",
        ),
        ("index_load_file", "INDEX load_file_id", "Load", "ON (n.file_id)"),
        ("index_quarantine_load", "INDEX quarantine_load_id", "QuarantineEntry", "ON (n.load_id)"),
        ("index_quarantine_key", "INDEX quarantine_key", "QuarantineEntry", "ON (n.key)"),
        ("index_mention_key", "INDEX mention_key", "Mention", "ON (n.key)"),
        ("index_mention_gen", "INDEX mention_gen", "Mention", "ON (n.gen)"),
        ("index_mention_entity", "INDEX mention_entity_id", "Mention", "ON (n.entity_id)"),
        (
            "index_evidence_entity",
            "INDEX merge_evidence_entity_id",
            "MergeEvidence",
            "ON (n.entity_id)",
        ),
        (
            "index_evidence_gen_seq",
            "INDEX merge_evidence_gen_seq",
            "MergeEvidence",
            "ON (n.gen, n.seq)",
        ),
        ("index_network_rank", "INDEX network_rank", "Network", "ON (n.run_id, n.rank)"),
        ("index_run_created", "INDEX run_created", "Run", "ON (n.created_ns)"),
        ("index_audit_created", "INDEX audit_created", "AuditEntry", "ON (n.created_ns)"),
    ]
    for name, head, label, tail in simple:
        out.append(_st(name, f"CREATE {head} IF NOT EXISTS FOR (n:{label}) {tail}"))
    for kind in NodeKind:
        # GDS writes communities back as properties; the network query looks them up.
        snake = _snake(kind.value)
        out.append(
            _st(
                f"index_{snake}_gds_community",
                f"CREATE INDEX {snake}_gds_community IF NOT EXISTS"
                f" FOR (n:{kind.value}) ON (n.gds_community)",
            )
        )
    searchable = "|".join(k.value for k in GRAPH_KINDS)
    out.append(
        _st(
            "index_fulltext",
            f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS"
            f" FOR (n:{searchable}) ON EACH [n.label, n.id]",
        )
    )
    return out


# -- loads -----------------------------------------------------------------------------------
LOAD_FIELDS = _words(
    "load_id file_id file_path status rows_read rows_loaded rows_quarantined rows_duplicate"
    " started_at finished_at message"
)
_LOAD_RETURN = "l {" + ", ".join(f".{f}" for f in LOAD_FIELDS) + "} AS load"

LOAD_GET = _st(
    "load_get", "MATCH (l:Load {load_id: $load_id}) RETURN l.committed AS committed", "load_id"
)
LOAD_STAGE = _st(
    "load_stage",
    "MERGE (l:Load {load_id: $load_id}) SET l += $props, l.committed = false",
    "load_id",
    "props",
)
LOAD_STALE = _st(
    "load_stale",
    "MATCH (l:Load {file_id: $file_id}) WHERE NOT l.committed AND l.load_id <> $load_id"
    " RETURN l.load_id AS load_id",
    "file_id",
    "load_id",
)
LOAD_DELETE_SHIPMENTS = _st(
    "load_delete_shipments",
    "MATCH (s:Shipment {load_id: $load_id}) WITH s LIMIT $limit DETACH DELETE s"
    " RETURN count(*) AS deleted",
    "load_id",
    "limit",
)
LOAD_DELETE_QUARANTINE = _st(
    "load_delete_quarantine",
    "MATCH (q:QuarantineEntry {load_id: $load_id}) WITH q LIMIT $limit DELETE q"
    " RETURN count(*) AS deleted",
    "load_id",
    "limit",
)
LOAD_DELETE = _st("load_delete", "MATCH (l:Load {load_id: $load_id}) DELETE l", "load_id")
LOAD_COMMIT = _st(
    "load_commit",
    "MATCH (l:Load {load_id: $load_id}) SET l += $props, l.committed = true",
    "load_id",
    "props",
)
LOAD_IMPORT = _st(
    "load_import",
    "UNWIND $rows AS row MERGE (l:Load {load_id: row.load_id}) SET l += row, l.committed = true",
    "rows",
)
EXISTING_SHIPMENTS = _st(
    "existing_shipments",
    "UNWIND $ids AS sid MATCH (s:Shipment {shipment_id: sid})"
    " OPTIONAL MATCH (l:Load {load_id: s.load_id})"
    " WITH s, l WHERE s.load_id = $load_id OR l.committed"
    " RETURN s.shipment_id AS shipment_id",
    "ids",
    "load_id",
)
SHIPMENTS_WRITE = _st(
    "shipments_write",
    "UNWIND $rows AS row MERGE (s:Shipment {shipment_id: row.shipment_id})"
    " SET s += row, s.arrival_date = date(row.arrival_date)",
    "rows",
)
QUARANTINE_WRITE = _st(
    "quarantine_write", "UNWIND $rows AS row CREATE (q:QuarantineEntry) SET q = row", "rows"
)
COMPLETED_LOAD = _st(
    "completed_load",
    "MATCH (l:Load {file_id: $file_id}) WHERE l.committed AND l.status = $status"
    f" WITH l ORDER BY l.started_at, l.created_ns LIMIT 1 RETURN {_LOAD_RETURN}",
    "file_id",
    "status",
)
LOADS = _st(
    "loads",
    f"MATCH (l:Load) WHERE l.committed WITH l ORDER BY l.started_at, l.created_ns"
    f" RETURN {_LOAD_RETURN}",
)
LOADS_PAGE = _st(
    "loads_page",
    "MATCH (l:Load) WHERE l.committed AND l.created_ns > $after"
    f" WITH l ORDER BY l.created_ns LIMIT $limit RETURN {_LOAD_RETURN}, l.created_ns AS position",
    "after",
    "limit",
)
_QUARANTINE_RETURN = (
    "q.file_id AS file_id, q.file_path AS file_path, q.row_number AS row_number,"
    " q.column AS column, q.reason AS reason, q.raw AS raw, q.load_id AS load_id"
)
QUARANTINE = _st(
    "quarantine",
    "MATCH (l:Load) WHERE l.committed AND ($load_id IS NULL OR l.load_id = $load_id)"
    " MATCH (q:QuarantineEntry {load_id: l.load_id})"
    " WITH l, q ORDER BY l.started_at, l.created_ns, q.seq LIMIT $limit"
    f" RETURN {_QUARANTINE_RETURN}",
    "load_id",
    "limit",
)
QUARANTINE_PAGE = _st(
    "quarantine_page",
    f"{_COMMITTED} MATCH (q:QuarantineEntry) WHERE q.key > $after AND q.load_id IN ok"
    f" WITH q ORDER BY q.key LIMIT $limit RETURN {_QUARANTINE_RETURN}, q.key AS position",
    "after",
    "limit",
)
SHIPMENT_COUNT = _st(
    "shipment_count",
    "MATCH (l:Load) WHERE l.committed MATCH (s:Shipment {load_id: l.load_id}) RETURN count(s) AS n",
)
QUARANTINE_COUNT = _st(
    "quarantine_count",
    "MATCH (l:Load) WHERE l.committed MATCH (q:QuarantineEntry {load_id: l.load_id})"
    " RETURN count(q) AS n",
)
LOAD_COUNT = _st("load_count", "MATCH (l:Load) WHERE l.committed RETURN count(l) AS n")
_SHIPMENT_RETURN = "s {.*, arrival_date: toString(s.arrival_date)} AS shipment"
SHIPMENTS_PAGE = _st(
    "shipments_page",
    f"{_COMMITTED} MATCH (s:Shipment) WHERE s.shipment_id > $after AND s.load_id IN ok"
    f" WITH s ORDER BY s.shipment_id LIMIT $limit RETURN {_SHIPMENT_RETURN}",
    "after",
    "limit",
)
SHIPMENTS_BY_ID = _st(
    "shipments_by_id",
    f"{_COMMITTED} UNWIND $ids AS sid MATCH (s:Shipment {{shipment_id: sid}})"
    f" WHERE s.load_id IN ok RETURN {_SHIPMENT_RETURN}",
    "ids",
)

# -- resolved graph: staging and swapping ----------------------------------------------------
GRAPH_STATE_INIT = _st(
    "graph_state_init",
    "MERGE (st:GraphState {key: 'graph'})"
    " ON CREATE SET st.current = 0, st.next = 0, st.gens = [], st.counts_json = '{}'",
)
GRAPH_STATE = _st(
    "graph_state",
    "MATCH (st:GraphState {key: 'graph'})"
    " RETURN st.current AS current, st.gens AS gens, st.counts_json AS counts_json",
)
GRAPH_BEGIN = _st(
    "graph_begin",
    "MATCH (st:GraphState {key: 'graph'}) WITH st, st.next + 1 AS gen"
    " SET st.next = gen, st.gens = st.gens + [gen] RETURN gen, st.current AS current",
)
GRAPH_FLIP = _st(
    "graph_flip",
    "MATCH (st:GraphState {key: 'graph'}) SET st.current = $gen, st.counts_json = $counts_json",
    "gen",
    "counts_json",
)
GRAPH_FORGET_GEN = _st(
    "graph_forget_gen",
    "MATCH (st:GraphState {key: 'graph'}) SET st.gens = [g IN st.gens WHERE g <> $gen]",
    "gen",
)


def node_write(kind: NodeKind) -> Statement:
    """Write a batch of nodes of one kind into generation ``$gen``."""
    if kind is NodeKind.SHIPMENT:
        # A shipment node is its source row: it is matched, never created, and keeps the
        # generation readers see now beside the new one (older numbers are never reused).
        return _st(
            "node_write_shipment",
            "UNWIND $rows AS row MATCH (n:Shipment {id: row.id})"
            " SET n.label = row.label, n.props_json = row.props,"
            " n.gens = [g IN coalesce(n.gens, []) WHERE g = $current] + [$gen]"
            " RETURN count(n) AS written",
            "rows",
            "gen",
            "current",
        )
    return _st(
        f"node_write_{_snake(kind.value)}",
        f"UNWIND $rows AS row MERGE (n:{kind.value} {{id: row.id, gen: $gen}})"
        " SET n.label = row.label, n.props_json = row.props RETURN count(n) AS written",
        "rows",
        "gen",
    )


def _endpoint(var: str, kind: NodeKind, key: str, gen: str) -> str:
    if kind is NodeKind.SHIPMENT:
        return f"({var}:Shipment {{id: {key}}})"
    return f"({var}:{kind.value} {{id: {key}, gen: {gen}}})"


def edge_write(edge: EdgeType) -> Statement:
    """Write a batch of edges of one kind; repeated edges add up their weights."""
    a = _endpoint("a", edge.source, "row.source", "$gen")
    b = _endpoint("b", edge.target, "row.target", "$gen")
    return _st(
        f"edge_write_{edge.kind.value.lower()}",
        f"UNWIND $rows AS row MATCH {a} MATCH {b}"
        f" MERGE (a)-[r:{edge.kind.value} {{gen: $gen}}]->(b)"
        " ON CREATE SET r.key = row.key, r.weight = row.weight, r.props_json = row.props"
        " ON MATCH SET r.weight = r.weight + row.weight RETURN count(r) AS written",
        "rows",
        "gen",
    )


MENTIONS_WRITE = _st(
    "mentions_write",
    "UNWIND $rows AS row CREATE (m:Mention) SET m = row, m.gen = $gen",
    "rows",
    "gen",
)
EVIDENCE_WRITE = _st(
    "evidence_write",
    "UNWIND $rows AS row CREATE (e:MergeEvidence) SET e = row, e.gen = $gen",
    "rows",
    "gen",
)


def node_count(kind: NodeKind) -> Statement:
    pred = _in_gen("n", kind, "$gen")
    return _st(
        f"node_count_{_snake(kind.value)}",
        f"MATCH (n:{kind.value}) WHERE {pred} RETURN count(n) AS n",
        "gen",
    )


def edge_count(kind: EdgeKind) -> Statement:
    return _st(
        f"edge_count_{kind.value.lower()}",
        f"MATCH ()-[r:{kind.value}]->() WHERE r.gen = $gen RETURN count(r) AS n",
        "gen",
    )


MENTION_COUNT = _st("mention_count", "MATCH (m:Mention {gen: $gen}) RETURN count(m) AS n", "gen")
EVIDENCE_COUNT = _st(
    "evidence_count", "MATCH (e:MergeEvidence {gen: $gen}) RETURN count(e) AS n", "gen"
)


def purge_nodes(kind: NodeKind) -> Statement:
    """Delete one batch of a dead generation's nodes of ``kind`` (with their edges)."""
    return _st(
        f"purge_{_snake(kind.value)}",
        f"MATCH (n:{kind.value} {{gen: $gen}}) WITH n LIMIT $limit DETACH DELETE n"
        " RETURN count(*) AS deleted",
        "gen",
        "limit",
    )


PURGE_MENTIONS = _st(
    "purge_mentions",
    "MATCH (m:Mention {gen: $gen}) WITH m LIMIT $limit DELETE m RETURN count(*) AS deleted",
    "gen",
    "limit",
)
PURGE_EVIDENCE = _st(
    "purge_evidence",
    "MATCH (e:MergeEvidence {gen: $gen}) WITH e LIMIT $limit DELETE e RETURN count(*) AS deleted",
    "gen",
    "limit",
)

# -- resolved graph: reads -------------------------------------------------------------------


def nodes_page(kind: NodeKind) -> Statement:
    return _st(
        f"nodes_page_{_snake(kind.value)}",
        f"{_GEN} MATCH (n:{kind.value}) WHERE n.id > $after AND {_in_gen('n', kind)}"
        f" WITH n ORDER BY n.id LIMIT $limit RETURN {_node_return('n')}",
        "after",
        "limit",
    )


def nodes_by_id(kind: NodeKind) -> Statement:
    return _st(
        f"nodes_by_id_{_snake(kind.value)}",
        f"{_GEN} MATCH (n:{kind.value}) WHERE n.id IN $ids AND {_in_gen('n', kind)}"
        f" RETURN {_node_return('n')}",
        "ids",
    )


_EDGE_RETURN = (
    "a.id AS source, type(r) AS kind, b.id AS target, r.weight AS weight, r.props_json AS props"
)


def edges_page(edge: EdgeType) -> Statement:
    return _st(
        f"edges_page_{edge.kind.value.lower()}",
        f"{_GEN} MATCH (a:{edge.source.value})-[r:{edge.kind.value}]->(b:{edge.target.value})"
        " WHERE r.key > $after AND r.gen = gen"
        f" WITH a, r, b ORDER BY r.key LIMIT $limit RETURN {_EDGE_RETURN}, r.key AS position",
        "after",
        "limit",
    )


def edge_ends_page(edge: EdgeType) -> Statement:
    """``edges_page`` without properties: what an analysis projection reads."""
    return _st(
        f"edge_ends_page_{edge.kind.value.lower()}",
        f"{_GEN} MATCH (a:{edge.source.value})-[r:{edge.kind.value}]->(b:{edge.target.value})"
        " WHERE r.key > $after AND r.gen = gen"
        " WITH a, r, b ORDER BY r.key LIMIT $limit"
        " RETURN a.id AS source, b.id AS target, r.weight AS weight, r.key AS position",
        "after",
        "limit",
    )


def node_labels_page(kind: NodeKind) -> Statement:
    """``nodes_page`` without properties."""
    return _st(
        f"node_labels_page_{_snake(kind.value)}",
        f"{_GEN} MATCH (n:{kind.value}) WHERE n.id > $after AND {_in_gen('n', kind)}"
        " WITH n ORDER BY n.id LIMIT $limit RETURN n.id AS id, n.label AS label",
        "after",
        "limit",
    )


EDGES_AMONG = _st(
    "edges_among",
    f"{_GEN} CALL (gen) {{"
    " MATCH (a:Shipment) WHERE a.id IN $ids RETURN a"
    " UNION MATCH (a:Party) WHERE a.id IN $ids AND a.gen = gen RETURN a }"
    " MATCH (a)-[r]->(b) WHERE r.gen = gen AND b.id IN $ids"
    f" RETURN {_EDGE_RETURN}",
    "ids",
)


def neighbours(kind: NodeKind) -> Statement:
    return _st(
        f"neighbours_{_snake(kind.value)}",
        f"{_GEN} MATCH (n:{kind.value} {{id: $id}}) WHERE {_in_gen('n', kind)}"
        " CALL (n, gen) { MATCH (n)-[r]-() WHERE r.gen = gen RETURN count(r) AS total }"
        " OPTIONAL MATCH (n)-[r]-() WHERE r.gen = gen"
        " WITH total, r ORDER BY r.weight DESC LIMIT $limit"
        " RETURN total, startNode(r).id AS source, type(r) AS kind, endNode(r).id AS target,"
        " r.weight AS weight, r.props_json AS props",
        "id",
        "limit",
    )


_PROV_RETURN = "s.file_id AS file_id, s.row_number AS row_number, s.load_id AS load_id"
PROVENANCE_SHIPMENT = _st(
    "provenance_shipment",
    f"{_GEN} MATCH (s:Shipment {{id: $id}}) WHERE gen IN coalesce(s.gens, [])"
    f" RETURN {_PROV_RETURN} LIMIT $limit",
    "id",
    "limit",
)
PROVENANCE_PARTY = _st(
    "provenance_party",
    f"{_GEN} MATCH (m:Mention {{entity_id: $id}}) WHERE m.gen = gen"
    " MATCH (s:Shipment {shipment_id: m.shipment_id})"
    f" RETURN {_PROV_RETURN} ORDER BY file_id, row_number LIMIT $limit",
    "id",
    "limit",
)


def provenance_identifier(kind: NodeKind) -> Statement:
    """Source rows behind an identifier: shipments that name it directly or via a party."""
    return _st(
        f"provenance_{_snake(kind.value)}",
        f"{_GEN} MATCH (n:{kind.value} {{id: $id}}) WHERE n.gen = gen"
        " CALL (n, gen) {"
        " MATCH (s:Shipment)-[r]->(n) WHERE r.gen = gen RETURN s"
        " UNION MATCH (s:Shipment)-[r1]->(:Party)-[r2]->(n)"
        " WHERE r1.gen = gen AND r2.gen = gen RETURN s }"
        f" RETURN DISTINCT {_PROV_RETURN} ORDER BY file_id, row_number LIMIT $limit",
        "id",
        "limit",
    )


SEARCH = _st(
    "search",
    f"{_GEN} CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node, score"
    " WHERE node.gen = gen"
    " RETURN node.id AS id, node.label AS label, node.props_json AS props LIMIT $limit",
    "query",
    "limit",
)
INDEX_STATE = _st(
    "index_state", "SHOW INDEXES YIELD name, state WHERE name = $name RETURN state", "name"
)
AWAIT_INDEXES = _st("await_indexes", "CALL db.awaitIndexes($seconds)", "seconds")
GRAPH_COUNTS = _st(
    "graph_counts", "MATCH (st:GraphState {key: 'graph'}) RETURN st.counts_json AS counts_json"
)
RUN_COUNT = _st("run_count", "MATCH (r:Run) RETURN count(r) AS n")

_MENTION_RETURN = (
    "m.shipment_id AS shipment_id, m.role AS role, m.entity_id AS entity_id, m.name AS name,"
    " m.key AS position"
)
MENTIONS_PAGE = _st(
    "mentions_page",
    f"{_GEN} MATCH (m:Mention) WHERE m.key > $after AND m.gen = gen"
    f" WITH m ORDER BY m.key LIMIT $limit RETURN {_MENTION_RETURN}",
    "after",
    "limit",
)
_EVIDENCE_RETURN = (
    "e.entity_id AS entity_id, e.mention_a AS mention_a, e.mention_b AS mention_b,"
    " e.field AS field, e.value_a AS value_a, e.value_b AS value_b,"
    " e.similarity AS similarity, e.weight AS weight, e.rule AS rule"
)
MERGE_EVIDENCE = _st(
    "merge_evidence",
    f"{_GEN} MATCH (e:MergeEvidence {{entity_id: $entity_id}}) WHERE e.gen = gen"
    f" RETURN {_EVIDENCE_RETURN} ORDER BY e.seq",
    "entity_id",
)
EVIDENCE_PAGE = _st(
    "evidence_page",
    f"{_GEN} MATCH (e:MergeEvidence) WHERE e.gen = gen AND e.seq > $after"
    f" WITH e ORDER BY e.seq LIMIT $limit RETURN {_EVIDENCE_RETURN}, e.seq AS position",
    "after",
    "limit",
)

# -- runs and networks -----------------------------------------------------------------------
RUN_FIELDS = _words(
    "run_id kind status started_at finished_at params_json versions_json counts_json message"
)
_RUN_RETURN = "r {" + ", ".join(f".{f}" for f in RUN_FIELDS) + "} AS run"

RUN_CREATE = _st("run_create", "CREATE (r:Run) SET r = $props", "props")
RUN_IMPORT = _st(
    "run_import", "UNWIND $rows AS row MERGE (r:Run {run_id: row.run_id}) SET r += row", "rows"
)
RUN_GET = _st("run_get", f"MATCH (r:Run {{run_id: $run_id}}) RETURN {_RUN_RETURN}", "run_id")
RUN_UPDATE = _st(
    "run_update",
    "MATCH (r:Run {run_id: $run_id}) SET r += $props RETURN r.run_id AS run_id",
    "run_id",
    "props",
)
RUNS = _st(
    "runs",
    "MATCH (r:Run) WHERE $kind IS NULL OR r.kind = $kind"
    f" WITH r ORDER BY r.started_at, r.created_ns RETURN {_RUN_RETURN}",
    "kind",
)
RUNS_PAGE = _st(
    "runs_page",
    "MATCH (r:Run) WHERE r.created_ns > $after"
    f" WITH r ORDER BY r.created_ns LIMIT $limit RETURN {_RUN_RETURN}, r.created_ns AS position",
    "after",
    "limit",
)
LATEST_RUN = _st(
    "latest_run",
    "MATCH (r:Run {kind: $kind}) WHERE r.status = $status"
    f" WITH r ORDER BY r.finished_at DESC, r.created_ns DESC LIMIT 1 RETURN {_RUN_RETURN}",
    "kind",
    "status",
)
NETWORKS_WRITE = _st(
    "networks_write",
    "MATCH (r:Run {run_id: $run_id}) UNWIND $rows AS row"
    " MERGE (n:Network {run_id: $run_id, network_id: row.network_id}) SET n += row"
    " MERGE (r)-[:HAS_NETWORK]->(n)",
    "run_id",
    "rows",
)
_NETWORK_RETURN = (
    "n.run_id AS run_id, n.network_id AS network_id, n.rank AS rank, n.score AS score,"
    " n.reasons AS reasons, n.evidence_json AS evidence_json, n.typologies AS typologies,"
    " n.first_date AS first_date, n.last_date AS last_date, n.seized_count AS seized_count,"
    " n.n_shipments AS n_shipments, n.n_entities AS n_entities, n.countries AS countries,"
    " n.name AS name, n.points_json AS points_json,"
    " CASE WHEN $with_members THEN n.shipment_ids ELSE [] END AS shipment_ids,"
    " CASE WHEN $with_members THEN n.entity_ids ELSE [] END AS entity_ids"
)
NETWORKS = _st(
    "networks",
    "MATCH (n:Network {run_id: $run_id})"
    f" WITH n ORDER BY n.rank SKIP $offset LIMIT $limit RETURN {_NETWORK_RETURN}",
    "run_id",
    "offset",
    "limit",
    "with_members",
)
NETWORK = _st(
    "network",
    f"MATCH (n:Network {{run_id: $run_id, network_id: $network_id}}) RETURN {_NETWORK_RETURN}",
    "run_id",
    "network_id",
    "with_members",
)
NETWORKS_PAGE = _st(
    "networks_page",
    "MATCH (n:Network) WHERE n.run_id > $run_id"
    " OR (n.run_id = $run_id AND n.network_id > $network_id)"
    f" WITH n ORDER BY n.run_id, n.network_id LIMIT $limit RETURN {_NETWORK_RETURN}",
    "run_id",
    "network_id",
    "limit",
    "with_members",
)

# -- Graph Data Science (run inside the database; see graphintel.analytics.gds) -------------
_IDENTIFIER_LABELS = "|".join(k.value for k in GRAPH_KINDS if k is not NodeKind.PARTY)
GDS_PROJECT = _st(
    "gds_project",
    # Identifiers linked to more than $hub_limit shipments or parties are cut, as in the
    # embedded analytics: consolidators and marketplace hotlines would join everything.
    f"{_GEN} MATCH (a)-[r]->(b) WHERE r.gen = gen"
    f" AND (NOT b:{_IDENTIFIER_LABELS} OR COUNT {{ (b)<-[x]-() WHERE x.gen = gen }} <= $hub_limit)"
    " WITH gds.graph.project($graph_name, a, b, {relationshipProperties: {weight: r.weight}},"
    " {undirectedRelationshipTypes: ['*']}) AS g"
    " RETURN g.graphName AS graph_name, g.nodeCount AS node_count,"
    " g.relationshipCount AS relationship_count",
    "hub_limit",
    "graph_name",
)
GDS_WCC = _st(
    "gds_wcc",
    "CALL gds.wcc.write($graph_name, {writeProperty: 'gds_component'})"
    " YIELD componentCount, nodePropertiesWritten"
    " RETURN componentCount AS components, nodePropertiesWritten AS written",
    "graph_name",
)
GDS_LEIDEN = _st(
    "gds_leiden",
    "CALL gds.leiden.write($graph_name, {writeProperty: 'gds_community',"
    " relationshipWeightProperty: 'weight', gamma: $gamma, randomSeed: $seed, concurrency: 1})"
    " YIELD communityCount, modularity, ranLevels"
    " RETURN communityCount AS communities, modularity, ranLevels AS levels",
    "graph_name",
    "gamma",
    "seed",
)
GDS_PAGERANK = _st(
    "gds_pagerank",
    "CALL gds.pageRank.write($graph_name, {writeProperty: 'gds_pagerank',"
    " relationshipWeightProperty: 'weight', maxIterations: $max_iterations,"
    " tolerance: $tolerance}) YIELD ranIterations, didConverge"
    " RETURN ranIterations AS iterations, didConverge AS converged",
    "graph_name",
    "max_iterations",
    "tolerance",
)
GDS_DROP = _st(
    "gds_drop",
    "CALL gds.graph.drop($graph_name, false) YIELD graphName RETURN graphName AS graph_name",
    "graph_name",
)
GDS_COMMUNITIES = _st(
    "gds_communities",
    # Ranked in the database so only the top communities ever reach the driver.
    f"{_GEN} MATCH (s:Shipment) WHERE gen IN coalesce(s.gens, []) AND s.gds_community IS NOT NULL"
    " WITH s.gds_community AS community, count(s) AS n_shipments,"
    " sum(CASE WHEN s.inspection_outcome = $seized THEN 1 ELSE 0 END) AS seized_count,"
    " sum(coalesce(s.gds_pagerank, 0.0)) AS pagerank,"
    " min(s.arrival_date) AS first_date, max(s.arrival_date) AS last_date,"
    " collect(DISTINCT s.seizure_category) AS categories,"
    " collect(DISTINCT s.gds_component) AS components,"
    " collect(CASE WHEN s.inspection_outcome = $seized THEN s.id END) AS seized_ids"
    " WHERE n_shipments >= $min_shipments"
    " RETURN community, n_shipments, seized_count, pagerank,"
    " toString(first_date) AS first_date, toString(last_date) AS last_date,"
    " [c IN categories WHERE c <> ''] AS categories, components,"
    " seized_ids[..$max_members] AS seized_ids"
    " ORDER BY seized_count DESC, pagerank DESC, community LIMIT $top",
    "seized",
    "min_shipments",
    "top",
    "max_members",
)


def gds_members(kind: NodeKind) -> Statement:
    """Up to ``$max_members`` members of kind ``kind`` of each of the given communities."""
    return _st(
        f"gds_members_{_snake(kind.value)}",
        f"{_GEN} UNWIND $communities AS c"
        f" CALL (c, gen) {{ MATCH (n:{kind.value}) WHERE n.gds_community = c"
        f" AND {_in_gen('n', kind)} RETURN n.id AS id ORDER BY id LIMIT $max_members }}"
        " RETURN c AS community, id",
        "communities",
        "max_members",
    )


# -- overview aggregates ----------------------------------------------------------------------
_COMMITTED_SHIPMENTS = "MATCH (l:Load) WHERE l.committed MATCH (s:Shipment {load_id: l.load_id})"
SHIPMENTS_BY_MONTH = _st(
    "shipments_by_month",
    f"{_COMMITTED_SHIPMENTS} WITH left(toString(s.arrival_date), 7) AS month"
    " RETURN month, count(*) AS n ORDER BY month",
)
SHIPMENTS_BY_VALUE = _st(
    "shipments_by_value",
    f"{_COMMITTED_SHIPMENTS}"
    " WITH CASE WHEN s.declared_value_usd < 0 THEN 0"
    " ELSE toInteger(floor(s.declared_value_usd / $value_bin)) END AS raw"
    " WITH CASE WHEN raw > $last_bin THEN $last_bin ELSE raw END AS bin"
    " RETURN bin, count(*) AS n ORDER BY bin",
    "value_bin",
    "last_bin",
)
SHIPMENTS_BY_COUNTRY = _st(
    "shipments_by_country",
    f"{_COMMITTED_SHIPMENTS} WITH s.country_of_origin AS country, count(*) AS n"
    " RETURN country, n ORDER BY n DESC, country LIMIT $limit",
    "limit",
)

# -- cases and notes (investigator workspace) ------------------------------------------------
CASE_SAVE = _st(
    "case_save",
    "MERGE (c:Case {case_id: $case_id})"
    " ON CREATE SET c.created_at = $now"
    " SET c.name = $name, c.payload_json = $payload_json, c.updated_at = $now",
    "case_id",
    "name",
    "payload_json",
    "now",
)
_CASE_FIELDS = (
    "c.case_id AS case_id, c.name AS name, c.created_at AS created_at, c.updated_at AS updated_at"
)
CASES = _st(
    "cases",
    f"MATCH (c:Case) RETURN {_CASE_FIELDS} ORDER BY updated_at DESC, case_id",
)
CASE_GET = _st(
    "case_get",
    f"MATCH (c:Case {{case_id: $case_id}}) RETURN {_CASE_FIELDS}, c.payload_json AS payload_json",
    "case_id",
)
CASE_RENAME = _st(
    "case_rename",
    "MATCH (c:Case {case_id: $case_id}) SET c.name = $name, c.updated_at = $now"
    " RETURN c.case_id AS case_id",
    "case_id",
    "name",
    "now",
)
CASE_DELETE = _st(
    "case_delete",
    "MATCH (c:Case {case_id: $case_id}) DELETE c RETURN count(*) AS deleted",
    "case_id",
)
NOTE_SET = _st(
    "note_set",
    "MERGE (n:Note {node_id: $node_id}) SET n.text = $text, n.updated_at = $now",
    "node_id",
    "text",
    "now",
)
NOTE_DELETE = _st("note_delete", "MATCH (n:Note {node_id: $node_id}) DELETE n", "node_id")
NOTES = _st(
    "notes",
    "MATCH (n:Note) WHERE n.node_id IN $node_ids RETURN n.node_id AS node_id, n.text AS text",
    "node_ids",
)
# -- resolution judgements (re-applied by every resolve) ---------------------------------------
JUDGEMENT_ADD = _st(
    "judgement_add",
    "CREATE (j:Judgement {left_id: $left, right_id: $right, verdict: $verdict,"
    " user_name: $user, created_at: $now, created_ns: $ns})",
    "left",
    "right",
    "verdict",
    "user",
    "now",
    "ns",
)
JUDGEMENTS = _st(
    "judgements",
    "MATCH (j:Judgement) WHERE $include_withdrawn OR coalesce(j.withdrawn_at, '') = ''"
    " RETURN j.left_id AS left, j.right_id AS right, j.verdict AS verdict,"
    " j.user_name AS user, j.created_at AS created_at,"
    " coalesce(j.withdrawn_by, '') AS withdrawn_by,"
    " coalesce(j.withdrawn_at, '') AS withdrawn_at ORDER BY j.created_ns",
    "include_withdrawn",
)
JUDGEMENT_WITHDRAW = _st(
    "judgement_withdraw",
    "MATCH (j:Judgement) WHERE coalesce(j.withdrawn_at, '') = ''"
    " AND ((j.left_id = $left AND j.right_id = $right)"
    " OR (j.left_id = $right AND j.right_id = $left))"
    " SET j.withdrawn_by = $user, j.withdrawn_at = $now"
    " RETURN j.left_id AS left, j.right_id AS right, j.verdict AS verdict,"
    " j.user_name AS user, j.created_at AS created_at, j.withdrawn_by AS withdrawn_by,"
    " j.withdrawn_at AS withdrawn_at ORDER BY j.created_ns",
    "left",
    "right",
    "user",
    "now",
)

# -- resolver state (what an incremental resolution starts from) -----------------------------
RESOLVER_STATE = _st(
    "resolver_state",
    "MATCH (s:ResolverState) RETURN s.name AS name, s.data AS data ORDER BY s.name, s.chunk",
)
RESOLVER_STATE_CLEAR = _st("resolver_state_clear", "MATCH (s:ResolverState) DELETE s")
RESOLVER_STATE_ADD = _st(
    "resolver_state_add",
    "UNWIND $rows AS row CREATE (:ResolverState {name: row.name, chunk: row.chunk,"
    " data: row.data})",
    "rows",
)

# -- audit log (append only; created_ns orders it) --------------------------------------------
AUDIT_ADD = _st(
    "audit_add",
    "UNWIND $rows AS row CREATE (a:AuditEntry {user_name: row.user_name, action: row.action,"
    " target: row.target, detail: row.detail, created_at: row.created_at,"
    " created_ns: row.created_ns})",
    "rows",
)
AUDIT_LOG = _st(
    "audit_log",
    "MATCH (a:AuditEntry) WHERE ($user IS NULL OR a.user_name = $user)"
    " AND ($action IS NULL OR a.action = $action) AND ($since IS NULL OR a.created_at >= $since)"
    " WITH a ORDER BY a.created_ns DESC LIMIT $limit"
    " WITH a ORDER BY a.created_ns"
    " RETURN a.user_name AS user, a.action AS action, a.target AS target, a.detail AS detail,"
    " a.created_at AS created_at",
    "user",
    "action",
    "since",
    "limit",
)

# Migration pages and imports (``graphintel migrate`` copies cases and notes as stored).
CASES_PAGE = _st(
    "cases_page",
    "MATCH (c:Case) WHERE c.case_id > $after WITH c ORDER BY c.case_id LIMIT $limit"
    f" RETURN {_CASE_FIELDS}, c.payload_json AS payload_json, c.case_id AS position",
    "after",
    "limit",
)
CASE_IMPORT = _st(
    "case_import", "UNWIND $rows AS row MERGE (c:Case {case_id: row.case_id}) SET c += row", "rows"
)
CASE_COUNT = _st("case_count", "MATCH (c:Case) RETURN count(c) AS n")
NOTES_PAGE = _st(
    "notes_page",
    "MATCH (n:Note) WHERE n.node_id > $after WITH n ORDER BY n.node_id LIMIT $limit"
    " RETURN n.node_id AS node_id, n.text AS text, n.updated_at AS updated_at,"
    " n.node_id AS position",
    "after",
    "limit",
)
NOTE_IMPORT = _st(
    "note_import", "UNWIND $rows AS row MERGE (n:Note {node_id: row.node_id}) SET n += row", "rows"
)
NOTE_COUNT = _st("note_count", "MATCH (n:Note) RETURN count(n) AS n")
JUDGEMENTS_PAGE = _st(
    "judgements_page",
    "MATCH (j:Judgement) WHERE j.created_ns > $after WITH j ORDER BY j.created_ns LIMIT $limit"
    " RETURN j.left_id AS left, j.right_id AS right, j.verdict AS verdict,"
    " j.user_name AS user, j.created_at AS created_at, j.created_ns AS position,"
    " coalesce(j.withdrawn_by, '') AS withdrawn_by, coalesce(j.withdrawn_at, '') AS withdrawn_at",
    "after",
    "limit",
)
JUDGEMENT_IMPORT = _st(
    "judgement_import",
    "UNWIND $rows AS row CREATE (j:Judgement {left_id: row.left_id, right_id: row.right_id,"
    " verdict: row.verdict, user_name: row.user_name, created_at: row.created_at,"
    " created_ns: row.created_ns, withdrawn_by: row.withdrawn_by,"
    " withdrawn_at: row.withdrawn_at})",
    "rows",
)
JUDGEMENT_COUNT = _st("judgement_count", "MATCH (j:Judgement) RETURN count(j) AS n")
AUDIT_PAGE = _st(
    "audit_page",
    "MATCH (a:AuditEntry) WHERE a.created_ns > $after WITH a ORDER BY a.created_ns LIMIT $limit"
    " RETURN a.user_name AS user, a.action AS action, a.target AS target, a.detail AS detail,"
    " a.created_at AS created_at, a.created_ns AS position",
    "after",
    "limit",
)
AUDIT_COUNT = _st("audit_count", "MATCH (a:AuditEntry) RETURN count(a) AS n")
WATCHLIST_COUNT = _st("watchlist_count", "MATCH (w:Watchlist) RETURN count(w) AS n")
WATCHLIST_ENTRY_COUNT = _st(
    "watchlist_entry_count", "MATCH (e:WatchlistEntry) RETURN count(e) AS n"
)
RESOLVER_STATE_COUNT = _st("resolver_state_count", "MATCH (s:ResolverState) RETURN count(s) AS n")

# -- watchlists (known bad or trusted parties; entries keep their source row) -----------------
WATCHLIST_CREATE = _st(
    "watchlist_create",
    "CREATE (w:Watchlist {name: $name, kind: $kind, file_path: $file_path, file_id: $file_id,"
    " added_at: $added_at, entries: $entries})",
    "name",
    "kind",
    "file_path",
    "file_id",
    "added_at",
    "entries",
)
WATCHLIST_ENTRIES_WRITE = _st(
    "watchlist_entries_write", "UNWIND $rows AS row CREATE (e:WatchlistEntry) SET e = row", "rows"
)
WATCHLIST_ENTRIES_DELETE = _st(
    "watchlist_entries_delete",
    "MATCH (e:WatchlistEntry {list_name: $name}) DELETE e",
    "name",
)
WATCHLIST_DELETE = _st(
    "watchlist_delete",
    "MATCH (w:Watchlist {name: $name}) DELETE w RETURN count(*) AS deleted",
    "name",
)
WATCHLISTS = _st(
    "watchlists",
    "MATCH (w:Watchlist) RETURN w.name AS name, w.kind AS kind, w.file_path AS file_path,"
    " w.file_id AS file_id, w.added_at AS added_at, w.entries AS entries ORDER BY name",
)
_ENTRY_FIELDS = (
    "e.list_name AS list_name, e.row_number AS row_number, e.name AS name,"
    " e.country AS country, e.address AS address, e.phone AS phone, e.email AS email,"
    " e.payment_account AS payment_account, e.ip AS ip, e.note AS note"
)
WATCHLIST_ENTRIES = _st(
    "watchlist_entries",
    f"MATCH (e:WatchlistEntry) RETURN {_ENTRY_FIELDS} ORDER BY list_name, row_number",
)
WATCHLIST_ENTRIES_OF = _st(
    "watchlist_entries_of",
    f"MATCH (e:WatchlistEntry) WHERE e.list_name IN $names RETURN {_ENTRY_FIELDS}"
    " ORDER BY list_name, row_number",
    "names",
)

WIPE = _st(
    "wipe",
    "MATCH (n) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted",
    "limit",
)

# -- migration checkpoints -------------------------------------------------------------------
CHECKPOINT_GET = _st(
    "checkpoint_get",
    "MATCH (c:MigrationCheckpoint {migration: $migration, table: $table})"
    " RETURN c.position AS position, c.rows AS rows, c.done AS done",
    "migration",
    "table",
)
CHECKPOINT_SET = _st(
    "checkpoint_set",
    "MERGE (c:MigrationCheckpoint {migration: $migration, table: $table})"
    " SET c.position = $position, c.rows = $rows, c.done = $done",
    "migration",
    "table",
    "position",
    "rows",
    "done",
)


def all_statements() -> dict[str, Statement]:
    """Every statement this module can produce, by name (what the lint test checks)."""
    out: list[Statement] = [*schema_statements()]
    out += [node_write(k) for k in NodeKind]
    out += [edge_write(t) for t in EDGE_TYPES]
    out += [node_count(k) for k in NodeKind]
    out += [edge_count(k) for k in EdgeKind]
    out += [purge_nodes(k) for k in GRAPH_KINDS]
    out += [nodes_page(k) for k in NodeKind]
    out += [nodes_by_id(k) for k in NodeKind]
    out += [edges_page(t) for t in EDGE_TYPES]
    out += [edge_ends_page(t) for t in EDGE_TYPES]
    out += [node_labels_page(k) for k in NodeKind]
    out += [neighbours(k) for k in NodeKind]
    out += [provenance_identifier(k) for k in GRAPH_KINDS if k is not NodeKind.PARTY]
    out += [gds_members(k) for k in NodeKind]
    out += [v for v in globals().values() if isinstance(v, Statement)]
    by_name: dict[str, Statement] = {}
    for st in out:
        if st.name in by_name and by_name[st.name] != st:
            raise ValueError(f"two different Cypher statements are named {st.name!r}")
        by_name[st.name] = st
    return by_name

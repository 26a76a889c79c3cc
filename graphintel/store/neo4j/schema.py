"""The Neo4j store's constraints and indexes, and its bookkeeping nodes' first state."""

from __future__ import annotations

from graphintel.model import EdgeKind, NodeKind
from graphintel.store.neo4j.cypher import (
    FULLTEXT_INDEX,
    GRAPH_KINDS,
    Statement,
    declare,
    snake_case,
)


# -- schema ----------------------------------------------------------------------------------
def schema_statements() -> list[Statement]:
    """Constraints and indexes, each created only if missing (safe on every start)."""
    out = [
        declare(
            "constraint_shipment_id",
            "CREATE CONSTRAINT shipment_shipment_id IF NOT EXISTS"
            " FOR (n:Shipment) REQUIRE n.shipment_id IS UNIQUE",
        ),
        declare(
            "index_shipment_id", "CREATE INDEX shipment_id IF NOT EXISTS FOR (n:Shipment) ON (n.id)"
        ),
        declare(
            "index_shipment_load",
            "CREATE INDEX shipment_load_id IF NOT EXISTS FOR (n:Shipment) ON (n.load_id)",
        ),
    ]
    for kind in GRAPH_KINDS:
        snake = snake_case(kind.value)
        out.append(
            declare(
                f"constraint_{snake}_id_gen",
                f"CREATE CONSTRAINT {snake}_id_gen IF NOT EXISTS"
                f" FOR (n:{kind.value}) REQUIRE (n.id, n.gen) IS UNIQUE",
            )
        )
        out.append(
            declare(
                f"index_{snake}_gen",
                f"CREATE INDEX {snake}_gen IF NOT EXISTS FOR (n:{kind.value}) ON (n.gen)",
            )
        )
    for edge_kind in EdgeKind:
        snake = edge_kind.value.lower()
        out.append(
            declare(
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
        out.append(declare(name, f"CREATE {head} IF NOT EXISTS FOR (n:{label}) {tail}"))
    for kind in NodeKind:
        # GDS writes communities back as properties; the network query looks them up.
        snake = snake_case(kind.value)
        out.append(
            declare(
                f"index_{snake}_gds_community",
                f"CREATE INDEX {snake}_gds_community IF NOT EXISTS"
                f" FOR (n:{kind.value}) ON (n.gds_community)",
            )
        )
    searchable = "|".join(k.value for k in GRAPH_KINDS)
    out.append(
        declare(
            "index_fulltext",
            f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS"
            f" FOR (n:{searchable}) ON EACH [n.label, n.id]",
        )
    )
    return out


GRAPH_STATE_INIT = declare(
    "graph_state_init",
    "MERGE (st:GraphState {key: 'graph'})"
    " ON CREATE SET st.current = 0, st.next = 0, st.gens = [], st.counts_json = '{}'",
)

WIPE = declare(
    "wipe",
    "MATCH (n) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted",
    "limit",
)

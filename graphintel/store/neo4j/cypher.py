"""The Neo4j store's Cypher vocabulary: how a statement is declared, the labels, property
keys and the generation-aware fragments every role's statements are built from.

Labels and relationship types come only from ``graphintel.model`` (the investigative graph)
and from the two enums below (the store's own bookkeeping), never from data; every value
travels as a ``$parameter``. Each role module declares its statements next to the methods
that run them; ``graphintel.store.neo4j.statements.all_statements()`` lists each once with
the parameters it takes, so a test can lint all of them with Neo4j's own Cypher front end
and check that the store passes exactly those parameters.

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

from graphintel.model import NODE_ID_PREFIX, EdgeKind, NodeKind
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
    NETWORK_CHANGE = "NetworkChange"
    ALERT = "Alert"


class StoreRel(StrEnum):
    HAS_NETWORK = "HAS_NETWORK"


FULLTEXT_INDEX = "graphintel_search"

# Node kinds in the order of their id prefixes: walking them one after another in id order
# gives the same global id order as the embedded store's ``ORDER BY id``.
KINDS_IN_ID_ORDER: tuple[NodeKind, ...] = tuple(sorted(NodeKind, key=lambda k: NODE_ID_PREFIX[k]))
GRAPH_KINDS: tuple[NodeKind, ...] = tuple(k for k in NodeKind if k is not NodeKind.SHIPMENT)
EDGE_KINDS_IN_ORDER: tuple[EdgeKind, ...] = tuple(sorted(EdgeKind, key=lambda k: k.value))


def words(text: str) -> tuple[str, ...]:
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
            *words(
                "extra_json file_id row_number load_id id label props_json gens gen key weight"
                " file_path status rows_read rows_loaded rows_quarantined rows_duplicate"
                " started_at finished_at message committed created_ns seq column reason raw"
                " role entity_id name mention_a mention_b field value_a value_b similarity rule"
                " level tf_count"
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
                " event related added removed size previous_run alert_id subject"
                " network_ids acknowledged_by acknowledged_at"
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


def declare(name: str, text: str, *params: str) -> Statement:
    return Statement(name, " ".join(text.split()), frozenset(params))


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# -- generation-aware fragments -------------------------------------------------------------
CURRENT_GEN = "MATCH (state:GraphState {key: 'graph'}) WITH state.current AS gen"
COMMITTED_LOAD_IDS = "MATCH (l:Load) WHERE l.committed WITH collect(l.load_id) AS ok"


def in_gen(var: str, kind: NodeKind, gen: str = "gen") -> str:
    """Predicate: node ``var`` of ``kind`` belongs to generation ``gen``."""
    if kind is NodeKind.SHIPMENT:
        return f"{gen} IN coalesce({var}.gens, [])"
    return f"{var}.gen = {gen}"


def node_return(var: str) -> str:
    return f"{var}.id AS id, {var}.label AS label, {var}.props_json AS props"

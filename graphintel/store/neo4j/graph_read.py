"""Reads of the resolved generation: nodes, edges, mentions, evidence, provenance."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from graphintel.evidence_weights import WEIGHTS_ENTITY, read_weights, weighed
from graphintel.model import EDGE_TYPE_BY_KIND, EdgeKind, EdgeType, NodeKind, Role, kind_of
from graphintel.records import (
    EdgeRecord,
    MentionAssignment,
    MergeEvidence,
    NodeRecord,
    Provenance,
)
from graphintel.store.base import (
    DEFAULT_BATCH,
    EdgeEnds,
    NodeLabel,
    chunks,
)

# -- resolved graph: reads -------------------------------------------------------------------
from graphintel.store.neo4j.connection import Neo4jBase
from graphintel.store.neo4j.cypher import (
    CURRENT_GEN,
    EDGE_KINDS_IN_ORDER,
    KINDS_IN_ID_ORDER,
    Statement,
    declare,
    in_gen,
    node_return,
    snake_case,
)
from graphintel.store.neo4j.loads import LOAD_COUNT, QUARANTINE_COUNT, SHIPMENT_COUNT
from graphintel.store.neo4j.runs import RUN_COUNT


def nodes_page(kind: NodeKind) -> Statement:
    return declare(
        f"nodes_page_{snake_case(kind.value)}",
        f"{CURRENT_GEN} MATCH (n:{kind.value}) WHERE n.id > $after AND {in_gen('n', kind)}"
        f" WITH n ORDER BY n.id LIMIT $limit RETURN {node_return('n')}",
        "after",
        "limit",
    )


def nodes_by_id(kind: NodeKind) -> Statement:
    return declare(
        f"nodes_by_id_{snake_case(kind.value)}",
        f"{CURRENT_GEN} MATCH (n:{kind.value}) WHERE n.id IN $ids AND {in_gen('n', kind)}"
        f" RETURN {node_return('n')}",
        "ids",
    )


_EDGE_RETURN = (
    "a.id AS source, type(r) AS kind, b.id AS target, r.weight AS weight, r.props_json AS props"
)


def edges_page(edge: EdgeType) -> Statement:
    return declare(
        f"edges_page_{edge.kind.value.lower()}",
        f"{CURRENT_GEN} MATCH (a:{edge.source.value})"
        f"-[r:{edge.kind.value}]->(b:{edge.target.value})"
        " WHERE r.key > $after AND r.gen = gen"
        f" WITH a, r, b ORDER BY r.key LIMIT $limit RETURN {_EDGE_RETURN}, r.key AS position",
        "after",
        "limit",
    )


def edge_ends_page(edge: EdgeType) -> Statement:
    """``edges_page`` without properties: what an analysis projection reads."""
    return declare(
        f"edge_ends_page_{edge.kind.value.lower()}",
        f"{CURRENT_GEN} MATCH (a:{edge.source.value})"
        f"-[r:{edge.kind.value}]->(b:{edge.target.value})"
        " WHERE r.key > $after AND r.gen = gen"
        " WITH a, r, b ORDER BY r.key LIMIT $limit"
        " RETURN a.id AS source, b.id AS target, r.weight AS weight, r.key AS position",
        "after",
        "limit",
    )


def node_labels_page(kind: NodeKind) -> Statement:
    """``nodes_page`` without properties."""
    return declare(
        f"node_labels_page_{snake_case(kind.value)}",
        f"{CURRENT_GEN} MATCH (n:{kind.value}) WHERE n.id > $after AND {in_gen('n', kind)}"
        " WITH n ORDER BY n.id LIMIT $limit RETURN n.id AS id, n.label AS label",
        "after",
        "limit",
    )


EDGES_AMONG = declare(
    "edges_among",
    f"{CURRENT_GEN} CALL (gen) {{"
    " MATCH (a:Shipment) WHERE a.id IN $ids RETURN a"
    " UNION MATCH (a:Party) WHERE a.id IN $ids AND a.gen = gen RETURN a }"
    " MATCH (a)-[r]->(b) WHERE r.gen = gen AND b.id IN $ids"
    f" RETURN {_EDGE_RETURN}",
    "ids",
)


def neighbours(kind: NodeKind) -> Statement:
    return declare(
        f"neighbours_{snake_case(kind.value)}",
        f"{CURRENT_GEN} MATCH (n:{kind.value} {{id: $id}}) WHERE {in_gen('n', kind)}"
        " CALL (n, gen) { MATCH (n)-[r]-() WHERE r.gen = gen RETURN count(r) AS total }"
        " OPTIONAL MATCH (n)-[r]-() WHERE r.gen = gen"
        " WITH total, r ORDER BY r.weight DESC LIMIT $limit"
        " RETURN total, startNode(r).id AS source, type(r) AS kind, endNode(r).id AS target,"
        " r.weight AS weight, r.props_json AS props",
        "id",
        "limit",
    )


_PROV_RETURN = "s.file_id AS file_id, s.row_number AS row_number, s.load_id AS load_id"
PROVENANCE_SHIPMENT = declare(
    "provenance_shipment",
    f"{CURRENT_GEN} MATCH (s:Shipment {{id: $id}}) WHERE gen IN coalesce(s.gens, [])"
    f" RETURN {_PROV_RETURN} LIMIT $limit",
    "id",
    "limit",
)
PROVENANCE_PARTY = declare(
    "provenance_party",
    f"{CURRENT_GEN} MATCH (m:Mention {{entity_id: $id}}) WHERE m.gen = gen"
    " MATCH (s:Shipment {shipment_id: m.shipment_id})"
    f" RETURN {_PROV_RETURN} ORDER BY file_id, row_number LIMIT $limit",
    "id",
    "limit",
)


def provenance_identifier(kind: NodeKind) -> Statement:
    """Source rows behind an identifier: shipments that name it directly or via a party."""
    return declare(
        f"provenance_{snake_case(kind.value)}",
        f"{CURRENT_GEN} MATCH (n:{kind.value} {{id: $id}}) WHERE n.gen = gen"
        " CALL (n, gen) {"
        " MATCH (s:Shipment)-[r]->(n) WHERE r.gen = gen RETURN s"
        " UNION MATCH (s:Shipment)-[r1]->(:Party)-[r2]->(n)"
        " WHERE r1.gen = gen AND r2.gen = gen RETURN s }"
        f" RETURN DISTINCT {_PROV_RETURN} ORDER BY file_id, row_number LIMIT $limit",
        "id",
        "limit",
    )


GRAPH_COUNTS = declare(
    "graph_counts", "MATCH (st:GraphState {key: 'graph'}) RETURN st.counts_json AS counts_json"
)

_MENTION_RETURN = (
    "m.shipment_id AS shipment_id, m.role AS role, m.entity_id AS entity_id, m.name AS name,"
    " m.key AS position"
)
MENTIONS_PAGE = declare(
    "mentions_page",
    f"{CURRENT_GEN} MATCH (m:Mention) WHERE m.key > $after AND m.gen = gen"
    f" WITH m ORDER BY m.key LIMIT $limit RETURN {_MENTION_RETURN}",
    "after",
    "limit",
)
_EVIDENCE_RETURN = (
    "e.entity_id AS entity_id, e.mention_a AS mention_a, e.mention_b AS mention_b,"
    " e.field AS field, e.value_a AS value_a, e.value_b AS value_b,"
    " e.similarity AS similarity, e.weight AS weight, e.rule AS rule,"
    # (evidence written before weights were derived on read has neither: fixed weights)
    " coalesce(e.level, 0) AS level, coalesce(e.tf_count, 0) AS tf_count"
)
MERGE_EVIDENCE = declare(
    "merge_evidence",
    f"{CURRENT_GEN} MATCH (e:MergeEvidence {{entity_id: $entity_id}}) WHERE e.gen = gen"
    f" RETURN {_EVIDENCE_RETURN} ORDER BY e.seq",
    "entity_id",
)
EVIDENCE_PAGE = declare(
    "evidence_page",
    f"{CURRENT_GEN} MATCH (e:MergeEvidence) WHERE e.gen = gen AND e.seq > $after"
    f" WITH e ORDER BY e.seq LIMIT $limit RETURN {_EVIDENCE_RETURN}, e.seq AS position",
    "after",
    "limit",
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


class GraphReadMixin(Neo4jBase):
    """``GraphReader`` on Neo4j."""

    def scanning(self) -> AbstractContextManager[None]:
        # the driver streams each page's records; the server keeps the page cache
        return nullcontext()

    def iter_mentions(self, batch_size: int = DEFAULT_BATCH) -> Iterator[list[MentionAssignment]]:
        for rows in self.read_pages(MENTIONS_PAGE, "position", batch_size):
            yield [
                MentionAssignment(r["shipment_id"], Role(r["role"]), r["entity_id"], r["name"])
                for r in rows
            ]

    def merge_evidence(self, entity_id: str) -> list[MergeEvidence]:
        rows = [evidence_from_row(r) for r in self.read(MERGE_EVIDENCE, entity_id=entity_id)]
        if not rows:
            return rows
        held = [evidence_from_row(r) for r in self.read(MERGE_EVIDENCE, entity_id=WEIGHTS_ENTITY)]
        return weighed(rows, read_weights(held))

    def iter_evidence(self, batch_size: int = DEFAULT_BATCH) -> Iterator[list[MergeEvidence]]:
        for rows in self.read_pages(EVIDENCE_PAGE, "position", batch_size):
            yield [evidence_from_row(r) for r in rows]

    def _node_pages(
        self,
        kinds: Collection[NodeKind] | None,
        statement_for: Callable[[NodeKind], Statement],
        batch_size: int,
    ) -> Iterator[tuple[NodeKind, list[dict[str, Any]]]]:
        """Pages of one statement per wanted node kind, kinds in id order, keyed by id."""
        wanted = set(kinds or NodeKind)
        for kind in KINDS_IN_ID_ORDER:
            if kind in wanted:
                for rows in self.read_pages(statement_for(kind), "id", batch_size):
                    yield kind, rows

    def _edge_pages(
        self,
        kinds: Collection[EdgeKind] | None,
        statement_for: Callable[[EdgeType], Statement],
        batch_size: int,
    ) -> Iterator[tuple[EdgeKind, list[dict[str, Any]]]]:
        """Pages of one statement per wanted edge kind (by relationship type), by position."""
        wanted = set(kinds or EdgeKind)
        for kind in EDGE_KINDS_IN_ORDER:
            if kind in wanted:
                statement = statement_for(EDGE_TYPE_BY_KIND[kind])
                for rows in self.read_pages(statement, "position", batch_size):
                    yield kind, rows

    def iter_nodes(
        self, kinds: Collection[NodeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[NodeRecord]]:
        for kind, rows in self._node_pages(kinds, nodes_page, batch_size):
            yield [node_from_row(kind, r) for r in rows]

    def iter_edges(
        self, kinds: Collection[EdgeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[EdgeRecord]]:
        for _, rows in self._edge_pages(kinds, edges_page, batch_size):
            yield [edge_from_row(r) for r in rows]

    def iter_node_labels(
        self, kinds: Collection[NodeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[NodeLabel]]:
        for kind, rows in self._node_pages(kinds, node_labels_page, batch_size):
            yield [(r["id"], kind.value, r["label"] or "") for r in rows]

    def iter_edge_ends(
        self, kinds: Collection[EdgeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[EdgeEnds]]:
        for kind, rows in self._edge_pages(kinds, edge_ends_page, batch_size):
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
                out.extend(node_from_row(kind, r) for r in self.read(nodes_by_id(kind), ids=chunk))
        return out

    def edges_among(self, node_ids: Sequence[str]) -> list[EdgeRecord]:
        return [edge_from_row(r) for r in self.read(EDGES_AMONG, ids=list(set(node_ids)))]

    def neighbours(self, node_id: str, limit: int = 100) -> tuple[list[EdgeRecord], int]:
        try:
            kind = kind_of(node_id)
        except ValueError:
            return [], 0
        rows = self.read(neighbours(kind), id=node_id, limit=limit)
        if not rows:
            return [], 0
        edges = [edge_from_row(r) for r in rows if r["kind"] is not None]
        return edges, int(rows[0]["total"])

    def provenance(self, node_id: str, limit: int = 100) -> list[Provenance]:
        kind = kind_of(node_id)
        if kind is NodeKind.SHIPMENT:
            statement = PROVENANCE_SHIPMENT
        elif kind is NodeKind.PARTY:
            statement = PROVENANCE_PARTY
        else:
            statement = provenance_identifier(kind)
        rows = self.read(statement, id=node_id, limit=limit)
        return [Provenance(r["file_id"], int(r["row_number"]), r["load_id"]) for r in rows]

    def counts(self) -> dict[str, int]:
        [state] = self.read(GRAPH_COUNTS)
        graph: dict[str, int] = json.loads(state["counts_json"] or "{}")
        out = {
            "loads": int(self.read(LOAD_COUNT)[0]["n"]),
            "shipments": int(self.read(SHIPMENT_COUNT)[0]["n"]),
            "quarantine": int(self.read(QUARANTINE_COUNT)[0]["n"]),
            "edges": graph.get("edges", 0),
            "mentions": graph.get("mentions", 0),
            "runs": int(self.read(RUN_COUNT)[0]["n"]),
        }
        out.update({k: v for k, v in graph.items() if k.startswith("nodes:")})
        return out

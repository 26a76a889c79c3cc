"""The resolved graph's staged generations and their swap."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, cast

from graphintel.model import EDGE_TYPE_BY_KIND, EdgeKind, EdgeType, NodeKind
from graphintel.records import (
    MergeEvidence,
)
from graphintel.store.base import (
    AssignmentRow,
    EdgeRow,
    GraphChange,
    GraphPart,
    GraphReader,
    NodeRow,
    check_kinds,
    chunks,
    row_kind,
)
from graphintel.store.graph_delta import rebuilt_parts
from graphintel.store.neo4j.connection import KEY_SEP, Neo4jBase
from graphintel.store.neo4j.cypher import GRAPH_KINDS, Statement, declare, in_gen, snake_case

log = logging.getLogger(__name__)


# -- resolved graph: staging and swapping ----------------------------------------------------
GRAPH_STATE = declare(
    "graph_state",
    "MATCH (st:GraphState {key: 'graph'})"
    " RETURN st.current AS current, st.gens AS gens, st.counts_json AS counts_json",
)
GRAPH_BEGIN = declare(
    "graph_begin",
    "MATCH (st:GraphState {key: 'graph'}) WITH st, st.next + 1 AS gen"
    " SET st.next = gen, st.gens = st.gens + [gen] RETURN gen, st.current AS current",
)
GRAPH_FLIP = declare(
    "graph_flip",
    "MATCH (st:GraphState {key: 'graph'}) SET st.current = $gen, st.counts_json = $counts_json",
    "gen",
    "counts_json",
)
GRAPH_FORGET_GEN = declare(
    "graph_forget_gen",
    "MATCH (st:GraphState {key: 'graph'}) SET st.gens = [g IN st.gens WHERE g <> $gen]",
    "gen",
)


def node_write(kind: NodeKind) -> Statement:
    """Write a batch of nodes of one kind into generation ``$gen``."""
    if kind is NodeKind.SHIPMENT:
        # A shipment node is its source row: it is matched, never created, and keeps the
        # generation readers see now beside the new one (older numbers are never reused).
        return declare(
            "node_write_shipment",
            "UNWIND $rows AS row MATCH (n:Shipment {id: row.id})"
            " SET n.label = row.label, n.props_json = row.props,"
            " n.gens = [g IN coalesce(n.gens, []) WHERE g = $current] + [$gen]"
            " RETURN count(n) AS written",
            "rows",
            "gen",
            "current",
        )
    return declare(
        f"node_write_{snake_case(kind.value)}",
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
    return declare(
        f"edge_write_{edge.kind.value.lower()}",
        f"UNWIND $rows AS row MATCH {a} MATCH {b}"
        f" MERGE (a)-[r:{edge.kind.value} {{gen: $gen}}]->(b)"
        " ON CREATE SET r.key = row.key, r.weight = row.weight, r.props_json = row.props"
        " ON MATCH SET r.weight = r.weight + row.weight RETURN count(r) AS written",
        "rows",
        "gen",
    )


MENTIONS_WRITE = declare(
    "mentions_write",
    "UNWIND $rows AS row CREATE (m:Mention) SET m = row, m.gen = $gen",
    "rows",
    "gen",
)
EVIDENCE_WRITE = declare(
    "evidence_write",
    "UNWIND $rows AS row CREATE (e:MergeEvidence) SET e = row, e.gen = $gen",
    "rows",
    "gen",
)


def node_count(kind: NodeKind) -> Statement:
    pred = in_gen("n", kind, "$gen")
    return declare(
        f"node_count_{snake_case(kind.value)}",
        f"MATCH (n:{kind.value}) WHERE {pred} RETURN count(n) AS n",
        "gen",
    )


def edge_count(kind: EdgeKind) -> Statement:
    return declare(
        f"edge_count_{kind.value.lower()}",
        f"MATCH ()-[r:{kind.value}]->() WHERE r.gen = $gen RETURN count(r) AS n",
        "gen",
    )


MENTION_COUNT = declare(
    "mention_count", "MATCH (m:Mention {gen: $gen}) RETURN count(m) AS n", "gen"
)
EVIDENCE_COUNT = declare(
    "evidence_count", "MATCH (e:MergeEvidence {gen: $gen}) RETURN count(e) AS n", "gen"
)


def purge_nodes(kind: NodeKind) -> Statement:
    """Delete one batch of a dead generation's nodes of ``kind`` (with their edges)."""
    return declare(
        f"purge_{snake_case(kind.value)}",
        f"MATCH (n:{kind.value} {{gen: $gen}}) WITH n LIMIT $limit DETACH DELETE n"
        " RETURN count(*) AS deleted",
        "gen",
        "limit",
    )


PURGE_MENTIONS = declare(
    "purge_mentions",
    "MATCH (m:Mention {gen: $gen}) WITH m LIMIT $limit DELETE m RETURN count(*) AS deleted",
    "gen",
    "limit",
)
PURGE_EVIDENCE = declare(
    "purge_evidence",
    "MATCH (e:MergeEvidence {gen: $gen}) WITH e LIMIT $limit DELETE e RETURN count(*) AS deleted",
    "gen",
    "limit",
)


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


class GraphWriteMixin(Neo4jBase):
    """``GraphWriter`` on Neo4j."""

    def begin_graph(self) -> tuple[int, int]:
        """Reserve a new generation; returns (new generation, current generation)."""
        [row] = self.write(GRAPH_BEGIN)
        return int(row["gen"]), int(row["current"])

    def write_nodes(self, gen: int, current: int, nodes: Sequence[NodeRow]) -> None:
        for kind, rows in node_rows_by_kind(nodes).items():
            if kind is NodeKind.SHIPMENT:
                [res] = self.write(node_write(kind), rows=rows, gen=gen, current=current)
                if res["written"] != len(rows):
                    log.warning(
                        "%d shipment nodes name shipments that are not loaded; skipped",
                        len(rows) - int(res["written"]),
                    )
            else:
                self.write(node_write(kind), rows=rows, gen=gen)

    def write_edges(self, gen: int, edges: Sequence[EdgeRow]) -> None:
        by_kind = edge_rows_by_kind(edges)
        for kind, rows in by_kind.items():
            [res] = self.write(edge_write(EDGE_TYPE_BY_KIND[kind]), rows=rows, gen=gen)
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
        self.write(MENTIONS_WRITE, rows=rows, gen=gen)

    def write_evidence(self, gen: int, first_seq: int, evidence: Sequence[MergeEvidence]) -> None:
        rows = [
            {
                **{f: getattr(ev, f) for f in MergeEvidence.__dataclass_fields__},
                "seq": first_seq + i,
            }
            for i, ev in enumerate(evidence)
        ]
        self.write(EVIDENCE_WRITE, rows=rows, gen=gen)

    def graph_counts_of(self, gen: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind in NodeKind:
            n = int(self.read(node_count(kind), gen=gen)[0]["n"])
            if n:
                counts[f"nodes:{kind.value}"] = n
        counts["edges"] = sum(int(self.read(edge_count(k), gen=gen)[0]["n"]) for k in EdgeKind)
        counts["mentions"] = int(self.read(MENTION_COUNT, gen=gen)[0]["n"])
        return counts

    def publish_graph(self, gen: int) -> None:
        """Make generation ``gen`` the one readers see, then delete every other one."""
        counts = self.graph_counts_of(gen)
        self.write(GRAPH_FLIP, gen=gen, counts_json=json.dumps(counts))
        [state] = self.read(GRAPH_STATE)
        for dead in state["gens"]:
            if dead != gen:
                self.purge_generation(int(dead))

    def purge_generation(self, gen: int) -> None:
        for kind in GRAPH_KINDS:
            self._delete_in_batches(purge_nodes(kind), gen=gen)
        self._delete_in_batches(PURGE_MENTIONS, gen=gen)
        self._delete_in_batches(PURGE_EVIDENCE, gen=gen)
        self.write(GRAPH_FORGET_GEN, gen=gen)

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

    def update_graph(self, changes: Iterable[GraphChange]) -> None:
        # A generation is written whole and flipped: the changed graph is the current one
        # with the removals left out and the parts added, staged like any other.
        # (the store this mixin is part of reads the graph too)
        self.replace_graph_parts(rebuilt_parts(cast(GraphReader, self), changes))

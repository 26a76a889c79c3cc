"""Every Cypher statement of the Neo4j store, gathered from the modules that declare them,
so one test can lint them all with Neo4j's own front end and another can check that the
store passes exactly the parameters each declares."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from graphintel.model import EDGE_TYPES, EdgeKind, NodeKind
from graphintel.store.neo4j.cypher import GRAPH_KINDS, Statement
from graphintel.store.neo4j.gds import gds_members
from graphintel.store.neo4j.graph_read import (
    edge_ends_page,
    edges_page,
    neighbours,
    node_labels_page,
    nodes_by_id,
    nodes_page,
    provenance_identifier,
)
from graphintel.store.neo4j.graph_write import (
    edge_count,
    edge_write,
    node_count,
    node_write,
    purge_nodes,
)
from graphintel.store.neo4j.schema import schema_statements


def _modules() -> list[ModuleType]:
    """Every module of this package, so a statement declared in a new one is found too."""
    package = importlib.import_module(__name__.rpartition(".")[0])
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]


def all_statements() -> dict[str, Statement]:
    """Every statement the Neo4j store and the GDS analytics can run, by name (what the
    lint tests check)."""
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
    for module in _modules():
        out += [v for v in vars(module).values() if isinstance(v, Statement)]
    by_name: dict[str, Statement] = {}
    for st in out:
        if st.name in by_name and by_name[st.name] != st:
            raise ValueError(f"two different Cypher statements are named {st.name!r}")
        by_name[st.name] = st
    return by_name

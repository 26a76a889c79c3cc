"""Exports count and cite every spelling resolution filed under one address or phone node.

A consignee writes "1535 Hill Ln #5B" and once "1535 Hlil Ln Unit 5B": the graph has one
address node (``identifier_aliases``), and the summarised chart and the exact source rows of
that node must count and cite all three rows, the misspelt one included.
"""

from __future__ import annotations

from graphintel.export.provenance import exact_sources
from graphintel.export.summary import summarize_nodes
from graphintel.model import NodeKind, node_id
from graphintel.resolve import resolve_store
from graphintel.store import GraphStore
from tests.resolve.helpers import entity_of, load, ship

ADDRESS = node_id(NodeKind.ADDRESS, "US|07146|1535 HILL LN UNIT 5B")


def _load(store: GraphStore) -> str:
    lines = ("1535 Hill Lane Apt 5B", "1535 HILL LN #5B", "1535 Hlil Ln Unit 5B")
    load(store, [
        ship(f"S{i}", consignee_name="Ana Lopez", consignee_address=line,
             consignee_postal_code="07146", consignee_phone="973-555-0101")
        for i, line in enumerate(lines, 1)
    ])  # fmt: skip
    resolve_store(store)
    (party,) = set(entity_of(store).values()) - {
        e for m, e in entity_of(store).items() if not m.endswith("consignee")
    }
    return party


def test_the_summary_counts_every_spelling_of_an_address(store: GraphStore) -> None:
    party = _load(store)
    shipments = [node_id(NodeKind.SHIPMENT, f"S{i}") for i in (1, 2, 3)]
    summary = summarize_nodes(store, [party, ADDRESS, *shipments])
    node = summary.node(ADDRESS)
    assert node is not None and node.shipments == 3
    (link,) = [k for k in summary.links if {k.source, k.target} == {party, ADDRESS}]
    assert link.count == 3


def test_the_address_cites_the_row_of_its_misspelt_variant(store: GraphStore) -> None:
    _load(store)
    found = exact_sources(store, [ADDRESS])
    assert found.totals[ADDRESS] == 3
    assert sorted(p.row_number for p in found.nodes[ADDRESS]) == [1, 2, 3]

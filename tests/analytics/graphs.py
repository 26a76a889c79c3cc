"""Hand-built resolved graphs for analytics tests: shipments between named parties."""

from __future__ import annotations

from collections import Counter

from graphintel.model import EdgeKind, NodeKind, node_id
from graphintel.records import EdgeRecord, NodeRecord
from graphintel.store import GraphStore
from tests.graph_writes import write_records


def party(name: str) -> str:
    return node_id(NodeKind.PARTY, name.lower().replace(" ", "-"))


def ident(kind: NodeKind, key: str) -> str:
    return node_id(kind, key)


class GraphBuilder:
    """Collects shipments the way the resolver would emit them, then writes a store."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeRecord] = {}
        self.edges: Counter[tuple[str, EdgeKind, str]] = Counter()

    def _node(self, nid: str, kind: NodeKind, label: str, **props: object) -> str:
        if nid not in self.nodes:
            self.nodes[nid] = NodeRecord(nid, kind, label, dict(props))
        return nid

    def _party(self, name: str) -> str:
        return self._node(party(name), NodeKind.PARTY, name)

    def _ident(self, kind: NodeKind, key: str) -> str:
        return self._node(ident(kind, key), kind, key)

    def ship(
        self,
        shipment_id: str,
        shipper: str,
        consignee: str,
        *,
        seller: str | None = None,
        date: str = "2026-03-01",
        value: float = 25.0,
        outcome: str = "",
        category: str = "",
        address: str | None = None,
        payment: str | None = None,
        ip: str | None = None,
        consignee_phone: str | None = None,
        shipper_phone: str | None = None,
        shipper_email: str | None = None,
        shipper_address: str | None = None,
        country: str = "",
    ) -> str:
        sid = self._node(
            node_id(NodeKind.SHIPMENT, shipment_id),
            NodeKind.SHIPMENT,
            shipment_id,
            arrival_date=date,
            declared_value_usd=value,
            inspection_outcome=outcome,
            seizure_category=category,
            country_of_origin=country,
        )
        s, c = self._party(shipper), self._party(consignee)
        self.edges[(sid, EdgeKind.SHIPPED_BY, s)] += 1
        self.edges[(sid, EdgeKind.CONSIGNED_TO, c)] += 1
        if seller is not None:
            self.edges[(sid, EdgeKind.SOLD_BY, self._party(seller))] += 1
        for value_, kind, edge in (
            (address, NodeKind.ADDRESS, EdgeKind.DELIVERED_TO),
            (payment, NodeKind.PAYMENT_ACCOUNT, EdgeKind.PAID_WITH),
            (ip, NodeKind.IP_ADDRESS, EdgeKind.ORDERED_FROM),
        ):
            if value_ is not None:
                self.edges[(sid, edge, self._ident(kind, value_))] += 1
        for owner, value_, kind, edge in (
            (c, address, NodeKind.ADDRESS, EdgeKind.HAS_ADDRESS),
            (c, consignee_phone, NodeKind.PHONE, EdgeKind.HAS_PHONE),
            (s, shipper_phone, NodeKind.PHONE, EdgeKind.HAS_PHONE),
            (s, shipper_email, NodeKind.EMAIL, EdgeKind.HAS_EMAIL),
            (s, shipper_address, NodeKind.ADDRESS, EdgeKind.HAS_ADDRESS),
        ):
            if value_ is not None:
                self.edges[(owner, edge, self._ident(kind, value_))] += 1
        return sid

    def edge_records(self) -> list[EdgeRecord]:
        return [EdgeRecord(s, t, k, float(w)) for (s, k, t), w in self.edges.items()]

    def write(self, store: GraphStore) -> GraphStore:
        write_records(store, list(self.nodes.values()), self.edge_records(), [], [])
        return store

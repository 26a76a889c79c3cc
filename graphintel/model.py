"""The graph schema, declared once as data.

Every store, exporter and stylesheet reads node and edge kinds from here, so a label or
relationship type can never come from user input (the Neo4j backend builds Cypher only
from these names).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NodeKind(StrEnum):
    SHIPMENT = "Shipment"
    PARTY = "Party"
    ADDRESS = "Address"
    PHONE = "Phone"
    EMAIL = "Email"
    PAYMENT_ACCOUNT = "PaymentAccount"
    IP_ADDRESS = "IPAddress"


class EdgeKind(StrEnum):
    SHIPPED_BY = "SHIPPED_BY"
    CONSIGNED_TO = "CONSIGNED_TO"
    SOLD_BY = "SOLD_BY"
    DELIVERED_TO = "DELIVERED_TO"
    PAID_WITH = "PAID_WITH"
    ORDERED_FROM = "ORDERED_FROM"
    HAS_ADDRESS = "HAS_ADDRESS"
    HAS_PHONE = "HAS_PHONE"
    HAS_EMAIL = "HAS_EMAIL"


class Role(StrEnum):
    """The part a party plays on one shipment."""

    SHIPPER = "shipper"
    CONSIGNEE = "consignee"
    SELLER = "seller"


@dataclass(frozen=True)
class EdgeType:
    kind: EdgeKind
    source: NodeKind
    target: NodeKind
    directed: bool = True


EDGE_TYPES: tuple[EdgeType, ...] = (
    EdgeType(EdgeKind.SHIPPED_BY, NodeKind.SHIPMENT, NodeKind.PARTY),
    EdgeType(EdgeKind.CONSIGNED_TO, NodeKind.SHIPMENT, NodeKind.PARTY),
    EdgeType(EdgeKind.SOLD_BY, NodeKind.SHIPMENT, NodeKind.PARTY),
    EdgeType(EdgeKind.DELIVERED_TO, NodeKind.SHIPMENT, NodeKind.ADDRESS),
    EdgeType(EdgeKind.PAID_WITH, NodeKind.SHIPMENT, NodeKind.PAYMENT_ACCOUNT),
    EdgeType(EdgeKind.ORDERED_FROM, NodeKind.SHIPMENT, NodeKind.IP_ADDRESS),
    EdgeType(EdgeKind.HAS_ADDRESS, NodeKind.PARTY, NodeKind.ADDRESS),
    EdgeType(EdgeKind.HAS_PHONE, NodeKind.PARTY, NodeKind.PHONE),
    EdgeType(EdgeKind.HAS_EMAIL, NodeKind.PARTY, NodeKind.EMAIL),
)

EDGE_TYPE_BY_KIND: dict[EdgeKind, EdgeType] = {t.kind: t for t in EDGE_TYPES}

ROLE_EDGE: dict[Role, EdgeKind] = {
    Role.SHIPPER: EdgeKind.SHIPPED_BY,
    Role.CONSIGNEE: EdgeKind.CONSIGNED_TO,
    Role.SELLER: EdgeKind.SOLD_BY,
}

IDENTIFIER_KINDS: frozenset[NodeKind] = frozenset(
    {
        NodeKind.ADDRESS,
        NodeKind.PHONE,
        NodeKind.EMAIL,
        NodeKind.PAYMENT_ACCOUNT,
        NodeKind.IP_ADDRESS,
    }
)

# Node ids carry their kind as a prefix ("phone:+8613800000000") so an id alone says what
# it is, in the store, in the app's URLs and in exports.
NODE_ID_PREFIX: dict[NodeKind, str] = {
    NodeKind.SHIPMENT: "shipment",
    NodeKind.PARTY: "party",
    NodeKind.ADDRESS: "address",
    NodeKind.PHONE: "phone",
    NodeKind.EMAIL: "email",
    NodeKind.PAYMENT_ACCOUNT: "payment",
    NodeKind.IP_ADDRESS: "ip",
}
_KIND_BY_PREFIX = {prefix: kind for kind, prefix in NODE_ID_PREFIX.items()}


def node_id(kind: NodeKind, key: str) -> str:
    """Build the id of a node of ``kind`` whose natural key is ``key``."""
    return f"{NODE_ID_PREFIX[kind]}:{key}"


def kind_of(node_id_: str) -> NodeKind:
    """The kind encoded in a node id; raises ``ValueError`` for an unknown prefix."""
    prefix, sep, _ = node_id_.partition(":")
    if not sep or prefix not in _KIND_BY_PREFIX:
        raise ValueError(f"not a GraphIntel node id: {node_id_!r}")
    return _KIND_BY_PREFIX[prefix]

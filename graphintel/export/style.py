"""Colours and short names per node kind, shared by the drawn formats (SVG, PNG, PDF)."""

from __future__ import annotations

from graphintel.labels import short_label as short_label  # the drawn formats import it here
from graphintel.model import NodeKind

KIND_COLOURS: dict[NodeKind, str] = {
    NodeKind.SHIPMENT: "#8d99ae",
    NodeKind.PARTY: "#1d4e89",
    NodeKind.ADDRESS: "#2a9d8f",
    NodeKind.PHONE: "#e76f51",
    NodeKind.EMAIL: "#9b5de5",
    NodeKind.PAYMENT_ACCOUNT: "#f4a261",
    NodeKind.IP_ADDRESS: "#6c757d",
}
EVIDENCE_RING = "#f4b400"
SEIZED_FILL = "#d62828"
EDGE_COLOUR = "#9aa5b1"
NODE_RADIUS: dict[NodeKind, float] = {
    NodeKind.SHIPMENT: 7.0,
    NodeKind.PARTY: 14.0,
}
DEFAULT_RADIUS = 10.0


def radius(kind: NodeKind) -> float:
    return NODE_RADIUS.get(kind, DEFAULT_RADIUS)


def fill(kind: NodeKind, flags: frozenset[str]) -> str:
    return SEIZED_FILL if "seized" in flags else KIND_COLOURS[kind]

"""How ids and names are shown: one home for the short label every chart draws and for
turning an id a reason cites into the node id it names (the app and every export agree)."""

from __future__ import annotations

from graphintel.model import NodeKind, kind_of, node_id

LABEL_CHARS = 32


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shipment_node_id(member: str) -> str:
    """A shipment member as a node id, whether stored with the ``Shipment:`` prefix or bare."""
    try:
        is_node_id = kind_of(member) is NodeKind.SHIPMENT
    except ValueError:  # a bare shipment id: no kind prefix
        is_node_id = False
    return member if is_node_id else node_id(NodeKind.SHIPMENT, member)


def evidence_node_id(evidence: str) -> str:
    """A cited id as a node id: node ids stay, bare shipment ids get their prefix."""
    try:
        kind_of(evidence)
    except ValueError:
        return shipment_node_id(evidence)
    return evidence

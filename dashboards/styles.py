"""The look of the link chart as data: node shape and colour per kind, edge labels per kind,
the layouts on offer, and the cytoscape stylesheet and legend built from them.

The legend and the stylesheet read the same table, so a kind can never be drawn one way and
explained another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphintel.model import EdgeKind, NodeKind


@dataclass(frozen=True)
class NodeStyle:
    label: str  # what the legend calls the kind
    shape: str  # cytoscape node shape
    colour: str
    size: int  # base diameter in px; parties and identifiers grow with their degree


NODE_STYLES: dict[NodeKind, NodeStyle] = {
    NodeKind.PARTY: NodeStyle("Party", "ellipse", "#2563eb", 30),
    NodeKind.SHIPMENT: NodeStyle("Shipment", "round-rectangle", "#94a3b8", 12),
    NodeKind.ADDRESS: NodeStyle("Address", "pentagon", "#d97706", 22),
    NodeKind.PHONE: NodeStyle("Phone", "triangle", "#16a34a", 22),
    NodeKind.EMAIL: NodeStyle("E-mail", "hexagon", "#9333ea", 22),
    NodeKind.PAYMENT_ACCOUNT: NodeStyle("Payment account", "diamond", "#dc2626", 24),
    NodeKind.IP_ADDRESS: NodeStyle("IP address", "octagon", "#0891b2", 22),
}

LABEL_PX = 11  # on-screen size of node labels
SEIZED_COLOUR = "#b91c1c"
SEIZED_SHIPMENT_SIZE = 34

# Colours of communities (largest first) when the chart is coloured by community.
COMMUNITY_COLOURS: tuple[str, ...] = (
    "#2563eb",
    "#dc2626",
    "#16a34a",
    "#9333ea",
    "#ea580c",
    "#0891b2",
    "#ca8a04",
    "#db2777",
    "#4f46e5",
    "#65a30d",
    "#0d9488",
    "#b45309",
    "#7c3aed",
    "#be123c",
    "#15803d",
    "#1d4ed8",
)

# The edge kind drawn for shipments folded away in a large network (see data.collapse).
VIA_SHIPMENTS = "VIA_SHIPMENTS"

EDGE_LABELS: dict[str, str] = {
    EdgeKind.SHIPPED_BY: "shipped by",
    EdgeKind.CONSIGNED_TO: "consigned to",
    EdgeKind.SOLD_BY: "sold by",
    EdgeKind.DELIVERED_TO: "delivered to",
    EdgeKind.PAID_WITH: "paid with",
    EdgeKind.ORDERED_FROM: "ordered from",
    EdgeKind.HAS_ADDRESS: "has address",
    EdgeKind.HAS_PHONE: "has phone",
    EdgeKind.HAS_EMAIL: "has e-mail",
    VIA_SHIPMENTS: "shared shipments",
}

_ROLE_EDGES = (EdgeKind.SHIPPED_BY, EdgeKind.CONSIGNED_TO, EdgeKind.SOLD_BY)
_SHIPMENT_IDENTIFIER_EDGES = (EdgeKind.DELIVERED_TO, EdgeKind.PAID_WITH, EdgeKind.ORDERED_FROM)
_PARTY_IDENTIFIER_EDGES = (EdgeKind.HAS_ADDRESS, EdgeKind.HAS_PHONE, EdgeKind.HAS_EMAIL)

# CSS clip-paths that draw each cytoscape shape in the HTML legend.
LEGEND_CLIP_PATHS: dict[str, str] = {
    "ellipse": "circle(50% at 50% 50%)",
    "round-rectangle": "inset(10% round 20%)",
    "pentagon": "polygon(50% 0%, 100% 38%, 82% 100%, 18% 100%, 0% 38%)",
    "triangle": "polygon(50% 0%, 100% 100%, 0% 100%)",
    "hexagon": "polygon(25% 0%, 75% 0%, 100% 50%, 75% 100%, 25% 100%, 0% 50%)",
    "diamond": "polygon(50% 0%, 100% 50%, 50% 100%, 0% 50%)",
    "octagon": "polygon(30% 0%, 70% 0%, 100% 30%, 100% 70%, 70% 100%, 30% 100%, 0% 70%, 0% 30%)",
    "star": "polygon(50% 0%, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, "
    "2% 35%, 39% 35%)",
}

# Layouts offered on the network page. fcose and cose-bilkent come from the extra bundle
# that ships inside dash-cytoscape (``load_extra_layouts``), so they work offline. "server"
# and "concentric" are positions computed on the server (see chart_layout.py), sent as a
# preset: deterministic, and the server's layout never lets two nodes overlap.
LAYOUTS: dict[str, dict[str, Any]] = {
    "server": {"name": "preset", "fit": True, "padding": 30},
    "concentric": {"name": "preset", "fit": True, "padding": 30, "animate": False},
    "fcose": {
        "name": "fcose",
        "quality": "proof",
        "animate": False,
        "randomize": False,
        "nodeDimensionsIncludeLabels": True,
        "nodeSeparation": 90,
        # Soft springs and strong repulsion keep structurally equivalent identifiers (an
        # account and an IP used on the same shipments) from landing on top of each other.
        "nodeRepulsion": 90000,
        "idealEdgeLength": 110,
        "edgeElasticity": 0.1,
        "gravity": 0.25,
        "gravityRange": 3.8,
        "packComponents": True,
        "fit": True,
        "padding": 30,
    },
    "cose-bilkent": {
        "name": "cose-bilkent",
        "animate": False,
        "idealEdgeLength": 90,
        "nodeRepulsion": 12000,
        "nodeDimensionsIncludeLabels": True,
        "fit": True,
        "padding": 30,
    },
    "breadthfirst": {"name": "breadthfirst", "animate": False, "spacingFactor": 1.1},
    "circle": {"name": "circle", "animate": False, "padding": 30},
    "grid": {"name": "grid", "animate": False, "padding": 30, "avoidOverlap": True},
}
DEFAULT_LAYOUT = "server"
SERVER_LAYOUTS = ("server", "concentric")  # positions computed in chart_layout.py

LAYOUT_LABELS: dict[str, str] = {
    "server": "Spread (no overlap)",
    "concentric": "Rings by connections",
    "fcose": "Force-directed (fCoSE)",
    "cose-bilkent": "Force-directed (CoSE-Bilkent)",
    "breadthfirst": "Hierarchy",
    "circle": "Circle",
    "grid": "Grid",
}


def node_size(kind: NodeKind, degree: int) -> int:
    """Diameter of a node: hubs grow (square-root of degree) so they stand out, within bounds."""
    base = NODE_STYLES[kind].size
    if kind is NodeKind.SHIPMENT:
        return base
    return int(min(base * 2.6, base + 4.0 * max(degree - 1, 0) ** 0.5))


def stylesheet(by_community: bool = False) -> list[dict[str, Any]]:
    """The cytoscape stylesheet: one rule per node kind and per edge family; with
    ``by_community`` nodes take their community's colour and keep their kind's shape."""
    rules: list[dict[str, Any]] = [
        {
            "selector": "node",
            "style": {
                "label": "data(label)",
                "width": "data(size)",
                "height": "data(size)",
                "font-family": "Inter, Segoe UI, Roboto, Helvetica, Arial, sans-serif",
                "font-size": LABEL_PX,
                "color": "#1e293b",
                "text-valign": "bottom",
                "text-margin-y": 3,
                "text-wrap": "ellipsis",
                "text-max-width": "140px",
                "text-background-color": "#ffffff",
                "text-background-opacity": 0.8,
                "text-background-padding": "1px",
                # Minor nodes (uncited identifiers, shipments) are labelled past 1.5x zoom
                # (cytoscape rounds the zoom up to a power of two before comparing);
                # key nodes (class ``key``) always are, at a constant on-screen size that
                # the browser keeps while zooming out (see graph_panel.LABELS_JS).
                "min-zoomed-font-size": 16,
                "border-width": 1,
                "border-color": "#ffffff",
            },
        }
    ]
    for kind, style in NODE_STYLES.items():
        rules.append(
            {
                "selector": f"node.{kind.value}",
                "style": {"shape": style.shape, "background-color": style.colour},
            }
        )
    rules += [
        {"selector": "node.key", "style": {"min-zoomed-font-size": 0}},
        # A label that would overlap one drawn before it (assets/graphintel.js, declutter)
        # is hidden until the node is hovered or selected.
        {"selector": "node.gi-crowded", "style": {"text-opacity": 0, "text-background-opacity": 0}},
        {
            "selector": "node.gi-crowded.gi-hover, node.gi-crowded:selected",
            "style": {"text-opacity": 1, "text-background-opacity": 0.9, "z-index": 20},
        },
        {"selector": "node.Party", "style": {"font-weight": 600}},
        {"selector": "node.evidence", "style": {"border-width": 3, "border-color": "#f59e0b"}},
        {
            "selector": "node.seized",
            "style": {"border-width": 4, "border-color": SEIZED_COLOUR, "z-index": 5},
        },
        {
            # A seized shipment is the strongest fact on the chart: large, red, labelled.
            "selector": "node.Shipment.seized",
            "style": {
                "background-color": SEIZED_COLOUR,
                "border-color": "#450a0a",
                "shape": "star",
                "color": SEIZED_COLOUR,
                "font-weight": 700,
            },
        },
        {
            "selector": "edge",
            "style": {
                "width": 1.2,
                "line-color": "#cbd5e1",
                "curve-style": "bezier",
                "target-arrow-shape": "none",
                "label": "data(label)",
                "font-size": 7,
                "color": "#64748b",
                "text-rotation": "autorotate",
                "text-background-color": "#ffffff",
                "text-background-opacity": 0.85,
                # Cytoscape rounds the zoom up to a power of two before comparing: with 7px
                # text, 15 shows link labels only past 2x zoom, keeping the overview clean.
                "min-zoomed-font-size": 15,
            },
        },
        {
            "selector": ", ".join(f"edge.{k.value}" for k in _ROLE_EDGES),
            "style": {
                "line-color": "#94a3b8",
                "target-arrow-shape": "triangle",
                "target-arrow-color": "#94a3b8",
                "arrow-scale": 0.6,
            },
        },
        {
            "selector": ", ".join(f"edge.{k.value}" for k in _SHIPMENT_IDENTIFIER_EDGES),
            "style": {"line-style": "dashed", "line-color": "#cbd5e1"},
        },
        {
            "selector": ", ".join(f"edge.{k.value}" for k in _PARTY_IDENTIFIER_EDGES),
            "style": {"line-color": "#64748b", "width": 1.8, "min-zoomed-font-size": 9},
        },
        {
            "selector": f"edge.{VIA_SHIPMENTS}",
            "style": {
                "line-color": "#64748b",
                "opacity": 0.7,
                "width": "mapData(weight, 1, 40, 1, 9)",
                "min-zoomed-font-size": 9,
            },
        },
        {
            "selector": "edge.summary",
            "style": {
                "line-color": "#64748b",
                "opacity": 0.75,
                "width": "mapData(weight, 1, 30, 1.5, 9)",
                "curve-style": "bezier",
                "min-zoomed-font-size": 9,
            },
        },
        {"selector": "edge.summary.seized", "style": {"line-color": SEIZED_COLOUR}},
        {
            "selector": "node.pinned",
            "style": {"border-style": "double", "border-width": 5, "border-color": "#0f172a"},
        },
        {"selector": "node.expanded", "style": {"background-opacity": 0.85}},
        {"selector": ".path", "style": {"z-index": 20}},
        {"selector": "node.path", "style": {"border-width": 4, "border-color": "#22c55e"}},
        {
            "selector": "edge.path",
            "style": {"line-color": "#22c55e", "width": 4, "min-zoomed-font-size": 0},
        },
        {"selector": ".faded", "style": {"opacity": 0.12}},
        {
            "selector": "node:selected",
            "style": {"border-width": 4, "border-color": "#0f172a", "z-index": 10},
        },
        {
            "selector": "edge:selected",
            "style": {"line-color": "#0f172a", "width": 3, "min-zoomed-font-size": 0},
        },
    ]
    if by_community:
        rules += [
            {"selector": "node[ccolour]", "style": {"background-color": "data(ccolour)"}},
            {"selector": "node.Shipment.seized", "style": {"background-color": SEIZED_COLOUR}},
        ]
    return rules

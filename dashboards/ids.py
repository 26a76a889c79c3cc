"""Every component id of the app, in one place, so pages, callbacks and browser tests agree."""

from __future__ import annotations

# App shell
NAV_LOCATION = "gi-nav-location"
HEADER = "gi-header"

# Networks page
NETWORKS_TABLE = "gi-networks-table"
NETWORKS_EMPTY = "gi-networks-empty"
NETWORKS_SUMMARY = "gi-networks-summary"

# Network page
NETWORK_PAGE = "gi-network-page"
GRAPH = "gi-graph"
GRAPH_COUNTS = "gi-graph-counts"
GRAPH_NOTICE = "gi-graph-notice"
LAYOUT_SELECT = "gi-layout-select"
LEGEND = "gi-legend"
REASONS = "gi-reasons"
DETAIL = "gi-detail"
NETWORK_MISSING = "gi-network-missing"

# Pattern-matching id type of the clickable evidence chips beside the graph:
# {"type": EVIDENCE_CHIP, "node": <node id>}
EVIDENCE_CHIP = "gi-evidence-chip"

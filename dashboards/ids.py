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

# Workspace toolbar and state (network, explore and case pages share the workspace)
GRAPH_TOOLBAR = "gi-graph-toolbar"
EXPORT_SLOT = "gi-export-slot"  # the link-chart export control mounts here
EXPORT_FORMAT = "gi-export-format"
BTN_EXPORT = "gi-btn-export"
EXPORT_STATUS = "gi-export-status"
EXPORT_DOWNLOAD = "gi-export-download"
EXPORT_REQUEST = "gi-export-request"  # {format, positions, edges, stamp} from the browser
COMMUNITY_TOGGLE = "gi-community-toggle"
BTN_EXPAND = "gi-btn-expand"
BTN_HIDE = "gi-btn-hide"
BTN_PIN = "gi-btn-pin"
BTN_PATH = "gi-btn-path"
BTN_UNDO = "gi-btn-undo"
BTN_REDO = "gi-btn-redo"
DATE_FROM = "gi-date-from"
DATE_TO = "gi-date-to"
BTN_DATES = "gi-btn-dates"
BTN_DATES_CLEAR = "gi-btn-dates-clear"
GRAPH_STATUS = "gi-graph-status"
INTENT = "gi-intent"  # {op, positions, selected, stamp} from the browser
HISTORY = "gi-history"  # {"past": [elements...], "future": [elements...]}
TAPPED = "gi-tapped"  # the last two nodes clicked, oldest first (shortest-path ends)
CHIP_TARGET = "gi-chip-target"  # the node an evidence chip last selected
WORKSPACE_CONTEXT = "gi-workspace-context"  # {"run_id", "network_id", "case_id"}

# Search
SEARCH_INPUT = "gi-search-input"
SEARCH_RESULTS = "gi-search-results"
SEARCH_PAGE = "gi-search-page"
EXPLORE_PAGE = "gi-explore-page"

# Cases
CASE_NAME = "gi-case-name"
BTN_SAVE_CASE = "gi-btn-save-case"
CASE_STATUS = "gi-case-status"
CASES_PAGE = "gi-cases-page"
CASES_LIST = "gi-cases-list"
NOTE_TEXT = "gi-note-text"
BTN_SAVE_NOTE = "gi-btn-save-note"
NOTE_STATUS = "gi-note-status"
NOTE_NODE = "gi-note-node"
# Judgements from a party's detail panel. Pattern-matching button ids:
# {"type": JUDGE_DIFFERENT|JUDGE_WITHDRAW, "left": <id>, "right": <id>},
# {"type": JUDGE_SAME, "entity": <party id>}
JUDGE_DIFFERENT = "gi-judge-different"
JUDGE_WITHDRAW = "gi-judge-withdraw"
JUDGE_SAME = "gi-judge-same"
JUDGE_STATUS = "gi-judge-status"
JUDGE_LIST = "gi-judge-list"
JUDGE_ENTITY = "gi-judge-entity"
# Pattern-matching ids on the cases page: {"type": CASE_RENAME|CASE_DELETE, "case": <case id>}
CASE_RENAME = "gi-case-rename"
CASE_RENAME_TEXT = "gi-case-rename-text"
CASE_DELETE = "gi-case-delete"
OVERVIEW_PAGE = "gi-overview-page"
NETWORKS_MIN_SCORE = "gi-networks-min-score"
NETWORKS_DATE_FROM = "gi-networks-date-from"
NETWORKS_DATE_TO = "gi-networks-date-to"
NETWORKS_TYPOLOGY = "gi-networks-typology"
NETWORKS_COUNTRY = "gi-networks-country"
NETWORKS_SHOWN = "gi-networks-shown"
TIMELINE = "gi-timeline"  # shipments per day under the chart; a brush filters the chart
PATH_LIST = "gi-path-list"  # the last shortest path, hop by hop
VIEW_SWITCH = "gi-view-switch"  # summary / full chart links of a large network
LABELS_HOOK = "gi-labels-hook"  # dummy output of the clientside label-size hook

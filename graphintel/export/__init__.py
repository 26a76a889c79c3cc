"""Link-chart export for case teams: a network or a saved case becomes a neutral ``Chart``,
written by one module per format (PNG, SVG, i2 ANX, GraphML, GEXF, Cytoscape.js JSON, CSV,
FollowTheMoney, PDF report), looked up by name in ``FORMATS``."""

from graphintel.export.chart import Chart, ChartEdge, ChartNode, Reason
from graphintel.export.network import chart_from_network
from graphintel.export.paths import output_path, safe_filename, safe_output_path
from graphintel.export.registry import FORMATS, ExportError, ExportFormat, export_bytes, get_format
from graphintel.export.view import ViewEdge, chart_from_view

__all__ = [
    "FORMATS",
    "Chart",
    "ChartEdge",
    "ChartNode",
    "ExportError",
    "ExportFormat",
    "Reason",
    "ViewEdge",
    "chart_from_network",
    "chart_from_view",
    "export_bytes",
    "get_format",
    "output_path",
    "safe_filename",
    "safe_output_path",
]

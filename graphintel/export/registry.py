"""Export formats by name. Each format lives in its own module and is imported only when
used, so the CLI starts fast and a heavy library (matplotlib, reportlab) loads on demand."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from graphintel.errors import GraphIntelError
from graphintel.export.chart import Chart


class ExportError(GraphIntelError):
    """An export cannot be written: unknown format, empty chart, unsafe output path."""


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str  # with the dot
    media_type: str
    module: str  # graphintel.export.<module> holds ``render(chart) -> bytes``
    description: str
    extra: str = ""  # the optional dependency group the format needs, if any

    def render(self, chart: Chart) -> bytes:
        if not chart.nodes:
            raise ExportError("the chart is empty: nothing to export")
        try:
            module = importlib.import_module(f"graphintel.export.{self.module}")
        except ModuleNotFoundError as exc:
            if not self.extra or (exc.name or "").startswith("graphintel"):
                raise
            raise ExportError(
                f"the {self.name} format needs the optional package {exc.name!r}: "
                f"pip install 'graphintel[{self.extra}]'"
            ) from exc
        render = cast(Callable[[Chart], bytes], module.render)
        return render(chart)


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("png", ".png", "image/png", "png", "chart image (matplotlib)"),
        ExportFormat("svg", ".svg", "image/svg+xml", "svg", "chart as scalable vector graphics"),
        ExportFormat(
            "anx", ".anx", "application/xml", "anx", "i2 Analyst's Notebook exchange chart"
        ),
        ExportFormat("graphml", ".graphml", "application/xml", "graphml", "GraphML (networkx)"),
        ExportFormat("gexf", ".gexf", "application/xml", "gexf", "GEXF for Gephi (networkx)"),
        ExportFormat("cytoscape", ".cyjs", "application/json", "cytoscape", "Cytoscape.js JSON"),
        ExportFormat("csv", ".zip", "application/zip", "tables", "nodes.csv and edges.csv"),
        ExportFormat(
            "ftm",
            ".ftm.json",
            "application/x-ndjson",
            "ftm",
            "FollowTheMoney JSON lines",
            extra="ftm",
        ),
        ExportFormat("pdf", ".pdf", "application/pdf", "pdf", "case report"),
    )
}


def get_format(name: str) -> ExportFormat:
    try:
        return FORMATS[name.lower()]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ExportError(f"unknown export format {name!r} (known: {known})") from None


def export_bytes(chart: Chart, format_name: str) -> bytes:
    """The chart written in the named format."""
    return get_format(format_name).render(chart)

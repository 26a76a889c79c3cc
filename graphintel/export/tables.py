"""CSV of the nodes and of the edges, zipped together: every cell passes through
``spreadsheet_safe`` so no spreadsheet runs manifest text as a formula."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from graphintel.export.chart import Chart, source_refs
from graphintel.export.layout import apply_layout
from graphintel.export.narrative import narrative_of
from graphintel.textsafe import spreadsheet_safe

NODE_COLUMNS = (
    "id",
    "kind",
    "label",
    "names",
    "x",
    "y",
    "flags",
    "note",
    "source_rows",
    "run_id",
    "network_id",
    "case",
    "props",
)
EDGE_COLUMNS = (
    "source", "target", "kind", "weight", "source_rows", "run_id", "network_id", "case", "props",
)  # fmt: skip
README = """GraphIntel chart export
{provenance}

nodes.csv: one row per node, with the investigator's note; source_rows lists
file:row@load_id of every manifest row behind the node (the file by name).
edges.csv: one row per edge, with the rows that made it. narrative.txt: the case
narrative (who, what, why, next steps) and every note. Cells that a spreadsheet would
evaluate as a formula are prefixed with an apostrophe.
"""


def _csv(header: tuple[str, ...], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(
        [v if isinstance(v, int | float) else spreadsheet_safe(v) for v in row] for row in rows
    )
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel opens UTF-8 correctly


def nodes_csv(chart: Chart) -> bytes:
    apply_layout(chart)
    rows: list[list[object]] = []
    for n in chart.nodes:
        names = n.props.get("names")
        rows.append(
            [
                n.id,
                n.kind.value,
                n.label,
                "; ".join(str(x) for x in names) if isinstance(names, list) else "",
                n.x,
                n.y,
                ",".join(sorted(n.flags)),
                str(n.props.get("note", "")),
                "; ".join(source_refs(n.sources, chart.files)),
                chart.run_id,
                chart.network_id,
                chart.case_name,
                json.dumps(n.props, sort_keys=True, ensure_ascii=False, default=str),
            ]
        )
    return _csv(NODE_COLUMNS, rows)


def edges_csv(chart: Chart) -> bytes:
    rows: list[list[object]] = [
        [
            e.source,
            e.target,
            e.kind,
            e.weight,
            "; ".join(source_refs(e.sources, chart.files)),
            chart.run_id,
            chart.network_id,
            chart.case_name,
            json.dumps(e.props, sort_keys=True, ensure_ascii=False, default=str),
        ]
        for e in chart.edges
    ]
    return _csv(EDGE_COLUMNS, rows)


def render(chart: Chart) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", nodes_csv(chart))
        archive.writestr("edges.csv", edges_csv(chart))
        archive.writestr("README.txt", README.format(provenance=chart.provenance_line()))
        archive.writestr("narrative.txt", narrative_of(chart, chart.summary).text() + "\n")
    return buffer.getvalue()

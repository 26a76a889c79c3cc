"""Cytoscape.js JSON goes back into the app: ``graphintel import-case`` saves it as a case
that reopens at the exported positions, and exporting that case gives the same chart."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dashboards.pages.cases import render_case
from graphintel.cli.commands import cli
from graphintel.export.case import chart_from_case
from graphintel.store import GraphStore
from tests.builders import SCRIPT, ExportSample


def test_cytoscape_export_imports_as_a_case_and_exports_the_same(
    export_store: tuple[GraphStore, ExportSample], tmp_path: Path
) -> None:
    store, sample = export_store
    runner = CliRunner()
    exported = tmp_path / "ring.cyjs"
    result = runner.invoke(
        cli,
        ["--store", store.url, "export", "--network", sample.network, "--format", "cytoscape",
         "-o", str(exported)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(exported.read_text())
    doc["elements"]["nodes"].append(
        {"data": {"id": "party:forged", "label": "forged", "kind": "Party"}, "position": {}}
    )
    exported.write_text(json.dumps(doc))
    result = runner.invoke(
        cli, ["--store", store.url, "import-case", str(exported), "--name", "From HSI"]
    )
    assert result.exit_code == 0, result.output
    assert "19 of 20 nodes in the store" in result.output
    (case,) = store.cases()
    assert case.name == "From HSI"

    chart = chart_from_case(store, "From HSI")
    original = {n["data"]["id"]: n["position"] for n in doc["elements"]["nodes"][:-1]}
    assert {n.id: {"x": n.x, "y": n.y} for n in chart.nodes} == original
    assert len(chart.edges) == len(doc["elements"]["edges"])
    assert chart.run_id == sample.run_id and chart.network_id == sample.network
    script = chart.node(sample.parties[4])
    assert script is not None and script.label == SCRIPT
    page = str(render_case(store, case.case_id))
    assert "From HSI" in page and "Case not found" not in page

    bad = tmp_path / "bad.cyjs"
    bad.write_text('{"elements": {"nodes": [{"data": {"id": "party:x", "kind": "Party"}}]}}')
    result = runner.invoke(cli, ["--store", store.url, "import-case", str(bad)])
    assert result.exit_code == 1 and "none of its nodes are in the store" in result.output

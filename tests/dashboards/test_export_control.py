"""The export control's server half: a browser request (drawn positions and links) becomes
a download whose labels come from the store, or a plain message when it cannot."""

from __future__ import annotations

import base64
import json

import dash
import pytest

from dashboards.export_control import export_file
from graphintel.store import GraphStore
from tests.builders import SCRIPT_NAME, AppSample


def _request(store: GraphStore, sample: AppSample, fmt: str) -> dict[str, object]:
    ids = [sample.script_party, sample.main_shipper, sample.shared_address]
    return {
        "format": fmt,
        "positions": {nid: [10.0 * i, 20.0 * i] for i, nid in enumerate(ids)}
        | {"<not a node>": [0, 0]},
        "edges": [[sample.script_party, sample.shared_address, "HAS_ADDRESS", 1]],
    }


def test_request_becomes_a_download_with_store_labels_and_provenance(
    app: dash.Dash, sample_store: tuple[GraphStore, AppSample]
) -> None:
    store, sample = sample_store
    context = {"run_id": sample.run_id, "network_id": sample.ring}
    with app.server.app_context():
        download, status = export_file(_request(store, sample, "cytoscape"), context)
    assert download["filename"] == f"graphintel-{sample.ring}-{sample.run_id}.cyjs"
    doc = json.loads(base64.b64decode(download["content"]))
    nodes = {n["data"]["id"]: n for n in doc["elements"]["nodes"]}
    assert set(nodes) == {sample.script_party, sample.main_shipper, sample.shared_address}
    assert nodes[sample.script_party]["data"]["label"] == SCRIPT_NAME
    assert nodes[sample.main_shipper]["position"] == {"x": 10.0, "y": 20.0}
    assert nodes[sample.main_shipper]["data"]["source_rows"]
    assert doc["data"]["run_id"] == sample.run_id and doc["data"]["reasons"]
    assert status.startswith("Exported ")


def test_bad_requests_do_not_download(
    app: dash.Dash, sample_store: tuple[GraphStore, AppSample]
) -> None:
    _, sample = sample_store
    with app.server.app_context():
        with pytest.raises(dash.exceptions.PreventUpdate):
            export_file({"format": "docx"}, {})
        download, status = export_file(
            {"format": "svg", "positions": {"<x>": [0, 0]}, "edges": []}, {}
        )
        assert download is dash.no_update and "nothing to export" in status
        download, status = export_file(
            {"format": "svg", "positions": {sample.script_party: [0, 0]}, "edges": []},
            {"run_id": "run-missing", "network_id": sample.ring},
        )
        assert download is dash.no_update and "no analysis run 'run-missing'" in status


def test_export_from_a_case_page_is_named_after_the_case(
    app: dash.Dash, sample_store: tuple[GraphStore, AppSample]
) -> None:
    store, sample = sample_store
    store.save_case("case-x", "=Ring ../1", {"elements": []})
    context = {"case_id": "case-x", "run_id": sample.run_id, "network_id": sample.ring}
    with app.server.app_context():
        download, _ = export_file(_request(store, sample, "cytoscape"), context)
    assert download["filename"] == f"graphintel-_Ring_.._1-{sample.run_id}.cyjs"
    assert json.loads(base64.b64decode(download["content"]))["data"]["case"] == "=Ring ../1"

"""A saved case exports as saved: its nodes at their saved positions, its links, its notes,
found by id or by name; an unknown or ambiguous case is a clear error."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graphintel.cli.commands import cli
from graphintel.errors import NotFoundError
from graphintel.export import export_bytes
from graphintel.export.case import chart_from_case
from graphintel.store import GraphStore
from tests.builders import SCRIPT, ExportSample


def _payload(sample: ExportSample) -> dict[str, Any]:
    shown = [sample.parties[4], sample.phone, sample.parties[0]]
    nodes = [
        {"data": {"id": nid, "label": "short…", "kind": "Party"}, "position": {"x": 100.0 * i,
         "y": -50.0 * i}}
        for i, nid in enumerate(shown)
    ]  # fmt: skip
    edges = [
        {"data": {"id": "e1", "source": sample.parties[4], "target": sample.phone,
                  "kind": "HAS_PHONE", "weight": 1}},
        {"data": {"id": "e2", "source": sample.parties[0], "target": "party:gone",
                  "kind": "HAS_PHONE", "weight": 1}},
    ]  # fmt: skip
    return {
        "elements": nodes + edges,
        "filters": {"date_from": "", "date_to": "", "community": False, "layout": "preset"},
        "source": {"run_id": sample.run_id, "network_id": sample.network},
        "notes": {sample.parties[0]: "Handed to HSI Newark"},
    }


def test_case_chart_keeps_positions_links_notes_and_provenance(
    export_store: tuple[GraphStore, ExportSample],
) -> None:
    store, sample = export_store
    store.save_case("case-1", "Newark drop", _payload(sample))
    store.set_note(sample.phone, "burner, seen in 2025 seizure")
    chart = chart_from_case(store, "Newark drop", analyst="A. Analyst")
    assert chart.case_name == "Newark drop" and chart.notes.startswith("Case case-1, saved ")
    assert {(n.id, n.x, n.y) for n in chart.nodes} == {
        (sample.parties[4], 0.0, 0.0),
        (sample.phone, 100.0, -50.0),
        (sample.parties[0], 200.0, -100.0),
    }
    assert [e.kind for e in chart.edges] == ["HAS_PHONE"]  # the link to a gone node is dropped
    party = chart.node(sample.parties[4])
    assert party is not None and party.label == SCRIPT and party.sources  # labels from the store
    phone = chart.node(sample.phone)
    assert phone is not None and phone.props["note"] == "burner, seen in 2025 seizure"
    first = chart.node(sample.parties[0])
    assert first is not None and first.props["note"] == "Handed to HSI Newark"
    assert chart.run_id == sample.run_id and chart.reasons
    root = ET.fromstring(export_bytes(chart, "anx"))
    ends = {
        e.find("Entity").get("Identity"): (e.get("X"), e.get("Y"))  # type: ignore[union-attr]
        for e in root.iter("End")
    }
    assert ends[sample.phone] == ("100", "-50")
    assert chart_from_case(store, "case-1").case_name == "Newark drop"


def test_unknown_and_ambiguous_cases(export_store: tuple[GraphStore, ExportSample]) -> None:
    store, sample = export_store
    with pytest.raises(NotFoundError, match="no case with id or name 'nope'"):
        chart_from_case(store, "nope")
    store.save_case("case-a", "Twin", _payload(sample))
    store.save_case("case-b", "Twin", _payload(sample))
    with pytest.raises(NotFoundError, match="2 cases are named 'Twin'"):
        chart_from_case(store, "Twin")


def test_cli_exports_a_case_and_needs_exactly_one_source(
    export_store: tuple[GraphStore, ExportSample], tmp_path: Path
) -> None:
    store, sample = export_store
    store.save_case("case-1", "../../Newark drop", _payload(sample))
    runner = CliRunner()
    base = ["--store", store.url, "export", "--format", "graphml", "-o", str(tmp_path)]
    result = runner.invoke(cli, [*base, "--case", "../../Newark drop"])
    assert result.exit_code == 0, result.output
    written = list(tmp_path.glob("*.graphml"))
    assert [p.name for p in written] == ["case-.._.._Newark_drop.graphml"]
    result = runner.invoke(cli, [*base, "--case", "case-1", "--network", sample.network])
    assert result.exit_code == 2 and "exactly one of --network ID or --case NAME" in result.output

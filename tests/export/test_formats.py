"""Per-format content tests over a network with hostile names: structure, provenance
(source rows and run id) and that manifest text stays data in every format."""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib

import pytest
from PIL import Image

from graphintel.export import (
    FORMATS,
    Chart,
    ExportError,
    cytoscape,
    export_bytes,
    gexf,
    graphml,
    svg,
)
from graphintel.export import anx as anx_format
from graphintel.export.chart import source_refs
from graphintel.export.scene import scene_of
from graphintel.model import NodeKind
from graphintel.store import GraphStore
from tests.builders import (
    AT_SUM,
    CMD,
    CONTROL,
    FORMULA,
    HOSTILE,
    MATH,
    SCRIPT,
    XML_NAME,
    ExportSample,
)

SVG_NS = "{http://www.w3.org/2000/svg}"


def test_every_format_writes_bytes_and_an_empty_chart_is_refused(chart: Chart) -> None:
    for name in FORMATS:
        assert export_bytes(chart, name), name
    with pytest.raises(ExportError, match="empty"):
        export_bytes(Chart("nothing", [], []), "svg")
    with pytest.raises(ExportError, match="unknown export format 'docx'"):
        export_bytes(chart, "docx")


def test_chart_carries_members_sources_and_merges(
    chart: Chart, export_store: tuple[GraphStore, ExportSample]
) -> None:
    _, sample = export_store
    ids = {n.id for n in chart.nodes}
    assert set(sample.parties) <= ids and set(sample.shipments) <= ids
    assert chart.run_id == sample.run_id and chart.run is not None
    shipment = chart.node(sample.shipments[3])
    assert shipment is not None and source_refs(shipment.sources) == ["sha256-export:5@load-export"]
    phone = chart.node(sample.phone)
    assert phone is not None and len(phone.sources) == len(sample.shipments)
    assert "evidence" in phone.flags
    seized = chart.node(sample.shipments[1])
    assert seized is not None and "seized" in seized.flags
    first = chart.node(sample.parties[0])
    assert first is not None and first.merge_evidence[0].rule == "company-name-jaro-winkler"


def _svg_positions(chart: Chart) -> None:
    root = ET.fromstring(export_bytes(chart, "svg"))
    scene = svg.placed_scene(chart)
    where = {d.id: d for d in scene.dots}
    dx, dy, _, _ = svg.offset(scene)
    drawn = set()
    for group in root.iter(f"{SVG_NS}g"):
        if group.get("class") != "node":
            continue
        dot = where[group.get("data-id", "")]
        circle = group.find(f"{SVG_NS}circle")
        assert circle is not None
        assert float(circle.get("cx", "")) == pytest.approx(dot.x + dx, abs=0.01)
        assert float(circle.get("cy", "")) == pytest.approx(dot.y + dy, abs=0.01)
        drawn.add(dot.id)
    assert drawn == set(where)


def test_svg_draws_the_summarised_chart_or_the_chart_as_drawn(chart: Chart) -> None:
    assert chart.summary is not None
    _svg_positions(chart)  # a network: its summarised chart, parties and identifiers
    assert {d.id for d in scene_of(chart).dots} == {n.id for n in chart.summary.nodes}
    chart.drawn = True  # an investigator's chart: every node at its own position
    _svg_positions(chart)
    assert [(d.x, d.y) for d in scene_of(chart).dots] == [(n.x, n.y) for n in chart.nodes]


def test_svg_is_wellformed_escaped_and_carries_provenance(chart: Chart) -> None:
    data = export_bytes(chart, "svg")
    root = ET.fromstring(data)
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    for name in (FORMULA, XML_NAME, SCRIPT, MATH):
        assert any(t is not None and name[:20] in t for t in texts), name
    assert "Bell Co" in texts and CONTROL not in data.decode()
    assert not list(root.iter(f"{SVG_NS}script")) and not list(root.iter("script"))
    assert chart.run_id in (root.findtext(f"{SVG_NS}desc") or "")


def test_png_is_an_image_with_provenance_metadata(chart: Chart) -> None:
    image = Image.open(io.BytesIO(export_bytes(chart, "png")))
    assert image.format == "PNG" and image.width > 200 and image.height > 200
    assert chart.run_id in image.info["Description"]
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 10  # drawn, not blank


def test_anx_structure(chart: Chart) -> None:
    root = ET.fromstring(export_bytes(chart, "anx"))
    assert anx_format.build(chart).validate() == []
    entity_types = {t.get("Name") for t in root.iter("EntityType")}
    link_types = {t.get("Name") for t in root.iter("LinkType")}
    attribute_classes = {a.get("Name") for a in root.iter("AttributeClass")}
    entity_ids = {e.get("EntityId") for e in root.iter("Entity")}
    identities = {e.get("Identity") for e in root.iter("Entity")}
    links = list(root.iter("Link"))
    # every node, and the case narrative's text block
    assert len(entity_ids) == len(chart.nodes) + 1
    assert identities == {n.id for n in chart.nodes} | {anx_format.NARRATIVE_ID}
    assert len(links) == len(chart.edges)
    for link in links:
        assert link.get("End1Id") in entity_ids and link.get("End2Id") in entity_ids
    for style in root.iter("IconStyle"):
        assert style.get("Type") in entity_types
    for style in root.iter("LinkStyle"):
        assert style.get("Type") in link_types
    for attr in root.iter("Attribute"):
        assert attr.get("AttributeClass") in attribute_classes
    assert entity_types == {k.value for k in {n.kind for n in chart.nodes}} | {
        anx_format.NARRATIVE_TYPE
    }
    labels = {item.get("Label") for item in root.iter("ChartItem")}
    for name in (FORMULA, XML_NAME, SCRIPT, CMD):
        assert name in labels
    values = {a.get("AttributeClass"): a.get("Value") for a in root.iter("Attribute")}
    assert values["Analysis run"] == chart.run_id and values["Source rows"]
    positions = {
        e.find("Entity").get("Identity"): (float(e.get("X", "")), float(e.get("Y", "")))  # type: ignore[union-attr]
        for e in root.iter("End")
    }
    some = chart.nodes[0]
    assert positions[some.id] == (round(some.x), round(some.y))


@pytest.mark.parametrize("module", [graphml, gexf], ids=["graphml", "gexf"])
def test_graphml_and_gexf_round_trip(chart: Chart, module: object) -> None:
    data = export_bytes(chart, module.__name__.rsplit(".", 1)[1])  # type: ignore[attr-defined]
    back = module.read(data)  # type: ignore[attr-defined]
    assert back.run_id == chart.run_id
    original = {n.id: n for n in chart.nodes}
    assert set(original) == {n.id for n in back.nodes}
    for n in back.nodes:
        o = original[n.id]
        assert (n.kind, n.label.replace("\x07", ""), n.props) == (
            o.kind,
            o.label.replace("\x07", ""),
            o.props,
        )
        assert n.sources == o.sources and n.flags == o.flags
        assert (n.x, n.y) == pytest.approx((o.x, o.y))
    key = sorted((e.source, e.target, e.kind, e.weight) for e in chart.edges)
    assert sorted((e.source, e.target, e.kind, e.weight) for e in back.edges) == key


def test_cytoscape_round_trip(chart: Chart) -> None:
    data = export_bytes(chart, "cytoscape")
    doc = json.loads(data)
    assert doc["data"]["run_id"] == chart.run_id
    back = cytoscape.read(data)
    assert [(n.id, n.kind, n.label, n.x, n.y, n.sources, n.flags) for n in back.nodes] == [
        (n.id, n.kind, n.label, n.x, n.y, n.sources, n.flags) for n in chart.nodes
    ]
    assert back.edges == chart.edges and back.reasons == chart.reasons
    with pytest.raises(cytoscape.CytoscapeImportError):
        cytoscape.read(b'{"elements": {"nodes": [{"data": {"id": "x", "kind": "Bogus"}}]}}')


def test_csv_neutralises_formulas_and_carries_provenance(chart: Chart) -> None:
    with zipfile.ZipFile(io.BytesIO(export_bytes(chart, "csv"))) as archive:
        nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode("utf-8-sig"))))
        edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode("utf-8-sig"))))
    labels = {row["label"] for row in nodes}
    for name in (FORMULA, CMD, AT_SUM):
        assert "'" + name in labels and name not in labels
    for row in nodes + edges:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
            assert not value.startswith("-") or re.fullmatch(r"-[0-9.]+", value), value
        assert row["run_id"] == chart.run_id
    assert all(row["source_rows"] for row in nodes)
    assert len(nodes) == len(chart.nodes) and len(edges) == len(chart.edges)


def test_ftm_entities_are_valid_and_linked(chart: Chart) -> None:
    model = pytest.importorskip("followthemoney").model
    lines = export_bytes(chart, "ftm").decode().splitlines()
    proxies = [model.get_proxy(json.loads(line)) for line in lines]
    ids = {p.id for p in proxies}
    schemata = {p.schema.name for p in proxies}
    assert {"LegalEntity", "Address", "BankAccount", "Event", "UnknownLink"} <= schemata
    names = {n for p in proxies for n in p.get("name", quiet=True)}
    assert FORMULA in names and SCRIPT in names
    for p in proxies:
        if p.schema.name == "Note":  # the case narrative, on entities of the chart
            assert set(p.get("entity")) <= ids and p.get("description")
        elif p.schema.name == "UnknownLink":
            assert set(p.get("subject")) <= ids and set(p.get("object")) <= ids
        else:
            assert any(chart.run_id in v for v in p.get("publisher"))
            assert any("source rows: hostile.csv:" in v for v in p.get("notes"))
    parties = [p for p in proxies if p.schema.name == "LegalEntity"]
    assert all(p.get("phone") == ["+12015550143"] for p in parties)


def _pdf_text(data: bytes) -> str:
    """The PDF's streams inflated: ASCII85 over Flate (reportlab's default) or Flate alone."""
    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = match.group(1)
        with contextlib.suppress(ValueError):  # else a binary stream
            raw = base64.a85decode(raw.strip().removeprefix(b"<~").removesuffix(b"~>"))
        try:
            chunks.append(zlib.decompressobj().decompress(raw).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(chunks).replace(") Tj (", "")  # one text run per markup token


def test_pdf_report_sections_and_hostile_text(chart: Chart) -> None:
    data = export_bytes(chart, "pdf")
    assert data.startswith(b"%PDF-")
    text = _pdf_text(data)
    for expected in (
        "Reasons and evidence",
        "Entities and their source rows",
        "Merge explanations",
        "Analysis run",
        "A. Analyst",
        "company-name-jaro-winkler",
        "hub_limit",
        chart.run_id,
        "hostile.csv:5@load-export",  # rows cite the file by name, not by its hash
        "<script>alert\\(1\\)</script>",
        "/Image",  # not text: the drawn chart is embedded
    ):
        assert expected in text or expected.encode() in data, expected
    assert HOSTILE  # every hostile name went through paragraph markup without breaking it


def test_node_kinds_cover_every_exported_kind(chart: Chart) -> None:
    assert {n.kind for n in chart.nodes} == set(NodeKind)


def test_a_missing_optional_package_is_a_clear_error(
    chart: Chart, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "followthemoney", None)
    monkeypatch.delitem(sys.modules, "graphintel.export.ftm", raising=False)
    with pytest.raises(ExportError, match=r"pip install 'graphintel\[ftm\]'"):
        export_bytes(chart, "ftm")

"""An investigator's note and the case narrative reach every export format, escaped where
the format parses text."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile

import pytest
from PIL import Image

from graphintel.export import FORMATS, chart_from_network, export_bytes
from graphintel.store import GraphStore
from tests.builders import ExportSample
from tests.export.test_formats import _pdf_text

NOTE = 'Burner <b>phone</b> & "seen" =1+1'
NARRATIVE = "Seven shippers share one phone; hand to HSI <Newark>."


@pytest.fixture
def noted(export_store: tuple[GraphStore, ExportSample]) -> tuple[bytes, ...]:
    store, sample = export_store
    store.set_note(sample.phone, NOTE)
    chart = chart_from_network(store, sample.network, narrative=NARRATIVE)
    return tuple(export_bytes(chart, name) for name in FORMATS)


def test_note_and_narrative_in_every_format(noted: tuple[bytes, ...]) -> None:
    out = dict(zip(FORMATS, noted, strict=True))
    svg = ET.fromstring(out["svg"])
    svg_text = " ".join(t for t in svg.itertext())
    assert NOTE in svg_text and NARRATIVE in svg_text  # annotation and metadata, escaped
    png = Image.open(io.BytesIO(out["png"]))
    assert NOTE in png.info["Comment"] and NARRATIVE in png.info["Comment"]
    anx = ET.fromstring(out["anx"])
    cards = {(c.get("Summary"), c.get("Text")) for c in anx.iter("Card")}
    assert ("Note", NOTE) in cards and ("Analyst's narrative", NARRATIVE) in cards
    for name in ("graphml", "gexf"):
        text = " ".join(ET.fromstring(out[name]).itertext()) + " ".join(
            v for e in ET.fromstring(out[name]).iter() for v in e.attrib.values()
        )
        assert NOTE in text and NARRATIVE in text, name
    ftm = [json.loads(line) for line in out["ftm"].decode().splitlines()]
    notes = [e for e in ftm if e["schema"] == "Note"]
    descriptions = [d for e in notes for d in e["properties"]["description"]]
    assert NOTE in descriptions and any(NARRATIVE in d for d in descriptions)
    with zipfile.ZipFile(io.BytesIO(out["csv"])) as archive:
        assert NARRATIVE in archive.read("narrative.txt").decode()
        rows = csv.DictReader(io.StringIO(archive.read("nodes.csv").decode("utf-8-sig")))
        assert NOTE in {row["note"] for row in rows}
    cyto = json.loads(out["cytoscape"])
    assert cyto["data"]["narrative"] == NARRATIVE
    assert any(n["data"]["props"].get("note") == NOTE for n in cyto["elements"]["nodes"])
    pdf = _pdf_text(out["pdf"])
    assert "Case narrative" in pdf and "Burner <b>phone</b>" in pdf

"""The i2 chart read back with an XML parser: DateTime on items and links (first and last
seen), notes and the case narrative as cards, the stock icons kept."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphintel.export import anx, chart_from_network, export_bytes
from graphintel.store import GraphStore, SqliteStore
from tests.export import casework

ELM = "address:US|07105|12 ELM ST"


@pytest.fixture(scope="module")
def anx_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = SqliteStore(Path(tmp_path_factory.mktemp("anx")) / "case.db")
    casework.build(store)
    store.set_note(ELM, 'Vacant unit </Card><x a="1"/> per HSI')
    yield store
    store.close()


def _items(root: ET.Element) -> dict[str, ET.Element]:
    """Entity identity -> its ChartItem."""
    out = {}
    for item in root.iter("ChartItem"):
        entity = item.find("End/Entity")
        if entity is not None:
            out[entity.get("Identity", "")] = item
    return out


def _attributes(item: ET.Element, classes: dict[str, str]) -> dict[str, str]:
    return {classes[a.get("AttributeClassReference", "")]: a.get("Value", "")
            for a in item.iter("Attribute")}  # fmt: skip


def test_items_and_links_carry_datetime_notes_and_narrative_cards(anx_store: GraphStore) -> None:
    run = anx_store.latest_run()
    assert run is not None
    network = next(n for n in anx_store.networks(run.run_id) if ELM in n.entity_ids)
    chart = chart_from_network(
        anx_store, network.network_id, narrative="Drop address; visit it next."
    )
    root = ET.fromstring(export_bytes(chart, "anx"))
    classes = {a.get("Id", ""): a.get("Name", "") for a in root.iter("AttributeClass")}
    items = _items(root)
    # A shipment: its arrival; the drop address: first seen S1 (03-01), last seen S7 (03-08).
    assert items["shipment:S2"].get("DateTime", "").startswith("2026-03-02")
    elm = items[ELM]
    assert elm.get("DateSet") == "true" and elm.get("DateTime", "").startswith("2026-03-01")
    seen = _attributes(elm, classes)
    assert (seen["First seen"], seen["Last seen"], seen["Shipments"]) == (
        "2026-03-01", "2026-03-08", "5",
    )  # fmt: skip
    cards = [c for c in elm.iter("Card")]
    assert [(c.get("Summary"), c.get("Text")) for c in cards] == [
        ("Note", 'Vacant unit </Card><x a="1"/> per HSI')  # escaped, read back as written
    ]
    ends = {e.get("EntityId", ""): e.get("Identity", "") for e in root.iter("Entity")}
    [mary] = [n.id for n in anx_store.search("Mary Jones") if n.id.startswith("party:")]
    dated = {}
    for item in root.iter("ChartItem"):
        link = item.find("Link")
        if link is not None:
            pair = (ends[link.get("End1Id", "")], ends[link.get("End2Id", "")])
            dated[pair] = (item.get("DateTime", ""), _attributes(item, classes))
    when, attrs = dated[(mary, ELM)]  # Mary's mentions held the address on S2 and S5
    assert when.startswith("2026-03-02") and attrs["Last seen"] == "2026-03-06"
    assert (
        attrs["Source rows"] == "manifest_a.csv:3@load-manifest_a; manifest_a.csv:6@load-manifest_a"
    )
    assert dated[("shipment:S5", mary)][0].startswith("2026-03-06")
    narrative = items[anx.NARRATIVE_ID]
    summaries = [c.get("Summary") for c in narrative.iter("Card")]
    assert summaries[:5] == ["Analyst's narrative", "Who", "What", "Why", "Next steps"]
    assert "Drop address; visit it next." in (narrative.get("Description") or "")
    icons = {s.get("Type") for s in root.iter("IconStyle")}
    types = {t.get("Name"): t.get("IconFile") for t in root.iter("EntityType")}
    assert {"Party", "Address", "Shipment"} <= icons
    assert types["Party"] == "Person" and types["Address"] == "House"
    assert anx.build(chart).validate() == []

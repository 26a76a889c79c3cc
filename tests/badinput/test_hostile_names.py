"""Names carrying SQL, Cypher, HTML/JS and spreadsheet formulas stay inert all the way down.

They are loaded, resolved and analysed like any name, stored verbatim as data (never run:
SQL and Cypher only ever see them as parameters), reach the app's pages only as text, and
leave CSV exports with formula cells neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboards.app import create_app
from graphintel.analytics import analyze_store
from graphintel.cli.commands import cli
from graphintel.model import NodeKind
from graphintel.resolve import resolve_store
from graphintel.store import GraphStore
from graphintel.store.neo4j import Neo4jStore
from graphintel.textsafe import spreadsheet_safe
from loaders import load_file
from tests.badinput.corpus import HOSTILE_NAMES
from tests.page_request import page_request
from tests.store.test_neo4j_offline import BY_TEXT, FakeDriver

pytestmark = pytest.mark.filterwarnings("ignore:\\s*The dash_table.DataTable:DeprecationWarning")

FORMULA_NAMES = [n for n in HOSTILE_NAMES if n[0] in "=+-@"]
HEADER = (
    "shipment_id,arrival_date,declared_value_usd,shipper_name,shipper_phone,consignee_name,"
    "consignee_address,consignee_city,consignee_state,consignee_postal_code,consignee_phone,"
    "inspection_outcome,description"
)


PARCELS = 3  # shipments from each hostile name


def _shipment_id(name_index: int, parcel: int) -> str:
    return f"H-{name_index}-{parcel}"


def _manifest(folder: Path) -> Path:
    """Every hostile name ships from and to a party at one drop address and phone, again
    and again (``PARCELS`` each): a ring. One parcel each from ten shippers would look like
    an ordinary busy address fed by the whole market, which analysis cuts as a hub."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    for i, name in enumerate(HOSTILE_NAMES):
        for parcel in range(PARCELS):
            writer.writerow(
                [
                    _shipment_id(i, parcel),
                    f"2026-03-{i + 1:02d}",
                    "25",
                    name,
                    f"+86 138 0013 {8000 + i}",  # the shipper's own phone: its parcels link
                    HOSTILE_NAMES[-1 - i],
                    "5290 Grant Ln",
                    "Atlanta",
                    "GA",
                    "30338",
                    "+1 404 555 0147",
                    "seized" if i == 0 and parcel == 0 else "",
                    name,
                ]
            )
    path = folder / "hostile.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def analysed(tmp_path: Path, store: GraphStore) -> tuple[GraphStore, str, str]:
    load_file(store, _manifest(tmp_path))
    resolve_store(store)
    run_id = analyze_store(store).run_id
    networks = store.networks(run_id, limit=10, with_members=True)
    assert networks, "the hostile ring should be found like any other"
    return store, run_id, networks[0].network_id


def test_names_are_stored_verbatim_through_the_pipeline(
    analysed: tuple[GraphStore, str, str],
) -> None:
    store, _, _ = analysed
    assert store.shipment_count() == PARCELS * len(HOSTILE_NAMES)  # no table was dropped
    stored = store.shipments([_shipment_id(i, 0) for i in range(len(HOSTILE_NAMES))])
    assert [s.shipper_name for s in stored] == list(HOSTILE_NAMES)
    assert [s.description for s in stored] == list(HOSTILE_NAMES)
    names = {n.label for batch in store.iter_nodes([NodeKind.PARTY]) for n in batch} | {
        a.name for batch in store.iter_mentions() for a in batch
    }
    assert set(HOSTILE_NAMES) <= names
    found = store.search("DROP TABLE", limit=5)
    assert any("DROP TABLE shipments" in n.label for n in found)


def test_cypher_sees_names_only_as_parameters(tmp_path: Path) -> None:
    driver = FakeDriver()
    neo = Neo4jStore("neo4j://fake:7687", batch_size=4, driver=driver)  # type: ignore[arg-type]
    load_file(neo, _manifest(tmp_path))
    assert driver.calls
    written = json.dumps([params for _, params in driver.calls], ensure_ascii=False)
    for name in HOSTILE_NAMES:
        assert json.dumps(name, ensure_ascii=False)[1:-1] in written  # the value travelled
    for text in BY_TEXT:  # every statement run is declared text (FakeDriver checks that)
        assert not any(name in text for name in HOSTILE_NAMES)


def _page(client: object, pathname: str) -> str:
    body = page_request(pathname)
    response = client.post("/_dash-update-component", json=body)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return str(response.data.decode())


def test_app_pages_carry_names_as_text_only(analysed: tuple[GraphStore, str, str]) -> None:
    store, run_id, network_id = analysed
    client = create_app(store).server.test_client()
    client.get("/")
    for path in (f"/network/{run_id}/{network_id}", "/", "/overview"):
        body = _page(client, path)
        assert "<script" not in body and "<img" not in body  # JSON-escaped, never raw
        payload = json.dumps(json.loads(body))
        assert '"Markdown"' not in payload and '"dangerously_allow_html": true' not in payload
    page = json.loads(_page(client, f"/network/{run_id}/{network_id}"))
    text = json.dumps(page, ensure_ascii=False)
    assert json.dumps("<script>alert('xss')</script>")[1:-1] in text


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _assert_no_formula(cells: list[str]) -> None:
    """No text cell starts like a formula (a negative number is a number, not a formula)."""
    for cell in cells:
        assert _is_number(cell) or not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def _assert_neutralised(cells: list[str]) -> None:
    _assert_no_formula(cells)
    for name in FORMULA_NAMES:
        assert spreadsheet_safe(name) in cells, name


def test_csv_outputs_neutralise_formulas(
    analysed: tuple[GraphStore, str, str], tmp_path: Path
) -> None:
    store, _, network_id = analysed
    runner = CliRunner()
    entities = runner.invoke(cli, ["--quiet", "--store", store.url, "entities"])
    assert entities.exit_code == 0, entities.output
    _assert_neutralised(_cells(entities.output))

    target = tmp_path / "ring.zip"
    exported = runner.invoke(
        cli,
        [
            "--store",
            store.url,
            "export",
            "--network",
            network_id,
            "--format",
            "csv",
            "-o",
            str(target),
        ],
    )
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(target) as archive:
        cells = [c for name in archive.namelist() for c in _cells(archive.read(name).decode())]
    _assert_no_formula(cells)
    assert any(spreadsheet_safe(name) in cell for cell in cells for name in FORMULA_NAMES)


def test_terminal_tables_show_escape_sequences_instead_of_running_them(
    tmp_path: Path, store: GraphStore
) -> None:
    """A JSON line with a raw ESC is quarantined with its raw text; listing it in a terminal
    shows the escape, so the line cannot clear the screen or retitle the window."""
    path = tmp_path / "esc.jsonl"
    path.write_text(
        '{"shipment_id": "E-1", "shipper_name": "\x1b[2J\x1b]0;owned\x07"}\n', encoding="utf-8"
    )
    assert load_file(store, path).rows_quarantined == 1
    listed = CliRunner().invoke(cli, ["--store", store.url, "quarantine"])
    assert listed.exit_code == 0, listed.output
    assert "\x1b" not in listed.output and "\x07" not in listed.output
    assert "\\x1b[2J\\x1b]0;owned\\x07" in listed.output

"""A small store whose network carries hostile names (formula, XML, script, math text,
control characters) in every place a format writes text, plus one finished analysis run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graphintel.export import Chart, chart_from_network
from graphintel.model import EdgeKind, NodeKind, Role, node_id
from graphintel.records import (
    EdgeRecord,
    LoadReport,
    MentionAssignment,
    MergeEvidence,
    Network,
    NodeRecord,
)
from graphintel.store import GraphStore, SqliteStore
from tests.conftest import make_shipment
from tests.graph_writes import write_records

FORMULA = '=HYPERLINK("http://evil.example","x")'
CMD = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)"
XML_NAME = '</label><x a="1">&amp; ]]>'
SCRIPT = "<script>alert(1)</script>"
MATH = r"$\frac{1}{0}$ Trading"
CONTROL = "Bell\x07 Co"
HOSTILE = (FORMULA, CMD, AT_SUM, XML_NAME, SCRIPT, MATH, CONTROL)
FILE_ID = "sha256-export"
LOAD_ID = "load-export"


@dataclass(frozen=True)
class ExportSample:
    run_id: str
    network: str
    empty_network: str
    parties: tuple[str, ...]
    shipments: tuple[str, ...]
    phone: str
    address: str


def build_export_sample(store: GraphStore) -> ExportSample:
    parties = [node_id(NodeKind.PARTY, f"p{i}") for i in range(len(HOSTILE))]
    nodes = [
        NodeRecord(pid, NodeKind.PARTY, name, {"names": [name, name.upper()], "roles": ["shipper"]})
        for pid, name in zip(parties, HOSTILE, strict=True)
    ]
    address = node_id(NodeKind.ADDRESS, "US|07105|1200 IND BLVD")
    phone = node_id(NodeKind.PHONE, "+12015550143")
    email = node_id(NodeKind.EMAIL, "drop@mail.example")
    pay = node_id(NodeKind.PAYMENT_ACCOUNT, "tok_1")
    ip = node_id(NodeKind.IP_ADDRESS, "203.0.113.7")
    nodes += [
        NodeRecord(address, NodeKind.ADDRESS, "1200 Industrial Blvd, Newark NJ 07105"),
        NodeRecord(phone, NodeKind.PHONE, "+12015550143"),
        NodeRecord(email, NodeKind.EMAIL, "drop@mail.example"),
        NodeRecord(pay, NodeKind.PAYMENT_ACCOUNT, "tok_1"),
        NodeRecord(ip, NodeKind.IP_ADDRESS, "203.0.113.7"),
    ]
    edges: list[EdgeRecord] = []
    shipments = []
    mentions = []
    shipment_nodes = []
    for i, party in enumerate(parties):
        sid = f"HAWB{i:04d}"
        snode = node_id(NodeKind.SHIPMENT, sid)
        shipment_nodes.append(snode)
        shipments.append(
            make_shipment(
                sid,
                row=i + 2,
                file_id=FILE_ID,
                load_id=LOAD_ID,
                shipper_name=HOSTILE[i],
                shipper_phone="+1 201 555 0143",
                shipper_email="drop@mail.example" if i == 0 else "",
                consignee_name="John Smith",
                consignee_address="1200 Industrial Blvd",
                consignee_city="Newark",
                consignee_state="NJ",
                consignee_postal_code="07105",
                payment_account="tok_1",
                buyer_ip="203.0.113.7",
                description=SCRIPT if i == 0 else "phone case",
                inspection_outcome="seized" if i == 1 else "",
            )
        )
        nodes.append(
            NodeRecord(
                snode,
                NodeKind.SHIPMENT,
                sid,
                {
                    "arrival_date": "2026-03-01",
                    "declared_value_usd": 25.0 + i,
                    "description": SCRIPT if i == 0 else "phone case",
                },
            )
        )
        mentions.append(MentionAssignment(sid, Role.SHIPPER, party, HOSTILE[i]))
        edges += [
            EdgeRecord(snode, party, EdgeKind.SHIPPED_BY),
            EdgeRecord(snode, address, EdgeKind.DELIVERED_TO),
            EdgeRecord(snode, pay, EdgeKind.PAID_WITH),
            EdgeRecord(snode, ip, EdgeKind.ORDERED_FROM),
            EdgeRecord(party, phone, EdgeKind.HAS_PHONE),
        ]
    edges.append(EdgeRecord(parties[0], email, EdgeKind.HAS_EMAIL))
    evidence = [
        MergeEvidence(
            parties[0],
            "HAWB0000#shipper",
            "HAWB0009#shipper",
            "name",
            FORMULA,
            SCRIPT,
            0.91,
            2.0,
            "company-name-jaro-winkler",
        ),
    ]
    report = LoadReport(LOAD_ID, FILE_ID, "hostile.csv", status="loaded")
    with store.load_transaction(report) as tx:
        tx.add_shipments(shipments)
        report.rows_read = report.rows_loaded = len(shipments)
    write_records(store, nodes, edges, mentions, evidence)
    run = store.start_run("analyze", {"hub_limit": 25, "note": FORMULA}, {"graphintel": "test"})
    reason = f"7 shippers over one phone, one named {SCRIPT}"
    entity_ids = (*parties, address, phone, email, pay, ip)
    network = Network(
        "net-0001",
        run.run_id,
        1,
        0.9,
        (reason,),
        {reason: [phone, parties[4]]},
        tuple(shipment_nodes),
        entity_ids,
        "2026-03-01",
        "2026-03-01",
        1,
        ("shared_phone",),
    )
    empty = Network("net-gone", run.run_id, 2, 0.1, (), {}, ("NOPE1",), ("party:nope",))
    store.finish_run(run.run_id, {"networks": 2}, [network, empty])
    return ExportSample(
        run.run_id, "net-0001", "net-gone", tuple(parties), tuple(shipment_nodes), phone, address
    )


@pytest.fixture
def export_store(tmp_path: Path) -> Iterator[tuple[GraphStore, ExportSample]]:
    store = SqliteStore(tmp_path / "export.db")
    yield store, build_export_sample(store)
    store.close()


@pytest.fixture
def chart(export_store: tuple[GraphStore, ExportSample]) -> Chart:
    store, sample = export_store
    return chart_from_network(store, sample.network, analyst="A. Analyst")

"""A small hand-built store for the app's tests: one planted ring (with hostile party names),
one network too large to draw whole, and one tiny network, in one succeeded analysis run."""

from __future__ import annotations

from dataclasses import dataclass

from graphintel.model import EdgeKind, NodeKind, Role, node_id
from graphintel.records import (
    EdgeRecord,
    LoadReport,
    MentionAssignment,
    MergeEvidence,
    Network,
    NodeRecord,
    ShipmentRecord,
)
from graphintel.store.base import GraphStore
from tests.conftest import make_shipment
from tests.graph_writes import write_records

SCRIPT_NAME = "<script>alert(1)</script>"
IMG_NAME = "<img src=x onerror=alert(1)>"
RING_NAME = "Shenzhen Huayu Trading - drop address"

FILE_ID = "sha256-sample"
LOAD_ID = "load-sample"


@dataclass(frozen=True)
class Sample:
    run_id: str
    ring: str  # network ids
    big: str
    tiny: str
    script_party: str  # node ids
    img_party: str
    main_shipper: str
    shared_address: str
    ring_shipments: int
    big_shipments: int


def _p(key: str) -> str:
    return node_id(NodeKind.PARTY, key)


def build_sample(store: GraphStore) -> Sample:
    """Fill ``store`` with the sample graph and one finished analysis run."""
    nodes: dict[str, NodeRecord] = {}
    edges: list[EdgeRecord] = []
    mentions: list[MentionAssignment] = []
    shipments: list[ShipmentRecord] = []

    def add_node(nid: str, kind: NodeKind, label: str, **props: object) -> str:
        nodes[nid] = NodeRecord(nid, kind, label, dict(props))
        return nid

    def add_shipment(
        sid: str,
        shipper: str,
        consignee: str,
        address: str,
        seized: bool = False,
        arrival_date: str = "2026-03-01",
    ) -> str:
        shipper_name = nodes[shipper].label
        consignee_name = nodes[consignee].label
        shipments.append(
            make_shipment(
                sid,
                row=len(shipments) + 2,
                file_id=FILE_ID,
                load_id=LOAD_ID,
                shipper_name=shipper_name,
                consignee_name=consignee_name,
                consignee_address=nodes[address].label,
                description="phone case" if not seized else "tablet press parts",
                inspection_outcome="seized" if seized else "",
                seizure_category="pill press" if seized else "",
                arrival_date=arrival_date,
            )
        )
        record = shipments[-1]
        snode = add_node(
            node_id(NodeKind.SHIPMENT, sid),
            NodeKind.SHIPMENT,
            sid,
            arrival_date=record.arrival_date,
            declared_value_usd=record.declared_value_usd,
            description=record.description,
            inspection_outcome=record.inspection_outcome,
        )
        edges.append(EdgeRecord(snode, shipper, EdgeKind.SHIPPED_BY))
        edges.append(EdgeRecord(snode, consignee, EdgeKind.CONSIGNED_TO))
        edges.append(EdgeRecord(snode, address, EdgeKind.DELIVERED_TO))
        mentions.append(MentionAssignment(sid, Role.SHIPPER, shipper, shipper_name))
        mentions.append(MentionAssignment(sid, Role.CONSIGNEE, consignee, consignee_name))
        return snode

    # -- the planted ring -------------------------------------------------------------------
    huayu = add_node(
        _p("huayu"),
        NodeKind.PARTY,
        "Shenzhen Huayu Trading Co., Ltd.",
        names=["SHENZHEN HUAYU TRADING CO LTD", "Shenzhen Hua Yu Trading", "Huayu Trade Co."],
        roles=["shipper"],
        country="CN",
    )
    script = add_node(
        _p("script"), NodeKind.PARTY, SCRIPT_NAME, names=[SCRIPT_NAME], roles=["shipper"]
    )
    consignees = [
        add_node(_p(f"c{i}"), NodeKind.PARTY, name, names=[name], roles=["consignee"])
        for i, name in enumerate(
            ["John Smith", "Jon Smyth", IMG_NAME, "Maria Lopez", "M. Lopez", "Kevin Tran"]
        )
    ]
    drop = add_node(
        node_id(NodeKind.ADDRESS, "us|07105|1200 industrial blvd unit 4"),
        NodeKind.ADDRESS,
        "1200 Industrial Blvd Unit 4, Newark NJ 07105",
    )
    other_address = add_node(
        node_id(NodeKind.ADDRESS, "us|10001|55 w 29th st"),
        NodeKind.ADDRESS,
        "55 W 29th St, New York NY 10001",
    )
    phone = add_node(node_id(NodeKind.PHONE, "+12015550143"), NodeKind.PHONE, "+1 201-555-0143")
    email = add_node(
        node_id(NodeKind.EMAIL, "drop.box77@mail.example"),
        NodeKind.EMAIL,
        "drop.box77@mail.example",
    )
    pay = add_node(
        node_id(NodeKind.PAYMENT_ACCOUNT, "tok_4f9a"), NodeKind.PAYMENT_ACCOUNT, "tok_4f9a…c2"
    )
    ip = add_node(node_id(NodeKind.IP_ADDRESS, "203.0.113.7"), NodeKind.IP_ADDRESS, "203.0.113.7")
    ring_shipments: list[str] = []
    seized: list[str] = []
    for i in range(30):
        address = drop if i % 5 else other_address
        snode = add_shipment(
            f"HAWB{i:05d}",
            huayu if i % 3 else script,
            consignees[i % len(consignees)],
            address,
            seized=i in (4, 11, 23),
            arrival_date=f"2026-{1 + i // 10:02d}-{1 + i % 10:02d}",  # Jan, Feb, Mar 2026
        )
        edges.append(EdgeRecord(snode, pay, EdgeKind.PAID_WITH))
        edges.append(EdgeRecord(snode, ip, EdgeKind.ORDERED_FROM))
        ring_shipments.append(snode)
        if i in (4, 11, 23):
            seized.append(snode)
    for c in consignees[:4]:
        edges.append(EdgeRecord(c, drop, EdgeKind.HAS_ADDRESS))
        edges.append(EdgeRecord(c, phone, EdgeKind.HAS_PHONE))
    edges.append(EdgeRecord(consignees[4], email, EdgeKind.HAS_EMAIL))
    edges.append(EdgeRecord(consignees[2], email, EdgeKind.HAS_EMAIL))
    ring_entities = [huayu, script, *consignees, drop, other_address, phone, email, pay, ip]

    # -- a network too large to draw whole ---------------------------------------------------
    hub_shipper = add_node(_p("bigco"), NodeKind.PARTY, "Global Express Consolidators")
    big_consignees = [add_node(_p(f"b{i}"), NodeKind.PARTY, f"Buyer {i:03d}") for i in range(40)]
    big_addresses = [
        add_node(
            node_id(NodeKind.ADDRESS, f"us|9{i:04d}|{i} main st"),
            NodeKind.ADDRESS,
            f"{i} Main St, Springfield",
        )
        for i in range(10)
    ]
    big_shipments = [
        add_shipment(f"BIG{i:05d}", hub_shipper, big_consignees[i % 40], big_addresses[i % 10])
        for i in range(800)
    ]
    big_entities = [hub_shipper, *big_consignees, *big_addresses]

    # -- a tiny network ----------------------------------------------------------------------
    solo = add_node(_p("solo"), NodeKind.PARTY, "Lone Seller LLC")
    solo_address = add_node(
        node_id(NodeKind.ADDRESS, "us|60601|1 lake st"), NodeKind.ADDRESS, "1 Lake St, Chicago"
    )
    edges.append(EdgeRecord(solo, solo_address, EdgeKind.HAS_ADDRESS))

    evidence = [
        MergeEvidence(
            huayu,
            "HAWB00001#shipper",
            "HAWB00002#shipper",
            "name",
            "SHENZHEN HUAYU TRADING CO LTD",
            "Shenzhen Hua Yu Trading",
            0.93,
            2.1,
            "company-name-jaro-winkler",
        ),
        MergeEvidence(
            huayu,
            "HAWB00001#shipper",
            "HAWB00005#shipper",
            "phone",
            "+86 755 8888 1234",
            "0755-88881234",
            1.0,
            3.0,
            "same-phone",
        ),
    ]

    report = LoadReport(LOAD_ID, FILE_ID, "sample.csv", status="loaded")
    with store.load_transaction(report) as tx:
        tx.add_shipments(shipments)
        report.rows_read = report.rows_loaded = len(shipments)
    write_records(store, nodes.values(), edges, mentions, evidence)

    run = store.start_run("analyze", {"resolution": 0.5}, {"graphintel": "test"})
    reason_address = "4 consignees share one delivery address"
    reason_pay = "30 shipments paid from one payment account"
    reason_seized = "3 seizures (pill press) in the network"
    reason_names = f"Shipper names rotate: {IMG_NAME} and 3 variants"
    networks = [
        Network(
            network_id="net-0001",
            run_id=run.run_id,
            rank=1,
            score=0.912,
            reasons=(reason_address, reason_pay, reason_seized, reason_names),
            evidence={
                reason_address: [drop, *consignees[:4]],
                reason_pay: [pay],
                reason_seized: seized,
                reason_names: [huayu, script, consignees[2]],
            },
            shipment_ids=tuple(ring_shipments),
            entity_ids=tuple(ring_entities),
            first_date="2026-01-03",
            last_date="2026-03-01",
            seized_count=len(seized),
            typologies=("split-shipments", "drop-address"),
            countries=("CN", "HK"),
            name=RING_NAME,
            points={
                reason_address: 0.4,
                reason_pay: 0.3,
                reason_seized: 0.15,
                reason_names: 0.05,
                "bonus for independent signals": 0.012,
            },
        ),
        Network(
            network_id="net-0002",
            run_id=run.run_id,
            rank=2,
            score=0.41,
            reasons=("800 shipments from one consolidator",),
            evidence={"800 shipments from one consolidator": [hub_shipper]},
            shipment_ids=tuple(big_shipments),
            entity_ids=tuple(big_entities),
            first_date="2026-01-01",
            last_date="2026-02-28",
            countries=("CN",),
        ),
        Network(
            network_id="net-0003",
            run_id=run.run_id,
            rank=3,
            score=0.05,
            reasons=(),
            evidence={},
            shipment_ids=(),
            entity_ids=(solo, solo_address),
        ),
    ]
    store.finish_run(run.run_id, {"networks": len(networks)}, networks)
    return Sample(
        run_id=run.run_id,
        ring="net-0001",
        big="net-0002",
        tiny="net-0003",
        script_party=script,
        img_party=consignees[2],
        main_shipper=huayu,
        shared_address=drop,
        ring_shipments=len(ring_shipments),
        big_shipments=len(big_shipments),
    )

"""Sample stores for the tests, built by hand from one ``GraphBuilder``.

``build_app_sample``: the app's store, with one planted ring (hostile party names), one
network too large to draw whole and one tiny network, in one succeeded analysis run.
``build_export_sample``: a network whose names are hostile (formula, XML, script, math
text, control characters) in every place an export format writes text, plus an empty one.
Both are a load of shipments, a graph swapped in with ``replace_graph_parts`` and an
analysis run, as the pipeline would leave them, without running it.
"""

from __future__ import annotations

from collections.abc import Callable
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


class GraphBuilder:
    """A hand-made graph and the shipments behind it, written as a store would hold them
    after one load and one resolution (``write``)."""

    def __init__(self, file_id: str, load_id: str) -> None:
        self.file_id, self.load_id = file_id, load_id
        self.nodes: dict[str, NodeRecord] = {}
        self.edges: list[EdgeRecord] = []
        self.mentions: list[MentionAssignment] = []
        self.shipments: list[ShipmentRecord] = []
        self.evidence: list[MergeEvidence] = []

    def node(self, nid: str, kind: NodeKind, label: str, **props: object) -> str:
        self.nodes[nid] = NodeRecord(nid, kind, label, dict(props))
        return nid

    def edge(self, source: str, target: str, kind: EdgeKind) -> None:
        self.edges.append(EdgeRecord(source, target, kind))

    def mention(self, shipment_id: str, role: Role, entity: str, name: str) -> None:
        self.mentions.append(MentionAssignment(shipment_id, role, entity, name))

    def shipment(self, sid: str, props: dict[str, object] | None = None, **values: object) -> str:
        """A manifest row (the next row of the file) and its shipment node, whose props are
        ``props`` or, by default, taken from the row; returns the node id."""
        record = make_shipment(
            sid, row=len(self.shipments) + 2, file_id=self.file_id, load_id=self.load_id,
            **values,
        )  # fmt: skip
        self.shipments.append(record)
        if props is None:
            props = {
                "arrival_date": record.arrival_date,
                "declared_value_usd": record.declared_value_usd,
                "description": record.description,
                "inspection_outcome": record.inspection_outcome,
            }
        return self.node(node_id(NodeKind.SHIPMENT, sid), NodeKind.SHIPMENT, sid, **props)

    def write(self, store: GraphStore, file_path: str) -> None:
        """Load the shipments as one file, then swap in the graph."""
        report = LoadReport(self.load_id, self.file_id, file_path, status="loaded")
        with store.load_transaction(report) as tx:
            tx.add_shipments(self.shipments)
            report.rows_read = report.rows_loaded = len(self.shipments)
        write_records(store, self.nodes.values(), self.edges, self.mentions, self.evidence)


def record_analysis(
    store: GraphStore, params: dict[str, object], networks: Callable[[str], list[Network]]
) -> str:
    """A succeeded analysis run with ``networks(run_id)``; returns its run id."""
    run = store.start_run("analyze", params, {"graphintel": "test"})
    found = networks(run.run_id)
    store.finish_run(run.run_id, {"networks": len(found)}, found)
    return run.run_id


# -- the app's sample ------------------------------------------------------------------------
SCRIPT_NAME = "<script>alert(1)</script>"
IMG_NAME = "<img src=x onerror=alert(1)>"
RING_NAME = "Shenzhen Huayu Trading - drop address"


@dataclass(frozen=True)
class AppSample:
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


def build_app_sample(store: GraphStore) -> AppSample:
    """Fill ``store`` with the app's sample graph and one finished analysis run."""
    g = GraphBuilder("sha256-sample", "load-sample")

    def add_shipment(
        sid: str,
        shipper: str,
        consignee: str,
        address: str,
        seized: bool = False,
        arrival_date: str = "2026-03-01",
    ) -> str:
        shipper_name, consignee_name = g.nodes[shipper].label, g.nodes[consignee].label
        snode = g.shipment(
            sid,
            shipper_name=shipper_name,
            consignee_name=consignee_name,
            consignee_address=g.nodes[address].label,
            description="phone case" if not seized else "tablet press parts",
            inspection_outcome="seized" if seized else "",
            seizure_category="pill press" if seized else "",
            arrival_date=arrival_date,
        )
        g.edge(snode, shipper, EdgeKind.SHIPPED_BY)
        g.edge(snode, consignee, EdgeKind.CONSIGNED_TO)
        g.edge(snode, address, EdgeKind.DELIVERED_TO)
        g.mention(sid, Role.SHIPPER, shipper, shipper_name)
        g.mention(sid, Role.CONSIGNEE, consignee, consignee_name)
        return snode

    # -- the planted ring -------------------------------------------------------------------
    huayu = g.node(
        _p("huayu"),
        NodeKind.PARTY,
        "Shenzhen Huayu Trading Co., Ltd.",
        names=["SHENZHEN HUAYU TRADING CO LTD", "Shenzhen Hua Yu Trading", "Huayu Trade Co."],
        roles=["shipper"],
        country="CN",
    )
    script = g.node(
        _p("script"), NodeKind.PARTY, SCRIPT_NAME, names=[SCRIPT_NAME], roles=["shipper"]
    )
    consignees = [
        g.node(_p(f"c{i}"), NodeKind.PARTY, name, names=[name], roles=["consignee"])
        for i, name in enumerate(
            ["John Smith", "Jon Smyth", IMG_NAME, "Maria Lopez", "M. Lopez", "Kevin Tran"]
        )
    ]
    drop = g.node(
        node_id(NodeKind.ADDRESS, "us|07105|1200 industrial blvd unit 4"),
        NodeKind.ADDRESS,
        "1200 Industrial Blvd Unit 4, Newark NJ 07105",
    )
    other_address = g.node(
        node_id(NodeKind.ADDRESS, "us|10001|55 w 29th st"),
        NodeKind.ADDRESS,
        "55 W 29th St, New York NY 10001",
    )
    phone = g.node(node_id(NodeKind.PHONE, "+12015550143"), NodeKind.PHONE, "+1 201-555-0143")
    email = g.node(
        node_id(NodeKind.EMAIL, "drop.box77@mail.example"),
        NodeKind.EMAIL,
        "drop.box77@mail.example",
    )
    pay = g.node(
        node_id(NodeKind.PAYMENT_ACCOUNT, "tok_4f9a"), NodeKind.PAYMENT_ACCOUNT, "tok_4f9a…c2"
    )
    ip = g.node(node_id(NodeKind.IP_ADDRESS, "203.0.113.7"), NodeKind.IP_ADDRESS, "203.0.113.7")
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
        g.edge(snode, pay, EdgeKind.PAID_WITH)
        g.edge(snode, ip, EdgeKind.ORDERED_FROM)
        ring_shipments.append(snode)
        if i in (4, 11, 23):
            seized.append(snode)
    for c in consignees[:4]:
        g.edge(c, drop, EdgeKind.HAS_ADDRESS)
        g.edge(c, phone, EdgeKind.HAS_PHONE)
    g.edge(consignees[4], email, EdgeKind.HAS_EMAIL)
    g.edge(consignees[2], email, EdgeKind.HAS_EMAIL)
    ring_entities = [huayu, script, *consignees, drop, other_address, phone, email, pay, ip]

    # -- a network too large to draw whole ---------------------------------------------------
    hub_shipper = g.node(_p("bigco"), NodeKind.PARTY, "Global Express Consolidators")
    big_consignees = [g.node(_p(f"b{i}"), NodeKind.PARTY, f"Buyer {i:03d}") for i in range(40)]
    big_addresses = [
        g.node(
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
    solo = g.node(_p("solo"), NodeKind.PARTY, "Lone Seller LLC")
    solo_address = g.node(
        node_id(NodeKind.ADDRESS, "us|60601|1 lake st"), NodeKind.ADDRESS, "1 Lake St, Chicago"
    )
    g.edge(solo, solo_address, EdgeKind.HAS_ADDRESS)

    g.evidence += [
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
    g.write(store, "sample.csv")

    reason_address = "4 consignees share one delivery address"
    reason_pay = "30 shipments paid from one payment account"
    reason_seized = "3 seizures (pill press) in the network"
    reason_names = f"Shipper names rotate: {IMG_NAME} and 3 variants"

    def networks(run_id: str) -> list[Network]:
        return [
            Network(
                network_id="net-0001",
                run_id=run_id,
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
                run_id=run_id,
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
                run_id=run_id,
                rank=3,
                score=0.05,
                reasons=(),
                evidence={},
                shipment_ids=(),
                entity_ids=(solo, solo_address),
            ),
        ]

    run_id = record_analysis(store, {"resolution": 0.5}, networks)
    return AppSample(
        run_id=run_id,
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


# -- the export sample -----------------------------------------------------------------------
FORMULA = '=HYPERLINK("http://evil.example","x")'
CMD = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)"
XML_NAME = '</label><x a="1">&amp; ]]>'
SCRIPT = SCRIPT_NAME
MATH = r"$\frac{1}{0}$ Trading"
CONTROL = "Bell\x07 Co"
HOSTILE = (FORMULA, CMD, AT_SUM, XML_NAME, SCRIPT, MATH, CONTROL)


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
    """Fill ``store`` with one network of hostile names, an empty network and their run."""
    g = GraphBuilder("sha256-export", "load-export")
    parties = [
        g.node(node_id(NodeKind.PARTY, f"p{i}"), NodeKind.PARTY, name,
               names=[name, name.upper()], roles=["shipper"])
        for i, name in enumerate(HOSTILE)
    ]  # fmt: skip
    address = g.node(
        node_id(NodeKind.ADDRESS, "US|07105|1200 IND BLVD"),
        NodeKind.ADDRESS,
        "1200 Industrial Blvd, Newark NJ 07105",
    )
    phone = g.node(node_id(NodeKind.PHONE, "+12015550143"), NodeKind.PHONE, "+12015550143")
    email = g.node(node_id(NodeKind.EMAIL, "drop@mail.example"), NodeKind.EMAIL,
                   "drop@mail.example")  # fmt: skip
    pay = g.node(node_id(NodeKind.PAYMENT_ACCOUNT, "tok_1"), NodeKind.PAYMENT_ACCOUNT, "tok_1")
    ip = g.node(node_id(NodeKind.IP_ADDRESS, "203.0.113.7"), NodeKind.IP_ADDRESS, "203.0.113.7")
    shipment_nodes = []
    for i, party in enumerate(parties):
        sid = f"HAWB{i:04d}"
        description = SCRIPT if i == 0 else "phone case"
        snode = g.shipment(
            sid,
            {"arrival_date": "2026-03-01", "declared_value_usd": 25.0 + i,
             "description": description},
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
            description=description,
            inspection_outcome="seized" if i == 1 else "",
        )  # fmt: skip
        shipment_nodes.append(snode)
        g.mention(sid, Role.SHIPPER, party, HOSTILE[i])
        g.edge(snode, party, EdgeKind.SHIPPED_BY)
        g.edge(snode, address, EdgeKind.DELIVERED_TO)
        g.edge(snode, pay, EdgeKind.PAID_WITH)
        g.edge(snode, ip, EdgeKind.ORDERED_FROM)
        g.edge(party, phone, EdgeKind.HAS_PHONE)
    g.edge(parties[0], email, EdgeKind.HAS_EMAIL)
    g.evidence.append(
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
        )
    )
    g.write(store, "hostile.csv")
    reason = f"7 shippers over one phone, one named {SCRIPT}"
    entity_ids = (*parties, address, phone, email, pay, ip)

    def networks(run_id: str) -> list[Network]:
        network = Network(
            "net-0001", run_id, 1, 0.9, (reason,), {reason: [phone, parties[4]]},
            tuple(shipment_nodes), entity_ids, "2026-03-01", "2026-03-01", 1,
            ("shared_phone",),
        )  # fmt: skip
        empty = Network("net-gone", run_id, 2, 0.1, (), {}, ("NOPE1",), ("party:nope",))
        return [network, empty]

    run_id = record_analysis(store, {"hub_limit": 25, "note": FORMULA}, networks)
    return ExportSample(
        run_id, "net-0001", "net-gone", tuple(parties), tuple(shipment_nodes), phone, address
    )

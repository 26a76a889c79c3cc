"""The resolved graph: schema-conformant, every edge's ends present, aggregates right."""

from __future__ import annotations

from graphintel.model import EDGE_TYPES, EdgeKind, NodeKind, kind_of, node_id
from graphintel.records import EdgeRecord, NodeRecord
from graphintel.resolve import resolve_store
from graphintel.store import GraphStore
from tests.resolve.helpers import entity_of, load, ship

CONSIGNEE = {
    "consignee_address": "100 River Tower Dr Apt 4B",
    "consignee_city": "New York",
    "consignee_state": "NY",
    "consignee_postal_code": "10001-1234",
    "consignee_phone": "(212) 555-0147",
    "consignee_email": "J.Smith+a@gmail.com",
}
SHIPPER = {
    "shipper_name": "Shenzhen Huaxin Trading Co., Ltd.",
    "shipper_address": "Rm 1203, No. 88 Jianshe Road",
    "shipper_city": "Shenzhen",
    "shipper_country": "China",
    "shipper_phone": "138 0013 8000",
    "shipper_email": "sales@huaxin.example",
}


def _shipments() -> list:
    return [
        ship("S1", consignee_name="John Smith", payment_account="card_fp:AB12",
             buyer_ip="203.0.113.7", seller_name="Huaxin Store", seller_id="A1",
             marketplace="ShopMart", inspection_outcome="seized", seizure_category="fentanyl",
             declared_value_usd=42.5, **SHIPPER, **CONSIGNEE),
        ship("S2", consignee_name="SMITH, JOHN", payment_account=" CARD_FP:AB12 ",
             buyer_ip="2001:DB8::1", **{**SHIPPER, "shipper_name": "SHENZHEN HUAXIN TRADING CO LTD",
                                        "shipper_phone": "+86 138-0013-8000"},
             **{**CONSIGNEE, "consignee_address": "100 River Tower Drive #4B",
                "consignee_email": "jsmith@googlemail.com"}),
        ship("S3", consignee_name="Jon Smith", **SHIPPER,
             **{**CONSIGNEE, "consignee_phone": "", "consignee_email": ""}),
        ship("S4", shipper_name="Yiwu Jinlong Toys Ltd", shipper_country="CN",
             consignee_name="Mary Major", consignee_address="5 Elm St Apt 2",
             consignee_postal_code="02108", consignee_phone="617-555-0100"),
    ]  # fmt: skip


def _graph(store: GraphStore) -> tuple[dict[str, NodeRecord], list[EdgeRecord]]:
    nodes = {n.id: n for batch in store.iter_nodes() for n in batch}
    edges = [e for batch in store.iter_edges() for e in batch]
    return nodes, edges


def test_every_edge_joins_existing_nodes_of_the_declared_kinds(store: GraphStore) -> None:
    load(store, _shipments())
    summary = resolve_store(store)
    nodes, edges = _graph(store)
    assert (summary.nodes, summary.edges) == (len(nodes), len(edges))
    declared = {t.kind: (t.source, t.target) for t in EDGE_TYPES}
    for edge in edges:
        assert edge.source in nodes and edge.target in nodes, edge
        assert (nodes[edge.source].kind, nodes[edge.target].kind) == declared[edge.kind]
    for node in nodes.values():
        assert kind_of(node.id) is node.kind
    assert {e.kind for e in edges} == set(EdgeKind)  # this fixture exercises every edge kind


def test_shipment_party_and_identifier_nodes(store: GraphStore) -> None:
    load(store, _shipments())
    resolve_store(store)
    nodes, edges = _graph(store)
    s1 = nodes[node_id(NodeKind.SHIPMENT, "S1")]
    assert s1.label == "S1"
    assert s1.props["declared_value_usd"] == 42.5
    assert s1.props["inspection_outcome"] == "seized"
    assert s1.props["seizure_category"] == "fentanyl"
    assert {k for k in ("arrival_date", "description", "hts_code", "country_of_origin",
                        "carrier")} <= set(s1.props)  # fmt: skip

    found = entity_of(store)
    consignee = nodes[found["S1#consignee"]]
    assert found["S2#consignee"] == found["S3#consignee"] == consignee.id
    assert consignee.kind is NodeKind.PARTY
    assert consignee.props["mention_count"] == 3
    assert consignee.props["roles"] == ["consignee"]
    assert consignee.props["countries"] == ["US"]
    assert set(consignee.props["names"]) == {"John Smith", "SMITH, JOHN", "Jon Smith"}

    shipper = nodes[found["S1#shipper"]]
    assert found["S2#shipper"] == found["S3#shipper"] == shipper.id
    assert shipper.label == "Shenzhen Huaxin Trading Co., Ltd."  # the most common spelling
    assert shipper.props["countries"] == ["CN"]

    phone = nodes["phone:+8613800138000"]
    assert phone.kind is NodeKind.PHONE and phone.label == "+8613800138000"
    assert set(phone.props["raw"]) == {"138 0013 8000", "+86 138-0013-8000"}
    address = nodes["address:US|10001|100 RIVER TOWER DR UNIT 4B"]
    assert address.label == "100 RIVER TOWER DR UNIT 4B, NEW YORK, NY 10001, US"
    assert len(address.props["raw"]) == 2
    assert nodes["email:jsmith@gmail.com"].kind is NodeKind.EMAIL
    assert nodes["payment:card_fp:AB12"].props["shipment_count"] == 2
    assert nodes["ip:2001:db8::1"].kind is NodeKind.IP_ADDRESS

    by_kind = {(e.source, e.kind, e.target): e for e in edges}
    # HAS_* edges count the shipments that showed the identifier for that party.
    assert by_kind[(shipper.id, EdgeKind.HAS_PHONE, phone.id)].weight == 3
    assert by_kind[(consignee.id, EdgeKind.HAS_ADDRESS, address.id)].weight == 3
    assert by_kind[(consignee.id, EdgeKind.HAS_EMAIL, "email:jsmith@gmail.com")].weight == 2
    ship1 = node_id(NodeKind.SHIPMENT, "S1")
    assert (ship1, EdgeKind.DELIVERED_TO, address.id) in by_kind
    assert (ship1, EdgeKind.PAID_WITH, "payment:card_fp:AB12") in by_kind
    assert (ship1, EdgeKind.ORDERED_FROM, "ip:203.0.113.7") in by_kind
    assert (ship1, EdgeKind.SOLD_BY, found["S1#seller"]) in by_kind
    assert "S2#seller" not in found  # no seller named on S2


def test_resolving_twice_replaces_the_graph(store: GraphStore) -> None:
    load(store, _shipments())
    first = resolve_store(store)
    second = resolve_store(store)
    assert first == second
    nodes, edges = _graph(store)
    assert (len(nodes), len(edges)) == (second.nodes, second.edges)


def test_progress_reports_stages(store: GraphStore) -> None:
    load(store, _shipments())
    seen: dict[str, int] = {}
    resolve_store(store, progress=lambda stage, n: seen.__setitem__(stage, n))
    assert seen["reading shipments"] == 4
    assert seen["building graph"] == 4
    assert seen["writing mentions"] == 9


def test_empty_store_gives_an_empty_graph(store: GraphStore) -> None:
    summary = resolve_store(store)
    assert (summary.shipments, summary.entities, summary.nodes, summary.edges) == (0, 0, 0, 0)

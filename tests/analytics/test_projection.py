"""The projection: derived consignee links, counterparties and hub suppression."""

from __future__ import annotations

import numpy as np
import pytest

from graphintel.analytics import build_projection, connected_components
from graphintel.analytics.projection import HubSettings
from graphintel.model import NodeKind
from tests.analytics.graphs import GraphBuilder, ident, party


def _index(projection, node):
    return projection.party_ids.index(node)


def test_consignee_links_come_from_its_shipments(store):
    g = GraphBuilder()
    g.ship("S1", "Acme", "Ann Lee", address="1 main st", payment="card:fp_1", ip="10.0.0.1")
    g.ship("S2", "Acme", "Ann Lee", address="1 main st", payment="card:fp_1")
    projection = build_projection(g.write(store))
    ann = _index(projection, party("Ann Lee"))
    linked = {
        projection.ident_ids[i]: w
        for p, i, w in zip(
            projection.link_party, projection.link_ident, projection.link_weight, strict=True
        )
        if p == ann
    }
    # HAS_ADDRESS (weight 2) and DELIVERED_TO x2 count the same shipments: max, not sum.
    assert linked == {
        ident(NodeKind.ADDRESS, "1 main st"): 2.0,
        ident(NodeKind.PAYMENT_ACCOUNT, "card:fp_1"): 2.0,
        ident(NodeKind.IP_ADDRESS, "10.0.0.1"): 1.0,
    }
    s1 = projection.shipment_ids.index("shipment:S1")
    assert projection.label(ann) == "Ann Lee"
    assert projection.party_ids[projection.ship_shipper[s1]] == party("Acme")
    assert projection.ship_value[s1] == 25.0
    assert projection.party_counterparties[ann] == 1


def test_hotline_phone_does_not_merge_its_300_callers(store):
    g = GraphBuilder()
    for k in range(300):
        g.ship(f"S{k}", f"Seller {k}", f"Buyer {k}", shipper_phone="+18005550100")
    projection = build_projection(g.write(store))
    hotline = projection.ident_ids.index(ident(NodeKind.PHONE, "+18005550100"))
    assert projection.ident_is_hub[hotline]
    assert projection.ident_parties[hotline] == 300
    components = connected_components(projection)
    assert components.count == 600  # every seller and buyer alone
    assert max(len(m) for m in components.members()) == 1
    hubs = projection.hubs()
    assert [(h.node_id, h.count) for h in hubs] == [(ident(NodeKind.PHONE, "+18005550100"), 300)]


def test_hub_limit_is_configurable(store):
    g = GraphBuilder()
    for k in range(5):
        g.ship(f"S{k}", f"Seller {k}", f"Buyer {k}", shipper_phone="+8613800000000")
    g.write(store)
    assert not build_projection(store).ident_is_hub.any()
    strict = build_projection(store, HubSettings(hub_limit=4))
    assert strict.ident_is_hub.sum() == 1
    assert connected_components(strict).count == 10


def test_consolidator_party_is_a_hub_and_left_out(store):
    g = GraphBuilder()
    for k in range(150):
        g.ship(f"C{k}", "Global Consolidated Logistics", f"Buyer {k}", shipper_phone="+85212345678")
    # A small shipper printing the consolidator's phone: the phone speaks for a hub business.
    g.ship("X1", "Small Shop", "Buyer 0", shipper_phone="+85212345678", shipper_email="s@shop")
    projection = build_projection(g.write(store), HubSettings(party_hub_limit=100))
    hub = _index(projection, party("Global Consolidated Logistics"))
    small = _index(projection, party("Small Shop"))
    assert projection.party_is_hub[hub]
    assert projection.party_counterparties[hub] == 150
    phone = projection.ident_ids.index(ident(NodeKind.PHONE, "+85212345678"))
    assert projection.ident_is_hub[phone]
    labels = connected_components(projection).labels
    assert labels[hub] == -1 and labels[projection.n_parties + phone] == -1
    assert labels[small] >= 0
    hubs = {h.node_id: (h.count, h.measure) for h in projection.hubs()}
    assert hubs[party("Global Consolidated Logistics")] == (150, "counterparties")
    assert hubs[ident(NodeKind.PHONE, "+85212345678")] == (150, "counterparties")


def test_business_split_into_name_variants_keeps_its_phone_a_hub(store):
    g = GraphBuilder()
    # One consolidator written eight ways, each variant under the party hub limit.
    for k in range(400):
        variant = f"Xiangshun Supply Chain {k % 8}"
        g.ship(f"V{k}", variant, f"Buyer {k}", shipper_phone="+862767483847")
    # A ring's three shell names over one phone reach only their few consignees.
    for k in range(9):
        g.ship(f"R{k}", f"Shell {k % 3}", f"Ring Buyer {k}", shipper_phone="+8613800000009")
    projection = build_projection(g.write(store), HubSettings(party_hub_limit=100))
    assert not projection.party_is_hub.any()
    consolidator = projection.ident_ids.index(ident(NodeKind.PHONE, "+862767483847"))
    ring = projection.ident_ids.index(ident(NodeKind.PHONE, "+8613800000009"))
    assert projection.ident_reach[consolidator] == 400
    assert projection.ident_is_hub[consolidator]
    assert projection.ident_reach[ring] == 9
    assert not projection.ident_is_hub[ring]


def test_batched_reads_give_the_same_projection(store):
    g = GraphBuilder()
    for k in range(40):
        g.ship(f"S{k}", f"Seller {k % 7}", f"Buyer {k % 11}", address=f"{k % 5} elm st")
    g.write(store)
    whole = build_projection(store)
    seen = []
    batched = build_projection(store, batch_size=3, progress=lambda s, n: seen.append((s, n)))
    assert batched.party_ids == whole.party_ids
    assert batched.shipment_ids == whole.shipment_ids
    assert np.array_equal(batched.link_party, whole.link_party)
    assert np.array_equal(batched.link_weight, whole.link_weight)
    assert ("read edges", len(g.edges)) in seen


def test_property_free_read_equals_the_record_path(store):
    from graphintel.analytics.projection import ProjectionBuilder

    g = GraphBuilder()
    for k in range(60):
        g.ship(
            f"S{k}",
            f"Seller {k % 7}",
            f"Buyer {k % 13}",
            seller=f"Shop {k % 3}",
            address=f"{k % 5} elm st",
            payment=f"card:{k % 4}",
            ip=f"10.0.0.{k % 6}",
            shipper_phone=f"+86138000000{k % 7}",
            outcome="seized" if k == 9 else "",
        )
    g.write(store)
    fast = build_projection(store, batch_size=7)
    records = ProjectionBuilder()
    for batch in store.iter_nodes():
        records.add_nodes(batch)
    for batch in store.iter_edges():
        records.add_edges(batch)
    slow = records.build()
    for name in ("party_ids", "party_labels", "ident_ids", "ident_labels", "shipment_ids"):
        assert getattr(fast, name) == getattr(slow, name), name
    for name in (
        "ident_kind",
        "link_party",
        "link_ident",
        "link_weight",
        "ship_date",
        "ship_outcome",
        "ship_shipper",
        "ship_consignee",
        "ship_seller",
        "ship_address",
        "ship_payment",
        "ship_ip",
        "ident_is_hub",
        "party_is_hub",
    ):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name


def test_prefetched_keeps_order_raises_reader_errors_and_stops_early():
    import pytest

    from graphintel.analytics.reading import prefetched

    assert list(prefetched(iter(range(50)), depth=2)) == list(range(50))

    def broken():
        yield 1
        raise ValueError("store went away")

    with pytest.raises(ValueError, match="store went away"):
        list(prefetched(broken()))

    pulled = []

    def endless():
        n = 0
        while True:
            pulled.append(n)
            yield n
            n += 1

    stream = prefetched(endless(), depth=2)
    assert [next(stream) for _ in range(3)] == [0, 1, 2]
    stream.close()  # the reader stops instead of running on
    assert len(pulled) < 10


def test_prefetched_closes_a_generator_on_its_worker_thread():
    """A reader's cleanup (the store's reading connection) runs on the thread that read,
    whether the reads ran out or the caller stopped early."""
    import threading

    from graphintel.analytics.reading import prefetched

    closed_on = []

    def reads(n):
        try:
            yield from range(n)
        finally:
            closed_on.append(threading.current_thread().name)

    assert list(prefetched(reads(5))) == list(range(5))
    stream = prefetched(reads(1000), depth=2)
    assert next(stream) == 0
    stream.close()
    assert closed_on == ["projection-reader", "projection-reader"]


@pytest.mark.parametrize("windowed", [False, True])
def test_reading_the_graph_closes_its_readers_connection(store, windowed):
    """The read's connection (and its page cache) does not outlive the read, through a
    retention window too; the store reads on afterwards."""
    from graphintel.analytics.reading import read_graph
    from graphintel.daily.retention import WindowView

    g = GraphBuilder()
    g.ship("S1", "Acme", "Ann Lee", address="1 main st", payment="card:fp_1")
    g.write(store)
    before = len(store._connections)
    builder, counts = read_graph(WindowView(store, 90) if windowed else store, batch_size=1)
    assert (counts.shipments, counts.parties) == (1, 2)
    assert len(store._connections) == before
    assert build_projection(store).n_parties == 2


def test_every_node_label_is_the_stores(store):
    """Identifier labels that repeat their id's value are held once (in the id); every
    label still reads back as the store has it."""
    g = GraphBuilder()
    g.ship("S1", "Acme", "Ann Lee", address="1 main st", payment="card:fp_1", ip="10.0.0.1")
    g.ship(
        "S2",
        "Acme",
        "Bo Wu",
        address="2 high st",
        shipper_phone="+12015550143",
        shipper_email="b@x.io",
    )
    projection = build_projection(g.write(store))
    stored = {
        node_id: label
        for batch in store.iter_node_labels()
        for node_id, kind, label in batch
        if kind != NodeKind.SHIPMENT.value
    }
    read = {projection.node_id(n): projection.label(n) for n in range(projection.n_nodes)}
    assert read == {
        node_id: label or node_id.partition(":")[2] for node_id, label in stored.items()
    }
    assert "" in projection.ident_labels  # some were held by their id alone

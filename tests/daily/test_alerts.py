"""Alert rules on hand-made runs, and the webhook against a local HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from graphintel.daily.alerts import case_entities, new_shipments, raise_alerts
from graphintel.daily.records import Alert
from graphintel.daily.webhook import MAX_ALERTS, post_alerts
from graphintel.records import CaseRecord, Network


def net(nid: str, score: float, shipments: tuple[str, ...], entities: tuple[str, ...]) -> Network:
    return Network(nid, "r2", 1, score, ("shared phone",), {}, shipments, entities)


def case(case_id: str, *node_ids: str) -> CaseRecord:
    elements: list[dict[str, Any]] = [{"data": {"id": n, "label": n}} for n in node_ids]
    elements.append({"data": {"id": "e1", "source": node_ids[0], "target": node_ids[-1]}})
    return CaseRecord(case_id, f"Case <{case_id}>", {"elements": elements})


NETWORKS = [
    net("net-0001", 0.9, ("shipment:S1", "shipment:S2", "shipment:S3"), ("party:a", "phone:1")),
    net("net-0002", 0.95, ("shipment:S4",), ("party:b",)),
    net("net-0003", 0.2, ("shipment:S5", "shipment:S6"), ("party:c",)),
]
LINKS = {
    "shipment:S3": {"party:a", "phone:1"},
    "shipment:S6": {"party:c"},
    "shipment:S2": {"party:a"},
}


def test_case_entities_are_the_drawn_parties_and_identifiers() -> None:
    c = case("c1", "party:a", "shipment:S1", "phone:1", "cluster-7")
    assert case_entities(c) == {"party:a", "phone:1"}


def test_new_shipments_are_members_not_seen_before() -> None:
    assert new_shipments(NETWORKS, ["shipment:S1", "shipment:S4"]) == {
        "shipment:S2", "shipment:S3", "shipment:S5", "shipment:S6"}  # fmt: skip


def test_each_rule_raises_one_alert_with_its_reasons() -> None:
    fresh = {"shipment:S3", "shipment:S6"}
    alerts = raise_alerts(
        "r2",
        NETWORKS,
        fresh,
        LINKS,
        cases=[case("c1", "party:a", "shipment:S1"), case("c2", "party:z")],
        bad={"party:c": "list ofac row 3 (name)"},
        score_threshold=0.8,
        load_of={"shipment:S3": "L9"},
    )
    by_kind = {a.kind: a for a in alerts}
    assert [a.kind for a in alerts] == ["case", "watchlist", "network"]
    assert by_kind["case"].subject == "c1"
    assert by_kind["case"].shipment_ids == ("shipment:S3",)
    assert by_kind["case"].network_ids == ("net-0001",)
    assert "(load L9)" in by_kind["case"].reasons[0] and "party:a" in by_kind["case"].reasons[0]
    assert by_kind["watchlist"].subject == "party:c"
    assert "ofac row 3" in by_kind["watchlist"].reasons[0]
    # net-0002 scores higher but has nothing new; net-0003 is new but scores low
    assert by_kind["network"].subject == "net-0001"
    assert by_kind["network"].reasons[1:] == ("shared phone",)
    assert len({a.alert_id for a in alerts}) == 3 and all(a.open for a in alerts)


def test_old_shipments_raise_nothing() -> None:
    alerts = raise_alerts(
        "r2", NETWORKS, set(), LINKS, [case("c1", "party:a")], {"party:c": "x"}, 0.1
    )
    assert alerts == []


class _Receiver(BaseHTTPRequestHandler):
    bodies: list[dict[str, Any]] = []
    status = 204

    def do_POST(self) -> None:  # noqa: N802  (the http.server hook)
        length = int(self.headers["Content-Length"])
        type(self).bodies.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return None


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[_Receiver]]]:
    handler = type("Receiver", (_Receiver,), {"bodies": [], "status": 204})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_alerts_are_posted_as_json_to_the_webhook(
    receiver: tuple[str, type[_Receiver]],
) -> None:
    url, handler = receiver
    alerts = [Alert(f"r.{i}", "r", "network", f"net-{i}", ("why",), ()) for i in range(250)]
    assert post_alerts(url, alerts) == ""
    (body,) = handler.bodies
    assert body["total"] == 250 and len(body["alerts"]) == MAX_ALERTS
    assert body["alerts"][0]["alert_id"] == "r.0" and body["alerts"][0]["reasons"] == ["why"]


def test_a_failing_webhook_is_reported_not_raised(
    receiver: tuple[str, type[_Receiver]],
) -> None:
    url, handler = receiver
    handler.status = 500
    alert = Alert("r.1", "r", "case", "c1", ("why",), ())
    assert post_alerts(url, [alert]) == "webhook answered HTTP 500"
    assert post_alerts("http://127.0.0.1:1/none", [alert]).startswith("webhook unreachable")
    with pytest.raises(ValueError, match="http"):
        post_alerts("file:///etc/passwd", [alert])
    assert post_alerts(url, []) == ""  # nothing to say, nothing posted
    assert len(handler.bodies) == 1

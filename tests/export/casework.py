"""A small resolved and analysed store whose hand counts the provenance and summary tests
check: one shipper, its drop address shared by three consignees, a second shipper.

Rows (file ``manifest_a.csv``, rows 2-7):
  S1 Huayu -> John Smith, 12 Elm St 07105, phone 201-555-0143, tok_A, 2026-03-01, $20
  S2 Huayu -> Mary Jones, 12 Elm Street 07105, phone 201-555-0199, tok_A, 2026-03-02, $30
  S3 Huayu -> Ann Lee, 9 Oak Ave 10001, seized, 2026-03-02, $40
  S4 Huayu -> Bob Ray, 12 Elm St 07105, no phone, 2026-03-05, $50
  S5 Yiwu  -> Mary Jones, 12 Elm Street 07105, phone 201-555-0199, 2026-03-06, $60
  S6 Yiwu  -> Carl Diaz, 77 Pine Rd 60601, 2026-03-07, $70 (its own address)
  S7 Huayu (same phone; a second address, 12 Nanshan Road, and an e-mail) -> Bob Ray,
     12 Elm St, 2026-03-08, $80
Huayu is one party on rows 2-5 and 8; its second address and its e-mail are on row 8
only (the store's own provenance cites all five rows for them); the drop address is on
rows 2, 3, 5, 6 and 8.
"""

from __future__ import annotations

from graphintel.analytics import analyze_store
from graphintel.records import ShipmentRecord
from graphintel.resolve.pipeline import resolve_store
from graphintel.store import GraphStore
from tests.conftest import make_shipment
from tests.resolve.helpers import load

FILE = "manifest_a"
HUAYU = dict(
    shipper_name="Shenzhen Huayu Trading Co., Ltd.",
    shipper_address="88 Bao'an Road, Shenzhen",
    shipper_country="CN",
    shipper_phone="+86 138 0000 0000",
)
YIWU = dict(
    shipper_name="Yiwu Bright Goods Co., Ltd.",
    shipper_address="5 Futian Street, Yiwu",
    shipper_country="CN",
    shipper_phone="+86 139 1111 2222",
)
ELM = dict(consignee_city="Newark", consignee_state="NJ", consignee_postal_code="07105")


def shipments() -> list[ShipmentRecord]:
    rows: list[tuple[str, dict[str, object]]] = [
        ("S1", HUAYU | ELM | dict(consignee_name="John Smith", consignee_address="12 Elm St",
                                  consignee_phone="201-555-0143", payment_account="tok_A",
                                  arrival_date="2026-03-01", declared_value_usd=20.0)),
        ("S2", HUAYU | ELM | dict(consignee_name="Mary Jones", consignee_address="12 Elm Street",
                                  consignee_phone="201-555-0199", payment_account="tok_A",
                                  arrival_date="2026-03-02", declared_value_usd=30.0)),
        ("S3", HUAYU | dict(consignee_name="Ann Lee", consignee_address="9 Oak Ave",
                            consignee_city="New York", consignee_state="NY",
                            consignee_postal_code="10001", inspection_outcome="seized",
                            arrival_date="2026-03-02", declared_value_usd=40.0)),
        ("S4", HUAYU | ELM | dict(consignee_name="Bob Ray", consignee_address="12 Elm St",
                                  arrival_date="2026-03-05", declared_value_usd=50.0)),
        ("S5", YIWU | ELM | dict(consignee_name="Mary Jones", consignee_address="12 Elm Street",
                                 consignee_phone="201-555-0199",
                                 arrival_date="2026-03-06", declared_value_usd=60.0)),
        ("S6", YIWU | dict(consignee_name="Carl Diaz", consignee_address="77 Pine Rd",
                           consignee_city="Chicago", consignee_state="IL",
                           consignee_postal_code="60601",
                           arrival_date="2026-03-07", declared_value_usd=70.0)),
        ("S7", HUAYU | ELM | dict(shipper_address="12 Nanshan Road, Shenzhen",
                                  shipper_email="sales@huayu.example", consignee_name="Bob Ray",
                                  consignee_address="12 Elm St",
                                  arrival_date="2026-03-08", declared_value_usd=80.0)),
    ]  # fmt: skip
    return [
        make_shipment(sid, row=i + 2, file_id=FILE, load_id=f"load-{FILE}", **values)
        for i, (sid, values) in enumerate(rows)
    ]


def build(store: GraphStore) -> None:
    """Load, resolve and analyse the seven shipments."""
    load(store, shipments(), file_id=FILE)
    resolve_store(store)
    analyze_store(store)

"""Names shared by the generator's modules and written into its output files."""

from __future__ import annotations

GENERATOR_VERSION = "1.0"

# Ring typologies, in the order their codes are numbered.
TYPOLOGIES: tuple[str, ...] = (
    "drop_address",
    "shared_payment",
    "shared_ip",
    "split_shipment",
    "identity_churn",
)
DROP_ADDRESS, SHARED_PAYMENT, SHARED_IP, SPLIT_SHIPMENT, IDENTITY_CHURN = range(5)

# Legitimate hubs; code 0 is "none". When a shipment touches two, the shipper side wins.
HUB_KINDS: tuple[str, ...] = ("", "consolidator", "hotline", "tower", "household", "carrier_phone")
HUB_NONE, HUB_CONSOLIDATOR, HUB_HOTLINE, HUB_TOWER, HUB_HOUSEHOLD, HUB_CARRIER_PHONE = range(6)

OUTCOMES: tuple[str, ...] = ("", "cleared", "violation", "seized")
NOT_INSPECTED, CLEARED, VIOLATION, SEIZED = range(4)

SEIZURE_CATEGORIES: tuple[str, ...] = ("", "fentanyl", "precursor", "pill press", "counterfeit")
NO_SEIZURE, FENTANYL, PRECURSOR, PILL_PRESS, COUNTERFEIT = range(5)

"""The canonical shipment manifest layout (see README, "Manifest layout").

Declared as data so that the loader validates against it, the synthetic generator writes
it and the README documents it from one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ColumnType(StrEnum):
    STRING = "string"
    DATE = "date"
    DECIMAL = "decimal"
    INTEGER = "integer"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False


_S, _D, _N, _I = ColumnType.STRING, ColumnType.DATE, ColumnType.DECIMAL, ColumnType.INTEGER

MANIFEST_COLUMNS: tuple[Column, ...] = (
    Column("shipment_id", _S, True),
    Column("arrival_date", _D, True),
    Column("declared_value_usd", _N, True),
    Column("shipper_name", _S, True),
    Column("consignee_name", _S, True),
    Column("entry_number", _S),
    Column("entry_type", _S),
    Column("port_of_entry", _S),
    Column("carrier", _S),
    Column("mode", _S),
    Column("master_bill", _S),
    Column("country_of_origin", _S),
    Column("hts_code", _S),
    Column("description", _S),
    Column("quantity", _I),
    Column("weight_kg", _N),
    Column("shipper_address", _S),
    Column("shipper_city", _S),
    Column("shipper_country", _S),
    Column("shipper_phone", _S),
    Column("shipper_email", _S),
    Column("consignee_address", _S),
    Column("consignee_city", _S),
    Column("consignee_state", _S),
    Column("consignee_postal_code", _S),
    Column("consignee_country", _S),
    Column("consignee_phone", _S),
    Column("consignee_email", _S),
    Column("seller_name", _S),
    Column("seller_id", _S),
    Column("marketplace", _S),
    Column("payment_method", _S),
    Column("payment_account", _S),
    Column("buyer_ip", _S),
    Column("inspection_outcome", _S),
    Column("seizure_category", _S),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in MANIFEST_COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in MANIFEST_COLUMNS if c.required)
COLUMN_BY_NAME: dict[str, Column] = {c.name: c for c in MANIFEST_COLUMNS}

INSPECTION_OUTCOMES: frozenset[str] = frozenset({"seized", "violation", "cleared"})

# Section 321 de minimis: shipments at or under this fair retail value enter duty free.
DE_MINIMIS_USD = 800.0

"""Writers for the same manifest rows in every supported format, and store snapshots."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from graphintel.records import ShipmentRecord
from graphintel.store import GraphStore

ROWS: list[dict[str, str]] = [
    {
        "shipment_id": "HAWB-0001",
        "arrival_date": "2026-03-01",
        "declared_value_usd": "24.99",
        "shipper_name": "Shenzhen Huayu Trading Co., Ltd.",
        "consignee_name": "John Smith",
        "consignee_address": "12 Elm St Apt 4",
        "consignee_country": "",
        "quantity": "3",
        "weight_kg": "0.45",
        "inspection_outcome": "Seized",
        "seizure_category": "pill press",
        "warehouse_bin": "B-17",
    },
    {
        "shipment_id": "HAWB-0002",
        "arrival_date": "2026-03-02",
        "declared_value_usd": "799.00",
        "shipper_name": "Robert'); DROP TABLE shipments;--",
        "consignee_name": "María José Núñez",
        "consignee_address": "",
        "consignee_country": "PR",
        "quantity": "",
        "weight_kg": "",
        "inspection_outcome": "",
        "seizure_category": "",
        "warehouse_bin": "",
    },
    {
        "shipment_id": "HAWB-0003",
        "arrival_date": "2026-03-03",
        "declared_value_usd": "5",
        "shipper_name": 'Guangzhou "Best" Export, Unit 5\nBuilding 2',
        "consignee_name": "李雷",
        "consignee_address": "",
        "consignee_country": "US",
        "quantity": "1",
        "weight_kg": "2",
        "inspection_outcome": "cleared",
        "seizure_category": "",
        "warehouse_bin": "A-01",
    },
]


def write_csv(
    path: Path,
    rows: Sequence[dict[str, str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    columns: Sequence[str] | None = None,
    lineterminator: str = "\r\n",
) -> Path:
    names = list(columns or rows[0].keys())
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator=lineterminator)
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(n, "") for n in names])
    return path


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def write_parquet(path: Path, rows: Sequence[dict[str, Any]], row_group_size: int = 2) -> Path:
    pq.write_table(pa.Table.from_pylist(list(rows)), path, row_group_size=row_group_size)
    return path


def all_shipments(store: GraphStore) -> list[ShipmentRecord]:
    return [s for batch in store.iter_shipments() for s in batch]


def snapshot(store: GraphStore) -> tuple[int, int, int]:
    """What a failed load must not change: shipments, load reports, quarantine entries."""
    return store.shipment_count(), len(store.loads()), len(store.quarantine(limit=10**6))

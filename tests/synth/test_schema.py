"""Every written row is valid against the canonical manifest layout."""

from __future__ import annotations

import csv
import ipaddress
import re
import statistics
from datetime import date
from decimal import Decimal, InvalidOperation

from graphintel.manifest import COLUMN_NAMES, DE_MINIMIS_USD, INSPECTION_OUTCOMES, REQUIRED_COLUMNS
from tests.synth.conftest import N_SHIPMENTS, Generated

FIRST_DAY, LAST_DAY = date(2025, 1, 1), date(2025, 6, 30)
TOKEN = re.compile(r"^(card|wallet|bank|crypto):[a-z]+_[0-9a-f]+$")
RESERVED_NETS = [
    ipaddress.ip_network(n) for n in ("100.64.0.0/10", "198.18.0.0/15", "2001:db8::/32")
]


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise AssertionError(f"not a decimal: {text!r}") from exc


def test_header_and_rfc4180_layout(gen: Generated) -> None:
    raw = gen.summary.manifest.read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[0].decode() == ",".join(COLUMN_NAMES)
    assert lines[-1] == b""  # every record ends with CRLF
    with gen.summary.manifest.open(newline="", encoding="utf-8") as f:
        records = list(csv.reader(f))
    assert len(records) == N_SHIPMENTS + 1
    assert {len(r) for r in records} == {len(COLUMN_NAMES)}
    # Fields holding a comma were quoted (else the field count above would be off).
    assert any("," in r[3] for r in records[1:])


def test_required_fields_present_and_parseable(gen: Generated) -> None:
    for row in gen.manifest:
        for col in REQUIRED_COLUMNS:
            assert row[col].strip(), (col, row["shipment_id"])
        assert FIRST_DAY <= date.fromisoformat(row["arrival_date"]) <= LAST_DAY
        value = _decimal(row["declared_value_usd"])
        assert value > 0 and value.as_tuple().exponent == -2
        if row["quantity"]:
            assert int(row["quantity"]) > 0
        if row["weight_kg"]:
            assert _decimal(row["weight_kg"]) > 0
        if row["hts_code"]:
            assert 6 <= len(row["hts_code"].replace(".", "")) <= 10


def test_shipment_ids_unique(gen: Generated) -> None:
    ids = [r["shipment_id"] for r in gen.manifest]
    assert len(set(ids)) == len(ids)


def test_entry_type_follows_de_minimis(gen: Generated) -> None:
    for row in gen.manifest:
        over = Decimal(row["declared_value_usd"]) > Decimal(str(DE_MINIMIS_USD))
        allowed = {"11", "01"} if over else {"86", "321", ""}
        assert row["entry_type"] in allowed, row["shipment_id"]
        assert bool(row["entry_number"]) == (row["entry_type"] not in ("321", ""))


def test_enumerated_fields(gen: Generated) -> None:
    for row in gen.manifest:
        assert row["inspection_outcome"] in INSPECTION_OUTCOMES | {""}
        assert bool(row["seizure_category"]) == (row["inspection_outcome"] == "seized")
        assert row["mode"] in {"air", "mail", "vessel", ""}
        assert row["consignee_country"] in {"US", "USA", "United States", ""}


def test_values_mostly_small_with_a_long_tail(gen: Generated) -> None:
    legit = [
        Decimal(m["declared_value_usd"])
        for m, t in zip(gen.manifest, gen.truth, strict=True)
        if not t["ring_id"]
    ]
    assert statistics.median(legit) < 60
    over = sum(v > 800 for v in legit)
    assert 1 <= over <= 0.01 * len(legit)


def test_payment_accounts_are_tokens_never_card_numbers(gen: Generated) -> None:
    accounts = [r["payment_account"] for r in gen.manifest if r["payment_account"]]
    assert len(accounts) > 0.8 * len(gen.manifest)
    assert all(TOKEN.match(a) for a in accounts)
    long_digit_runs = re.compile(r"\d{13,19}")
    assert not any(long_digit_runs.search(a) for a in accounts)


def test_identifiers_come_from_reserved_ranges(gen: Generated) -> None:
    ips = {r["buyer_ip"] for r in gen.manifest if r["buyer_ip"]}
    assert len(ips) > 0.5 * len(gen.manifest)
    for ip in ips:
        addr = ipaddress.ip_address(ip)
        assert any(addr in net for net in RESERVED_NETS), ip
    assert {ipaddress.ip_address(ip).version for ip in ips} == {4, 6}
    for row in gen.manifest:
        digits = re.sub(r"\D", "", row["consignee_phone"])
        if digits:
            # Few enough consumers here for the 555-0100..0199 range reserved for fiction.
            assert digits[-7:-2] == "55501", row["consignee_phone"]
        for col in ("consignee_email", "shipper_email"):
            if row[col]:
                domain = row[col].lower().rsplit("@", 1)[1]
                assert domain.endswith(
                    (".example", ".test", "example.com", "example.net", "example.org")
                ), row[col]

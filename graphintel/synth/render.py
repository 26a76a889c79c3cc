"""Turn a chunk of the plan into manifest and truth columns (Arrow string arrays)."""

from __future__ import annotations

import numpy as np

from graphintel.manifest import COLUMN_NAMES, DE_MINIMIS_USD
from graphintel.synth import addresses as ad
from graphintel.synth import catalogue
from graphintel.synth import goods as gd
from graphintel.synth import idents as ids
from graphintel.synth.arrowkit import (
    EMPTY,
    Part,
    Str,
    decimal,
    join,
    num,
    switch,
    take,
    vocab,
    where,
)
from graphintel.synth.kinds import HUB_KINDS, OUTCOMES, SEIZURE_CATEGORIES, TYPOLOGIES
from graphintel.synth.names import company_names, person_names
from graphintel.synth.noise import drop, recase, typos
from graphintel.synth.plan import DAYS, START_DATE, Plan
from graphintel.synth.variation import codes_text
from graphintel.synth.vocab_trade import CARRIERS, ENTRY_FILERS, MARKETPLACES, PORTS
from graphintel.synth.world import Frozen

TRUTH_COLUMNS: tuple[str, ...] = (
    "shipment_id",
    "shipper_entity",
    "consignee_entity",
    "seller_entity",
    "ring_id",
    "typology",
    "hub_kind",
    "shipper_variation",
    "consignee_variation",
)

DATES = vocab([str(START_DATE + np.timedelta64(d, "D")) for d in range(DAYS)])
CARRIER_NAMES = vocab([c[0] for c in CARRIERS])
MODES = vocab([c[1] for c in CARRIERS])
PORT_CODES = vocab([p[0] for p in PORTS])
FILERS = vocab(ENTRY_FILERS)
MARKET_NAMES = vocab([m[0] for m in MARKETPLACES] + [""])
OUTCOME_TEXT = vocab(OUTCOMES)
SEIZURE_TEXT = vocab(SEIZURE_CATEGORIES)
TYPOLOGY_TEXT = vocab([*TYPOLOGIES, ""])
HUB_TEXT = vocab(HUB_KINDS)
ENTRY_TYPES = vocab(["86", "321", "11", "01", ""])
T86, T321, T11, T01, T_BLANK = range(5)
S10_LETTERS = vocab(list("ABCDEFGHJK"))
S10_WEIGHTS = np.array([8, 6, 4, 2, 3, 5, 9, 7])

# House bill numbers by carrier: prefix and zero-padded digits of a unique serial.
BILL_FORMATS: dict[str, tuple[str, int]] = {
    "DHL": ("4", 9),
    "FedEx": ("77", 10),
    "UPS": ("1Z8E4", 12),
    "YunExpress": ("YT25", 12),
    "4PX": ("4PX30", 11),
    "Cainiao": ("LP00", 12),
    "Maersk": ("MAEU", 9),
}


def shipment_ids(carrier: np.ndarray, serial: np.ndarray) -> Str:
    """House bill numbers, unique because ``serial`` is; USPS parcels carry UPU S10
    numbers with their check digit ("LB123456785CN")."""

    def build(k: int, rows: np.ndarray) -> Str:
        s = serial[rows]
        name = CARRIERS[k][0]
        if name != "USPS":
            prefix, width = BILL_FORMATS[name]
            return join(prefix, num(s, width))
        digits = s % 10**8
        d = np.stack([(digits // 10**i) % 10 for i in range(7, -1, -1)], axis=1)
        check = 11 - (d * S10_WEIGHTS).sum(axis=1) % 11
        check = np.where(check == 10, 0, np.where(check == 11, 5, check))
        letter = take(S10_LETTERS, (s // 10**8) % 10)
        return join("L", letter, num(digits, 8), num(check), "CN")

    return switch(carrier, len(CARRIERS), build)


def entry_columns(
    value: np.ndarray, serial: np.ndarray, rng: np.random.Generator
) -> tuple[Str, Str]:
    """entry_type (86 or 321 under de minimis, sometimes blank; 11 or 01 above it) and
    entry_number ("EBX-1234567-3") for every type but 321 and blank."""
    n = len(value)
    small = np.array([T86, T321, T_BLANK])[rng.choice(3, n, p=[0.66, 0.30, 0.04])]
    code = np.where(value > DE_MINIMIS_USD * 100, np.where(value > 250_000, T01, T11), small)
    digits = serial % 10**7
    check = sum((digits // 10**k) % 10 for k in range(7)) % 10
    filer = take(FILERS, (serial // 10**7) % len(ENTRY_FILERS))
    number = join(filer, "-", num(digits, 7), "-", num(check))
    has_number = (code != T321) & (code != T_BLANK)
    return take(ENTRY_TYPES, code), where(has_number, number, EMPTY)


def master_bills(plan: Plan, salt: int, rng: np.random.Generator) -> Str:
    """Air and ocean masters: parcels of one carrier, port and day share a few masters;
    mail has none."""
    key = ((plan.day.astype(np.int64) * 16 + plan.port) * 16 + plan.carrier) * 4
    key = (key + rng.integers(0, 4, len(plan))) * 2_654_435_761 + salt

    def build(k: int, rows: np.ndarray) -> Part:
        prefix = CARRIERS[k][3]
        if not prefix:
            return ""
        return join(prefix, "-" if prefix.isdigit() else "", num(key[rows] % 10**8, 8))

    return switch(plan.carrier, len(CARRIERS), build)


def seller_columns(plan: Plan, w: Frozen, rng: np.random.Generator) -> tuple[Str, Str, Str]:
    has = plan.seller >= 0
    s = np.where(has, plan.seller, 0)
    name = where(has, typos(recase(take(w.sellers.name, s), rng, 0.05), rng, 0.015), EMPTY)
    seller_id = where(has, drop(take(w.sellers.seller_id, s), rng, 0.04), EMPTY)
    market = np.where(has, w.sellers.marketplace[s], w.companies.marketplace[plan.shipper])
    market = np.where(market < 0, len(MARKETPLACES), market)
    return name, seller_id, drop(take(MARKET_NAMES, market), rng, 0.05)


def manifest_columns(
    plan: Plan,
    w: Frozen,
    shipment_id: Str,
    entry_serial: np.ndarray,
    salt: int,
    rng: np.random.Generator,
    full: bool = False,
) -> tuple[list[Str], np.ndarray, np.ndarray]:
    """All manifest columns of the chunk, in MANIFEST_COLUMNS order, and the variation bits
    of the shipper and consignee mentions (``variation``)."""
    co, per, n = w.companies, w.persons, len(plan)
    s, c = plan.shipper, plan.consignee
    entry_type, entry_number = entry_columns(plan.value, entry_serial, rng)
    city, state, postal, country, c_place = ad.consignee_place(per, w.addresses, c, rng)
    ship_city, ship_country, s_place = ad.shipper_place(co, s, rng)
    seller_name, seller_id, marketplace = seller_columns(plan, w, rng)
    method, account = ids.payment(per, c, rng)
    hts_fmt = rng.choice(4, n, p=[0.55, 0.27, 0.10, 0.08])
    bits: dict[str, np.ndarray] = {}

    def keep(col: str, rendered: tuple[Str, np.ndarray]) -> Str:
        bits[col] = rendered[1]
        return rendered[0]

    cols = {
        "shipment_id": shipment_id,
        "arrival_date": take(DATES, plan.day),
        "declared_value_usd": decimal(plan.value),
        "shipper_name": keep("shipper_name", company_names(co, s, rng)),
        "consignee_name": keep("consignee_name", person_names(per, c, rng)),
        "entry_number": entry_number,
        "entry_type": entry_type,
        "port_of_entry": drop(take(PORT_CODES, plan.port), rng, 0.02),
        "carrier": take(CARRIER_NAMES, plan.carrier),
        "mode": drop(take(MODES, plan.carrier), rng, 0.03),
        "master_bill": master_bills(plan, salt, rng),
        "country_of_origin": ad.origin_country(co, s, rng),
        "hts_code": drop(gd.hts_text(plan.goods, hts_fmt), rng, 0.04),
        "description": drop(recase(take(gd.DESCRIPTIONS, plan.goods), rng, 0.2), rng, 0.01),
        "quantity": drop(num(plan.qty), rng, 0.01),
        "weight_kg": drop(decimal(plan.weight), rng, 0.03),
        "shipper_address": keep("shipper_address", ad.shipper_address(co, s, rng)),
        "shipper_city": ship_city,
        "shipper_country": ship_country,
        "shipper_phone": keep("shipper_phone", ids.shipper_phone(co, s, rng)),
        "shipper_email": keep("shipper_email", ids.shipper_email(co, s, rng)),
        "consignee_address": keep(
            "consignee_address", ad.consignee_address(per, w.addresses, c, rng)
        ),
        "consignee_city": city,
        "consignee_state": state,
        "consignee_postal_code": postal,
        "consignee_country": country,
        "consignee_phone": keep("consignee_phone", ids.consignee_phone(per, c, rng)),
        "consignee_email": keep("consignee_email", ids.consignee_email(per, c, rng)),
        "seller_name": seller_name,
        "seller_id": seller_id,
        "marketplace": marketplace,
        "payment_method": method,
        "payment_account": account,
        "buyer_ip": ids.buyer_ip(plan, per, rng),
        "inspection_outcome": take(OUTCOME_TEXT, plan.outcome),
        "seizure_category": take(SEIZURE_TEXT, plan.seizure),
    }
    shipper_bits = s_place | bits["shipper_name"] | bits["shipper_address"]
    shipper_bits |= bits["shipper_phone"] | bits["shipper_email"]
    consignee_bits = c_place | bits["consignee_name"] | bits["consignee_address"]
    consignee_bits |= bits["consignee_phone"] | bits["consignee_email"]
    if full:
        shipper_bits, consignee_bits = catalogue.extend(
            cols, shipper_bits, consignee_bits, co, s, rng
        )
    return [cols[name] for name in COLUMN_NAMES], shipper_bits, consignee_bits


def hub_codes(plan: Plan, w: Frozen) -> np.ndarray:
    """The legitimate hub a shipment touches; the shipper side wins over the consignee's."""
    shipper_hub = w.companies.hub[plan.shipper]
    return np.asarray(np.where(shipper_hub > 0, shipper_hub, w.persons.hub[plan.consignee]))


def truth_columns(
    plan: Plan, w: Frozen, shipment_id: Str, shipper_bits: np.ndarray, consignee_bits: np.ndarray
) -> list[Str]:
    """The true entity behind every party mention, the ring of every shipment and the
    variation classes each mention carries."""
    typology = np.where(plan.typology < 0, len(TYPOLOGIES), plan.typology)
    return [
        shipment_id,
        join("company-", num(plan.shipper, 6)),
        join("person-", num(plan.consignee, 7)),
        where(plan.seller < 0, EMPTY, join("seller-", num(np.maximum(plan.seller, 0), 6))),
        where(plan.ring < 0, EMPTY, join("ring-", num(np.maximum(plan.ring, 0), 4))),
        take(TYPOLOGY_TEXT, typology),
        take(HUB_TEXT, hub_codes(plan, w)),
        codes_text(shipper_bits),
        codes_text(consignee_bits),
    ]

"""One manifest row (canonical layout) with its truth, from the parties behind it."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from benchmarks.blindgen.parties import Company, Person, Phone
from benchmarks.blindgen.places import (
    business_address,
    canonical_business,
    canonical_home,
    home_address,
)
from benchmarks.blindgen.variants import PHONE_FORMS, email, org_name, person_name, phone
from benchmarks.blindgen.vocab import CARRIERS, GOODS, MARKETPLACES, PORTS, RING_GOODS
from benchmarks.blindgen.world import P_VIA, Ring, World, pick

TRUTH_COLUMNS = (
    "shipment_id",
    "ring_id",
    "ring_type",
    "shipper_entity",
    "consignee_entity",
    "via_consolidator",
    "shipper_variation",
    "consignee_variation",
)
IDENTIFIER_COLUMNS = (
    "shipment_id",
    "shipper_address",
    "shipper_phone",
    "shipper_email",
    "consignee_address",
    "consignee_phone",
    "consignee_email",
    "payment_account",
)
MAWB_PREFIX = {"UPS": "406", "FEDEX": "023", "DHL": "155", "YUNEXPRESS": "880", "4PX": "999",
               "CAINIAO": "112", "SFEXPRESS": "324"}  # fmt: skip
BILL_PREFIX = {"USPS": "LX", "UPS": "1Z", "FEDEX": "FX", "DHL": "JD", "YUNEXPRESS": "YT",
               "4PX": "4PX", "CAINIAO": "LP", "SFEXPRESS": "SF"}  # fmt: skip
_CARRIER_CUM = list(itertools.accumulate(c[2] for c in CARRIERS))
_PORT_CUM = list(itertools.accumulate(p[1] for p in PORTS))
_ENTRY_CUM = (65, 97, 100)


@dataclass
class Row:
    manifest: dict[str, str]
    truth: list[str]
    identifiers: list[str]


def _phone_text(
    p: Phone | None, usual: int, rng: random.Random, p_blank: float
) -> tuple[str, set[str]]:
    if p is None or rng.random() < p_blank:
        return "", set()
    form = PHONE_FORMS[usual if rng.random() < 0.75 else rng.randrange(len(PHONE_FORMS))]
    text, code = phone(p.cc, p.national, p.trunk, form, rng)
    return text, {code} if code else set()


def company_fields(c: Company, rng: random.Random, prefix: str) -> tuple[dict[str, str], set[str],
                                                                         list[str]]:  # fmt: skip
    """shipper_* columns of one mention of ``c``, its variation classes and identities."""
    name, codes = org_name(c.org, rng, c.p_var, c.p_case)
    addr, city, country, a = business_address(
        c.address, c.city, c.country, rng, c.p_var * 0.7, c.p_case * 0.8
    )
    tel, t = _phone_text(c.phone, c.phone_form, rng, 0.04)
    mail, e = email(c.email if rng.random() > 0.1 else "", rng, 0.12)
    out = {
        f"{prefix}_name": name,
        f"{prefix}_address": addr,
        f"{prefix}_city": city,
        f"{prefix}_country": country,
        f"{prefix}_phone": tel,
        f"{prefix}_email": mail,
    }
    ids = [canonical_business(c.address, c.city, c.country),
           c.phone.e164 if tel and c.phone else "", c.email.lower() if mail else ""]  # fmt: skip
    return out, codes | a | t | e, ids


def payment(p: Person, rng: random.Random) -> tuple[str, str, str, set[str]]:
    """(method, account as written, account identity, classes) for a person's own means."""
    u = int(p.card[:4], 16) % 100
    if rng.random() < 0.03:
        return "", "", "", set()
    if u < 78:
        ident = f"card:fp_{p.card}"
        if rng.random() < 0.04:
            return (
                "card",
                rng.choice(("CARD:", "Card:", "card: ")) + f"fp_{p.card}",
                ident,
                {"pay.token_case"},
            )
        return "card", ident, ident, set()
    if u < 93:
        local = p.email.split("@")[0] if p.email else f"{p.first.lower()}{p.card[:6]}"
        ident = f"wallet:{local}@walletpay.com"
        if rng.random() < 0.1:
            return "wallet", ident.upper().replace("WALLET:", "wallet:"), ident, {"pay.token_case"}
        return "wallet", ident, ident, set()
    if u < 98:
        ident = f"bank:{int(p.card[4:8], 16) % 9000 + 1000}****{int(p.card[8:12], 16) % 10000:04d}"
        return "bank", ident, ident, set()
    return ("crypto",) + crypto_text(f"crypto:0x{p.card}{p.card[:8]}{p.card[:16]}", rng)


def crypto_text(ident: str, rng: random.Random) -> tuple[str, str, set[str]]:
    """A crypto or wallet id as written: hex and bech32 case varies, base58 never does."""
    body = ident.split(":", 1)[1]
    if body.startswith("0x") and rng.random() < 0.3:
        mixed = "".join(ch.upper() if ch.isalpha() and rng.random() < 0.5 else ch
                        for ch in body[2:])  # fmt: skip
        return f"crypto:0x{mixed}", ident, {"pay.eth_case"}
    if body.startswith("bc1") and rng.random() < 0.25:
        return f"crypto:{body.upper()}", ident, {"pay.bech32_case"}
    return ident, ident, set()


def person_fields(p: Person, rng: random.Random) -> tuple[dict[str, str], set[str], list[str]]:
    name, codes = person_name(p.first, p.middle, p.last, p.nicks, rng, 0.3, 0.4)
    (addr, city, state, postal, country), a = home_address(
        p.address, p.place, p.zip5, p.plus4, rng, 0.45, 0.35
    )
    tel, t = _phone_text(p.phone, p.phone_form, rng, 0.05)
    mail, e = email(p.email, rng, 0.2)
    out = {
        "consignee_name": name,
        "consignee_address": addr,
        "consignee_city": city,
        "consignee_state": state,
        "consignee_postal_code": postal,
        "consignee_country": country,
        "consignee_phone": tel,
        "consignee_email": mail,
    }
    ids = [canonical_home(p.address, p.zip5), p.phone.e164 if tel and p.phone else "",
           p.email.lower() if mail else ""]  # fmt: skip
    return out, codes | a | t | e, ids


class RowMaker:
    """Turns (row number, ring slot or none) into a manifest row."""

    def __init__(self, world: World, seed: int) -> None:
        self.w = world
        self.serial_mult = 2_654_435_761
        self.serial_add = (seed * 97_531) % 10**10

    def shipment_id(self, i: int, carrier: str) -> str:
        serial = (i * self.serial_mult + self.serial_add) % 10**10
        return f"{BILL_PREFIX[carrier]}{serial:010d}"

    def legit(self, i: int, rng: random.Random) -> Row:
        w = self.w
        m = pick(rng, w.merchant_cum)
        merchant = w.merchants[m]
        via = rng.random() < P_VIA
        shipper = merchant
        if via:
            f = w.home_forwarder[m] if rng.random() < 0.8 else pick(rng, w.forwarder_cum)
            shipper = w.forwarders[f]
        consignee = w.person(w.legit_consignee(rng))
        day = rng.randrange(181)
        goods = rng.choice(GOODS)
        value = rng.uniform(goods[2], goods[3])
        if rng.random() < 0.004:
            value = rng.uniform(820, 2400)
        outcome = rng.random()
        inspection = ("seized" if outcome < 0.0002 else "violation" if outcome < 0.0006
                      else "cleared" if outcome < 0.006 else "")  # fmt: skip
        row = self._row(i, rng, shipper, consignee, day, goods, value, None, via)
        if via:
            name, _ = org_name(merchant.org, rng, merchant.p_var, merchant.p_case)
            row.manifest["seller_name"] = name
            row.manifest["seller_id"] = merchant.seller_id if rng.random() < 0.95 else ""
        if merchant.marketplace >= 0:
            row.manifest["marketplace"] = MARKET_NAMES[merchant.marketplace]
        row.manifest["inspection_outcome"] = inspection
        row.manifest["seizure_category"] = "counterfeit" if inspection == "seized" else ""
        return row

    def ring(self, i: int, ring: Ring, j: int, rng: random.Random) -> Row:
        fronts = ring.fronts
        if ring.kind == "identity_churn":
            front = fronts[min(len(fronts) - 1, j * len(fronts) // ring.size)]
            day = ring.start + (j * ring.span) // ring.size
        elif ring.kind == "structuring":
            front = rng.choice(fronts)
            day = ring.start + (j // 4) * ring.span // max(1, ring.size // 4)
        else:
            front = rng.choice(fronts)
            day = ring.start + rng.randrange(ring.span)
        consignee = rng.choice(ring.consignees)
        goods = rng.choice(RING_GOODS)
        value = rng.uniform(goods[2], goods[3])
        if ring.kind == "structuring":
            value = rng.uniform(560, 795)
        via = rng.random() < ring.p_forwarder
        shipper = self.w.forwarders[pick(rng, self.w.forwarder_cum)] if via else front
        row = self._row(i, rng, shipper, consignee, min(day, 180), goods, value, ring, via)
        if via:
            name, _ = org_name(front.org, rng, front.p_var, front.p_case)
            row.manifest["seller_name"] = name
        seized = j in ring.seized
        row.manifest["inspection_outcome"] = "seized" if seized else (
            "cleared" if rng.random() < 0.01 else "")  # fmt: skip
        row.manifest["seizure_category"] = ring.category if seized else ""
        return row

    def _row(
        self,
        i: int,
        rng: random.Random,
        shipper: Company,
        consignee: Person,
        day: int,
        goods: tuple[str, str, float, float, float, float],
        value: float,
        ring: Ring | None,
        via: bool,
    ) -> Row:
        if ring is not None and ring.kind == "structuring":
            c_i, p_i = ring.carrier, ring.port
        else:
            c_i = rng.choices(range(len(CARRIERS)), cum_weights=_CARRIER_CUM)[0]
            p_i = rng.choices(range(len(PORTS)), cum_weights=_PORT_CUM)[0]
        carrier, mode, _ = CARRIERS[c_i]
        port = PORTS[p_i][0]
        qty = 1 + int(rng.expovariate(0.8))
        sid = self.shipment_id(i, carrier)
        ship, s_codes, s_ids = company_fields(shipper, rng, "shipper")
        cons, c_codes, c_ids = person_fields(consignee, rng)
        method, account, account_id, pay_codes = payment(consignee, rng)
        if ring is not None and ring.accounts and rng.random() < 0.9:
            account_id = rng.choice(ring.accounts)
            method = "wallet" if account_id.startswith("wallet") else "crypto"
            account, _, pay_codes = crypto_text(account_id, rng)
        ip = consignee.ip if rng.random() < 0.85 else _mobile_ip(rng)
        if ring is not None and ring.ips and rng.random() < 0.6:
            ip = rng.choice(ring.ips)
        entry = "11" if value > 800 else rng.choices(("86", "321", ""), cum_weights=_ENTRY_CUM)[0]
        prefix = MAWB_PREFIX.get(carrier)
        k = 0 if ring is not None and ring.kind == "structuring" else rng.randrange(3)
        master = ""
        if prefix:
            key = (((day * 31 + p_i) * 17 + c_i) * 4 + k) * 2_654_435_761 + self.serial_add
            master = f"{prefix}-{key % 10**8:08d}"
        hts = goods[1]
        u = rng.random()
        hts = f"{hts[:4]}.{hts[4:]}" if u < 0.2 else hts + "0000" if u < 0.3 else hts
        manifest = {
            "shipment_id": sid,
            "arrival_date": f"2026-{_month_day(day)}",
            "declared_value_usd": f"{value * (1 + 0.25 * (qty - 1)) if value < 500 else value:.2f}",
            "entry_type": entry,
            "port_of_entry": port,
            "carrier": carrier,
            "mode": mode if rng.random() < 0.97 else "",
            "master_bill": master,
            "country_of_origin": shipper.country if rng.random() < 0.92 else "CN",
            "hts_code": hts if rng.random() < 0.96 else "",
            "description": goods[0] if rng.random() < 0.7 else goods[0].upper(),
            "quantity": str(qty),
            "weight_kg": f"{rng.uniform(goods[4], goods[5]) * (1 + 0.5 * (qty - 1)):.2f}",
            **ship,
            **cons,
            "payment_method": method,
            "payment_account": account,
            "buyer_ip": ip if rng.random() < 0.95 else "",
        }
        truth = [
            sid,
            ring.rid if ring else "",
            ring.kind if ring else "",
            shipper.eid,
            consignee.eid,
            "1" if via else "0",
            "|".join(sorted(s_codes)),
            "|".join(sorted(c_codes | pay_codes)),
        ]
        return Row(manifest, truth, [sid, *s_ids, *c_ids, account_id])


MARKET_NAMES = [m[0] for m in MARKETPLACES]
_MONTH_STARTS = (0, 31, 59, 90, 120, 151, 181)


def _month_day(day: int) -> str:
    month = next(m for m in range(6) if day < _MONTH_STARTS[m + 1])
    return f"{month + 1:02d}-{day - _MONTH_STARTS[month] + 1:02d}"


def _mobile_ip(rng: random.Random) -> str:
    a, b, c = rng.randrange(11, 223), rng.randrange(256), rng.randrange(256)
    return f"{a}.{b}.{c}.{rng.randrange(1, 255)}"

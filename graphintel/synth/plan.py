"""The shipment plan: one numpy row per shipment, holding entity ids and numbers only.

Legit traffic and rings are planned separately, concatenated, sorted by arrival date and
only then rendered to text chunk by chunk, so row order reveals nothing about rings.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from graphintel.synth import goods as gd
from graphintel.synth.kinds import (
    CLEARED,
    COUNTERFEIT,
    NO_SEIZURE,
    NOT_INSPECTED,
    SEIZED,
    VIOLATION,
)
from graphintel.synth.tables import ArrayTable
from graphintel.synth.vocab_trade import CARRIERS, PORTS

DAYS = 181  # arrivals fall in 2025-01-01 .. 2025-06-30
START_DATE = np.datetime64("2025-01-01")
IP_HOME, IP_FRESH, IP_NONE = range(3)

_CARRIER_P = np.array([c[2] for c in CARRIERS]) / sum(c[2] for c in CARRIERS)
_PORT_P = np.array([p[1] for p in PORTS]) / sum(p[1] for p in PORTS)
# Parcels arrive on every day, fewer at weekends (2025-01-01 was a Wednesday).
_DAY_W = np.array([0.75 if (d + 2) % 7 in (5, 6) else 1.0 for d in range(DAYS)])
DAY_P = _DAY_W / _DAY_W.sum()


@dataclass
class Plan(ArrayTable):
    day: np.ndarray  # days since START_DATE
    value: np.ndarray  # declared value in cents
    shipper: np.ndarray  # company id
    seller: np.ndarray  # seller id or -1
    consignee: np.ndarray  # person id
    goods: np.ndarray  # index into goods.CATALOGUE
    qty: np.ndarray
    weight: np.ndarray  # hundredths of a kilogram
    carrier: np.ndarray
    port: np.ndarray
    ring: np.ndarray  # ring number or -1
    typology: np.ndarray  # kinds.TYPOLOGIES index or -1
    ip_mode: np.ndarray  # IP_HOME, IP_FRESH or IP_NONE
    outcome: np.ndarray  # kinds.OUTCOMES index
    seizure: np.ndarray  # kinds.SEIZURE_CATEGORIES index

    def rows(self, idx: np.ndarray | slice) -> Plan:
        return Plan(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})


def make_plan(
    rng: np.random.Generator,
    *,
    day: np.ndarray,
    shipper: np.ndarray,
    consignee: np.ndarray,
    goods: np.ndarray,
    seller: np.ndarray | None = None,
    value: np.ndarray | None = None,
    ring: int = -1,
    typology: int = -1,
    p_fresh_ip: float = 0.12,
    p_no_ip: float = 0.05,
) -> Plan:
    """Fill in what every shipment needs (logistics, weight, value, inspection) around the
    parties and goods the caller chose. Legit values come from ``goods`` when not given."""
    n = len(day)
    qty = gd.quantities(n, rng)
    if value is None:
        value = gd.legit_values_cents(goods, qty, rng)
    u = rng.random(n)
    ip_mode = np.where(u < p_fresh_ip, IP_FRESH, np.where(u < p_fresh_ip + p_no_ip, IP_NONE, 0))
    return Plan(
        day=np.asarray(day, dtype=np.int16),
        value=np.asarray(value, dtype=np.int64),
        shipper=np.asarray(shipper, dtype=np.int32),
        seller=np.full(n, -1, np.int32) if seller is None else np.asarray(seller, np.int32),
        consignee=np.asarray(consignee, dtype=np.int32),
        goods=np.asarray(goods, dtype=np.int16),
        qty=qty,
        weight=gd.weights_ckg(goods, qty, rng),
        carrier=rng.choice(len(CARRIERS), n, p=_CARRIER_P).astype(np.int8),
        port=rng.choice(len(PORTS), n, p=_PORT_P).astype(np.int8),
        ring=np.full(n, ring, dtype=np.int32),
        typology=np.full(n, typology, dtype=np.int8),
        ip_mode=ip_mode.astype(np.int8),
        outcome=np.zeros(n, dtype=np.int8),
        seizure=np.zeros(n, dtype=np.int8),
    )


def legit_inspections(plan: Plan, rng: np.random.Generator) -> None:
    """A few in a thousand legit parcels are inspected and cleared; about one in two
    thousand has a violation or a counterfeit seizure."""
    u = rng.random(len(plan))
    plan.outcome[:] = np.where(
        u < 0.0002,
        SEIZED,
        np.where(u < 0.0005, VIOLATION, np.where(u < 0.006, CLEARED, NOT_INSPECTED)),
    )
    plan.seizure[:] = np.where(plan.outcome == SEIZED, COUNTERFEIT, NO_SEIZURE)

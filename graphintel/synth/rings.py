"""Planted illicit networks, one builder per typology.

About one ring per thousand parcels (at least eight), a few percent of all rows. Rings ship
mostly precursor chemicals or pill-press parts under vague descriptions, keep each parcel
under the $800 de minimis, and about half have one to four parcels already seized.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphintel.synth import goods as gd
from graphintel.synth.companies import RING
from graphintel.synth.kinds import (
    CLEARED,
    COUNTERFEIT,
    DROP_ADDRESS,
    FENTANYL,
    IDENTITY_CHURN,
    PILL_PRESS,
    PRECURSOR,
    SEIZED,
    SHARED_IP,
    SHARED_PAYMENT,
    SPLIT_SHIPMENT,
    TYPOLOGIES,
)
from graphintel.synth.people import NAME_P, PAY_CARD, PAY_CRYPTO, PAY_WALLET, random_units
from graphintel.synth.plan import DAYS, Plan, make_plan
from graphintel.synth.vocab_people import LAST_NAMES
from graphintel.synth.vocab_trade import MARKETPLACES
from graphintel.synth.world import World

CATEGORIES = np.array([FENTANYL, PRECURSOR, PILL_PRESS, COUNTERFEIT])
CATEGORY_P = np.array([0.30, 0.35, 0.20, 0.15])
NAME_CDF = np.cumsum(NAME_P)
NAME_CDF /= NAME_CDF[-1]
CHURN_ANCHORS: tuple[str, ...] = ("phone", "email", "address")
P_VIA_CONSOLIDATOR = 0.1  # ring parcels handed to a legit consolidator under a ring seller


@dataclass(frozen=True)
class RingSpec:
    """Sizes and timing of one ring, drawn before any entity exists."""

    typology: int
    category: int  # the seizure category its goods would earn
    counts: tuple[int, ...]  # parcels per consignee
    bursts: tuple[tuple[int, ...], ...]  # split_shipment: burst sizes per consignee
    n_shippers: int
    start: int  # first and last day of activity
    end: int
    seized: int  # parcels already seized (0 for about half the rings)

    @property
    def rows(self) -> int:
        return sum(self.counts)


def ring_count(shipments: int) -> int:
    return max(8, round(shipments / 1000))


def draw_specs(shipments: int, rng: np.random.Generator) -> list[RingSpec]:
    n = ring_count(shipments)
    typology = rng.permutation(np.resize(np.arange(len(TYPOLOGIES)), n))
    category = rng.choice(CATEGORIES, n, p=CATEGORY_P)
    seized_rings = set(rng.permutation(n)[: (n + 1) // 2].tolist())
    specs = []
    for r in range(n):
        t = int(typology[r])
        bursts: tuple[tuple[int, ...], ...] = ()
        if t == DROP_ADDRESS:
            counts = rng.integers(1, 4, rng.integers(6, 26))
        elif t in (SHARED_PAYMENT, SHARED_IP):
            counts = rng.integers(1, 4, rng.integers(5, 21))
        elif t == SPLIT_SHIPMENT:
            bursts = tuple(
                tuple(int(b) for b in rng.integers(3, 9, rng.integers(1, 4)))
                for _ in range(int(rng.integers(1, 4)))
            )
            counts = np.array([sum(b) for b in bursts])
        else:
            counts = rng.integers(1, 4, rng.integers(5, 16))
        n_shippers = int(rng.integers(3, 9) if t == IDENTITY_CHURN else rng.integers(1, 4))
        start = int(rng.integers(0, DAYS - 45))
        end = min(DAYS - 1, start + int(rng.integers(30, 91)))
        rows = int(counts.sum())
        seized = min(rows, int(rng.integers(1, 5))) if r in seized_rings else 0
        specs.append(
            RingSpec(
                t,
                int(category[r]),
                tuple(int(c) for c in counts),
                bursts,
                n_shippers,
                start,
                end,
                seized,
            )
        )
    return specs


def _distinct_names(
    part_first: np.ndarray, part_last: np.ndarray, rng: np.random.Generator
) -> None:
    """Give every person in a ring a different first-last pair, drawn as often as names
    occur among legit consumers (so rare names do not mark a ring)."""
    k = len(part_first)
    combos = np.unique(np.searchsorted(NAME_CDF, rng.random(2 * k), side="right"))
    while len(combos) < k:
        more = np.searchsorted(NAME_CDF, rng.random(k), side="right")
        combos = np.unique(np.concatenate([combos, more]))
    combos = rng.permutation(combos)[:k]
    part_first[:] = combos // len(LAST_NAMES)
    part_last[:] = combos % len(LAST_NAMES)


def _consignees(world: World, spec: RingSpec, rng: np.random.Generator) -> np.ndarray:
    k = len(spec.counts)
    if spec.typology == DROP_ADDRESS:
        addr = np.repeat(world.add_addresses(1, rng), k)
        unit = np.repeat(random_units(1, rng, 0.4), k)
    else:
        addr = world.add_addresses(k, rng)
        unit = random_units(k, rng, 0.25)
    ids, part = world.add_persons(addr, unit, rng)
    _distinct_names(part.first, part.last, rng)
    if spec.typology == SHARED_PAYMENT:
        part.pay_kind[:] = rng.choice([PAY_CARD, PAY_WALLET, PAY_CRYPTO], p=[0.6, 0.25, 0.15])
        part.pay_token[:] = part.pay_token[0]
    elif spec.typology == SHARED_IP:
        part.ip_v6[:], part.ip_val[:] = part.ip_v6[0], part.ip_val[0]
    return ids


def _days(spec: RingSpec, n: int, rng: np.random.Generator) -> np.ndarray:
    if spec.typology != SPLIT_SHIPMENT:
        return rng.integers(spec.start, spec.end + 1, n)
    days = []
    for per_consignee in spec.bursts:
        for size in per_consignee:
            d = int(rng.integers(spec.start, spec.end))  # d + 1 is still in the window
            days.append(d + (rng.random(size) < 0.4))
    return np.concatenate(days)


def plan_ring(
    world: World, r: int, spec: RingSpec, consolidators: np.ndarray, rng: np.random.Generator
) -> Plan:
    n = spec.rows
    consignee = np.repeat(_consignees(world, spec, rng), spec.counts)
    day = _days(spec, n, rng)
    goods = gd.ring_goods(n, spec.category, rng)
    shippers = world.companies.add(
        spec.n_shippers, RING, gd.ring_goods(spec.n_shippers, spec.category, rng)
    )
    seller = np.full(n, -1, dtype=np.int32)
    if spec.typology == IDENTITY_CHURN:
        world.companies.share(shippers, CHURN_ANCHORS[int(rng.integers(len(CHURN_ANCHORS)))])
        # Shell names take turns across the ring's active period, with some overlap.
        slot = (day - spec.start) * len(shippers) // (spec.end - spec.start + 2)
        slot = np.where(rng.random(n) < 0.15, rng.integers(0, len(shippers), n), slot)
        shipper = shippers[np.clip(slot, 0, len(shippers) - 1)]
    else:
        shipper = rng.choice(shippers, n)
        if spec.typology in (DROP_ADDRESS, SHARED_PAYMENT, SHARED_IP):
            via = rng.random(n) < P_VIA_CONSOLIDATOR
            if via.any():
                ring_seller = world.sellers.add(np.array([rng.integers(len(MARKETPLACES))]))
                shipper[via] = rng.choice(consolidators, int(via.sum()))
                seller[via] = ring_seller[0]
    if spec.typology == SPLIT_SHIPMENT:
        value = rng.integers(30_000, 79_001, n)
    else:
        usd = gd.MEDIAN_USD[goods] * rng.lognormal(0.0, 0.6, n)
        usd = np.where(usd < 3.0, 3.0 + 10.0 * rng.random(n), np.minimum(usd, 790.0))
        value = np.round(usd * 100)
    shared_ip = spec.typology == SHARED_IP
    plan = make_plan(
        rng,
        day=day,
        shipper=shipper,
        consignee=consignee,
        goods=goods,
        seller=seller,
        value=value,
        ring=r,
        typology=spec.typology,
        p_fresh_ip=0.0 if shared_ip else 0.1,
        p_no_ip=0.02 if shared_ip else 0.05,
    )
    seized = rng.choice(n, spec.seized, replace=False)
    cleared = rng.random(n) < 0.01
    plan.outcome[cleared] = CLEARED
    plan.outcome[seized] = SEIZED
    plan.seizure[seized] = spec.category
    return plan


def plan_rings(
    world: World, specs: list[RingSpec], consolidators: np.ndarray, rng: np.random.Generator
) -> Plan:
    return Plan.concat([plan_ring(world, r, s, consolidators, rng) for r, s in enumerate(specs)])

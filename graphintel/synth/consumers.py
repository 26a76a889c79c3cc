"""Legitimate US consumers, including the two consignee-side hubs.

Apartment towers: one building address, many residents, each in a unit of their own.
Households: 2-4 people at one address and unit, often one surname, sometimes one phone or
one home IP. Everyone else lives alone with identifiers of their own; some buy often.
"""

from __future__ import annotations

import numpy as np

from graphintel.synth.kinds import HUB_HOUSEHOLD, HUB_TOWER
from graphintel.synth.people import UNIT_FLOORS, random_units
from graphintel.synth.profile import DEFAULT, Profile
from graphintel.synth.world import World

P_APARTMENT = 0.25  # ordinary homes with a unit number


def shipment_counts(n_rows: int, rng: np.random.Generator) -> np.ndarray:
    """Parcels per consumer: mostly one or two, a few repeat buyers with many."""
    parts: list[np.ndarray] = []
    total = 0
    while total < n_rows:
        est = max(100, int((n_rows - total) / 1.7 * 1.1))
        counts = rng.geometric(0.62, est)
        heavy = rng.random(est) < 0.02
        counts[heavy] += rng.poisson(6.0, int(heavy.sum()))
        parts.append(counts)
        total += int(counts.sum())
    counts = np.concatenate(parts)
    cum = np.cumsum(counts)
    n_people = int(np.searchsorted(cum, n_rows)) + 1
    counts = counts[:n_people].copy()
    counts[-1] -= int(cum[n_people - 1]) - n_rows
    return counts


def _group_sizes(total: int, low: int, high: int, rng: np.random.Generator) -> np.ndarray:
    sizes = rng.integers(low, high + 1, total // low + 1)
    cut = int(np.searchsorted(np.cumsum(sizes), total)) + 1
    return sizes[:cut]


def add_consumers(
    world: World,
    counts: np.ndarray,
    n_total: int,
    rng: np.random.Generator,
    profile: Profile = DEFAULT,
) -> tuple[np.ndarray, dict[str, int]]:
    """Create one consumer per entry of ``counts`` (parcels each, see ``shipment_counts``);
    returns the consignee of each parcel (in random order) and the number of towers and
    households created."""
    n_people = len(counts)
    low, high = profile.tower_residents
    high = min(high, UNIT_FLOORS * 8 + 1)  # one unit each
    towers = rng.integers(low, high, max(2, n_total // profile.rows_per_tower))
    keep = np.cumsum(towers) <= profile.tower_cap * n_people
    keep[0] = True
    towers = np.minimum(towers[keep], max(2, n_people // 10))
    households = _group_sizes(max(4, int(profile.household_share * n_people)), 2, 4, rng)
    n_tower, n_house = int(towers.sum()), int(households.sum())
    n_alone = n_people - n_tower - n_house
    if n_alone < 0:
        raise ValueError("too few shipments for the consumer hubs")

    addr = world.add_addresses(len(towers) + len(households) + n_alone, rng)
    tower_addr, house_addr = addr[: len(towers)], addr[len(towers) : len(towers) + len(households)]
    alone_addr = addr[len(towers) + len(households) :]
    tower_units = np.concatenate([rng.permutation(UNIT_FLOORS * 8)[:s] for s in towers])
    person_addr = np.concatenate(
        [np.repeat(tower_addr, towers), np.repeat(house_addr, households), alone_addr]
    )
    person_unit = np.concatenate(
        [
            tower_units,
            np.repeat(random_units(len(households), rng, P_APARTMENT), households),
            random_units(n_alone, rng, P_APARTMENT),
        ]
    )
    ids, part = world.add_persons(person_addr, person_unit, rng)
    part.hub[:n_tower] = HUB_TOWER
    house = slice(n_tower, n_tower + n_house)
    part.hub[house] = HUB_HOUSEHOLD

    # Household members copy the first member's surname, phone or home IP.
    starts = n_tower + np.concatenate([[0], np.cumsum(households)[:-1]])
    head = np.repeat(starts, households)
    member = np.arange(n_tower, n_tower + n_house)
    for field, p in (("last", 0.7), ("phone", 0.3), ("ip", 0.5)):
        share = np.repeat(rng.random(len(households)) < p, households)
        m, h = member[share], head[share]
        if field == "ip":
            part.ip_v6[m], part.ip_val[m] = part.ip_v6[h], part.ip_val[h]
        else:
            getattr(part, field)[m] = getattr(part, field)[h]

    consignees = rng.permutation(np.repeat(ids, counts))
    return consignees, {"tower": len(towers), "household": len(households)}

"""Legitimate traffic: direct shippers, consolidators shipping for marketplace sellers,
and shippers that print their marketplace's hotline as their phone."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphintel.synth import goods as gd
from graphintel.synth.companies import CONSOLIDATOR, LEGIT
from graphintel.synth.consumers import add_consumers
from graphintel.synth.kinds import HUB_CARRIER_PHONE
from graphintel.synth.plan import DAY_P, DAYS, Plan, legit_inspections, make_plan
from graphintel.synth.profile import DEFAULT, Profile
from graphintel.synth.vocab_trade import CN, HK, MARKETPLACE_WEIGHTS, MARKETPLACES
from graphintel.synth.world import World

P_ON_MARKETPLACE = 0.7  # direct shippers selling through a marketplace
P_HOTLINE = 0.6  # ...of which print the marketplace's service number as their phone

_MARKET_P = np.array(MARKETPLACE_WEIGHTS) / sum(MARKETPLACE_WEIGHTS)


@dataclass(frozen=True)
class Shippers:
    consolidators: np.ndarray
    consolidator_p: np.ndarray
    direct: np.ndarray
    direct_p: np.ndarray
    seller_p: np.ndarray
    seller_home: np.ndarray  # the consolidator each seller normally uses
    hotlines: int
    agents: int


def _weights(n: int, sigma: float, rng: np.random.Generator) -> np.ndarray:
    w = rng.lognormal(0.0, sigma, n)
    return np.asarray(w / w.sum())


def add_shippers(
    world: World, n_rows: int, n_total: int, rng: np.random.Generator, profile: Profile
) -> Shippers:
    n_consol = profile.consolidators(n_total)
    consolidators = world.companies.add(n_consol, CONSOLIDATOR, gd.legit_goods(n_consol, rng))
    consolidator_p = _weights(n_consol, 0.5, rng)

    n_direct = max(400, int((1 - profile.p_consolidated) * n_rows) // 25)
    market = np.where(
        rng.random(n_direct) < P_ON_MARKETPLACE,
        rng.choice(len(MARKETPLACES), n_direct, p=_MARKET_P),
        -1,
    )
    direct = world.companies.add(n_direct, LEGIT, gd.legit_goods(n_direct, rng), market)
    hotlines = min(len(MARKETPLACES), 1 + n_total // profile.rows_per_hotline)
    # Only mainland and Hong Kong sellers print a mainland 400 service number.
    chinese = np.isin(np.asarray(world.companies.country)[direct], (CN, HK))
    uses_hotline = (
        chinese & (market >= 0) & (market < hotlines) & (rng.random(n_direct) < P_HOTLINE)
    )
    for m in range(hotlines):
        world.companies.use_hotline(direct[uses_hotline & (market == m)], m)

    n_agents = 0
    if profile.carrier_phone_share:
        # Pick-up agents: a mainland shipper prints the agent's phone instead of its own.
        eligible = direct[np.asarray(world.companies.country)[direct] == CN]
        eligible = eligible[~uses_hotline[np.isin(direct, eligible)]]
        takers = eligible[rng.random(len(eligible)) < profile.carrier_phone_share]
        n_agents = max(1, len(direct) // profile.shippers_per_agent)
        agent = rng.integers(0, n_agents, len(takers))
        for a in range(n_agents):
            group = takers[agent == a]
            if len(group) > 1:
                world.companies.share(group, "phone", HUB_CARRIER_PHONE)

    n_sellers = max(60, int(profile.p_consolidated * n_rows) // 18)
    world.sellers.add(rng.choice(len(MARKETPLACES), n_sellers, p=_MARKET_P))
    return Shippers(
        consolidators=consolidators,
        consolidator_p=consolidator_p,
        direct=direct,
        direct_p=_weights(n_direct, 1.3, rng),
        seller_p=_weights(n_sellers, 1.2, rng),
        seller_home=rng.choice(consolidators, n_sellers, p=consolidator_p),
        hotlines=hotlines,
        agents=n_agents,
    )


def plan_legit(
    world: World,
    counts: np.ndarray,
    n_total: int,
    rng: np.random.Generator,
    profile: Profile = DEFAULT,
) -> tuple[Plan, dict[str, int], np.ndarray]:
    """Plan the legitimate parcels, ``counts[i]`` of them for consumer i; returns the plan,
    the number of hub entities of each kind and the consolidators' company ids."""
    n_rows = int(counts.sum())
    consignee, hubs = add_consumers(world, counts, n_total, rng, profile)
    sh = add_shippers(world, n_rows, n_total, rng, profile)

    consolidated = rng.random(n_rows) < profile.p_consolidated
    k = int(consolidated.sum())
    seller = np.full(n_rows, -1, dtype=np.int32)
    seller[consolidated] = rng.choice(len(sh.seller_p), k, p=sh.seller_p)
    shipper = np.empty(n_rows, dtype=np.int32)
    via_home = rng.random(k) < 0.85
    shipper[consolidated] = np.where(
        via_home,
        sh.seller_home[seller[consolidated]],
        rng.choice(sh.consolidators, k, p=sh.consolidator_p),
    )
    shipper[~consolidated] = rng.choice(sh.direct, n_rows - k, p=sh.direct_p)

    main_line = world.company_goods()[shipper]
    goods = np.where(
        ~consolidated & (rng.random(n_rows) < 0.7), main_line, gd.legit_goods(n_rows, rng)
    )
    day = rng.choice(DAYS, n_rows, p=DAY_P)
    plan = make_plan(rng, day=day, shipper=shipper, consignee=consignee, goods=goods, seller=seller)
    legit_inspections(plan, rng)
    hubs.update(consolidator=len(sh.consolidators), hotline=sh.hotlines)
    hubs["carrier_phone"] = sh.agents
    return plan, hubs, sh.consolidators

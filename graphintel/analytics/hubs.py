"""Which parties and identifiers are hubs, judged by count and by who uses them, with reasons.

A hub is left out of networks so that it cannot glue unrelated people together: a
consolidating shipper with thousands of consignees, a marketplace hotline, an apartment
tower. Counting parties alone is not enough at scale: a ring's shipper rotates through
dozens of company names that keep one phone, e-mail and office, and a ring's drop address
or card collects dozens of consignee names, so both cross any fixed count. What tells them
apart is who uses them:

- **count** rule: an identifier shared by more than ``hub_limit`` parties, a party with
  more than ``party_hub_limit`` counterparties, and an identifier whose parties together
  reach more than ``party_hub_limit`` counterparties are hubs; a delivery address or payment
  account over the limit whose parcels come mostly from a few non-hub shippers is kept (a
  drop or a ring's card, not a tower or a marketplace's wallet); ``HubSettings.fed_kinds``.
- **fixed** rule (the default): the count rule, and under the count limit a delivery
  address fed by the whole market (a tower, a dormitory, a pick-up point) and a phone,
  e-mail or office several merchants use side by side for customers of their own (a
  pick-up agent's number) are hubs too (``graphintel.analytics.hub_usage``).
- **adaptive** rule: the party limit rises to the data's own tail (the 99.9th percentile
  of counterparties: the largest ~0.1% of trading parties), and an identifier over the
  count limit is kept when its users are a tight set: a delivery address, payment account
  or IP fed mostly by a few non-hub shippers (a drop or a ring's card), or parties of which
  most also share a second identifier with each other (one actor under many names: the
  hotline's sellers or a tower's residents share nothing else); and the fixed rule's
  judgement under the count limit.

Every cut hub and every identifier kept over the limit gets a one-line reason, recorded in
the run's counts and shown by ``graphintel analyze``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from graphintel.analytics.arrays import BoolArray, IntArray, distinct
from graphintel.analytics.hub_usage import (
    ShipmentRoles,
    market_fed_addresses,
    market_fed_contacts,
    side_by_side_shippers,
)
from graphintel.model import NodeKind

logger = logging.getLogger(__name__)

# Identifier kind codes (the order of ``projection.IDENTIFIER_KIND_ORDER``).
ADDRESS_CODE, PHONE_CODE, EMAIL_CODE, PAYMENT_CODE, IP_CODE = range(5)
_KIND_WORDS = ("address", "phone", "e-mail", "payment account", "IP address")
# Kinds a consignee uses (a drop, a ring's card or router): judged by who feeds them.
_CONSIGNEE_SIDE = (ADDRESS_CODE, PAYMENT_CODE, IP_CODE)
# ``HubSettings.fed_kinds``' names for them, and what each is when a ring's few shippers feed it.
FED_KINDS = {"address": ADDRESS_CODE, "payment": PAYMENT_CODE, "ip": IP_CODE}
_FED_WHAT = {
    ADDRESS_CODE: "a possible drop",
    PAYMENT_CODE: "a ring's card",
    IP_CODE: "a ring's router",
}
# The adaptive party limit: counterparties at this quantile of the trading parties.
PARTY_TAIL_QUANTILE = 0.999
# A tight set: at least this share of an identifier's parties share another identifier.
COVER_SHARE = 0.8


@dataclass(frozen=True)
class Hub:
    """A party or identifier cut from networks, with the count that made it a hub."""

    node_id: str
    kind: NodeKind
    label: str
    count: int
    measure: str = "parties"  # what ``count`` counts: "parties" or "counterparties"
    reason: str = ""


@dataclass(frozen=True, eq=False)
class HubJudgement:
    """Hub flags for parties and identifiers, the limits used and a reason per decision
    (cut or kept over the limit), keyed by unified node index."""

    party_is_hub: BoolArray
    ident_is_hub: BoolArray
    party_hub_limit: int
    reasons: dict[int, str]


def counterparty_pairs(
    pairs: Iterable[tuple[IntArray, IntArray]], n_party: int
) -> tuple[IntArray, IntArray]:
    """Distinct (party, counterparty) pairs from shipments, both directions, sorted by party."""
    keys = []
    for a, b in pairs:
        mask = (a >= 0) & (b >= 0) & (a != b)
        low, high = np.minimum(a[mask], b[mask]), np.maximum(a[mask], b[mask])
        keys.append(low * n_party + high)
    pairs = distinct(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)
    low, high = pairs // max(n_party, 1), pairs % max(n_party, 1)
    party, other = np.concatenate([low, high]), np.concatenate([high, low])
    order = np.argsort(party, kind="stable")
    return party[order], other[order]


def identifier_reach(
    link_party: IntArray,
    link_ident: IntArray,
    ident_parties: IntArray,
    counterparties: IntArray,
    party_is_hub: BoolArray,
    pair_other: IntArray,
    n_ident: int,
) -> IntArray:
    """Distinct counterparties of all the parties behind each shared identifier.

    One business split into name variants (by the resolver, or on purpose) keeps its
    phone and e-mail: the identifier then reaches as many counterparties as the business.
    Parties that are hubs themselves are not expanded; they lend their own count.
    """
    n_party = len(counterparties)
    reach = np.zeros(n_ident, dtype=np.int64)
    shared = ident_parties[link_ident] >= 2
    expand = shared & ~party_is_hub[link_party]
    parties, idents = link_party[expand], link_ident[expand]
    per_link = counterparties[parties]
    if per_link.sum():
        offsets = np.r_[0, np.cumsum(counterparties)]
        starts = np.repeat(offsets[parties], per_link)
        within = np.arange(int(per_link.sum())) - np.repeat(
            np.cumsum(per_link) - per_link, per_link
        )
        keys = distinct(np.repeat(idents, per_link) * n_party + pair_other[starts + within])
        reach = np.bincount(keys // n_party, minlength=n_ident).astype(np.int64)
    via_hub = shared & party_is_hub[link_party]
    np.maximum.at(reach, link_ident[via_hub], counterparties[link_party[via_hub]])
    return reach


def adaptive_party_limit(counterparties: IntArray, floor: int) -> int:
    """The party hub limit for this data: ``floor``, or the counterparties of the largest
    ~0.1% of trading parties when that is higher (a national feed has more large traders)."""
    trading = counterparties[counterparties > 0]
    if len(trading) == 0:
        return floor
    return max(floor, int(np.quantile(trading, PARTY_TAIL_QUANTILE)))


@dataclass(frozen=True, eq=False)
class _Usage:
    """Who feeds the identifiers over the count limit: parcels from non-hub shippers, how
    many such shippers, and the largest share of its parties that share another identifier."""

    total: IntArray
    from_own: IntArray
    own_shippers: IntArray
    cover: IntArray


def _usage(
    over: BoolArray,
    link_party: IntArray,
    link_ident: IntArray,
    shipper: IntArray,
    columns: tuple[IntArray, ...],
    party_is_hub: BoolArray,
) -> _Usage:
    n_ident, n_party = len(over), max(len(party_is_hub), 1)
    total = np.zeros(n_ident, dtype=np.int64)
    from_own = np.zeros(n_ident, dtype=np.int64)
    if not over.any():
        return _Usage(total, from_own, total.copy(), total.copy())
    pair_parts = []
    for column in columns:
        rows = np.flatnonzero((column >= 0) & over[np.maximum(column, 0)])
        ident, ship = column[rows], shipper[rows]
        total += np.bincount(ident, minlength=n_ident)
        own = (ship >= 0) & ~party_is_hub[np.maximum(ship, 0)]
        from_own += np.bincount(ident[own], minlength=n_ident)
        pair_parts.append(ident[own] * n_party + ship[own])
    pairs = distinct(np.concatenate(pair_parts)) if pair_parts else np.zeros(0, np.int64)
    own_shippers = np.bincount(pairs // n_party, minlength=n_ident)
    # Cover: for each identifier over the limit, the most of its parties that also share
    # one other identifier (a ring's name variants share phone, e-mail and office).
    cover = np.zeros(n_ident, dtype=np.int64)
    mine = over[link_ident]
    if mine.any():
        order = np.argsort(link_party, kind="stable")
        lp, li = link_party[order], link_ident[order]
        bounds = np.searchsorted(lp, np.arange(n_party + 1))
        sizes = bounds[lp[mine[order]] + 1] - bounds[lp[mine[order]]]
        base = np.repeat(bounds[lp[mine[order]]], sizes)
        within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        other = li[base + within]
        me = np.repeat(li[mine[order]], sizes)
        keep = other != me
        keys, counts = np.unique(me[keep] * n_ident + other[keep], return_counts=True)
        np.maximum.at(cover, keys // n_ident, counts)
    return _Usage(total, from_own, own_shippers, cover)


def judge_hubs(
    *,
    rule: str,
    ident_parties: IntArray,
    ident_kind: IntArray,
    counterparties: IntArray,
    link_party: IntArray,
    link_ident: IntArray,
    pair_other: IntArray,
    shipper: IntArray,
    consignee_columns: tuple[IntArray, IntArray, IntArray],
    hub_limit: int,
    party_hub_limit: int,
    drop_address_max_parties: int,
    fed_kinds: tuple[str, ...],
    consignee: IntArray | None = None,
    ship_date: IntArray | None = None,
) -> tuple[HubJudgement, IntArray]:
    """Decide the hubs under ``rule`` ("count", "fixed" or "adaptive"); also returns each
    identifier's reach (distinct counterparties of its parties). The judgement under the
    count limit (fixed and adaptive) needs each shipment's ``consignee`` and ``ship_date``.
    ``fed_kinds`` names the kinds ("address", "payment", "ip") kept over the count limit
    when a few non-hub shippers feed them (count and fixed; adaptive judges all three)."""
    n_party, n_ident = len(counterparties), len(ident_parties)
    adaptive = rule == "adaptive"
    limit = adaptive_party_limit(counterparties, party_hub_limit) if adaptive else party_hub_limit
    party_is_hub = counterparties > limit
    reach = identifier_reach(
        link_party, link_ident, ident_parties, counterparties, party_is_hub, pair_other, n_ident
    )
    by_count = ident_parties > hub_limit
    by_reach = reach > limit
    over = by_count & ~by_reach
    usage = _usage(over, link_party, link_ident, shipper, consignee_columns, party_is_hub)
    mostly_own = (usage.total > 0) & (2 * usage.from_own >= usage.total)
    few = 3 * usage.own_shippers <= ident_parties
    fed_codes = [FED_KINDS[kind] for kind in fed_kinds]
    side = np.isin(ident_kind, _CONSIGNEE_SIDE if adaptive else fed_codes)
    cap = ident_parties <= drop_address_max_parties
    drop = over & side & cap & mostly_own & few
    one_actor = np.zeros(n_ident, dtype=bool)
    if adaptive:
        one_actor = over & ~drop & (usage.cover >= COVER_SHARE * ident_parties)
    ident_is_hub = (by_count | by_reach) & ~drop & ~one_actor
    usage_cuts: dict[int, str] = {}
    if rule != "count" and consignee is not None and ship_date is not None:
        roles = ShipmentRoles(shipper, consignee, consignee_columns[0], ship_date)
        under = ~(by_count | by_reach)
        usage_cuts = market_fed_addresses(under & (ident_kind == ADDRESS_CODE), roles, party_is_hub)
        for judge in (market_fed_contacts, side_by_side_shippers):
            usage_cuts.update(judge(under, ident_kind, link_party, link_ident, roles, party_is_hub))
        ident_is_hub[list(usage_cuts)] = True

    reasons: dict[int, str] = {}
    for p in map(int, np.flatnonzero(party_is_hub)):
        reasons[p] = f"trades with {int(counterparties[p]):,} counterparties (limit {limit:,})"
    for i in map(int, np.flatnonzero(by_count | by_reach)):
        word = _KIND_WORDS[int(ident_kind[i])]
        n = int(ident_parties[i])
        if by_reach[i]:
            text = (
                f"{word} whose {n} parties reach {int(reach[i]):,} counterparties"
                f" (limit {limit:,}): a large trader's"
            )
        elif drop[i]:
            text = (
                f"kept: {word} of {n} parties (over {hub_limit}) fed mostly"
                f" ({100 * int(usage.from_own[i]) // max(int(usage.total[i]), 1)}% of its parcels)"
                f" by {int(usage.own_shippers[i])} non-hub shippers:"
                f" {_FED_WHAT[int(ident_kind[i])]}, not a hub"
            )
        elif one_actor[i]:
            text = (
                f"kept: {word} of {n} parties (over {hub_limit}), {int(usage.cover[i])} of which"
                " also share another identifier: one actor under many names, not a hub"
            )
        elif adaptive:
            text = f"{word} shared by {n} parties (limit {hub_limit}) that share nothing else"
        else:
            text = f"{word} shared by {n} parties (limit {hub_limit})"
        reasons[n_party + i] = text
    for i, text in usage_cuts.items():
        reasons[n_party + i] = text
    if usage_cuts:
        logger.info("cut %d identifiers under the hub limit by who uses them", len(usage_cuts))
    if drop.any() or one_actor.any():
        logger.info(
            "kept %d identifiers over the hub limit as fed by a few shippers, %d as one actor's",
            int(drop.sum()),
            int(one_actor.sum()),
        )
    judgement = HubJudgement(
        party_is_hub=party_is_hub,
        ident_is_hub=np.asarray(ident_is_hub, dtype=bool),
        party_hub_limit=limit,
        reasons=reasons,
    )
    return judgement, reach

"""Hubs under the count limit, told apart from ring infrastructure by who feeds and uses them.

At national scale most of the legitimate traffic that reached the top networks did so
through identifiers too small for the count limit (``hubs.judge_hubs``):

- **A busy address fed by the whole market**: a tower, a dormitory or a pick-up point
  where five or more consignees each receive parcels from whichever merchant they bought
  from. A drop address of a ring is fed *repeatedly* by the ring's few shippers (on the
  independent dev200k set at most one distinct shipper per three of its parcels); an ordinary
  busy address gets almost every parcel from a different shipper. It is cut when at
  least ``MARKET_FEEDERS`` of its parcels came from different feeders (a hub shipper such
  as a consolidator counts once per parcel: it carries many sellers' goods).
- **A shoppers' contact fed by the whole market**: a phone or e-mail that five or more
  consignees at homes of their own give (a typo, a family, a common pattern such as
  "acox@gmail.com") and whose parcels come from different shippers, judged the same way:
  a ring's names sharing its phone are fed again and again by its few shippers. Left in,
  it ties a ring's consignee to shoppers with a seizure or violation of their own.
- **Shippers side by side on one phone, e-mail or office**: merchants printing a pick-up
  agent's or carrier's phone, or one merchant whose name the resolver split into spelling
  variants. A ring rotating shell names either takes turns (``rotation``) or keeps
  serving the same buyers under each name; these merchants do neither: they ship at the
  same time to customer bases that do not overlap (fewer than ``SHARED_CUSTOMERS`` of
  their consignees received from two of them). Left in, identity churn flags each of
  them ("5 shipper names over one phone") and the identifier glues their customers into
  one mostly legitimate network. With fewer than two parcels per name neither can be
  told, and the identifier is left to identity churn.

Each cut gets a reason in the same place as the count-limit cuts (``HubJudgement.reasons``),
shown by ``graphintel analyze`` and on the networks that stopped at it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from graphintel.analytics.arrays import BoolArray, IntArray, distinct
from graphintel.analytics.rotation import TAKING_TURNS, rotation

ADDRESS_CODE, PHONE_CODE, EMAIL_CODE = 0, 1, 2  # ``projection.IDENTIFIER_KIND_ORDER``
_KIND_WORDS = ("address", "phone", "e-mail")
# A delivery address is judged from this many consignee parties (drop_address's default).
MARKET_MIN_CONSIGNEES = 5
# ...and is market-fed when at least this share of its parcels came from different feeders.
MARKET_FEEDERS = 2 / 3
# A shipper-side identifier is judged from this many shippers (identity churn's default).
SIDE_BY_SIDE_MIN_SHIPPERS = 3
# Names whose customers overlap at least this much are one ring's, whatever their timing.
SHARED_CUSTOMERS = 0.02


@dataclass(frozen=True)
class ShipmentRoles:
    """The shipment columns the judgement reads (party or identifier index, -1 when absent)."""

    shipper: IntArray
    consignee: IntArray
    address: IntArray  # delivery address
    date: IntArray  # ordinal day, -1 when unknown


def _shipments_of(column: IntArray, parties: IntArray) -> tuple[IntArray, IntArray]:
    """Every shipment whose ``column`` (a role) is one of ``parties`` (repeats allowed):
    the position in ``parties`` it belongs to, and the shipment index."""
    order = np.argsort(column, kind="stable")
    sorted_column = column[order]
    starts = np.searchsorted(sorted_column, parties, side="left")
    sizes = np.searchsorted(sorted_column, parties, side="right") - starts
    within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return np.repeat(np.arange(len(parties)), sizes), order[np.repeat(starts, sizes) + within]


def _feeding(
    ident: IntArray, consignee: IntArray, shipper: IntArray, n_ident: int, party_is_hub: BoolArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Per identifier, from its (identifier, consignee, shipper) parcels: its consignees,
    its parcels and its feeders (each non-hub shipper once, each parcel of a hub shipper
    or of no shipper on its own: a consolidator carries many sellers' goods)."""
    n_party = max(len(party_is_hub), 1)
    people = np.bincount(distinct(ident * n_party + consignee) // n_party, minlength=n_ident)
    parcels = np.bincount(ident, minlength=n_ident)
    own = (shipper >= 0) & ~party_is_hub[np.maximum(shipper, 0)]
    feeders = np.bincount(ident[~own], minlength=n_ident)
    pairs = distinct(ident[own] * n_party + shipper[own])
    feeders += np.bincount(pairs // n_party, minlength=n_ident)
    return people, parcels, feeders


def _market_fed(
    ident: IntArray,
    consignee: IntArray,
    shipper: IntArray,
    n_ident: int,
    party_is_hub: BoolArray,
    reason: Callable[[int, int, int, int], str],
) -> dict[int, str]:
    """Identifiers whose (identifier, consignee, shipper) parcels reach at least
    ``MARKET_MIN_CONSIGNEES`` consignees and come from different feeders (at least
    ``MARKET_FEEDERS`` of them), each with ``reason(identifier, consignees, parcels,
    feeders)``: the one test behind busy addresses and shoppers' contacts."""
    people, parcels, feeders = _feeding(ident, consignee, shipper, n_ident, party_is_hub)
    busy = (people >= MARKET_MIN_CONSIGNEES) & (feeders >= MARKET_FEEDERS * parcels)
    return {
        int(i): reason(int(i), int(people[i]), int(parcels[i]), int(feeders[i]))
        for i in np.flatnonzero(busy)
    }


def market_fed_addresses(
    candidates: BoolArray, roles: ShipmentRoles, party_is_hub: BoolArray
) -> dict[int, str]:
    """Delivery addresses among ``candidates`` fed by the whole market, with reasons."""
    rows = np.flatnonzero((roles.address >= 0) & (roles.consignee >= 0))
    rows = rows[candidates[roles.address[rows]]]
    return _market_fed(
        roles.address[rows],
        roles.consignee[rows],
        roles.shipper[rows],
        len(candidates),
        party_is_hub,
        lambda _, people, parcels, feeders: (
            f"address of {people} consignees fed by the whole market: its"
            f" {parcels} parcels came from {feeders} different shippers"
            " (a drop is fed again and again by a ring's few): an ordinary busy address"
            " (tower, dormitory, pick-up point), not a drop"
        ),
    )


def market_fed_contacts(
    candidates: BoolArray,
    ident_kind: IntArray,
    link_party: IntArray,
    link_ident: IntArray,
    roles: ShipmentRoles,
    party_is_hub: BoolArray,
) -> dict[int, str]:
    """Phones and e-mails among ``candidates`` of consignees fed by the whole market (one
    written for several shoppers by a typo, a family or a common pattern such as
    "acox@gmail.com"), with reasons. A ring's names sharing its contact are fed again and
    again by its few shippers, like a drop."""
    n_ident, n_party = len(candidates), max(len(party_is_hub), 1)
    is_shipper = np.zeros(n_party, dtype=bool)
    is_shipper[roles.shipper[roles.shipper >= 0]] = True
    sends = np.bincount(link_ident[is_shipper[link_party]], minlength=n_ident) > 0
    enough = np.bincount(link_ident, minlength=n_ident) >= MARKET_MIN_CONSIGNEES
    contact = candidates & enough & np.isin(ident_kind, (PHONE_CODE, EMAIL_CODE)) & ~sends
    users = contact[link_ident]
    link, ships = _shipments_of(roles.consignee, link_party[users])
    return _market_fed(
        link_ident[users][link],
        roles.consignee[ships],
        roles.shipper[ships],
        n_ident,
        party_is_hub,
        lambda i, people, parcels, feeders: (
            f"{_KIND_WORDS[int(ident_kind[i])]} of {people} consignees fed by the"
            f" whole market: their {parcels} parcels came from {feeders}"
            " different shippers (a ring's names are fed again and again by its few):"
            " ordinary shoppers sharing a contact, not a ring"
        ),
    )


def side_by_side_shippers(
    candidates: BoolArray,
    ident_kind: IntArray,
    link_party: IntArray,
    link_ident: IntArray,
    roles: ShipmentRoles,
    party_is_hub: BoolArray,
) -> dict[int, str]:
    """Phones, e-mails and offices among ``candidates`` that several merchants use side by
    side for customers of their own, with reasons."""
    n_ident, n_party = len(candidates), max(len(party_is_hub), 1)
    is_shipper = np.zeros(n_party, dtype=bool)
    is_shipper[roles.shipper[roles.shipper >= 0]] = True
    is_consignee = np.zeros(n_party, dtype=bool)
    is_consignee[roles.consignee[roles.consignee >= 0]] = True
    # A consignee's identifier (a drop, a ring's card) is judged by who feeds it, not here.
    receives = np.bincount(link_ident[is_consignee[link_party]], minlength=n_ident) > 0
    shipper_side = candidates & np.isin(ident_kind, (ADDRESS_CODE, PHONE_CODE, EMAIL_CODE))
    uses = is_shipper[link_party] & ~party_is_hub[link_party] & shipper_side[link_ident]
    names = np.bincount(link_ident[uses], minlength=n_ident)
    judged = (names >= SIDE_BY_SIDE_MIN_SHIPPERS) & ~receives
    uses &= judged[link_ident]
    if not uses.any():
        return {}
    # Every (identifier, shipment) of the judged identifiers' shippers.
    link, ships = _shipments_of(roles.shipper, link_party[uses])
    ship_ident = link_ident[uses][link]
    # Consignees that received from two or more of one identifier's shippers.
    consignee = roles.consignee[ships]
    has = consignee >= 0
    trios = np.unique(
        np.stack([ship_ident[has], consignee[has], roles.shipper[ships][has]]), axis=1
    )
    pair_keys, per_pair = np.unique(trios[0] * n_party + trios[1], return_counts=True)
    customers = np.bincount(pair_keys // n_party, minlength=n_ident)
    shared = np.bincount(pair_keys[per_pair >= 2] // n_party, minlength=n_ident)
    apart = judged & (shared < SHARED_CUSTOMERS * np.maximum(customers, 1))
    grouping = np.argsort(ship_ident, kind="stable")
    ship_ident, ships = ship_ident[grouping], ships[grouping]
    bounds = np.searchsorted(ship_ident, np.arange(n_ident + 1))
    out = {}
    for i in map(int, np.flatnonzero(apart)):
        mine = ships[bounds[i] : bounds[i + 1]]
        if len(mine) < 2 * names[i]:
            continue  # a parcel or so per name: too little to tell turns from side by side
        if rotation(roles.date[mine], roles.shipper[mine]) >= TAKING_TURNS:
            continue
        out[i] = (
            f"{_KIND_WORDS[int(ident_kind[i])]} of {int(names[i])} shippers that ship side by"
            f" side to customers of their own ({int(shared[i])} of {int(customers[i])}"
            " consignees received from two of them): a carrier's or agent's number, or one"
            " merchant's name variants, not a ring rotating names"
        )
    return out

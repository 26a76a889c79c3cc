"""Generator profiles: how dense the legitimate hubs are and which variations are written.

``default`` is the generator as it always was (same seed, same bytes). ``national`` is
traffic at a national port mix, 1M to 10M parcels: many consolidators and forwarders
carrying a third of the parcels, every marketplace's hotline in use, pick-up agents whose
phone many merchants print, dense apartment towers, more households, and the full
variation catalogue (docs/variations.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    full_variations: bool  # apply the whole catalogue (catalogue.extend), not the basic set
    p_consolidated: float  # legit parcels a consolidator ships for a marketplace seller
    consolidators_min: int
    rows_per_consolidator: int
    consolidators_max: int
    rows_per_hotline: int  # one more marketplace hotline in use per this many shipments
    rows_per_tower: int
    tower_residents: tuple[int, int]  # low, high (exclusive)
    tower_cap: float  # towers hold at most this share of consumers
    household_share: float  # share of consumers living in a household of 2-4
    carrier_phone_share: float  # mainland direct shippers printing a pick-up agent's phone
    shippers_per_agent: int

    def consolidators(self, n_total: int) -> int:
        n = self.consolidators_min + n_total // self.rows_per_consolidator
        return max(self.consolidators_min, min(n, self.consolidators_max))


DEFAULT = Profile(
    name="default",
    full_variations=False,
    p_consolidated=0.25,
    consolidators_min=2,
    rows_per_consolidator=150_000,
    consolidators_max=12,
    rows_per_hotline=250_000,
    rows_per_tower=8000,
    tower_residents=(20, 121),
    tower_cap=0.2,
    household_share=0.06,
    carrier_phone_share=0.0,
    shippers_per_agent=150,
)
NATIONAL = Profile(
    name="national",
    full_variations=True,
    p_consolidated=0.35,
    consolidators_min=8,
    rows_per_consolidator=25_000,
    consolidators_max=600,
    rows_per_hotline=1,
    rows_per_tower=2500,
    tower_residents=(40, 321),  # at most UNIT_FLOORS * 8 units
    tower_cap=0.3,
    household_share=0.08,
    carrier_phone_share=0.08,
    shippers_per_agent=120,
)
PROFILES: dict[str, Profile] = {p.name: p for p in (DEFAULT, NATIONAL)}

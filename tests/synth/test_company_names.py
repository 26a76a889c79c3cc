"""Company names stay unique and cheap to draw however crowded the world gets."""

from __future__ import annotations

import numpy as np

from graphintel.synth.companies import CompanyBuilder
from graphintel.synth.vocab_trade import COUNTRIES, ENGLISH_BRANDS


def test_a_full_two_word_brand_space_still_gives_every_company_a_name_of_its_own() -> None:
    """Outside China and Hong Kong an industry has only 36 x 36 two-word brands: a world
    with more companies than that in one industry (national scale: millions of parcels)
    must go on naming them, uniquely, instead of probing a full space for ever."""
    builder = CompanyBuilder(np.random.default_rng(3))
    us = next(i for i, country in enumerate(COUNTRIES) if country[0] == "US")
    space = len(ENGLISH_BRANDS) ** 2
    draws = np.random.default_rng(5).integers(0, 1 << 30, (space + 300, 12)).tolist()
    for cid, d in enumerate(draws):
        builder._add_one(cid, us, "Trading", 0, [*d, 13_000_000_000 + cid, 20_000_000 + cid])
    names = [name.lower() for name in builder.base]
    assert len(names) == space + 300
    assert len(set(names)) == len(names)
    three_part = [name for name in builder.base if len(name.split()) == 4]  # brand + industry
    assert len(three_part) >= 300

"""Marketplace sellers: the shops whose parcels a consolidator ships under its own name."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphintel.synth.arrowkit import Str, vocab
from graphintel.synth.tables import Bijection
from graphintel.synth.vocab_trade import MARKETPLACES, SELLER_TEMPLATES, SYLLABLES


@dataclass
class Sellers:
    """Marketplace sellers whose parcels a consolidator ships."""

    name: Str
    seller_id: Str
    marketplace: np.ndarray

    def __len__(self) -> int:
        return len(self.marketplace)


class SellerBuilder:
    """Collects sellers with unique store names and marketplace ids."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._names: set[str] = set()
        self.name: list[str] = []
        self.seller_id: list[str] = []
        self.marketplace: list[int] = []
        self._ids = Bijection.draw(10**9, rng)

    def __len__(self) -> int:
        return len(self.name)

    def add(self, marketplace: np.ndarray) -> np.ndarray:
        start, n = len(self), len(marketplace)
        draws = self._rng.integers(0, 1 << 30, (n, 2))
        numbers = self._ids(np.arange(start, start + n))
        syl, nt = len(SYLLABLES), len(SELLER_TEMPLATES)
        # Past half-full every name gets a third syllable fixed by the first two, so names
        # would run out near syl * syl * nt; from 90% of that (over a million shipments)
        # the third and fourth syllables are drawn freely, so they never do.
        extend_at = int(0.9 * syl * syl * nt)
        for i in range(n):
            code = int(draws[i, 0]) % (syl * syl * nt)
            while True:
                s1, s2, t = code // (syl * nt), (code // nt) % syl, code % nt
                brand = SYLLABLES[s1] + SYLLABLES[s2].lower()
                if len(self._names) >= extend_at:
                    brand += SYLLABLES[int(draws[i, 1]) % syl].lower()
                    brand += SYLLABLES[int(draws[i, 1]) // syl % syl].lower()
                elif int(draws[i, 1]) % 4 == 0 or len(self._names) > syl * syl * nt // 2:
                    brand += SYLLABLES[(s1 + s2 + code) % syl].lower()
                name = SELLER_TEMPLATES[t].format(brand)
                if name not in self._names:
                    break
                code = (code + 7919) % (syl * syl * nt)
                draws[i, 1] += 1
            self._names.add(name)
            m = int(marketplace[i])
            self.name.append(name)
            self.seller_id.append(f"{MARKETPLACES[m][1]}{int(numbers[i]):09d}")
            self.marketplace.append(m)
        return np.arange(start, len(self), dtype=np.int32)

    def freeze(self) -> Sellers:
        return Sellers(
            name=vocab(self.name),
            seller_id=vocab(self.seller_id),
            marketplace=np.array(self.marketplace, dtype=np.int8),
        )

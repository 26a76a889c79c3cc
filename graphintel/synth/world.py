"""The entity tables while planning (growing) and while rendering (frozen)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphintel.synth.companies import Companies, CompanyBuilder
from graphintel.synth.people import Addresses, IdSpace, Persons
from graphintel.synth.sellers import SellerBuilder, Sellers


@dataclass(frozen=True)
class Frozen:
    persons: Persons
    addresses: Addresses
    companies: Companies
    sellers: Sellers


class World:
    """Hands out entity ids; legit traffic and rings add to the same tables."""

    def __init__(self, capacity: int, rng: np.random.Generator) -> None:
        self.ids = IdSpace(capacity, rng)
        self.companies = CompanyBuilder(rng)
        self.sellers = SellerBuilder(rng)
        self._persons: list[Persons] = []
        self._addresses: list[Addresses] = []
        self.n_persons = 0
        self.n_addresses = 0

    def add_addresses(self, n: int, rng: np.random.Generator) -> np.ndarray:
        ids = np.arange(self.n_addresses, self.n_addresses + n, dtype=np.int32)
        self._addresses.append(self.ids.addresses(ids, rng))
        self.n_addresses += n
        return ids

    def add_persons(
        self, addr: np.ndarray, unit: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, Persons]:
        """New persons at the given addresses; the returned part may still be edited
        (shared surnames, phones, accounts) until ``freeze``."""
        ids = np.arange(self.n_persons, self.n_persons + len(addr), dtype=np.int32)
        part = self.ids.persons(ids, addr, unit, rng)
        self._persons.append(part)
        self.n_persons += len(addr)
        return ids, part

    def company_goods(self) -> np.ndarray:
        return np.asarray(self.companies.goods, dtype=np.int16)

    def freeze(self) -> Frozen:
        return Frozen(
            persons=Persons.concat(self._persons),
            addresses=Addresses.concat(self._addresses),
            companies=self.companies.freeze(),
            sellers=self.sellers.freeze(),
        )

"""Clustering accepted pairs into parties, with a guard against chaining.

Plain transitive closure lets "Huaxin Trading" -> "Huaxin Trade" -> "Hua Trade" -> ...
walk one party into another. Pairs are applied strongest first, and a merge is refused
when the two clusters' representative names (each cluster's most-mentioned record)
disagree strongly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.scoring import RULE_SELLER_ACCOUNT, Decision, compare_names


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        """Join the sets of ``a`` and ``b``; return the new root."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return ra


@dataclass(frozen=True, slots=True)
class Clustering:
    roots: list[int]  # cluster root per record
    accepted: list[Decision]  # decisions that joined two clusters, in the order applied
    refused_by_guard: int


def cluster(
    records: Sequence[PartyFeatures],
    mention_count: Sequence[int],
    decisions: Sequence[Decision],
    config: ResolverConfig,
) -> Clustering:
    """Union-find over ``decisions`` (strongest first) with the representative-name guard.

    A same-seller-account merge is exempt from the guard: a marketplace account that
    renames its shop is still one seller.
    """
    uf = UnionFind(len(records))
    representative = list(range(len(records)))  # valid at roots only
    accepted: list[Decision] = []
    refused = 0
    for d in sorted(decisions, key=lambda d: (-d.score, d.a, d.b)):
        ra, rb = uf.find(d.a), uf.find(d.b)
        if ra == rb:
            continue
        rep_a, rep_b = representative[ra], representative[rb]
        if d.rule != RULE_SELLER_ACCOUNT:
            a, b = records[rep_a], records[rep_b]
            names = compare_names(a.name, b.name, companies=a.is_company and b.is_company)
            if names.similarity < config.chain_threshold or (
                names.weakest_word < config.chain_word_threshold
            ):
                refused += 1
                continue
        root = uf.union(ra, rb)
        representative[root] = max(rep_a, rep_b, key=lambda r: (mention_count[r], -r))
        accepted.append(d)
    return Clustering([uf.find(i) for i in range(len(records))], accepted, refused)

"""Clustering accepted pairs into parties, with a guard against chaining.

Plain transitive closure lets "Anna Lee" -> "Anne Lee" -> "Anne Lea" -> ... walk one party
into another, one typo at a time. Pairs are applied strongest first, and a merge is
refused when any two of the clusters' exemplar names (each cluster's most-mentioned
distinct names, a bounded few) disagree strongly: a bounded complete linkage.
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
    """Union-find over ``decisions`` (strongest first) with the exemplar-name guard.

    A same-seller-account merge is exempt from the guard: a marketplace account that
    renames its shop is still one seller.
    """
    uf = UnionFind(len(records))
    exemplars: dict[int, list[int]] = {}  # root -> record indices with distinct names
    accepted: list[Decision] = []
    refused = 0

    def members(root: int) -> list[int]:
        return exemplars.get(root) or [root]

    def agree(x: int, y: int) -> bool:
        a, b = records[x], records[y]
        names = compare_names(a.name, b.name, companies=a.is_company and b.is_company)
        return (
            names.similarity >= config.chain_threshold
            and names.weakest_word >= config.chain_word_threshold
        )

    for d in sorted(decisions, key=lambda d: (-d.score, d.a, d.b)):
        ra, rb = uf.find(d.a), uf.find(d.b)
        if ra == rb:
            continue
        ex_a, ex_b = members(ra), members(rb)
        if d.rule != RULE_SELLER_ACCOUNT and not all(agree(x, y) for x in ex_a for y in ex_b):
            refused += 1
            continue
        root = uf.union(ra, rb)
        exemplars.pop(ra, None)
        exemplars.pop(rb, None)
        exemplars[root] = _exemplars(ex_a + ex_b, records, mention_count, config.chain_exemplars)
        accepted.append(d)
    return Clustering([uf.find(i) for i in range(len(records))], accepted, refused)


def _exemplars(
    candidates: list[int],
    records: Sequence[PartyFeatures],
    mention_count: Sequence[int],
    limit: int,
) -> list[int]:
    """The most-mentioned records with distinct names, at most ``limit``."""
    out: list[int] = []
    names: set[str] = set()
    for index in sorted(candidates, key=lambda r: (-mention_count[r], r)):
        if records[index].name not in names:
            names.add(records[index].name)
            out.append(index)
            if len(out) == limit:
                break
    return out

"""Clustering accepted pairs into parties, with a guard against chaining.

Plain transitive closure lets "Anna Lee" -> "Anne Lee" -> "Anne Lea" -> ... walk one party
into another, one typo at a time. Pairs are applied strongest first, and a merge is
refused when any two of the clusters' exemplar names (each cluster's most-mentioned
distinct names, a bounded few) disagree strongly: a bounded complete linkage. Two persons'
names whose middle initials differ disagree, unless the pair being merged is itself such a
pair (accepted on strong evidence): "Frank Mitchell" does not bridge "Frank L. Mitchell"
and "Frank G. Mitchell", while "Susan L Long" / "Susan R Long" with one e-mail and phone
are one person. Two company names also agree when their distinctive cores (place and
generic trade words set aside, ``name_core``) do: a merchant written with and without its
city, country and trade words in dozens of combinations is still one set of exemplars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graphintel.normalize.name_compare import compare_names_cached, name_core
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.rules import RULE_SELLER_ACCOUNT, Decision


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
    judged: list[int] = field(default_factory=list)  # indices of must-links that joined
    refused_by_judgement: int = 0  # joins refused because a cannot-link forbids them


def cluster(
    records: Sequence[PartyFeatures],
    mention_count: Sequence[int],
    decisions: Sequence[Decision],
    config: ResolverConfig,
    must_link: Sequence[tuple[int, int]] = (),
    cannot_link: Sequence[tuple[Sequence[int], Sequence[int]]] = (),
) -> Clustering:
    """Union-find over ``decisions`` (strongest first) with the exemplar-name guard.

    A same-seller-account merge is exempt from the guard: a marketplace account that
    renames its shop is still one seller. Investigator judgements come first: every
    ``must_link`` pair joins before any decision (exempt from the guard), and no join ever
    puts both sides of a ``cannot_link`` in one cluster (a "different" outranks a "same").
    """
    uf = UnionFind(len(records))
    exemplars: dict[int, list[int]] = {}  # root -> record indices with distinct names
    # root -> (cannot-link index, side) of the judged records it holds
    sides: dict[int, set[tuple[int, int]]] = {}
    for k, groups in enumerate(cannot_link):
        for side, group in enumerate(groups):
            for r in group:
                sides.setdefault(r, set()).add((k, side))
    accepted: list[Decision] = []
    judged: list[int] = []
    refused = refused_judged = 0

    def members(root: int) -> list[int]:
        return exemplars.get(root) or [root]

    def alike(a: str, b: str, companies: bool, initials_may_differ: bool) -> bool:
        names = compare_names_cached(a, b, companies)
        return (
            names.similarity >= config.chain_threshold
            and names.weakest_word >= config.chain_word_threshold
            and (initials_may_differ or not names.initials_differ)
        )

    def agree(x: int, y: int, initials_may_differ: bool) -> bool:
        a, b = records[x], records[y]
        companies = a.is_company and b.is_company
        if alike(a.name, b.name, companies, initials_may_differ):
            return True
        # two spellings of one company that carry different place and trade words
        # ("Guangzhou Yaoqi Technology" / "Yaoqi Electronic Tech China") agree on the core
        return companies and alike(name_core(a.name, True), name_core(b.name, True), True, True)

    def initials_differ(d: Decision) -> bool:
        a, b = records[d.a], records[d.b]
        return compare_names_cached(a.name, b.name, a.is_company and b.is_company).initials_differ

    def kept_apart(ra: int, rb: int) -> bool:
        sa, sb = sides.get(ra), sides.get(rb)
        if not sa or not sb:
            return False
        return any((k, 1 - s) in sb for k, s in sa)

    def join(ra: int, rb: int) -> None:
        ex_a, ex_b = members(ra), members(rb)
        root = uf.union(ra, rb)
        exemplars.pop(ra, None)
        exemplars.pop(rb, None)
        exemplars[root] = _exemplars(ex_a + ex_b, records, mention_count, config.chain_exemplars)
        sa, sb = sides.pop(ra, set()), sides.pop(rb, set())
        if sa or sb:
            sides[root] = sa | sb

    for index, (a, b) in enumerate(must_link):
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        if kept_apart(ra, rb):
            refused_judged += 1
            continue
        join(ra, rb)
        judged.append(index)

    for d in sorted(decisions, key=lambda d: (-d.score, d.a, d.b)):
        ra, rb = uf.find(d.a), uf.find(d.b)
        if ra == rb:
            continue
        if kept_apart(ra, rb):
            refused_judged += 1
            continue
        ex_a, ex_b = members(ra), members(rb)
        if d.rule != RULE_SELLER_ACCOUNT:
            lenient = initials_differ(d)
            if not all(agree(x, y, lenient) for x in ex_a for y in ex_b):
                refused += 1
                continue
        join(ra, rb)
        accepted.append(d)
    return Clustering(
        [uf.find(i) for i in range(len(records))], accepted, refused, judged, refused_judged
    )


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

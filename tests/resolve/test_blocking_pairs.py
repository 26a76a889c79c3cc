"""``Blocker.pairs`` builds its candidate pairs as arrays; they must be exactly the pairs the
previous generator yielded (kept below verbatim as the oracle), once each, left < right."""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import combinations

from graphintel.resolve.blocking import _STAR_KINDS, Blocker, _star
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures


def reference_pairs(blocker: Blocker) -> Iterator[tuple[int, int]]:
    """The previous implementation (the oracle), its logging left out."""
    seen: set[int] = set()
    n = len(blocker.records)
    cap = blocker.config.max_block_size
    blocker.find_hubs()
    for key, members in blocker._blocks().sized(2):  # the block map: see test_blocks
        if key[0] in _STAR_KINDS:
            pairs: Iterator[tuple[int, int]] = _star(members)
        elif len(members) > cap:
            continue
        elif len(members) <= blocker.config.exhaustive_block_size:
            pairs = combinations(members, 2)
        else:
            pairs = blocker._large_block_pairs(members)
        for i, j in pairs:
            if i > j:
                i, j = j, i
            code = i * n + j
            if code not in seen:
                seen.add(code)
                yield i, j


def _records(rng: random.Random, n: int) -> list[PartyFeatures]:
    names = ["acme trading", "acme trdaing", "globex", "initech", "john smith", "jon smith",
             "mary jones", "acme trading co", "umbrella", "hooli"]  # fmt: skip
    out = []
    for _ in range(n):
        name = rng.choice(names)
        company = "smith" not in name and "jones" not in name
        zip_code = rng.choice(("10001", "10002"))
        street = f"{rng.randint(1, 6)} MAIN ST"
        out.append(
            PartyFeatures(
                name, name.replace(" ", ""), company, rng.choice(("US", "CA", "")),
                rng.choice(("", "+1555000", "+1555001", "+1555002")),
                rng.choice(("", "a@x.com", "b@x.com")),
                rng.choice(("", f"US|{zip_code}|{street}")),
                rng.choice(("", street)),
                rng.choice(("", "", "", "S1", "S2")),
            )
        )  # fmt: skip
    return out


def test_array_pairs_are_the_generated_pairs() -> None:
    rng = random.Random(5)
    for n, exhaustive, cap in ((0, 50, 20_000), (1, 50, 20_000), (40, 4, 30), (300, 8, 60),
                               (300, 50, 20_000)):  # fmt: skip
        records = _records(rng, n)
        counts = [rng.randint(1, 3) for _ in records]
        config = ResolverConfig(exhaustive_block_size=exhaustive, max_block_size=cap)
        expected = sorted(reference_pairs(Blocker(records, counts, config)))
        blocker = Blocker(records, counts, config)

        left, right = blocker.pairs()

        assert list(zip(left.tolist(), right.tolist(), strict=True)) == expected
        assert blocker.candidate_pairs == len(expected)

"""``DeltaBasis.sighted_keys`` looks only at the records holding a changed key (``moved``)
and finds what a pass over every record finds: the changed keys an old record holds."""

from __future__ import annotations

import random

import pytest

from graphintel.resolve.delta_basis import ChangedKeys, DeltaBasis
from graphintel.resolve.features import PartyFeatures


def _every_record(
    features: list[PartyFeatures], old: list[str | None], keys: ChangedKeys
) -> ChangedKeys:
    """The oracle: every record of the last graph, looked at."""
    return ChangedKeys(
        {f.address for f, e in zip(features, old, strict=True) if e and f.address in keys.address},
        {f.phone for f, e in zip(features, old, strict=True) if e and f.phone in keys.phone},
    )


@pytest.mark.parametrize("seed", range(40))
def test_sighted_keys_are_those_an_old_record_holds(seed: int) -> None:
    rng = random.Random(seed)
    addresses = [f"US|10001|{n} MAIN ST" for n in range(8)] + [""]
    phones = [f"+1212555{n:04d}" for n in range(6)] + [""]
    features = [
        PartyFeatures(f"n{r}", f"n{r}", False, "US", rng.choice(phones), "", rng.choice(addresses))
        for r in range(rng.randint(0, 50))
    ]
    old: list[str | None] = [
        None if rng.random() < 0.3 else f"e{r % 7}" for r in range(len(features))
    ]
    keys = ChangedKeys(
        {a for a in addresses if a and rng.random() < 0.3},
        {p for p in phones if p and rng.random() < 0.3},
    )
    moved = {
        r for r, f in enumerate(features) if f.address in keys.address or f.phone in keys.phone
    }
    basis = DeltaBasis(old, set(moved), keys, moved)
    assert basis.sighted_keys(features) == _every_record(features, old, keys)

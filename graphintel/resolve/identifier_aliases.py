"""Identifier keys that name one address or one phone, found over all distinct records.

Normalization reads each mention alone; ``address_merge`` and ``phone_merge`` look at all
spellings at once and map each variant key to a canonical key with the reason. The graph
builders (``graph``) key identifier nodes by the canonical key and keep the variants as
aliases with that reason. Entity resolution itself still compares the keys as normalized,
so an incremental resolution compares exactly what a full one does.

The aliases need every record but entity resolution does not need them, so the pipeline
starts the resolution job first and finds them meanwhile; a ``handoff.Handoff`` passes
them to the job (maybe in its forked process) for the party half of the graph.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphintel.resolve.address_merge import address_aliases
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.phone_merge import PhoneContext, paired_keys, phone_aliases


@dataclass(frozen=True, slots=True)
class IdentifierAliases:
    """{variant key: (canonical key, why)} per identifier kind."""

    address: dict[str, tuple[str, str]] = field(default_factory=dict)
    phone: dict[str, tuple[str, str]] = field(default_factory=dict)

    def address_key(self, key: str) -> str:
        found = self.address.get(key)
        return key if found is None else found[0]

    def phone_key(self, key: str) -> str:
        found = self.phone.get(key)
        return key if found is None else found[0]


def identifier_aliases(
    features: Sequence[PartyFeatures], mention_counts: Sequence[int]
) -> IdentifierAliases:
    """The aliases among the address and phone keys of ``features`` (distinct records,
    each with its number of mentions)."""
    addresses: Counter[str] = Counter()
    for f, count in zip(features, mention_counts, strict=True):
        if f.address:
            addresses[f.address] += count
    address = address_aliases(addresses)
    # Only phones that could be another key's number need their mentions' contexts.
    paired = paired_keys({f.phone for f in features if f.phone})
    contexts: Counter[PhoneContext] = Counter()
    if paired:
        for f, count in zip(features, mention_counts, strict=True):
            if f.phone in paired:
                place = address[f.address][0] if f.address in address else f.address
                contexts[(f.phone, place, f.email, f.name_key)] += count
    return IdentifierAliases(address, phone_aliases(contexts.items()))

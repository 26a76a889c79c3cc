"""Distinct normalized party records, with the mention statistics the resolver needs.

Exact-duplicate mentions collapse here, so pairwise comparison runs on distinct records
only and no ``ShipmentRecord`` has to stay in memory. Raw mentions repeat far more than
their normalized forms (the same shipper on thousands of parcels), so a mention whose raw
fields were seen before skips normalization entirely.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphintel.resolve.features import FeatureExtractor, PartyFeatures, PartyMention

# The raw fields that decide a mention's features: everything but its shipment id.
RawKey = tuple[str, ...]


def raw_key(pm: PartyMention) -> RawKey:
    m = pm.mention
    return (
        m.role.value, m.name, m.address, m.city, m.state, m.postal_code, m.country, m.phone,
        m.email, pm.seller_id, pm.marketplace,
    )  # fmt: skip


class RecordTable:
    """Append-only table of distinct ``PartyFeatures`` with per-record mention statistics."""

    def __init__(self) -> None:
        self.features: list[PartyFeatures] = []
        self.first_mention: list[str] = []  # smallest mention id seen, for stable entity ids
        self.mention_count: list[int] = []
        self._index: dict[PartyFeatures, int] = {}
        self._raw: dict[RawKey, int] = {}

    def __len__(self) -> int:
        return len(self.features)

    def add(self, features: PartyFeatures, mention_id: str) -> int:
        """Record one mention and return the index of its distinct record."""
        index = self._index.get(features)
        if index is None:
            index = len(self.features)
            self._index[features] = index
            self.features.append(features)
            self.first_mention.append(mention_id)
            self.mention_count.append(0)
        elif mention_id < self.first_mention[index]:
            self.first_mention[index] = mention_id
        self.mention_count[index] += 1
        return index

    def add_mention(self, pm: PartyMention, extractor: FeatureExtractor) -> int:
        """``add`` for a raw mention, normalizing it only when its raw fields are new."""
        key = raw_key(pm)
        mention_id = pm.mention.mention_id
        index = self._raw.get(key)
        if index is None:
            features = extractor.features(pm)
            index = self.add(features, mention_id)
            if not features.lone:  # a lone record is one mention: never shared
                self._raw[key] = index
            return index
        if mention_id < self.first_mention[index]:
            self.first_mention[index] = mention_id
        self.mention_count[index] += 1
        return index

    def restore(
        self, features: Sequence[PartyFeatures], first_mention: Sequence[str], counts: Sequence[int]
    ) -> None:
        """Start from a saved table (an incremental resolution); raw spellings are not kept."""
        self.features = list(features)
        self.first_mention = list(first_mention)
        self.mention_count = list(counts)
        self._index = {f: i for i, f in enumerate(self.features)}
        self._raw = {}

    def seal(self) -> None:
        """Drop the lookup indexes once every mention is in: resolution and the graph only
        read the columns, and at a million mentions the indexes hold hundreds of MB."""
        self._index = {}
        self._raw = {}

    def canonical_order(self) -> list[int]:
        """Reorder records by their smallest mention id and return ``new_index`` per old
        index. Record order decides blocking stars and tie-breaks, so sorting by mention id
        makes a resolution independent of the order in which shipments were loaded."""
        order = sorted(range(len(self.features)), key=self.first_mention.__getitem__)
        new_index = [0] * len(order)
        for new, old in enumerate(order):
            new_index[old] = new
        self.features = [self.features[i] for i in order]
        self.first_mention = [self.first_mention[i] for i in order]
        self.mention_count = [self.mention_count[i] for i in order]
        self._index = {f: i for i, f in enumerate(self.features)}
        self._raw = {k: new_index[i] for k, i in self._raw.items()}
        return new_index

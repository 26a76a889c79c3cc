"""Distinct normalized party records, with the mention statistics the resolver needs.

Exact-duplicate mentions collapse here, so pairwise comparison runs on distinct records
only and no ``ShipmentRecord`` has to stay in memory.
"""

from __future__ import annotations

from graphintel.resolve.features import PartyFeatures


class RecordTable:
    """Append-only table of distinct ``PartyFeatures`` with per-record mention statistics."""

    def __init__(self) -> None:
        self.features: list[PartyFeatures] = []
        self.first_mention: list[str] = []  # smallest mention id seen, for stable entity ids
        self.mention_count: list[int] = []
        self._index: dict[PartyFeatures, int] = {}

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

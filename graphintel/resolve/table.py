"""Distinct normalized party records, with the mention statistics the resolver needs.

Exact-duplicate mentions collapse here, so pairwise comparison runs on distinct records
only and no ``ShipmentRecord`` has to stay in memory. Raw mentions repeat far more than
their normalized forms (the same shipper on thousands of parcels), so the pipeline keys
mentions by their raw fields (``raw_key``) and normalizes each distinct one once.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphintel.records import ShipmentRecord
from graphintel.resolve.features import (
    FeatureValues,
    PartyFeatures,
    PartyMention,
    feature_values,
)

# The raw fields that decide a mention's features: everything but its shipment id.
RawKey = tuple[str, ...]


def raw_key(pm: PartyMention) -> RawKey:
    m = pm.mention
    return (
        m.role.value, m.name, m.address, m.city, m.state, m.postal_code, m.country, m.phone,
        m.email, pm.seller_id, pm.marketplace,
    )  # fmt: skip


def shipment_raw_keys(s: ShipmentRecord) -> list[RawKey]:
    """``raw_key`` of each of ``features.shipment_mentions(s)``, without building the
    mentions (the pipeline reads every shipment of the store through this)."""
    out: list[RawKey] = [
        ("shipper", s.shipper_name, s.shipper_address, s.shipper_city, "", "",
         s.shipper_country, s.shipper_phone, s.shipper_email, "", ""),
        ("consignee", s.consignee_name, s.consignee_address, s.consignee_city,
         s.consignee_state, s.consignee_postal_code, s.consignee_country or "US",
         s.consignee_phone, s.consignee_email, "", ""),
    ]  # fmt: skip
    if s.seller_name.strip():
        out.append(("seller", s.seller_name, "", "", "", "", "", "", "",
                    s.seller_id.strip(), s.marketplace))  # fmt: skip
    return out


class RecordTable:
    """Append-only table of distinct ``PartyFeatures`` with per-record mention statistics."""

    def __init__(self) -> None:
        self.features: list[PartyFeatures] = []
        self.first_mention: list[str] = []  # smallest mention id seen, for stable entity ids
        self.mention_count: list[int] = []
        self._index: dict[FeatureValues, int] = {}
        # One string object per distinct feature value while the table is open: records
        # share half their values (country, address, street, a name spelled alike), and
        # each comes back from a normalizing worker as its own copy. Interned, the
        # table's strings take half the memory (79 to 40 MB at 200,000 shipments), and
        # the forked resolution process copies half as many pages as it walks them.
        self._strings: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.features)

    def add(self, features: PartyFeatures, mention_id: str) -> int:
        """Record one mention and return the index of its distinct record."""
        index = self.add_values(feature_values(features), features)
        self.count(index, mention_id, 1)
        return index

    def add_values(self, values: FeatureValues, features: PartyFeatures | None = None) -> int:
        """The index of the record with these feature values, made (with no mention yet:
        ``count`` them) when it is new."""
        index = self._index.get(values)
        if index is None:
            index = len(self.features)
            if features is None:
                values = self._interned(values)
                features = PartyFeatures(*values)
            self._index[values] = index
            self.features.append(features)
            self.first_mention.append("")
            self.mention_count.append(0)
        return index

    def _interned(self, values: FeatureValues) -> FeatureValues:
        strings = self._strings
        return tuple(
            [  # type: ignore[return-value]
                strings.setdefault(v, v) if v.__class__ is str and v else v for v in values
            ]
        )

    def count(self, index: int, first_mention: str, mentions: int) -> None:
        """Add ``mentions`` mentions, the smallest of whose ids is ``first_mention``."""
        known = self.first_mention[index]
        if not known or first_mention < known:
            self.first_mention[index] = first_mention
        self.mention_count[index] += mentions

    def restore(
        self, features: Sequence[PartyFeatures], first_mention: Sequence[str], counts: Sequence[int]
    ) -> None:
        """Start from a saved table (an incremental resolution)."""
        self.features = list(features)
        self.first_mention = list(first_mention)
        self.mention_count = list(counts)
        self._index = {feature_values(f): i for i, f in enumerate(self.features)}

    def seal(self) -> None:
        """Drop the lookup index once every mention is in: resolution and the graph only
        read the columns, and at a million mentions the index holds hundreds of MB."""
        self._index = {}
        self._strings = {}

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
        if self._index:  # still open for mentions
            self._index = {feature_values(f): i for i, f in enumerate(self.features)}
        return new_index

"""A watchlist entry matched to a node of a projection: its own module so that the
projection can carry matches without importing the matcher (``analytics.watchlist``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WatchlistHit:
    """One watchlist entry matched to one node of the projection."""

    list_name: str
    kind: str  # "bad" | "trusted"
    row_number: int
    field: str  # "name", "phone", "email", "address", "payment_account", "ip"
    listed: str  # the entry's value as the list gives it
    node: int  # unified node index (party, or n_parties + identifier)
    node_id: str
    matched: str  # the matched node's label (for names: the name that matched)
    similarity: float  # 100 for identifiers and exact names

    @property
    def exact(self) -> bool:
        return self.similarity >= 100.0

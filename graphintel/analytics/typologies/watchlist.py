"""Watchlist hits as a typology: a party or identifier named on a loaded list.

The hits themselves are found before detection (``graphintel.analytics.watchlist``, kept
on ``Projection.watchlist_hits``); here each becomes a reason naming the list, the entry's
source row and the matched node. A bad-list hit scores like any typology (an exact one
counts 1, a fuzzy name its similarity); a trusted-list hit scores below zero, which the
scoring reads as "damp this network" (``AnalysisConfig.trusted_factor``).
"""

from __future__ import annotations

from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import Projection
from graphintel.analytics.typologies.base import Hit, Typology

_FIELD_WORDS = {
    "name": "party",
    "phone": "phone",
    "email": "e-mail",
    "address": "address",
    "payment_account": "payment account",
    "ip": "IP address",
}


class WatchlistTypology(Typology):
    name = "watchlist_hit"
    description = "a party or identifier named on a bad (or trusted) watchlist"

    def detect(self, projection: Projection, config: AnalysisConfig) -> list[Hit]:
        hits = []
        for wh in projection.watchlist_hits:
            n = projection.n_parties
            hub = (
                projection.party_is_hub[wh.node]
                if wh.node < n
                else projection.ident_is_hub[wh.node - n]
            )
            if hub:
                continue  # a cut hub belongs to no network
            listed = f" ({wh.listed})" if wh.field == "name" else ""
            alike = "" if wh.exact else f", name {wh.similarity:.0f}% alike"
            reason = (
                f"on {wh.kind} list {wh.list_name}, row {wh.row_number}{listed}:"
                f" {_FIELD_WORDS.get(wh.field, wh.field)} {wh.matched}{alike}"
            )
            if wh.kind == "trusted":
                reason += f" (score x{config.trusted_factor:g})"
            strength = 1.0 if wh.exact else wh.similarity / 100.0
            hits.append(
                Hit(
                    typology=self.name,
                    reason=reason,
                    evidence=(wh.node_id,),
                    anchors=(wh.node,),
                    points=strength if wh.kind == "bad" else -strength,
                )
            )
        return hits

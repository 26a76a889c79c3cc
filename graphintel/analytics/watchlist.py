"""Watchlist hits: which parties and identifiers of the graph a loaded watchlist names.

Identifiers (phones, e-mails, addresses, payment accounts, IPs) are normalized with the
resolver's own normalizers and matched exactly, so "+86 755-1234 5678" on a list finds the
node ``phone:+8675512345678``. Names are matched fuzzily: rapidfuzz shortlists parties by
their label, then the resolver's word-by-word comparison (``compare_names``: every word
within a typo, whatever the order) decides over every name the party was seen under, and
the country must agree when both the entry and the party have one. A hit keeps the list,
the entry's source row and the matched node, so its reason can be checked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process, utils

from graphintel.analytics.matches import WatchlistHit
from graphintel.analytics.projection import Projection
from graphintel.model import NodeKind, Role, node_id
from graphintel.normalize import (
    country_code,
    normalize_ip,
    normalize_party_name,
    normalize_payment_account,
)
from graphintel.normalize.name_compare import compare_names
from graphintel.records import Mention, Watchlist, WatchlistEntry
from graphintel.resolve.features import FeatureExtractor
from graphintel.store.base import GraphStore

logger = logging.getLogger(__name__)

# Parties shortlisted per entry name by the cheap rapidfuzz pass before the careful one.
SHORTLIST = 50
SHORTLIST_CUTOFF = 70.0


def _identifier_keys(entry: WatchlistEntry, extractor: FeatureExtractor) -> list[tuple[str, str]]:
    """(field, node id) for every identifier the entry gives that normalizes."""
    country = extractor.country(entry.country)
    role = Role.CONSIGNEE if country in ("", "US") else Role.SHIPPER
    mention = Mention(
        entry.name,
        address=entry.address,
        country=entry.country,
        phone=entry.phone,
        email=entry.email,
        shipment_id="watchlist",
        role=role,
    )
    keys: list[tuple[str, str]] = []
    if entry.phone and (phone := extractor.phone(mention)):
        keys.append(("phone", node_id(NodeKind.PHONE, phone)))
    if entry.email and (email := extractor.email(entry.email)):
        keys.append(("email", node_id(NodeKind.EMAIL, email)))
    if entry.address and (address := extractor.address(mention, country).key):
        keys.append(("address", node_id(NodeKind.ADDRESS, address)))
    if entry.payment_account and (payment := normalize_payment_account(entry.payment_account)):
        keys.append(("payment_account", node_id(NodeKind.PAYMENT_ACCOUNT, payment)))
    if entry.ip and (ip := normalize_ip(entry.ip)):
        keys.append(("ip", node_id(NodeKind.IP_ADDRESS, ip)))
    return keys


def _identifier_hits(
    projection: Projection,
    entries: Sequence[tuple[WatchlistEntry, str]],
    extractor: FeatureExtractor,
) -> list[WatchlistHit]:
    wanted: dict[str, list[tuple[WatchlistEntry, str, str]]] = {}
    for entry, kind in entries:
        for field, key in _identifier_keys(entry, extractor):
            wanted.setdefault(key, []).append((entry, kind, field))
    if not wanted:
        return []
    hits = []
    for ident, ident_id in enumerate(projection.ident_ids):
        for entry, kind, field in wanted.get(ident_id, ()):
            node = projection.n_parties + ident
            hits.append(
                WatchlistHit(
                    entry.list_name,
                    kind,
                    entry.row_number,
                    field,
                    getattr(entry, field),
                    node,
                    ident_id,
                    projection.label(node),
                    100.0,
                )
            )
    return hits


def _party_names(
    store: GraphStore, party_ids: Iterable[str]
) -> dict[str, tuple[list[str], set[str]]]:
    """Every name a party was seen under and its countries, from the store."""
    out: dict[str, tuple[list[str], set[str]]] = {}
    for node in store.nodes(list(dict.fromkeys(party_ids))):
        names = [str(n) for n in node.props.get("names", []) if n] or [node.label]
        countries = {str(c) for c in node.props.get("countries", []) if c}
        out[node.id] = (names, countries)
    return out


def _name_hits(
    store: GraphStore,
    projection: Projection,
    entries: Sequence[tuple[WatchlistEntry, str]],
    threshold: float,
) -> list[WatchlistHit]:
    named = [(e, k) for e, k in entries if e.name.strip()]
    if not named or projection.n_parties == 0:
        return []
    choices = [utils.default_process(label) for label in projection.party_labels]
    queries = [utils.default_process(e.name) for e, _ in named]
    shortlists = [
        [
            int(p)
            for _, _, p in process.extract(
                query,
                choices,
                scorer=fuzz.WRatio,
                processor=None,
                limit=SHORTLIST,
                score_cutoff=SHORTLIST_CUTOFF,
            )
        ]
        for query in queries
    ]
    details = _party_names(store, (projection.party_ids[p] for s in shortlists for p in s))
    hits = []
    for (entry, kind), shortlist in zip(named, shortlists, strict=True):
        listed = normalize_party_name(entry.name)
        entry_country = country_code(entry.country) or ""
        for party in shortlist:
            party_id = projection.party_ids[party]
            names, countries = details.get(party_id, ([projection.party_labels[party]], set()))
            if entry_country and countries and entry_country not in countries:
                continue
            best, best_name = 0.0, ""
            for name in names:
                seen = normalize_party_name(name)
                # A misspelt trading word can hide a company ("Tradng"): either side decides.
                companies = listed.is_company or seen.is_company
                comparison = compare_names(listed.normalized, seen.normalized, companies)
                if not comparison.typo_words or comparison.by_initial:
                    continue
                if comparison.similarity > best:
                    best, best_name = comparison.similarity, name
            if best >= threshold:
                hits.append(
                    WatchlistHit(
                        entry.list_name,
                        kind,
                        entry.row_number,
                        "name",
                        entry.name,
                        party,
                        party_id,
                        best_name,
                        round(best, 1),
                    )
                )
    return hits


def match_watchlists(
    store: GraphStore,
    projection: Projection,
    watchlists: Sequence[Watchlist] | None = None,
    entries: Sequence[WatchlistEntry] | None = None,
    name_threshold: float = 88.0,
) -> tuple[WatchlistHit, ...]:
    """Every hit of the store's watchlists (or the ones given) on the projection's nodes,
    ordered by list, row and node."""
    lists = list(store.watchlists() if watchlists is None else watchlists)
    if not lists:
        return ()
    kinds = {w.name: w.kind for w in lists}
    rows = store.watchlist_entries(list(kinds)) if entries is None else entries
    tagged = [(e, kinds[e.list_name]) for e in rows if e.list_name in kinds]
    extractor = FeatureExtractor(cache_size=1024)
    hits = _identifier_hits(projection, tagged, extractor)
    hits += _name_hits(store, projection, tagged, name_threshold)
    hits.sort(key=lambda h: (h.list_name, h.row_number, h.node, h.field))
    logger.info("%d watchlist hits from %d entries of %d lists", len(hits), len(tagged), len(lists))
    return tuple(hits)

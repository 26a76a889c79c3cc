"""A human name per network, such as "Shenzhen Huayu Trading - drop address": its key party
(the party on the most of its shipments) and the pattern it shows. Named once, when the
analysis ranks it, so the CLI, the exports and the app all show the same name."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from cleanco import basename

NAME_CHARS = 40  # of the key party's name

# The words a name uses per typology, patterns (how a ring is built) before signals (what
# flags it), so a ring with a drop address and a seizure is named by its drop address.
TYPOLOGY_WORDS: dict[str, str] = {
    "drop_address": "drop address",
    "shared_payment": "shared payment account",
    "shared_ip": "shared IP address",
    "split_shipment": "split shipments",
    "identity_churn": "rotating names",
    "watchlist_hit": "watchlist match",
    "structure": "shared identifiers",
    "seizure": "seizures",
    "first_seen_high_risk": "new shipper, high-risk goods",
    "risk_flow": "near known risk",
}
PATTERNS = ("drop_address", "shared_payment", "shared_ip", "split_shipment", "identity_churn",
            "watchlist_hit")  # fmt: skip


def headline(typologies: Sequence[str]) -> str:
    """The typology a name shows, from the network's typologies strongest first: the first
    pattern, else the first typology; "" for none."""
    for t in typologies:
        if t in PATTERNS:
            return t
    return typologies[0] if typologies else ""


def key_party(shipments: Mapping[str, int], cited: Collection[str] = ()) -> str | None:
    """The party on the most shipments; ties go to a cited party, then to the smaller id."""
    if not shipments:
        return None
    return min(shipments, key=lambda p: (-shipments[p], p not in cited, p))


def party_words(label: str) -> str:
    """A party's name as a name shows it: legal suffixes dropped ("Co., Ltd."), cut short."""
    short = " ".join(label.split())
    for _ in range(2):  # "Co., Ltd." is two suffixes
        cut = basename(short)
        removed = short[len(cut) :] if short.startswith(cut) else ""
        if not cut or not any(c.isalpha() for c in removed):
            break  # only drop whole suffix words, never stray punctuation
        short = cut
    return short if len(short) <= NAME_CHARS else short[: NAME_CHARS - 1] + "…"


def network_name(key_label: str, typologies: Sequence[str], network_id: str = "") -> str:
    """ "<key party> - <pattern>"; either half alone when the other is missing, the network
    id when both are."""
    words = TYPOLOGY_WORDS.get(headline(typologies), headline(typologies).replace("_", " "))
    party = party_words(key_label) if key_label else ""
    return " - ".join(x for x in (party, words) if x) or network_id

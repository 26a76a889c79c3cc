"""Party names whose kind (person or company) the manifest does not state.

A shipper, consignee or seller column holds either a person or a company; this module
decides which, then applies the matching normalizer so that both kinds compare alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphintel.normalize.company import company_tokens, strip_more_legal_forms
from graphintel.normalize.person import normalize_person_name
from graphintel.normalize.text import name_key

# Words that mark a trading name even without a legal form ("Huaxin Trading").
_COMPANY_WORDS = frozenset(
    {
        "trading", "trade", "traders", "technology", "technologies", "tech", "industrial",
        "industry", "industries", "logistics", "import", "export", "imports", "exports",
        "electronics", "electronic", "international", "intl", "group", "enterprise",
        "enterprises", "holdings", "holding", "manufacturing", "manufacturer", "supply",
        "supplies", "store", "shop", "factory", "chemical", "chemicals", "pharmaceutical",
        "pharma", "biotech", "biotechnology", "maoyi", "keji", "shiye", "wuliu", "express",
        "ecommerce", "global", "development", "services", "solutions", "products", "imp",
        "exp", "shipping", "freight", "forwarding", "materials", "machinery", "equipment",
        "apparel", "garment", "garments", "cosmetics", "mall", "outlet", "official",
        "department", "studio", "network", "networks", "media", "digital", "labs",
    }
)  # fmt: skip


# Legal forms that are also common name tokens ("Maria Sa", "Thanh Co"): on their own they
# mark a company only when at least two core words precede them.
_WEAK_FORMS = frozenset(
    {"co", "sa", "ab", "ag", "kg", "kk", "sl", "nv", "bv", "oy", "lp", "spa", "sas", "pte",
     "pty", "pvt", "ooo", "sro", "jsc", "bhd", "ltda", "sarl", "srl"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PartyName:
    """A normalized party name, its order-free key and whether it reads as a company."""

    normalized: str
    key: str
    is_company: bool


def is_company_name(raw: str) -> bool:
    """A legal-form suffix or a trading word makes a name a company's."""
    return normalize_party_name(raw).is_company


def normalize_party_name(raw: str) -> PartyName:
    """Normalize a shipper, consignee or seller name as a company or a person.

    >>> normalize_party_name("Huaxin Trading Co., Ltd.")
    PartyName(normalized='huaxin trading', key='huaxin trading', is_company=True)
    >>> normalize_party_name("SMITH, John")
    PartyName(normalized='john smith', key='john smith', is_company=False)
    """
    core, legal = company_tokens(raw)
    strong_form = bool(legal) and (" ".join(legal) not in _WEAK_FORMS or len(core) >= 2)
    kept = strip_more_legal_forms(core)
    # cleanco's long forms ("BVBA", "SARL") mark a company; its short ones may be a name's
    cleanco_form = len(kept) >= 2 and sum(len(word) for word in core[len(kept) :]) >= 4
    if strong_form or cleanco_form or any(word in _COMPANY_WORDS for word in core):
        text = " ".join(kept)
        return PartyName(normalized=text, key=name_key(text), is_company=True)
    text = normalize_person_name(raw)
    return PartyName(normalized=text, key=name_key(text), is_company=False)

"""Party mentions taken from shipments, and their normalized comparison features.

Many mentions of one party are identical once normalized (the same shipper on thousands
of parcels), so the resolver works on distinct ``PartyFeatures`` rather than on mentions.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from graphintel.model import Role
from graphintel.normalize import (
    NormalizedAddress,
    PartyName,
    country_code,
    normalize_address,
    normalize_email,
    normalize_party_name,
    normalize_phone,
)
from graphintel.normalize.checks import address_problem, name_problem
from graphintel.normalize.phone import phone_region
from graphintel.normalize.text import fold
from graphintel.records import Mention, ShipmentRecord

# phonenumbers' "unknown region": a shipper number without "+" and without a known
# country cannot be placed, so it keeps the digits-only fallback key.
_UNKNOWN_REGION = "ZZ"
_UNKNOWN_NAME = PartyName("", "", False)

logger = logging.getLogger(__name__)


_SHIPPER, _CONSIGNEE, _SELLER = Role.SHIPPER, Role.CONSIGNEE, Role.SELLER


def _fold_words(raw: str) -> str:
    """``raw`` folded, with whitespace runs squeezed to single spaces."""
    return " ".join(fold(raw).split())


def _name_view(raw: str) -> tuple[PartyName, str | None]:
    """The normalized name, or the unknown name and its warning ("name:one_letter")."""
    problem = name_problem(raw)
    if problem is not None:
        return _UNKNOWN_NAME, f"name:{problem}"
    return normalize_party_name(raw), None


def _country_view(raw: str) -> str:
    """ISO2 for a recognised country, otherwise the folded text ("" when empty)."""
    return country_code(raw) or _fold_words(raw).upper()


class PartyMention(NamedTuple):
    """A mention plus, for a seller, its marketplace seller id and marketplace."""

    mention: Mention
    seller_id: str = ""
    marketplace: str = ""


def shipment_mentions(shipment: ShipmentRecord) -> list[PartyMention]:
    """Shipper, consignee and (when named) seller mentions of one shipment.

    The consignee's country defaults to US as the manifest layout specifies. The seller has
    no address, phone or e-mail of its own; its marketplace seller id, when present, is an
    exact key of the seller account.
    """
    s = shipment
    out = [
        PartyMention(
            Mention(
                s.shipper_name, s.shipper_address, s.shipper_city, "", "", s.shipper_country,
                s.shipper_phone, s.shipper_email, shipment_id=s.shipment_id, role=Role.SHIPPER,
            )
        ),
        PartyMention(
            Mention(
                s.consignee_name, s.consignee_address, s.consignee_city, s.consignee_state,
                s.consignee_postal_code, s.consignee_country or "US", s.consignee_phone,
                s.consignee_email, shipment_id=s.shipment_id, role=Role.CONSIGNEE,
            )
        ),
    ]  # fmt: skip
    if s.seller_name.strip():
        seller = Mention(s.seller_name, shipment_id=s.shipment_id, role=Role.SELLER)
        out.append(PartyMention(seller, s.seller_id.strip(), s.marketplace))
    return out


@dataclass(frozen=True, slots=True)
class PartyFeatures:
    """The normalized view of a mention; equal features mean indistinguishable mentions.

    Empty strings mean "not given". ``country`` is ISO2 when recognised, else the folded
    text; ``address`` is the address key (unit included) and ``street`` its street line
    without city or postal code (see ``NormalizedAddress.street_key``). A seller has its
    marketplace seller id (``seller_id``) and its marketplace (``market``, folded; "" for
    shippers and consignees). ``lone`` holds the mention id of a person mention with no
    identifier at all: two bare "John Smith" mentions are not the same person just because
    they are spelled alike, so such mentions never collapse into one record.
    """

    name: str
    name_key: str
    is_company: bool
    country: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    street: str = ""
    seller_id: str = ""
    market: str = ""
    lone: str = ""

    def __reduce__(self) -> tuple[type[PartyFeatures], FeatureValues]:
        """Pickled as its field values: a spawned resolution job receives millions."""
        return (PartyFeatures, feature_values(self))


# ``PartyFeatures`` field values in declaration order: ``PartyFeatures(*values)``.
FeatureValues = tuple[str, str, bool, str, str, str, str, str, str, str, str]


def feature_values(f: PartyFeatures) -> FeatureValues:
    """``f``'s field values in declaration order (a cheap pickle and a cheap dict key)."""
    return (f.name, f.name_key, f.is_company, f.country, f.phone, f.email, f.address,
            f.street, f.seller_id, f.market, f.lone)  # fmt: skip


class FeatureExtractor:
    """Normalizes mentions, caching each normalizer because raw values repeat heavily.

    A value too broken to compare (an empty, one-letter, emoji-only, 10,000-character or
    mixed-script name; a phone or e-mail that does not parse; an overlong address) becomes
    unknown and is counted in ``warnings`` by field and reason ("name:one_letter",
    "phone:malformed"): it never crashes, and it never becomes a key two mentions share.
    A mention with an unknown name stays a record of its own (``lone``).
    """

    def __init__(self, cache_size: int = 1 << 18) -> None:
        self.warnings: Counter[str] = Counter()
        self._name = lru_cache(maxsize=cache_size)(normalize_party_name)
        self._phone = lru_cache(maxsize=cache_size)(normalize_phone)
        self._email = lru_cache(maxsize=cache_size)(normalize_email)
        self._address = lru_cache(maxsize=cache_size)(normalize_address)
        self._country = lru_cache(maxsize=cache_size)(country_code)
        self._address_problem = lru_cache(maxsize=cache_size)(address_problem)
        self._fold_words = lru_cache(maxsize=cache_size)(_fold_words)
        # what ``features`` reads of a name and of a country, one cache lookup each
        self._name_view = lru_cache(maxsize=cache_size)(_name_view)
        self._country_view = lru_cache(maxsize=cache_size)(_country_view)

    def name(self, raw: str) -> PartyName:
        return self._name(raw)

    def country(self, raw: str) -> str:
        """ISO2 for a recognised country, otherwise the folded text ("" when empty)."""
        return self._country_view(raw)

    def address(self, m: Mention, country: str = "") -> NormalizedAddress:
        """The mention's address; ``country`` stands in for a missing one (see features)."""
        default = "US" if m.role is Role.CONSIGNEE else ""
        given = m.country if m.country.strip() else country
        return self._address(m.address, m.city, m.state, m.postal_code, given, default)

    def phone(self, m: Mention) -> str | None:
        default = "US" if m.role is Role.CONSIGNEE else _UNKNOWN_REGION
        return self._phone(m.phone, m.country, default)

    def email(self, raw: str) -> str | None:
        return self._email(raw)

    def features(self, pm: PartyMention) -> PartyFeatures:
        """The mention's features. A shipper that left its country out gets the one its
        city names ("Hong Kong") or its international phone number's country code implies,
        so its address and country still compare with its other spellings.

        Called once per distinct raw mention (a million on a large load), so the
        accessor methods above are inlined here: one cache lookup per field."""
        m = pm.mention
        role = m.role
        warnings = self.warnings
        name, problem = self._name_view(m.name)
        if problem is not None:
            warnings[problem] += 1
        phone = ""
        if m.phone.strip():
            default = "US" if role is _CONSIGNEE else _UNKNOWN_REGION
            phone = self._phone(m.phone, m.country, default) or ""
            if not phone:
                warnings["phone:malformed"] += 1
        email = ""
        if m.email.strip():
            email = self._email(m.email) or ""
            if not email:
                warnings["email:malformed"] += 1
        country = self._country_view(m.country)
        if not country and role is _SHIPPER:
            country = self._country(m.city) or phone_region(phone) or ""
        address = street = ""
        bad_address = self._address_problem(m.address)
        if bad_address is not None:
            warnings[f"address:{bad_address}"] += 1
        elif m.address.strip():
            given = m.country if m.country.strip() else country
            default = "US" if role is _CONSIGNEE else ""
            place = self._address(m.address, m.city, m.state, m.postal_code, given, default)
            address = place.key or ""
            street = place.street_key or ""
        market = self._fold_words(pm.marketplace) if pm.marketplace else ""
        lone = ""
        if role is not _SELLER and (
            not name.normalized
            or not (name.is_company or phone or email or address or pm.seller_id or market)
        ):
            lone = m.mention_id  # an unknown or bare person name is nobody in particular
        return PartyFeatures(
            name.normalized, name.key, name.is_company, country, phone, email, address,
            street, pm.seller_id, market, lone,
        )  # fmt: skip

    def log_warnings(self) -> None:
        """One warning line with every count of values made unknown (none: nothing)."""
        if self.warnings:
            counts = ", ".join(f"{k} {v:,}" for k, v in sorted(self.warnings.items()))
            logger.warning("values made unknown (per distinct raw mention): %s", counts)

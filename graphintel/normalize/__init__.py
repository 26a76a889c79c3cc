"""Normalizers, one module per identifier kind; pure functions of their raw inputs."""

from graphintel.normalize.address import (
    NormalizedAddress,
    normalize_address,
    normalize_foreign_address,
    normalize_us_address,
)
from graphintel.normalize.company import CompanyName, normalize_company_name
from graphintel.normalize.country import country_code
from graphintel.normalize.email import normalize_email
from graphintel.normalize.ip import normalize_ip
from graphintel.normalize.party import PartyName, is_company_name, normalize_party_name
from graphintel.normalize.payment import normalize_payment_account
from graphintel.normalize.person import normalize_person_name
from graphintel.normalize.phone import normalize_phone
from graphintel.normalize.text import fold, name_key

__all__ = [
    "CompanyName",
    "NormalizedAddress",
    "PartyName",
    "country_code",
    "fold",
    "is_company_name",
    "name_key",
    "normalize_address",
    "normalize_company_name",
    "normalize_email",
    "normalize_foreign_address",
    "normalize_ip",
    "normalize_party_name",
    "normalize_payment_account",
    "normalize_person_name",
    "normalize_phone",
    "normalize_us_address",
]

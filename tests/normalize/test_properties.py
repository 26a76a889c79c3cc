"""Properties every normalizer keeps for any text a manifest can hold.

The resolver calls them on every party mention, so each one must: never raise; give the same
answer when fed its own output, where its output is a normal form; write its output in its
documented alphabet; and answer "unknown" (None or "") for text that carries no identifier.
Only the public functions are used, so the tests hold while their internals change.
"""

from __future__ import annotations

import ipaddress
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from graphintel.normalize import (
    country_code,
    fold,
    is_company_name,
    name_key,
    normalize_address,
    normalize_company_name,
    normalize_email,
    normalize_foreign_address,
    normalize_ip,
    normalize_party_name,
    normalize_payment_account,
    normalize_person_name,
    normalize_phone,
    normalize_us_address,
)
from graphintel.normalize.address import us_state, us_zip5
from graphintel.normalize.phone import phone_region

# Any text a store can hold: every code point but unpaired surrogates (the loader refuses
# those), with manifest-like text mixed in so that the interesting branches are reached.
ANY = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
WORDS = st.lists(
    st.sampled_from(
        [
            "Shenzhen",
            "Huayu",
            "Trading",
            "Co.,",
            "Ltd",
            "LLC",
            "GmbH",
            "the",
            "The",
            "&",
            "Mr",
            "Dr.",
            "SMITH,",
            "John",
            "María-José",
            "李雷",
            "Ｓｈｅｎ",
            "O'Brien",
            "Apt",
            "4B",
            "#12",
            "Unit",
            "Rm",
            "1203",
            "No.",
            "88",
            "Street",
            "St",
            "Rd",
            "P.O.",
            "Box",
            "Jianshe",
            "Lu",
            "ltd.",
            "limited",
            "inc",
            "sa",
            "de",
            "cv",
            "-",
            ",",
            ".",
        ]
    ),
    max_size=8,
).map(" ".join)
TEXT = st.one_of(ANY, WORDS)
# Punctuation, symbols and spaces of several scripts that transliterate to no letter or
# digit: text made of them names nothing. ("&" is left out: it reads as the word "and".)
GARBAGE = st.text(
    st.sampled_from(list("!\"#$'()*,-./:;<=>?[\\]^_`{|}~ \t\n\u3000\u00a0，。、「」（）—…·")),
    max_size=30,
)
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
NAME_FORM = re.compile(r"(?:[^\W_]+(?: [^\W_]+)*)?")  # folded words, single spaces


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("İstanbul ǰ ŉ ß ﬁ")
def test_fold_is_idempotent_and_lower(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert once == once.lower() or not once.isascii()


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("SMITH, John")
@example("Mr Mr Dr")
def test_person_names(text: str) -> None:
    once = normalize_person_name(text)
    assert NAME_FORM.fullmatch(once), once
    assert normalize_person_name(once) == once
    assert name_key(name_key(once)) == name_key(once)


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("The The Trading Co Ltd")
@example("Co Ltd")
def test_company_names(text: str) -> None:
    name = normalize_company_name(text)
    assert NAME_FORM.fullmatch(name.core), name
    assert name.key == name_key(name.core)
    assert normalize_company_name(name.core).core == name.core


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_party_names(text: str) -> None:
    party = normalize_party_name(text)
    assert NAME_FORM.fullmatch(party.normalized), party
    assert party.key == name_key(party.normalized)
    assert is_company_name(text) == party.is_company


@settings(max_examples=200, deadline=None)
@given(GARBAGE)
def test_names_without_letters_or_digits_are_empty(text: str) -> None:
    assert normalize_person_name(text) == ""
    assert normalize_company_name(text).core == ""
    assert normalize_party_name(text).normalized == ""


EMAILS = st.one_of(
    TEXT,
    st.emails().map(str),
    st.tuples(WORDS, st.sampled_from(["@", "+tag@", "@@"]), ANY).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(EMAILS)
@example("  J.Smith+order7@GoogleMail.com ")
@example("mailto:a@b.c")
def test_emails(text: str) -> None:
    mailbox = normalize_email(text)
    if mailbox is None:
        return
    local, _, domain = mailbox.partition("@")
    assert local and "." in domain and "@" not in domain
    assert mailbox == mailbox.lower() and not any(c.isspace() for c in mailbox)
    assert normalize_email(mailbox) == mailbox


@settings(max_examples=200, deadline=None)
@given(GARBAGE.filter(lambda t: "@" not in t))
def test_email_garbage_is_unknown(text: str) -> None:
    assert normalize_email(text) is None


IPS = st.one_of(
    TEXT,
    st.ip_addresses().map(str),
    st.ip_addresses(v=6).map(lambda a: f"[{a.exploded.upper()}%eth0]"),
)


@settings(max_examples=300, deadline=None)
@given(IPS)
def test_ip_addresses(text: str) -> None:
    address = normalize_ip(text)
    if address is None:
        return
    assert str(ipaddress.ip_address(address)) == address
    assert normalize_ip(address) == address


@settings(max_examples=200, deadline=None)
@given(GARBAGE.filter(lambda t: ":" not in t))
def test_ip_garbage_is_unknown(text: str) -> None:
    assert normalize_ip(text) is None


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("  CARD_FP:9f8A77 ")
def test_payment_accounts(text: str) -> None:
    token = normalize_payment_account(text)
    if token is None:
        assert not text.strip()
        return
    assert token == token.strip() and token
    assert normalize_payment_account(token) == token


PHONES = st.one_of(
    TEXT,
    st.from_regex(r"\A(\+|00)?[0-9 ()\-.]{0,20}( ?(ext\.?|x|#) ?[0-9]{1,4})?\Z"),
)
COUNTRIES = st.one_of(st.sampled_from(["", "US", "CN", "China", "HK", "zz", "Atlantis"]), ANY)


@settings(max_examples=400, deadline=None)
@given(PHONES, COUNTRIES, st.sampled_from(["US", "CN", "ZZ"]))
@example("(138) 0013-8000", "China", "US")
@example("+" + "9" * 40, "", "ZZ")
def test_phones(text: str, country: str, region: str) -> None:
    phone = normalize_phone(text, country, default_region=region)
    if phone is None:
        return
    if phone.startswith("+"):
        assert E164.fullmatch(phone), phone
        assert normalize_phone(phone, country, default_region=region) == phone
    else:
        assert phone.isdigit() and len(phone) >= 7, phone  # a fallback key never poses as E.164


@settings(max_examples=200, deadline=None)
@given(GARBAGE)
def test_phone_garbage_is_unknown(text: str) -> None:
    assert normalize_phone(text) is None


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("P.R. China")
@example("PITCAIRN")  # a country without a phone plan: its code must read back as itself
def test_country_codes(text: str) -> None:
    code = country_code(text)
    if code is None:
        return
    assert re.fullmatch(r"[A-Z]{2}", code), code
    assert country_code(code) == code


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, TEXT, TEXT, COUNTRIES)
@example("123 Main Street, Apartment 4B", "New York", "NY", "10001-2345", "US")
@example("Rm 1203, No. 88 Jianshe Lu", "Shenzhen", "", "518000", "China")
def test_addresses(street: str, city: str, state: str, postal: str, country: str) -> None:
    for address in (
        normalize_address(street, city, state, postal, country),
        normalize_us_address(street, city, state, postal),
        normalize_foreign_address(street, city, country, postal),
    ):
        if address.key is None:
            assert address.street == ""
        else:
            assert address.street and address.street in address.key
        assert address.label == " ".join(address.label.split())  # no stray spaces
        assert address.postal_code == "" or address.postal_code.isalnum()
    us = normalize_us_address(street, city, state, postal)
    assert us.country == "US"
    assert us.state == "" or re.fullmatch(r"[A-Z]{2}", us.state)
    assert us.postal_code == "" or re.fullmatch(r"[0-9]{5}", us.postal_code)


@settings(max_examples=200, deadline=None)
@given(GARBAGE, GARBAGE)
def test_address_garbage_has_no_key(street: str, city: str) -> None:
    assert normalize_address(street, city).key is None


@settings(max_examples=300, deadline=None)
@given(PHONES, COUNTRIES)
@example("+80000", "")  # a non-geographic country code (+800) has no region
def test_phone_regions(text: str, country: str) -> None:
    for value in (text, normalize_phone(text, country) or ""):
        region = phone_region(value)
        assert region is None or re.fullmatch(r"[A-Z]{2}", region)
        if not value.startswith("+"):
            assert region is None  # a digits-only key has no country code


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("2345")
@example("10001-2345")
def test_us_zip_and_state(text: str) -> None:
    zip5 = us_zip5(text)
    assert zip5 == "" or re.fullmatch(r"[0-9]{5}", zip5)
    assert us_zip5(zip5) == zip5
    state = us_state(text)
    assert state == "" or re.fullmatch(r"[A-Z]{2}", state)
    assert us_state(state) == state

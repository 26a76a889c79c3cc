"""One true entity appears under many spellings, the way real labels write it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from rapidfuzz import fuzz

from graphintel.manifest import REQUIRED_COLUMNS
from tests.synth import keys
from tests.synth.conftest import Generated


def _spellings(gen: Generated, entity: str, column: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for m, t in zip(gen.manifest, gen.truth, strict=True):
        if m[column]:
            out[t[entity]].add(m[column])
    return out


def test_one_company_many_spellings_all_close(gen: Generated) -> None:
    names = _spellings(gen, "shipper_entity", "shipper_name")
    varied = [v for v in names.values() if len(v) >= 3]
    assert len(varied) >= 10
    for spellings in varied:
        # Legal form aside, every spelling is the registered name give or take a typo or
        # the place prefix.
        cores = Counter(keys.legal_free(n) for n in spellings)
        canonical = max(cores, key=lambda c: (cores[c], len(c)))
        assert min(fuzz.partial_ratio(c, canonical) for c in cores) >= 75, spellings


def test_legal_forms_vary(gen: Generated) -> None:
    text = "\n".join(m["shipper_name"] for m in gen.manifest)
    for form in ("Co., Ltd.", "CO LTD", "Company Limited", "Co.,Ltd", "Limited"):
        assert form in text, form


def test_one_consumer_many_spellings(gen: Generated) -> None:
    for column in ("consignee_name", "consignee_address", "consignee_phone", "consignee_email"):
        spellings = _spellings(gen, "consignee_entity", column)
        assert any(len(v) >= 2 for v in spellings.values()), column


def test_address_unit_and_phone_formats_present(gen: Generated) -> None:
    addresses = "\n".join(m["consignee_address"] for m in gen.manifest)
    for pattern in (
        r"\bApt \d+[A-H]",
        r"#\d+[A-H]",
        r"\bUnit \d+[A-H]",
        r"\bApartment \d+[A-H]",
        r" Street\b",
        r" St\b",
        r" St\.",
        r" Ave\b",
        r" Avenue\b",
        r" Rd\b",
    ):
        assert re.search(pattern, addresses), pattern
    phones = "\n".join(m["consignee_phone"] for m in gen.manifest)
    for pattern in (r"\+1 \(\d{3}\) 555-\d{4}", r"\d{3}\.555\.\d{4}", r"^\d{3}555\d{4}$"):
        assert re.search(pattern, phones, re.M), pattern
    shipper_phones = "\n".join(m["shipper_phone"] for m in gen.manifest)
    for pattern in (r"\+86 1\d\d \d{4} \d{4}", r"0086-1\d{10}", r"^1[3-9]\d{9}$"):
        assert re.search(pattern, shipper_phones, re.M), pattern


def test_email_case_changes_keep_the_mailbox(gen: Generated) -> None:
    emails = _spellings(gen, "consignee_entity", "consignee_email")
    assert any(len(v) > 1 and len({e.lower() for e in v}) == 1 for v in emails.values())


def test_optional_fields_are_sometimes_missing(gen: Generated) -> None:
    optional = [c for c in gen.manifest[0] if c not in REQUIRED_COLUMNS]
    for column in optional:
        if column in (
            "seizure_category",
            "inspection_outcome",
            "entry_number",
            "seller_name",
            "carrier",
        ):
            continue  # empty by meaning (not seized, not inspected, 321 entries) or never
        assert any(not m[column] for m in gen.manifest), column

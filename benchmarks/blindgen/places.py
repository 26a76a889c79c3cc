"""Addresses in parts and their written forms (docs/variations.md, ``adr.*``)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks.blindgen.variants import pick_classes, recase, typo
from benchmarks.blindgen.vocab import (
    CN_UNITS,
    DIRECTIONS,
    OTHER_COUNTRIES,
    STREET_TYPES,
    US_PLACES,
    US_UNITS,
)

COUNTRY_FORMS: dict[str, tuple[str, ...]] = {
    "CN": ("China", "CHINA", "PRC", "People's Republic of China", "P.R. China"),
    "HK": ("Hong Kong", "HONG KONG", "Hong Kong SAR", "HKG"),
    "US": ("USA", "United States", "U.S.A.", "United States of America"),
    **{c[0]: c[1] for c in OTHER_COUNTRIES if c[0] != "US"},
}

# Chinese/HK address words and their abbreviations
_CN_ABBR = (
    ("Building", "Bldg"),
    ("Road", "Rd"),
    ("District", "Dist."),
    ("Industrial", "Ind."),
    ("Street", "St"),
    ("Avenue", "Ave"),
)


@dataclass(frozen=True)
class CnAddress:
    """A mainland business address: room, building, park, number, road, district."""

    room: int
    building: int  # 0: none
    park: str  # "" or "Xinhe Industrial Park"
    number: int
    road: str  # "Keji Road"
    district: str  # "Nanshan District"

    def parts(self, unit_word: str) -> tuple[str, str]:
        """(unit part, street part)."""
        unit = f"{unit_word} {self.room}" if unit_word != "#" else f"#{self.room}"
        if self.building:
            unit += f", Building {self.building}"
        street = f"No. {self.number} {self.road}"
        if self.park:
            street = f"{self.park}, {street}"
        return unit, f"{street}, {self.district}"


@dataclass(frozen=True)
class HkAddress:
    flat: str
    floor: int
    building: str  # "Wing On Industrial Building"
    number: int
    road: str  # "Hung To Road"
    district: str

    def parts(self, unit_word: str) -> tuple[str, str]:
        word = {"Room": "Flat", "Rm": "Rm", "Rm.": "Rm", "#": "Unit"}.get(unit_word, unit_word)
        unit = f"{word} {self.flat}, {self.floor}/F"
        return unit, f"{self.building}, {self.number} {self.road}, {self.district}"


@dataclass(frozen=True)
class StreetAddress:
    """A street address (US and other Western style): number, street, unit."""

    number: int
    direction: int  # index into DIRECTIONS or -1
    street: str
    kind: int  # index into STREET_TYPES
    unit: str  # "5B" or ""
    unit_kind: int  # index into US_UNITS

    def text(self, abbr: bool, unit_kind: int, typo_rng: random.Random | None) -> str:
        street = self.street if typo_rng is None else typo(self.street, typo_rng)
        full, shorts = STREET_TYPES[self.kind]
        words = [str(self.number)]
        if self.direction >= 0:
            d_full, d_short = DIRECTIONS[self.direction]
            words.append(d_short if abbr else d_full)
        words += [street, shorts[0] if abbr else full]
        if self.unit:
            u = US_UNITS[unit_kind]
            words.append(f"#{self.unit}" if u == "#" else f"{u} {self.unit}")
        return " ".join(words)


ADR_WEIGHTS = {
    "adr.street_typo": 1.5,
    "adr.abbr": 2.0,
    "adr.unit": 1.5,
    "adr.order": 0.6,
    "adr.blank_city": 1.2,
    "adr.blank_country": 1.0,
    "adr.country_form": 1.5,
}


def _country(code: str, want: set[str], done: set[str], rng: random.Random) -> str:
    if "adr.blank_country" in want:
        done.add("adr.blank_country")
        return ""
    if "adr.country_form" in want and code in COUNTRY_FORMS:
        done.add("adr.country_form")
        return rng.choice(COUNTRY_FORMS[code])
    return code


def business_address(
    addr: CnAddress | HkAddress | StreetAddress,
    city: str,
    country: str,
    rng: random.Random,
    p_any: float,
    p_case: float,
) -> tuple[str, str, str, set[str]]:
    """A shipper's (address, city, country) as written, and the classes applied."""
    weights = dict(ADR_WEIGHTS)
    if isinstance(addr, StreetAddress) and not addr.unit:
        weights.pop("adr.unit")
    want = pick_classes(rng, weights, p_any, max_k=2)
    done: set[str] = set()
    if isinstance(addr, StreetAddress):
        unit_kind = addr.unit_kind
        if "adr.unit" in want:
            unit_kind = rng.choice([k for k in range(len(US_UNITS)) if k != addr.unit_kind])
            done.add("adr.unit")
        bad = rng if "adr.street_typo" in want else None
        text = addr.text("adr.abbr" in want, unit_kind, bad)
        done |= want & {"adr.abbr", "adr.street_typo"}
    else:
        word = "Room"
        if "adr.unit" in want:
            word = rng.choice(CN_UNITS[1:])
            done.add("adr.unit")
        unit, street = addr.parts(word)
        if "adr.street_typo" in want:
            words = street.split(" ")
            long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
            if long_words:
                i = rng.choice(long_words)
                words[i] = typo(words[i], rng)
                street = " ".join(words)
                done.add("adr.street_typo")
        text = f"{street}, {unit}" if "adr.order" in want else f"{unit}, {street}"
        done |= want & {"adr.order"}
        if "adr.abbr" in want:
            for full, short in _CN_ABBR:
                text = text.replace(full, short)
            text = text.replace("No. ", "No.")
            done.add("adr.abbr")
    if "adr.blank_city" in want:
        city = ""
        done.add("adr.blank_city")
    country_text = _country(country, want, done, rng)
    if rng.random() < p_case:
        text, city = recase(text, rng), city.upper()
        if rng.random() < 0.5:
            text = text.replace(",", "")
        done.add("adr.case")
    return text, city, country_text, done


CONSIGNEE_WEIGHTS = {
    "adr.street_typo": 1.0,
    "adr.abbr": 2.5,
    "adr.unit": 1.5,
    "adr.blank_city": 0.6,
    "adr.blank_country": 2.0,
    "adr.country_form": 2.0,
    "adr.state_form": 1.2,
    "adr.postal": 2.0,
}


def home_address(
    addr: StreetAddress,
    place: int,
    zip5: str,
    plus4: str,
    rng: random.Random,
    p_any: float,
    p_case: float,
) -> tuple[tuple[str, str, str, str, str], set[str]]:
    """A consignee's (address, city, state, postal code, country) as written."""
    weights = dict(CONSIGNEE_WEIGHTS)
    if not addr.unit:
        weights.pop("adr.unit")
    want = pick_classes(rng, weights, p_any, max_k=3)
    done = want & {"adr.abbr", "adr.street_typo", "adr.blank_city"}
    unit_kind = addr.unit_kind
    if "adr.unit" in want:
        unit_kind = rng.choice([k for k in range(len(US_UNITS)) if k != addr.unit_kind])
        done.add("adr.unit")
    text = addr.text("adr.abbr" in want, unit_kind, rng if "adr.street_typo" in want else None)
    city, state, state_name, _, _ = US_PLACES[place]
    if "adr.blank_city" in want:
        city = ""
    if "adr.state_form" in want:
        state = state_name if rng.random() < 0.7 else state_name.upper()
        done.add("adr.state_form")
    postal = zip5
    if "adr.postal" in want:
        u = rng.random()
        if u < 0.55:
            postal = f"{zip5}-{plus4}"
        elif u < 0.75:
            postal = zip5 + plus4
        elif zip5.startswith("0"):
            postal = zip5.lstrip("0")
        else:
            postal = f"{zip5}-{plus4}"
        done.add("adr.postal")
    country = _country("US", want, done, rng)
    if rng.random() < p_case:
        text = recase(text, rng)
        city = recase(city, rng)
        done.add("adr.case")
    return (text, city, state, postal, country), done


def canonical_business(addr: CnAddress | HkAddress | StreetAddress, city: str, cc: str) -> str:
    """The identity of a business address (for identifiers.csv)."""
    if isinstance(addr, StreetAddress):
        text = addr.text(False, addr.unit_kind, None)
    else:
        unit, street = addr.parts("Room")
        text = f"{unit}, {street}"
    return f"{text}|{city}|{cc}"


def canonical_home(addr: StreetAddress, zip5: str) -> str:
    return f"{addr.text(False, 0, None)}|{zip5}"

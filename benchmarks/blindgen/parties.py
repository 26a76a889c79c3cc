"""The parties: companies (merchants, forwarders, ring fronts) and persons.

Companies are few (about one per hundred shipments) and are built up front. Persons are
many; a legitimate person is rebuilt from its id whenever it appears (a ``Random`` seeded by
the generator seed and the id), so memory stays flat however many shipments are written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from benchmarks.blindgen.places import CnAddress, HkAddress, StreetAddress
from benchmarks.blindgen.variants import Org
from benchmarks.blindgen.vocab import (
    CN_PLACE_WEIGHTS,
    CN_PLACES,
    EN_INDUSTRIES,
    ENGLISH_WORDS,
    FIRST_NAMES,
    FREEMAIL_CN,
    FREEMAIL_US,
    HK_BUILDING_WORDS,
    HK_DISTRICTS,
    HK_ROADS,
    INDUSTRIES,
    OTHER_COUNTRIES,
    ROLE_MAILBOXES,
    STREET_NAMES,
    STREET_TYPES,
    SURNAMES,
    SYLLABLES,
    US_PLACE_WEIGHTS,
    US_PLACES,
)

PHONE_FORM_WEIGHTS = (0.22, 0.25, 0.15, 0.18, 0.20)  # e164, plus, 00, cc, national


@dataclass(frozen=True)
class Phone:
    cc: str
    national: str
    trunk: bool  # written nationally with a leading 0

    @property
    def e164(self) -> str:
        return f"+{self.cc}{self.national}"


@dataclass
class Company:
    eid: str
    org: Org
    country: str
    address: CnAddress | HkAddress | StreetAddress
    city: str
    phone: Phone | None
    email: str
    marketplace: int = -1
    seller_id: str = ""
    hub: str = ""  # legitimate hub role: forwarder, hotline, carrier_phone, building, office
    phone_form: int = 0  # index into variants.PHONE_FORMS: this company's usual way
    p_var: float = 0.3  # how often a mention departs from the registered spelling
    p_case: float = 0.3


@dataclass(frozen=True)
class Person:
    eid: str
    first: str
    middle: str
    last: str
    nicks: tuple[str, ...]
    address: StreetAddress
    place: int  # index into US_PLACES
    zip5: str
    plus4: str
    phone: Phone | None
    email: str
    card: str
    ip: str
    hub: str = ""  # tower, household
    phone_form: int = 0


@dataclass
class Numbers:
    """Unique numbers drawn as a bijection of a counter (a*i + b mod m, gcd(a, m) = 1)."""

    modulus: int
    mult: int
    offset: int
    used: int = 0

    def next(self) -> int:
        self.used += 1
        return (self.used * self.mult + self.offset) % self.modulus


def _syllable_word(rng: random.Random) -> tuple[str, ...]:
    a, b = rng.choice(SYLLABLES), rng.choice(SYLLABLES)
    while b == a:
        b = rng.choice(SYLLABLES)
    return (a, b)


def cn_mobile(numbers: Numbers, rng: random.Random) -> Phone:
    prefix = rng.choice(("135", "136", "137", "138", "139", "150", "151", "158", "159", "186",
                         "187", "188", "189", "177", "176", "133"))  # fmt: skip
    return Phone("86", f"{prefix}{numbers.next() % 10**8:08d}", False)


def cn_landline(area: str, numbers: Numbers) -> Phone:
    n = numbers.next()
    return Phone("86", f"{area}{2 + n // 10**7}{n % 10**7:07d}", True)


@dataclass
class CompanyFactory:
    """Builds companies with unique registered names, e-mails and numbers."""

    rng: random.Random
    names: set[str] = field(default_factory=set)
    mobiles: Numbers = field(default_factory=lambda: Numbers(10**8, 7_368_787, 12_345_677))
    lines: Numbers = field(default_factory=lambda: Numbers(8 * 10**7, 6_700_417, 3_141_592))
    serial: int = 0

    def org(self, country: str, city_i: int, ind: tuple[str, ...] | None = None) -> Org:
        rng = self.rng
        while True:
            if country in ("CN", "HK"):
                n_core = 1 if rng.random() < 0.6 else 2
                core = tuple(_syllable_word(rng) for _ in range(n_core))
                industry = ind or rng.choice(INDUSTRIES)
                if country == "CN":
                    city, prov = CN_PLACES[city_i][0], CN_PLACES[city_i][1]
                    org = Org(city, prov, core, industry, "CN", "China", True)
                else:
                    place = "Hong Kong" if rng.random() < 0.55 else ""
                    org = Org(place, "", core, industry, "HK", "Hong Kong", True)
            else:
                spec = next(c for c in OTHER_COUNTRIES if c[0] == country)
                core = ((rng.choice(ENGLISH_WORDS),), (rng.choice(ENGLISH_WORDS),))
                core = core if core[0] != core[1] else core[:1]
                legal = rng.choice(spec[2])
                org = Org("", "", core, ind or rng.choice(EN_INDUSTRIES), legal, spec[1][0], False)
            key = org.canonical().lower()
            if key not in self.names:
                self.names.add(key)
                return org

    def namesake(self, org: Org, city_i: int) -> Org | None:
        """The same trade name registered by another company in another city."""
        if not org.place or org.legal != "CN":
            return None
        city, prov = CN_PLACES[city_i][0], CN_PLACES[city_i][1]
        twin = Org(city, prov, org.core, org.industry, "CN", "China", True)
        key = twin.canonical().lower()
        if key in self.names:
            return None
        self.names.add(key)
        return twin

    def cn_address(self, city_i: int) -> CnAddress:
        rng = self.rng
        _, _, _, districts, roads = CN_PLACES[city_i]
        park = ""
        if rng.random() < 0.35:
            park = f"{_syllable_word(rng)[0].capitalize()}{rng.choice(SYLLABLES)} " + rng.choice(
                ("Industrial Park", "Science Park", "Technology Park", "Industrial Zone")
            )
        return CnAddress(
            room=rng.randrange(1, 33) * 100 + rng.randrange(1, 30),
            building=rng.randrange(1, 15) if rng.random() < 0.6 else 0,
            park=park,
            number=rng.randrange(1, 600),
            road=f"{rng.choice(roads)} {rng.choice(('Road', 'Road', 'Street', 'Avenue'))}",
            district=f"{rng.choice(districts)} District",
        )

    def hk_address(self) -> HkAddress:
        rng = self.rng
        return HkAddress(
            flat=rng.choice("ABCDEFGH"),
            floor=rng.randrange(1, 32),
            building=f"{rng.choice(HK_BUILDING_WORDS)} "
            + rng.choice(("Industrial Building", "Commercial Centre", "Centre", "Tower")),
            number=rng.randrange(1, 200),
            road=f"{rng.choice(HK_ROADS)} Road",
            district=rng.choice(HK_DISTRICTS),
        )

    def street_address(self, unit_p: float = 0.4) -> StreetAddress:
        rng = self.rng
        unit = f"{rng.randrange(1, 40)}{rng.choice('ABCD')}" if rng.random() < unit_p else ""
        return StreetAddress(
            number=rng.randrange(10, 9900),
            direction=rng.randrange(4) if rng.random() < 0.15 else -1,
            street=rng.choice(STREET_NAMES),
            kind=rng.randrange(len(STREET_TYPES)),
            unit=unit,
            unit_kind=rng.choice((0, 0, 3, 4, 5, 6)),
        )

    def phone_for(self, country: str, city_i: int) -> Phone:
        rng = self.rng
        if country == "CN":
            if rng.random() < 0.6:
                return cn_mobile(self.mobiles, rng)
            return cn_landline(CN_PLACES[city_i][2], self.lines)
        if country == "HK":
            first = rng.choice("235679")
            return Phone("852", f"{first}{self.lines.next() % 10**7:07d}", False)
        cc = next(c[4] for c in OTHER_COUNTRIES if c[0] == country)
        n = self.lines.next()
        if cc == "1":
            return Phone(cc, f"{rng.choice((213, 626, 909, 305, 732))}{2 + n % 8}{n % 10**6:06d}",
                         False)  # fmt: skip
        return Phone(cc, f"{2 + n % 8}{n:08d}"[:10], False)

    def email_for(self, org: Org, country: str) -> str:
        rng = self.rng
        self.serial += 1
        slug = "".join("".join(s) for s in org.core).lower()
        if country in ("CN", "HK") and rng.random() < 0.5:
            if rng.random() < 0.4:
                return f"{1_000_000_000 + self.serial * 7919 % 3_000_000_000}@qq.com"
            return f"{slug}{self.serial}@{rng.choice(FREEMAIL_CN)}"
        return f"{rng.choice(ROLE_MAILBOXES)}@{slug}{self.serial % 1000}.com"

    def company(
        self, eid: str, country: str, city_i: int, ind: tuple[str, ...] | None = None
    ) -> Company:
        rng = self.rng
        org = self.org(country, city_i, ind)
        if country == "CN":
            address: CnAddress | HkAddress | StreetAddress = self.cn_address(city_i)
            city = CN_PLACES[city_i][0]
        elif country == "HK":
            address, city = self.hk_address(), "Hong Kong"
        else:
            spec = next(c for c in OTHER_COUNTRIES if c[0] == country)
            address, city = self.street_address(0.5), rng.choice(spec[3])
        return Company(
            eid=eid,
            org=org,
            country=country,
            address=address,
            city=city,
            phone=self.phone_for(country, city_i) if rng.random() < 0.93 else None,
            email=self.email_for(org, country) if rng.random() < 0.8 else "",
            phone_form=rng.choices(range(5), PHONE_FORM_WEIGHTS)[0],
            p_var=rng.uniform(0.1, 0.6),
            p_case=rng.uniform(0.1, 0.7),
        )


def cn_city(rng: random.Random) -> int:
    return rng.choices(range(len(CN_PLACES)), CN_PLACE_WEIGHTS)[0]


# -- persons -----------------------------------------------------------------------------

_FN_MALE = [f for f in FIRST_NAMES if f[1] == "m"]
_FN_FEMALE = [f for f in FIRST_NAMES if f[1] == "f"]
_MAIL_DOMAINS = [d for d, _ in FREEMAIL_US]
_MAIL_WEIGHTS = [w for _, w in FREEMAIL_US]


def us_place(rng: random.Random) -> int:
    return rng.choices(range(len(US_PLACES)), US_PLACE_WEIGHTS)[0]


def us_phone(place: int, pid: int, salt: int) -> Phone:
    """A unique US number per person id (a bijection of the id below 8 million)."""
    codes = US_PLACES[place][4]
    x = (pid * 7919 + salt) % (8 * 10**6)
    area = codes[pid % len(codes)]
    return Phone("1", f"{area}{2 + x // 10**6}{(x % 10**6) // 10**4:02d}{x % 10**4:04d}", False)


def home(rng: random.Random, unit_p: float) -> tuple[StreetAddress, int, str, str]:
    place = us_place(rng)
    unit = ""
    if rng.random() < unit_p:
        unit = (
            f"{rng.randrange(1, 30)}{rng.choice('ABCDEF')}"
            if rng.random() < 0.6
            else str(rng.randrange(1, 400))
        )
    addr = StreetAddress(
        number=rng.randrange(10, 9990),
        direction=rng.randrange(4) if rng.random() < 0.12 else -1,
        street=rng.choice(STREET_NAMES),
        kind=rng.randrange(len(STREET_TYPES)),
        unit=unit,
        unit_kind=rng.choice((0, 0, 0, 1, 3, 4)),
    )
    zip5 = f"{US_PLACES[place][3]}{rng.randrange(100):02d}"
    return addr, place, zip5, f"{rng.randrange(10000):04d}"


def person_email(first: str, last: str, pid: int, rng: random.Random) -> str:
    if rng.random() < 0.12:
        return ""
    f, ln = first.lower(), last.lower()
    pattern = rng.randrange(4)
    local = (f"{f}.{ln}{pid}", f"{f[0]}{ln}{pid}", f"{ln}.{f}{pid}", f"{f}{ln}{pid}")[pattern]
    return f"{local}@{rng.choices(_MAIL_DOMAINS, _MAIL_WEIGHTS)[0]}"


def ipv4(x: int) -> str:
    x = (x * 2_654_435_761) % (1 << 32)
    a = 11 + (x >> 24) % 200
    if a in (127, 169, 172, 192):
        a += 1
    return f"{a}.{(x >> 16) & 255}.{(x >> 8) & 255}.{1 + (x & 253)}"


def new_person(
    eid: str,
    pid: int,
    rng: random.Random,
    salt: int,
    *,
    last: str | None = None,
    where: tuple[StreetAddress, int, str, str] | None = None,
    phone: Phone | None = None,
    ip: str | None = None,
    hub: str = "",
) -> Person:
    first, _, nicks = rng.choice(_FN_MALE if rng.random() < 0.5 else _FN_FEMALE)
    family = last or rng.choice(SURNAMES)
    addr, place, zip5, plus4 = where or home(rng, 0.3)
    own_phone = us_phone(place, pid, salt) if rng.random() < 0.9 else None
    return Person(
        eid=eid,
        first=first,
        middle=rng.choice("ABCDEJKLMRST") if rng.random() < 0.35 else "",
        last=family,
        nicks=nicks,
        address=addr,
        place=place,
        zip5=zip5,
        plus4=plus4,
        phone=phone or own_phone,
        email=person_email(first, family, pid, rng),
        card=f"{rng.getrandbits(64):016x}",
        ip=ip or ipv4(pid + salt),
        hub=hub,
        phone_form=rng.choices(range(5), (0.1, 0.2, 0.02, 0.13, 0.55))[0],
    )


def tower_address(rng: random.Random, slot: int) -> tuple[StreetAddress, int, str, str]:
    """An apartment tower (same ``rng`` state for every resident) and one unit in it."""
    place = us_place(rng)
    addr = StreetAddress(
        number=rng.randrange(100, 9990),
        direction=-1,
        street=rng.choice(STREET_NAMES),
        kind=rng.randrange(len(STREET_TYPES)),
        unit=f"{1 + slot // 8}{'ABCDEFGH'[slot % 8]}",
        unit_kind=rng.choice((0, 3, 4)),
    )
    return addr, place, f"{US_PLACES[place][3]}{rng.randrange(100):02d}", f"{slot:04d}"

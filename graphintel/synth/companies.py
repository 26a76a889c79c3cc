"""Shipper companies and marketplace sellers.

There are few of them (tens of thousands at a million shipments), so their canonical
strings and phone spellings are built once per entity in Python and kept as Arrow arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

import numpy as np

from graphintel.synth.arrowkit import Str, vocab
from graphintel.synth.kinds import HUB_CONSOLIDATOR, HUB_HOTLINE, HUB_NONE
from graphintel.synth.phones import (
    N_FORMATS,
    cn_hotline,
    cn_landline,
    cn_mobile,
    hk_phone,
    intl_phone,
)
from graphintel.synth.tables import Bijection
from graphintel.synth.vocab_people import US_AREA_CODES
from graphintel.synth.vocab_trade import (
    CN,
    CN_CITIES,
    CN_CITY_WEIGHTS,
    CN_DISTRICTS,
    CN_ROADS,
    COMPANY_EMAIL_LOCALS,
    CONSOLIDATOR_INDUSTRIES,
    COUNTRIES,
    ENGLISH_BRANDS,
    HK,
    HK_ROADS,
    INDUSTRIES,
    LEGIT_INDUSTRY_WEIGHTS,
    MARKETPLACES,
    OTHER_STREETS,
    RING_INDUSTRY_WEIGHTS,
    SYLLABLES,
)

LEGIT, CONSOLIDATOR, RING = "legit", "consolidator", "ring"
FREEMAIL: tuple[str, ...] = ("163.example", "qq.example", "126.example", "foxmail.example")


def _p(weights: tuple[float, ...]) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    return np.asarray(w / w.sum())


_COUNTRY_P = _p(tuple(c[5] for c in COUNTRIES))
_CITY_P = _p(CN_CITY_WEIGHTS)
_LEGIT_IND_P = _p(LEGIT_INDUSTRY_WEIGHTS)
_RING_IND_P = _p(RING_INDUSTRY_WEIGHTS)


@dataclass
class Companies:
    """Shipper companies; string columns are Arrow arrays indexed by company id."""

    base: Str  # name without legal form ("Shenzhen Huayu Trading")
    short: Str  # the same without the place prefix ("Huayu Trading")
    legal: np.ndarray  # legal-form family (vocab_trade.LEGAL_FORMS)
    country: np.ndarray  # index into COUNTRIES
    city: Str
    addr_full: Str
    addr_abbr: Str
    phones: tuple[Str, ...]  # N_FORMATS spellings of the company's phone
    email: Str
    hub: np.ndarray  # HUB_NONE, HUB_CONSOLIDATOR, HUB_HOTLINE or HUB_CARRIER_PHONE
    marketplace: np.ndarray  # marketplace index or -1
    goods: np.ndarray  # main product (index into goods.CATALOGUE)

    def __len__(self) -> int:
        return len(self.legal)


# A company's name is its brand, industry and place, unique in the world: a taken one moves
# to the next brand (and, in China, the next city). Outside China and Hong Kong every
# company shares one space of 1,296 two-word brands per industry, which fills up at a few
# million shipments: probing on through it took minutes at 5M shipments and would never end
# once it is full. After this many probes a name takes a three-part brand instead (46,656
# English or 125,000 syllable brands per industry). Up to a million shipments (either
# profile, seed 7) no company probes that far, so those worlds are what they were; at 2M,
# 151 of 58,523 companies take a three-part brand, at 5M 6,028 of 147,807.
_LINEAR_PROBES = 64


def _long_brand(c: int, cid: int, probe: int) -> str:
    """A three-part brand drawn from the company id and the probe (deterministic)."""
    x = (cid * 2_654_435_761 + probe * 40_503) % (1 << 32)
    if c in (CN, HK):
        syl = len(SYLLABLES)
        a, b, e = x % syl, (x // syl) % syl, (x // syl**2) % syl
        return SYLLABLES[a] + SYLLABLES[b].lower() + SYLLABLES[e].lower()
    nb = len(ENGLISH_BRANDS)
    a, b, e = x % nb, (x // nb) % nb, (x // nb**2) % nb
    return f"{ENGLISH_BRANDS[a]} {ENGLISH_BRANDS[b]} {ENGLISH_BRANDS[e]}"


class CompanyBuilder:
    """Collects companies; names and e-mail addresses are kept unique."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._names: set[str] = set()
        self._emails: set[str] = set()
        self.base: list[str] = []
        self.short: list[str] = []
        self.city: list[str] = []
        self.addr_full: list[str] = []
        self.addr_abbr: list[str] = []
        self.email: list[str] = []
        self.phones: list[tuple[str, ...]] = []
        self.legal: list[int] = []
        self.country: list[int] = []
        self.hub: list[int] = []
        self.marketplace: list[int] = []
        self.goods: list[int] = []
        self._mobile = Bijection.draw(7 * 10**9, rng)
        self._fixed = Bijection.draw(7 * 10**7, rng)

    def __len__(self) -> int:
        return len(self.base)

    def add(
        self, n: int, kind: str, goods: np.ndarray, marketplace: np.ndarray | None = None
    ) -> np.ndarray:
        """Add ``n`` companies of ``kind`` (LEGIT, CONSOLIDATOR, RING); returns their ids."""
        rng = self._rng
        start = len(self)
        if kind == LEGIT:
            country = rng.choice(len(COUNTRIES), n, p=_COUNTRY_P)
            industry = rng.choice(len(INDUSTRIES), n, p=_LEGIT_IND_P)
        else:
            country = np.where(rng.random(n) < 0.85, CN, HK)
            industry = rng.choice(len(INDUSTRIES), n, p=_RING_IND_P)
        market = np.full(n, -1) if marketplace is None else np.asarray(marketplace)
        draws = rng.integers(0, 1 << 30, (n, 12))
        cities = rng.choice(len(CN_CITIES), n, p=_CITY_P)
        cids = np.arange(start, start + n)
        mobiles = (13 * 10**9 + self._mobile(cids)).tolist()
        fixed = (2 * 10**7 + self._fixed(cids)).tolist()
        for i in range(n):
            cid = start + i
            d = [int(x) for x in draws[i]]
            d.extend((mobiles[i], fixed[i]))
            ind = (
                CONSOLIDATOR_INDUSTRIES[d[0] % len(CONSOLIDATOR_INDUSTRIES)]
                if kind == CONSOLIDATOR
                else INDUSTRIES[int(industry[i])]
            )
            c = int(country[i])
            self._add_one(cid, c, ind, int(cities[i]), d)
            self.hub.append(HUB_CONSOLIDATOR if kind == CONSOLIDATOR else HUB_NONE)
            self.marketplace.append(int(market[i]))
            self.goods.append(int(goods[i]))
        return np.arange(start, len(self), dtype=np.int32)

    def _add_one(self, cid: int, c: int, ind: str, city_i: int, d: list[int]) -> None:
        """One company; ``d`` holds its random draws, then its mobile and fixed numbers."""
        code, _names, cities, families, cc, _w = COUNTRIES[c]
        syl = len(SYLLABLES)
        n_brands = syl * syl if c in (CN, HK) else len(ENGLISH_BRANDS) ** 2
        brand_i = d[1] % n_brands
        for probe in count():
            if probe >= _LINEAR_PROBES:  # a crowded two-part space: a three-part brand
                brand = _long_brand(c, cid, probe)
            elif c in (CN, HK):
                brand = SYLLABLES[brand_i // syl] + SYLLABLES[brand_i % syl].lower()
            else:
                nb = len(ENGLISH_BRANDS)
                brand = f"{ENGLISH_BRANDS[brand_i // nb]} {ENGLISH_BRANDS[brand_i % nb]}"
            if c == CN:
                place = CN_CITIES[city_i][0]
            elif c == HK:
                place = "Hong Kong" if d[2] % 2 else ""
            else:
                place = ""
            short = f"{brand} {ind}"
            base = f"{place} {short}".strip()
            if base.lower() not in self._names:
                break
            brand_i = (brand_i + 1) % n_brands
            if c == CN:
                city_i = (city_i + 1) % len(CN_CITIES)
        self._names.add(base.lower())
        self.base.append(base)
        self.short.append(short)
        self.legal.append(families[d[3] % len(families)])
        self.country.append(c)
        room, bld, no = 101 + d[4] % 2800, 1 + d[5] % 12, 1 + d[6] % 399
        if c == CN:
            city, area = CN_CITIES[city_i]
            road, dist = CN_ROADS[d[7] % len(CN_ROADS)], CN_DISTRICTS[d[8] % len(CN_DISTRICTS)]
            full = f"Room {room}, Building {bld}, No. {no} {road} Road, {dist} District"
            abbr = f"Rm {room}, Bldg {bld}, No.{no} {road} Rd, {dist} Dist."
            phones = cn_mobile(d[12]) if d[9] % 100 < 55 else cn_landline(area, d[13])
        elif c == HK:
            city = cities[d[7] % len(cities)]
            road = HK_ROADS[d[8] % len(HK_ROADS)]
            tower = ENGLISH_BRANDS[d[10] % len(ENGLISH_BRANDS)]
            flat, floor = "ABCDEFGH"[d[4] % 8], 1 + d[5] % 30
            full = f"Flat {flat}, {floor}/F, {tower} Industrial Building, {no} {road} Road, {city}"
            abbr = f"Flt {flat}, {floor}/F, {tower} Ind. Bldg, {no} {road} Rd, {city}"
            phones = hk_phone(d[13])
        else:
            city = cities[d[7] % len(cities)]
            street = OTHER_STREETS[d[8] % len(OTHER_STREETS)]
            full, abbr = f"{no} {street} Street", f"{no} {street} St"
            if cc == "1":
                npa = US_AREA_CODES[cid % len(US_AREA_CODES)]
                number = npa * 10**7 + 5_550_100 + (cid // len(US_AREA_CODES)) % 100
            else:
                number = d[12] - 11 * 10**9  # 10 digits, 2000000000..8999999999
            phones = intl_phone(cc, number)
        self.city.append(city)
        self.addr_full.append(full)
        self.addr_abbr.append(abbr)
        self.phones.append(phones)
        self.email.append(self._email(brand, ind, code, d))

    def _email(self, brand: str, ind: str, code: str, d: list[int]) -> str:
        slug = (brand + ind.split()[0]).lower().replace(" ", "").replace("-", "")
        if code in ("CN", "HK") and d[11] % 100 < 35:
            local, domain = f"{slug}{10 + d[11] % 90}", FREEMAIL[d[10] % len(FREEMAIL)]
        else:
            local = COMPANY_EMAIL_LOCALS[d[11] % len(COMPANY_EMAIL_LOCALS)]
            domain = f"{slug}.example"
        email, k = f"{local}@{domain}", 1
        while email in self._emails:
            k += 1
            email = f"{local}{k}@{domain}"
        self._emails.add(email)
        return email

    def use_hotline(self, ids: np.ndarray, marketplace: int) -> None:
        """These shippers print their marketplace's service number as their phone."""
        formats = cn_hotline(MARKETPLACES[marketplace][2])
        for i in ids.tolist():
            self.phones[i] = formats
            self.hub[i] = HUB_HOTLINE

    def share(self, ids: np.ndarray, field: str, hub: int | None = None) -> None:
        """Give every company in ``ids`` the first one's phone, e-mail or address (and
        mark them all as that hub, when given)."""
        first, rest = int(ids[0]), [int(i) for i in ids[1:]]
        if hub is not None:
            for i in [first, *rest]:
                self.hub[i] = hub
        for i in rest:
            if field == "phone":
                self.phones[i] = self.phones[first]
            elif field == "email":
                self.email[i] = self.email[first]
            elif field == "address":
                self.addr_full[i], self.addr_abbr[i] = self.addr_full[first], self.addr_abbr[first]
                self.city[i], self.country[i] = self.city[first], self.country[first]
            else:
                raise ValueError(f"cannot share {field!r}")

    def freeze(self) -> Companies:
        return Companies(
            base=vocab(self.base),
            short=vocab(self.short),
            legal=np.array(self.legal, dtype=np.int8),
            country=np.array(self.country, dtype=np.int8),
            city=vocab(self.city),
            addr_full=vocab(self.addr_full),
            addr_abbr=vocab(self.addr_abbr),
            phones=tuple(vocab([p[k] for p in self.phones]) for k in range(N_FORMATS)),
            email=vocab(self.email),
            hub=np.array(self.hub, dtype=np.int8),
            marketplace=np.array(self.marketplace, dtype=np.int16),
            goods=np.array(self.goods, dtype=np.int16),
        )

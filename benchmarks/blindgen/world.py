"""The population behind a manifest: merchants and their legitimate hubs, forwarders,
consumers (towers, households, people living alone) and the planted rings."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass, field, replace
from functools import lru_cache

from benchmarks.blindgen.parties import (
    Company,
    CompanyFactory,
    Person,
    Phone,
    cn_city,
    home,
    new_person,
    tower_address,
    us_phone,
)
from benchmarks.blindgen.places import CnAddress
from benchmarks.blindgen.vocab import (
    CARRIERS,
    CN_PLACES,
    FORWARDER_KINDS,
    MARKETPLACES,
    PORTS,
    SEIZURES_BY_RING,
    SURNAMES,
)

RING_TYPES = ("drop_address", "payment_hub", "structuring", "identity_churn")
TOWER_SLOTS = 160  # residents per apartment tower
HOUSEHOLD_SLOTS = 3
P_VIA = 0.22  # legitimate parcels a forwarder ships for the seller


@dataclass
class Ring:
    rid: str
    kind: str
    size: int
    start: int  # first day
    span: int  # days active
    fronts: list[Company]
    consignees: list[Person]
    accounts: list[str] = field(default_factory=list)  # shared payment ids (payment_hub)
    ips: list[str] = field(default_factory=list)
    seized: frozenset[int] = frozenset()  # indices of seized shipments
    category: str = ""
    carrier: int = 0
    port: int = 0
    p_forwarder: float = 0.0


@dataclass(frozen=True)
class Sizes:
    merchants: int
    forwarders: int
    persons: int
    towers: int
    households: int

    @staticmethod
    def of(n: int, profile_density: float = 1.0) -> Sizes:
        return Sizes(
            merchants=max(150, n // 110),
            forwarders=4 + n // 40_000,
            persons=max(600, int(n * 0.55)),
            towers=max(2, int(n / 5000 * profile_density)),
            households=max(5, int(n * 0.55) // 30),
        )


def _weights(n: int, rng: random.Random, skew: float, head: float) -> list[float]:
    """Cumulative Zipf-like weights over a random order of ``n`` items."""
    ranks = list(range(n))
    rng.shuffle(ranks)
    return list(itertools.accumulate(1.0 / (r + head) ** skew for r in ranks))


def pick(rng: random.Random, cum: list[float]) -> int:
    return bisect.bisect_right(cum, rng.random() * cum[-1])


class World:
    def __init__(self, seed: int, n_shipments: int, n_rings: int) -> None:
        self.seed = seed
        self.sizes = s = Sizes.of(n_shipments)
        self.salt = seed * 1_000_003 % 999_983
        rng = random.Random(f"{seed}:companies")
        self.factory = fac = CompanyFactory(rng)
        self.merchants: list[Company] = []
        for i in range(s.merchants):
            self.merchants.append(self._merchant(i, fac, rng))
        self._hubs(rng)
        self.forwarders = [self._forwarder(s.merchants + i, fac) for i in range(s.forwarders)]
        self.merchant_cum = _weights(s.merchants, rng, 0.95, 8.0)
        self.forwarder_cum = _weights(s.forwarders, rng, 0.8, 2.0)
        self.home_forwarder = [rng.randrange(s.forwarders) for _ in range(s.merchants)]
        self.n_towers_res = s.towers * TOWER_SLOTS
        self.n_house_res = s.households * HOUSEHOLD_SLOTS
        self.perm_mult = _coprime(s.persons, rng)
        self.perm_add = rng.randrange(s.persons)
        self.next_eid = s.merchants + s.forwarders
        self.ring_persons: list[Person] = []
        self.rings = [self._ring(r, n_shipments, random.Random(f"{seed}:ring:{r}"))
                      for r in range(n_rings)]  # fmt: skip
        self._person = lru_cache(maxsize=65_536)(self._build_person)

    # -- companies ----------------------------------------------------------------------

    def _merchant(self, i: int, fac: CompanyFactory, rng: random.Random) -> Company:
        country = rng.choices(("CN", "HK", "US", "VN", "IN", "GB", "DE"), (72, 12, 6, 3, 3, 2, 2))
        city_i = cn_city(rng)
        c = fac.company(f"S{i:06d}", country[0], city_i)
        if i and c.country == "CN" and rng.random() < 0.03:
            other = self.merchants[rng.randrange(i)]
            twin = fac.namesake(other.org, cn_city(rng))
            if twin is not None:
                c.org = twin  # same trade name, another city, its own identifiers
        if rng.random() < 0.65:
            c.marketplace = rng.randrange(len(MARKETPLACES))
            c.seller_id = f"{MARKETPLACES[c.marketplace][1]}{(i * 7_368_787 + 1) % 10**8:08d}"
        return c

    def _forwarder(self, i: int, fac: CompanyFactory) -> Company:
        rng = fac.rng
        country = "CN" if rng.random() < 0.7 else "HK"
        c = fac.company(f"S{i:06d}", country, cn_city(rng), tuple(rng.choice(FORWARDER_KINDS)
                                                                    .split()))  # fmt: skip
        c.hub, c.p_var = "forwarder", rng.uniform(0.1, 0.35)
        if c.phone is None:
            c.phone = fac.phone_for(country, 0)
        return c

    def _hubs(self, rng: random.Random) -> None:
        """Legitimate sharing among merchants: business buildings (different rooms), virtual
        offices (one room), pick-up agents' phones and marketplace hotlines."""
        fac, m = self.factory, self.merchants
        city_index = {p[0]: i for i, p in enumerate(CN_PLACES)}
        buildings: dict[int, list[CnAddress]] = {}
        for _ in range(max(4, len(m) // 25)):
            ci = cn_city(rng)
            buildings.setdefault(ci, []).append(fac.cn_address(ci))
        offices = [(fac.cn_address(i % len(CN_PLACES)), i % len(CN_PLACES))
                   for i in range(max(2, len(m) // 300))]  # fmt: skip
        agents = [fac.phone_for("CN", cn_city(rng)) for _ in range(max(3, len(m) // 200))]
        hotlines = [Phone("86", f"{blk.replace('-', '')[:6]}{rng.randrange(10**4):04d}", False)
                    for _, _, blk in MARKETPLACES]  # fmt: skip
        for c in m:
            if c.country != "CN":
                continue
            u = rng.random()
            here = buildings.get(city_index[c.city], [])
            if u < 0.35 and here:
                room = rng.randrange(1, 33) * 100 + rng.randrange(1, 30)
                c.address, c.hub = replace(rng.choice(here), room=room), "building"
            elif u < 0.39:
                addr, city_i = rng.choice(offices)
                c.address, c.city, c.hub = addr, CN_PLACES[city_i][0], "office"
            if rng.random() < 0.07:
                c.phone, c.hub = rng.choice(agents), c.hub or "carrier_phone"
        for c in m:
            if c.country in ("CN", "HK") and c.marketplace >= 0 and rng.random() < 0.3:
                c.phone, c.hub = hotlines[c.marketplace], c.hub or "hotline"

    def _front(self, rng: random.Random) -> Company:
        eid = f"S{self.next_eid:06d}"
        self.next_eid += 1
        return self.factory.company(eid, "CN" if rng.random() < 0.85 else "HK", cn_city(rng))

    # -- persons ------------------------------------------------------------------------

    def person(self, pid: int) -> Person:
        return self._person(pid)

    def _build_person(self, pid: int) -> Person:
        n_legit = self.sizes.persons
        if pid >= n_legit:
            return self.ring_persons[pid - n_legit]
        prng = random.Random(f"{self.seed}:p:{pid}")
        eid = f"P{pid:07d}"
        if pid < self.n_towers_res:
            trng = random.Random(f"{self.seed}:t:{pid // TOWER_SLOTS}")
            where = tower_address(trng, pid % TOWER_SLOTS)
            return new_person(eid, pid, prng, self.salt, where=where, hub="tower")
        k = pid - self.n_towers_res
        if k < self.n_house_res:
            head = pid - k % HOUSEHOLD_SLOTS
            hrng = random.Random(f"{self.seed}:h:{head}")
            where = home(hrng, 0.3)
            last = hrng.choice(SURNAMES) if hrng.random() < 0.8 else None
            phone = us_phone(where[1], head, self.salt) if hrng.random() < 0.4 else None
            ip = f"{self.salt % 200 + 20}.{head % 251}.{head // 251 % 251}.{head % 7 + 2}"
            shared_ip = ip if hrng.random() < 0.6 else None
            return new_person(eid, pid, prng, self.salt, last=last, where=where, phone=phone,
                              ip=shared_ip, hub="household")  # fmt: skip
        return new_person(eid, pid, prng, self.salt)

    def legit_consignee(self, rng: random.Random) -> int:
        """A legitimate buyer: most buy once or twice, one in fifty buys often."""
        n = self.sizes.persons
        x = rng.randrange(max(1, n // 50)) if rng.random() < 0.18 else rng.randrange(n)
        return (x * self.perm_mult + self.perm_add) % n

    def _ring_person(self, rng: random.Random, **kw: object) -> Person:
        pid = self.sizes.persons + len(self.ring_persons)
        p = new_person(f"P{pid:07d}", pid, rng, self.salt, **kw)  # type: ignore[arg-type]
        self.ring_persons.append(p)
        return p

    # -- rings --------------------------------------------------------------------------

    def _ring(self, r: int, n_shipments: int, rng: random.Random) -> Ring:
        kind = RING_TYPES[r % len(RING_TYPES)]
        size = int(min(250, max(12, rng.lognormvariate(math.log(38), 0.55))))
        size = min(size, max(12, n_shipments // 40))
        span = rng.randrange(25, 150)
        ring = Ring(f"ring-{r:04d}", kind, size, rng.randrange(0, 181 - min(span, 180)), span,
                    [], [])  # fmt: skip
        ring.carrier = rng.randrange(len(CARRIERS))
        ring.port = rng.randrange(len(PORTS))
        if kind == "drop_address":
            ring.fronts = [self._front(rng) for _ in range(rng.randint(1, 3))]
            drops = [home(rng, 0.6) for _ in range(1 if rng.random() < 0.7 else 2)]
            ring.consignees = [self._ring_person(rng, where=rng.choice(drops))
                               for _ in range(max(4, size // 3))]  # fmt: skip
            ring.p_forwarder = 0.15
        elif kind == "payment_hub":
            ring.fronts = [self._front(rng) for _ in range(rng.randint(4, 12))]
            ring.consignees = [self._ring_person(rng) for _ in range(max(6, size // 2))]
            ring.accounts = [crypto_or_wallet(rng) for _ in range(rng.randint(1, 3))]
            ring.ips = [f"{rng.randrange(11, 220)}.{rng.randrange(256)}.{rng.randrange(256)}."
                        f"{rng.randrange(1, 255)}" for _ in range(rng.randint(2, 4))]  # fmt: skip
            ring.p_forwarder = 0.2
        elif kind == "structuring":
            ring.fronts = [self._front(rng) for _ in range(rng.randint(1, 2))]
            where = home(rng, 0.4)
            last = rng.choice(SURNAMES)
            ring.consignees = [self._ring_person(rng, where=where, last=last)
                               for _ in range(rng.randint(1, 3))]  # fmt: skip
        else:
            fronts = [self._front(rng) for _ in range(rng.randint(4, 10))]
            first = fronts[0]
            for f in fronts[1:]:
                f.address, f.city, f.country = first.address, first.city, first.country
                f.phone = first.phone if rng.random() < 0.8 else f.phone
                f.email = first.email if rng.random() < 0.5 else f.email
            ring.fronts = fronts
            ring.consignees = [self._ring_person(rng) for _ in range(max(6, size // 2))]
        if rng.random() < 2 / 3:
            k = max(1, min(6, round(size * rng.uniform(0.03, 0.08))))
            ring.seized = frozenset(rng.sample(range(size), k))
            ring.category = rng.choice(SEIZURES_BY_RING[kind])
        return ring


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def crypto_or_wallet(rng: random.Random) -> str:
    """A shared payment id: Ethereum (hex), Bitcoin bech32, Tron base58 or a wallet."""
    u = rng.random()
    if u < 0.35:
        return f"crypto:0x{rng.getrandbits(160):040x}"
    if u < 0.6:
        return "crypto:bc1q" + "".join(rng.choice(_BECH32) for _ in range(38))
    if u < 0.8:
        return "crypto:T" + "".join(rng.choice(_B58) for _ in range(33))
    return f"wallet:pay{rng.getrandbits(32):08x}@walletpay.com"


def _coprime(n: int, rng: random.Random) -> int:
    while True:
        a = rng.randrange(n // 3 + 1, max(n // 3 + 2, n - 1))
        if math.gcd(a, n) == 1:
            return a

"""What the parcels hold: HTSUS codes, descriptions, values, quantities and weights.

Ring goods lean to headings 2933/2934 (heterocyclic compounds, the fentanyl precursor
chapters) and 8479 (machines n.e.s., where pill-press parts are declared), under vague
descriptions; legitimate traffic also carries a little of the same headings so that an
HTS code alone does not give a ring away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphintel.synth.arrowkit import Str, choose, take, vocab
from graphintel.synth.kinds import COUNTERFEIT, FENTANYL, PILL_PRESS, PRECURSOR


@dataclass(frozen=True)
class Good:
    hts: str  # 10-digit HTSUS, dotted
    description: str
    median_usd: float
    unit_kg: float
    share: float  # relative frequency in legitimate traffic


LEGIT_GOODS: tuple[Good, ...] = (
    Good("6109.10.0012", "men's cotton t-shirt", 12, 0.18, 8),
    Good("6104.43.2010", "women's dress", 22, 0.3, 6),
    Good("6110.20.2079", "knit sweater", 28, 0.45, 4),
    Good("6115.95.9000", "cotton socks", 8, 0.1, 3),
    Good("6505.00.9040", "baseball cap", 10, 0.12, 2),
    Good("6404.11.9020", "sneakers", 38, 0.9, 4),
    Good("4202.22.8050", "handbag", 30, 0.7, 4),
    Good("4202.32.1000", "phone wallet case", 9, 0.08, 3),
    Good("3926.90.9985", "plastic phone case", 6, 0.06, 6),
    Good("8517.62.0090", "bluetooth earbuds", 24, 0.15, 5),
    Good("8518.30.2000", "wired headphones", 14, 0.2, 2),
    Good("8504.40.9580", "usb charger", 11, 0.12, 4),
    Good("8544.42.9090", "usb cable", 5, 0.08, 4),
    Good("8471.60.2000", "wireless keyboard", 26, 0.5, 2),
    Good("9503.00.0073", "plastic toy set", 15, 0.4, 5),
    Good("9504.50.0000", "game controller", 29, 0.3, 2),
    Good("7117.19.9000", "fashion jewelry", 7, 0.05, 5),
    Good("9102.11.2520", "wrist watch", 25, 0.15, 2),
    Good("3304.99.5000", "cosmetic cream", 13, 0.15, 4),
    Good("3305.90.0000", "hair care product", 11, 0.3, 2),
    Good("9405.42.8440", "led light strip", 17, 0.35, 3),
    Good("8516.31.0000", "hair dryer", 27, 0.7, 2),
    Good("8215.99.5000", "kitchen utensil set", 14, 0.6, 3),
    Good("6307.90.9891", "fabric storage bag", 9, 0.3, 2),
    Good("9506.91.0030", "fitness band", 16, 0.4, 2),
    Good("8525.89.5050", "action camera", 55, 0.3, 1),
    Good("6302.31.9020", "cotton bed sheet", 34, 1.2, 1),
    Good("8467.21.0040", "cordless drill", 48, 1.6, 1),
    Good("8708.29.5160", "car accessory", 21, 0.5, 1),
    Good("2106.90.9998", "dietary supplement", 20, 0.3, 1.5),
    # The ring headings, rarely and for real: lab supply, spare parts.
    Good("2933.39.9100", "pharmaceutical intermediate", 140, 1.0, 0.15),
    Good("2934.99.9001", "laboratory reagent", 95, 0.5, 0.1),
    Good("8479.89.9499", "machine parts", 75, 2.5, 0.4),
    Good("8479.90.9496", "mixer spare parts", 110, 3.0, 0.1),
)

CHEMICAL_GOODS: tuple[Good, ...] = (
    Good("2933.39.9100", "industrial chemical", 80, 1.0, 0),
    Good("2933.99.9701", "organic intermediate", 90, 1.0, 0),
    Good("2934.99.9001", "chemical reagent", 70, 0.5, 0),
    Good("2934.99.3900", "chemical raw material", 60, 1.5, 0),
    Good("2933.39.9100", "chemical sample", 45, 0.3, 0),
)
PRESS_GOODS: tuple[Good, ...] = (
    Good("8479.89.9499", "machine parts", 120, 4.0, 0),
    Good("8479.89.9499", "plastic mold parts", 90, 2.0, 0),
    Good("8479.90.9496", "tablet machine parts", 150, 5.0, 0),
    Good("8479.89.9499", "metal die set", 110, 3.0, 0),
    Good("8479.30.0000", "press parts", 160, 6.0, 0),
)
# Counterfeit rings ship the look-alikes of popular branded goods.
COUNTERFEIT_GOODS: tuple[int, ...] = (5, 6, 9, 17, 18, 29)

CATALOGUE: tuple[Good, ...] = LEGIT_GOODS + CHEMICAL_GOODS + PRESS_GOODS
N_LEGIT = len(LEGIT_GOODS)
CHEMICAL = np.arange(N_LEGIT, N_LEGIT + len(CHEMICAL_GOODS))
PRESS = np.arange(N_LEGIT + len(CHEMICAL_GOODS), len(CATALOGUE))

_legit_w = np.array([g.share for g in LEGIT_GOODS])
LEGIT_P = _legit_w / _legit_w.sum()
MEDIAN_USD = np.array([g.median_usd for g in CATALOGUE])
UNIT_KG = np.array([g.unit_kg for g in CATALOGUE])

HTS_DOTTED = vocab([g.hts for g in CATALOGUE])
HTS_PLAIN = vocab([g.hts.replace(".", "") for g in CATALOGUE])
HTS_SIX_DOTTED = vocab([g.hts[:7] for g in CATALOGUE])
HTS_SIX = vocab([g.hts.replace(".", "")[:6] for g in CATALOGUE])
DESCRIPTIONS = vocab([g.description for g in CATALOGUE])


def legit_goods(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.choice(N_LEGIT, n, p=LEGIT_P).astype(np.int16)


def ring_goods(n: int, category: int, rng: np.random.Generator) -> np.ndarray:
    """Mostly the ring's own line (chemicals, press parts, fakes), some ordinary cover goods."""
    if category in (FENTANYL, PRECURSOR):
        own = rng.choice(CHEMICAL, n)
    elif category == PILL_PRESS:
        own = rng.choice(PRESS, n)
    else:
        assert category == COUNTERFEIT
        own = rng.choice(np.array(COUNTERFEIT_GOODS), n)
    cover = legit_goods(n, rng)
    return np.where(rng.random(n) < 0.7, own, cover).astype(np.int16)


def hts_text(goods: np.ndarray, fmt: np.ndarray) -> Str:
    """HTS as "6109.10.0012", "6109100012", "6109.10" or "610910"."""
    options = [take(t, goods) for t in (HTS_DOTTED, HTS_PLAIN, HTS_SIX_DOTTED, HTS_SIX)]
    return choose(fmt, options)


def quantities(n: int, rng: np.random.Generator) -> np.ndarray:
    return np.minimum(rng.geometric(0.55, n), 40).astype(np.int16)


def weights_ckg(goods: np.ndarray, qty: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gross weight in hundredths of a kilogram."""
    kg = UNIT_KG[goods] * qty * rng.lognormal(0.0, 0.25, len(goods))
    return np.asarray(np.maximum(np.round(kg * 100), 2), dtype=np.int64)


def legit_values_cents(goods: np.ndarray, qty: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mostly small values (median near $20) with a long tail; about two in a thousand
    exceed $800 and so need an informal (11) or formal (01) entry."""
    n = len(goods)
    usd = MEDIAN_USD[goods] * qty**0.7 * rng.lognormal(0.0, 0.75, n)
    tail = rng.random(n) < 0.004
    usd[tail] *= np.exp(rng.uniform(1.0, 4.0, int(tail.sum())))
    return np.asarray(np.clip(np.round(usd * 100), 99, 2_500_000), dtype=np.int64)

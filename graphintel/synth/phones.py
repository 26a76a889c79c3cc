"""Phone numbers written the many ways manifests write them.

US consignee numbers are rendered vectorized per row; shipper numbers (few companies) get
their spellings precomputed once per company, one of which each label then uses.
"""

from __future__ import annotations

import numpy as np

from graphintel.synth.arrowkit import Part, Str, join, num, switch

N_FORMATS = 4  # spellings precomputed per shipper phone
# US spellings as parts: A = area code, E = exchange, L = line number.
_US_LAYOUTS: tuple[tuple[str, ...], ...] = (
    ("+1 (", "A", ") ", "E", "-", "L"),
    ("A", ".", "E", ".", "L"),
    ("A", "E", "L"),
    ("(", "A", ") ", "E", "-", "L"),
    ("A", "-", "E", "-", "L"),
    ("+1", "A", "E", "L"),
)
US_FORMATS = len(_US_LAYOUTS)


def us_phone_text(phone: np.ndarray, fmt: np.ndarray) -> Str:
    """US number in one of six spellings, e.g. "+1 (415) 555-0134", "415.555.0134",
    "4155550134"; empty where ``phone`` is -1."""

    def build(k: int, rows: np.ndarray) -> Part:
        if k == US_FORMATS:
            return ""
        p = phone[rows]
        a, e, ln = num(p // 10_000_000), num((p // 10_000) % 1_000, 3), num(p % 10_000, 4)
        layout = _US_LAYOUTS[k]
        return join(*[{"A": a, "E": e, "L": ln}.get(part, part) for part in layout])

    which = np.where(phone < 0, US_FORMATS, np.asarray(fmt) % US_FORMATS)
    return switch(which, US_FORMATS + 1, build)


def cn_mobile(n: int) -> tuple[str, ...]:
    """11-digit mainland mobile: "+86 138 0013 8000", "0086-13800138000", "13800138000"."""
    d = f"{n:011d}"
    return (f"+86 {d[:3]} {d[3:7]} {d[7:]}", f"0086-{d}", d, f"+86-{d[:3]}-{d[3:7]}-{d[7:]}")


def cn_landline(area: str, n: int) -> tuple[str, ...]:
    """Mainland fixed line: "+86 755 2345 6789", "0755-23456789", "(0755) 2345 6789"."""
    d = f"{n:08d}"
    return (
        f"+86 {area} {d[:4]} {d[4:]}",
        f"0{area}-{d}",
        f"(0{area}) {d[:4]} {d[4:]}",
        f"+86-{area}-{d}",
    )


def cn_hotline(digits: str) -> tuple[str, ...]:
    """Mainland 400 service number: "400-820-7319", "+86 400 820 7319", "4008207319"."""
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return (f"{a}-{b}-{c}", f"+86 {a} {b} {c}", digits, f"{a} {b} {c}")


def hk_phone(n: int) -> tuple[str, ...]:
    """Hong Kong 8-digit: "+852 2345 6789", "852-23456789", "23456789"."""
    d = f"{n:08d}"
    return (f"+852 {d[:4]} {d[4:]}", f"852-{d}", d, f"+852-{d[:4]}-{d[4:]}")


def intl_phone(cc: str, n: int) -> tuple[str, ...]:
    """Any other country: "+44 2079460123", "0044-2079460123", "+442079460123"."""
    d = f"{n:010d}"
    return (f"+{cc} {d}", f"00{cc}-{d}", f"+{cc}{d}", f"+{cc} {d[:3]} {d[3:6]} {d[6:]}")

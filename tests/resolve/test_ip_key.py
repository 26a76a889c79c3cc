"""The graph's IP fast path (``ip_key``) gives exactly ``normalize_ip``'s key: canonical
text passes through unparsed, everything else is parsed as before."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphintel.normalize import normalize_ip
from graphintel.resolve.graph import ip_key


def _spellings(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[str]:
    text = str(address)
    out = [text, text.upper(), f" {text} ", address.exploded, address.exploded.upper()]
    if isinstance(address, ipaddress.IPv6Address):
        out += [
            f"[{text}]",
            f"{text}%eth0",
            f"::ffff:{ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)}",
        ]
    else:
        out += [".".join(f"{int(p):03d}" for p in text.split("."))]  # leading zeros: invalid
    return out


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**128 - 1), st.integers(0, 2**16 - 1))
def test_ip_key_is_normalize_ip(v4: int, v6: int, group: int) -> None:
    addresses = [ipaddress.IPv4Address(v4), ipaddress.IPv6Address(v6)]
    # Eight non-zero groups with and without leading zeros: the fast path's own shape.
    groups = [(v6 >> (16 * k)) & 0xFFFF or group or 1 for k in range(8)]
    spelled = [":".join(f"{g:x}" for g in groups), ":".join(f"{g:04x}" for g in groups)]
    for text in [s for a in addresses for s in _spellings(a)] + spelled:
        assert ip_key(text) == normalize_ip(text), text


@pytest.mark.parametrize(
    "text",
    [
        "2001:db8:6bc6:b49a:6abc:69a6:3d1f:be33",  # canonical: as it is
        "2001:db8:0:b49a:6abc:69a6:3d1f:be33",  # a zero group: parsed (stays as it is)
        "2001:db8:0:0:6abc:69a6:3d1f:be33",  # two zero groups: compressed to ::
        "2001:0db8:6bc6:b49a:6abc:69a6:3d1f:be33",  # leading zero: dropped
        "2001:DB8:6BC6:B49A:6ABC:69A6:3D1F:BE33",  # upper case: lowered
        "1:2:3:4:5:6:7:8:9",  # nine groups: not an address
        "203.0.113.7",
        "203.0.113.007",
        "not an ip",
        "",
    ],
)
def test_ip_key_examples(text: str) -> None:
    assert ip_key(text) == normalize_ip(text)

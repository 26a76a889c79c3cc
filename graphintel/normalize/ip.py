"""IP addresses in canonical compressed form, so "2001:DB8:0:0::1" equals "2001:db8::1"."""

from __future__ import annotations

import ipaddress


def normalize_ip(raw: str) -> str | None:
    """Compressed canonical IPv4/IPv6 text, or ``None`` when ``raw`` is not an address.

    IPv4-mapped IPv6 addresses ("::ffff:203.0.113.7") become the IPv4 address they carry;
    brackets and an IPv6 zone ("%eth0") are dropped.

    >>> normalize_ip(" 2001:DB8:0:0:0:0:0:1 "), normalize_ip("::ffff:203.0.113.7")
    ('2001:db8::1', '203.0.113.7')
    """
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    text = text.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return address.compressed

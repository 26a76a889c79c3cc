"""Text hygiene for XML formats: XML 1.0 cannot carry most control characters even
escaped, and manifest text is untrusted, so they are dropped before escaping."""

from __future__ import annotations

import re

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_clean(value: object) -> str:
    """Text that an XML 1.0 document can hold (escaping is the writer's job)."""
    return _XML_INVALID.sub("", "" if value is None else str(value))

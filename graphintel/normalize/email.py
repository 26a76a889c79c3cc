"""E-mail addresses reduced to the mailbox that actually receives the mail.

Rings reuse one mailbox under many spellings: "J.Smith+order7@GMail.com" reaches the same
inbox as "jsmith@gmail.com", because Gmail ignores dots and every major provider ignores a
"+tag".
"""

from __future__ import annotations

_GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def normalize_email(raw: str) -> str | None:
    """Lower-cased mailbox with +tags dropped (and dots, for Gmail); ``None`` if malformed.

    >>> normalize_email("  J.Smith+order7@GoogleMail.com ")
    'jsmith@gmail.com'
    >>> normalize_email("Sales+cn@Huaxin-Trade.cn")
    'sales@huaxin-trade.cn'
    """
    text = raw.strip().lower()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    local, sep, domain = text.rpartition("@")
    domain = domain.strip(".")
    if not sep or not local or "@" in local or "." not in domain or len(text.split()) != 1:
        return None
    local = local.split("+", 1)[0]
    if domain in _GMAIL_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    if not local:
        return None
    return f"{local}@{domain}"

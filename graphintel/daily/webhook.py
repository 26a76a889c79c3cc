"""Post alerts to a webhook (a chat room, a case system): one JSON POST per batch.

Bounded on purpose: http(s) URLs only, a timeout, at most ``MAX_ALERTS`` alerts per post,
and a failure is returned as a message (logged by the caller), never raised: a webhook that
is down must not fail the analysis that raised the alerts, which stay in the store.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict
from urllib.parse import urlsplit

from graphintel.daily.records import Alert

TIMEOUT_S = 10.0
MAX_ALERTS = 200


def alert_payload(alerts: Sequence[Alert]) -> dict[str, object]:
    """The JSON body: the alerts as records, the first ``MAX_ALERTS``, and how many there are."""
    return {
        "source": "graphintel",
        "total": len(alerts),
        "alerts": [asdict(a) for a in alerts[:MAX_ALERTS]],
    }


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host, else ValueError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"a webhook must be an http(s) URL with a host, not {url!r}")
    return url


def post_alerts(url: str, alerts: Sequence[Alert], timeout: float = TIMEOUT_S) -> str:
    """POST the alerts to ``url``; "" on a 2xx answer, else what went wrong."""
    if not alerts:
        return ""
    body = json.dumps(alert_payload(alerts)).encode()
    request = urllib.request.Request(  # noqa: S310  (scheme checked by check_url)
        check_url(url),
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "graphintel-alerts"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            status = int(answer.status)
    except urllib.error.HTTPError as exc:
        return f"webhook answered HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return f"webhook unreachable: {exc}"
    return "" if 200 <= status < 300 else f"webhook answered HTTP {status}"

"""Party entity ids: derived from a cluster's smallest mention id, so they stay stable."""

from __future__ import annotations

import hashlib

from graphintel.model import NodeKind, node_id


def entity_id_for(smallest_mention_id: str) -> str:
    """Party node id from the cluster's smallest mention id: stable across re-runs as long
    as that mention stays in the cluster."""
    digest = hashlib.blake2b(smallest_mention_id.encode("utf-8"), digest_size=8).hexdigest()
    return node_id(NodeKind.PARTY, digest)

"""Plain records that cross module boundaries: loader -> store -> resolver -> analytics -> app.

They are small frozen dataclasses with slots so that batches of them stay cheap; no module
holds them for a whole data set (everything streams in batches).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from graphintel.model import EdgeKind, NodeKind, Role


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a row came from: the file (by content hash), its row number and the load."""

    file_id: str
    row_number: int
    load_id: str


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    """One validated manifest row in the canonical layout (empty string = unknown)."""

    shipment_id: str
    arrival_date: str  # ISO 8601 date
    declared_value_usd: float
    shipper_name: str
    consignee_name: str
    provenance: Provenance
    entry_number: str = ""
    entry_type: str = ""
    port_of_entry: str = ""
    carrier: str = ""
    mode: str = ""
    master_bill: str = ""
    country_of_origin: str = ""
    hts_code: str = ""
    description: str = ""
    quantity: int | None = None
    weight_kg: float | None = None
    shipper_address: str = ""
    shipper_city: str = ""
    shipper_country: str = ""
    shipper_phone: str = ""
    shipper_email: str = ""
    consignee_address: str = ""
    consignee_city: str = ""
    consignee_state: str = ""
    consignee_postal_code: str = ""
    consignee_country: str = ""
    consignee_phone: str = ""
    consignee_email: str = ""
    seller_name: str = ""
    seller_id: str = ""
    marketplace: str = ""
    payment_method: str = ""
    payment_account: str = ""
    buyer_ip: str = ""
    inspection_outcome: str = ""
    seizure_category: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    """A source row that was not loaded, with the column and the reason."""

    file_id: str
    file_path: str
    row_number: int
    column: str
    reason: str
    raw: str
    load_id: str = ""


@dataclass(slots=True)
class LoadReport:
    """Counts of one file's load; ``rows_read`` always equals the other three added up."""

    load_id: str
    file_id: str
    file_path: str
    status: str = "running"  # running | loaded | already-loaded | failed
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    started_at: str = ""
    finished_at: str = ""
    message: str = ""

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined + self.rows_duplicate


@dataclass(frozen=True, slots=True)
class PartyContact:
    """A party as written: its name and contact fields (empty strings mean "not given").

    The one declaration of these fields: a ``Mention`` is one written on a shipment in a
    role, a ``PartyRecord`` one row of a party list; both add only where it was written."""

    name: str
    address: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Mention(PartyContact):
    """One party as written on one shipment, in one role, with its raw identifiers."""

    shipment_id: str = field(kw_only=True)
    role: Role = field(kw_only=True)

    @property
    def mention_id(self) -> str:
        return mention_id(self.shipment_id, self.role)


def mention_id(shipment_id: str, role: str) -> str:
    """A party mention's id, ``SHIP1#consignee``: its shipment id and its ``Role`` value.
    The one spelling the resolver, judgements, truth files, the CLI and the app share;
    ``split_mention_id`` reads it back. Called once per mention, so it checks nothing."""
    return f"{shipment_id}#{role}"


_ROLES = frozenset(Role)


def split_mention_id(text: str) -> tuple[str, Role] | None:
    """(shipment id, role) of a mention id; None for anything else (a party id, a typo)."""
    shipment_id, _, role = text.rpartition("#")
    return (shipment_id, Role(role)) if shipment_id and role in _ROLES else None


# The contact fields a party is written with, in ``PartyContact``'s order, and a party
# list's columns (the list loader's fields and the de-duplication's rows).
CONTACT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PartyContact))
PARTY_FIELDS: tuple[str, ...] = ("record_id", *CONTACT_FIELDS, "seller_id", "marketplace")


@dataclass(frozen=True, slots=True)
class PartyRecord(PartyContact):
    """One row of a party list: its contact fields, the seller account it names (if any)
    and the row's id in the list; ``PARTY_FIELDS`` are its columns."""

    seller_id: str = ""
    marketplace: str = ""
    record_id: str = field(kw_only=True)


@dataclass(frozen=True, slots=True)
class MergeEvidence:
    """One piece of evidence behind a merge: why mention ``a`` and ``b`` are one party.

    A model row says what its weight is derived from, so that a store keeps it unchanged
    from run to run while the refitted model moves the weights (``evidence_weights``):
    ``level`` is the field's comparison level (``PAIR_TOTAL`` on the closing
    ``match_probability`` row; 0 on a row whose weight is fixed) and ``tf_count`` how many
    parties carry the value of a term-frequency adjusted level (0 otherwise)."""

    entity_id: str
    mention_a: str
    mention_b: str
    field: str
    value_a: str
    value_b: str
    similarity: float
    weight: float
    rule: str
    level: int = 0
    tf_count: int = 0


@dataclass(frozen=True, slots=True)
class NodeRecord:
    id: str
    kind: NodeKind
    label: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EdgeRecord:
    source: str
    target: str
    kind: EdgeKind
    weight: float = 1.0
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Network:
    """A ranked network of one analysis run, with reasons an investigator can check."""

    network_id: str
    run_id: str
    rank: int
    score: float
    reasons: tuple[str, ...]
    evidence: dict[str, list[str]]  # reason -> evidence ids (shipment or node ids)
    shipment_ids: tuple[str, ...]
    entity_ids: tuple[str, ...]  # Party and identifier node ids
    first_date: str = ""
    last_date: str = ""
    seized_count: int = 0
    typologies: tuple[str, ...] = ()
    n_shipments: int = 0  # kept when members are not loaded (listings)
    n_entities: int = 0
    countries: tuple[str, ...] = ()  # origin countries of its shipments, most shipments first
    name: str = ""  # human name, e.g. "Shenzhen Huayu Trading - drop address" (naming.py)
    points: dict[str, float] = field(default_factory=dict)  # reason -> points, sum = score


@dataclass(frozen=True, slots=True)
class SearchCandidate:
    """A party or identifier the search index proposes for a query, with the normalised text
    it was matched on, for the caller to re-rank."""

    node_id: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class RunRecord:
    run_id: str
    kind: str  # "analyze" | "resolve"
    status: str  # running | succeeded | failed
    started_at: str
    finished_at: str
    params: dict[str, Any]
    versions: dict[str, str]
    counts: dict[str, int]
    message: str = ""


@dataclass(frozen=True, slots=True)
class Judgement:
    """An investigator's ruling that two mentions or entities are (not) the same party;
    every later resolution re-applies it."""

    left: str  # a mention id ("SHIP1#consignee") or a party entity id ("party:...")
    right: str
    verdict: str  # "same" or "different"
    user: str
    created_at: str
    withdrawn_by: str = ""  # who withdrew it; "" while it stands (withdrawn ones are kept)
    withdrawn_at: str = ""  # UTC; a withdrawn judgement is no longer re-applied

    @property
    def withdrawn(self) -> bool:
        return bool(self.withdrawn_at)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who did what to which data, and when: one search, view, judgement or export. ``target``
    and ``detail`` may carry manifest text (a query, a name): data, never markup or code."""

    user: str
    action: str  # see graphintel.store.base.AUDIT_ACTIONS
    target: str  # what was acted on: a network, node id, query text, output file
    detail: str  # e.g. the export format, the verdict
    created_at: str  # UTC ISO 8601


@dataclass(frozen=True, slots=True)
class MentionAssignment:
    """The resolver's answer for one mention: which party entity it belongs to."""

    shipment_id: str
    role: Role
    entity_id: str
    name: str

    @property
    def mention_id(self) -> str:
        return mention_id(self.shipment_id, self.role)


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """An investigator's saved workspace: the chart as drawn (elements with positions), notes
    and filters, under a name. ``payload`` is opaque to the store (JSON-serialisable)."""

    case_id: str
    name: str
    payload: dict[str, Any]
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True, slots=True)
class ShipmentStats:
    """Aggregates of the loaded shipments for the app's overview charts."""

    total: int
    by_month: list[tuple[str, int]]  # ("YYYY-MM", shipments), oldest first
    value_bins: list[tuple[float, int]]  # (lower bound in USD, shipments); the last bin is open
    countries: list[tuple[str, int]]  # (country of origin, shipments), most first


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    """One row of a watchlist as loaded: who or what it names, and where it came from.

    Empty strings mean "not given"; an entry names at least one of them. ``row_number``
    counts data rows of ``file_path`` from 1, so a hit can be traced to its source row.
    """

    list_name: str
    row_number: int
    name: str = ""
    country: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    payment_account: str = ""
    ip: str = ""
    note: str = ""  # e.g. the programme or sanction reason the list gives


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A loaded list of known bad parties (``kind="bad"``) or trusted ones (``"trusted"``,
    e.g. C-TPAT members), with the file it came from."""

    name: str
    kind: str  # "bad" | "trusted"
    file_path: str
    file_id: str  # SHA-256 of the file's content
    added_at: str
    entries: int

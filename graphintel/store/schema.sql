-- GraphIntel embedded store, schema version 1.
-- Source rows (shipments, quarantine, loads) are written only by loads; the resolved graph
-- (nodes, edges, mentions, merge_evidence) is replaced as a whole by each resolution; runs
-- and their networks are append-only.

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS loads (
    load_id          TEXT PRIMARY KEY,
    file_id          TEXT NOT NULL,
    file_path        TEXT NOT NULL,
    status           TEXT NOT NULL,
    rows_read        INTEGER NOT NULL,
    rows_loaded      INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    rows_duplicate   INTEGER NOT NULL,
    started_at       TEXT NOT NULL,
    finished_at      TEXT NOT NULL,
    message          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS loads_by_file ON loads (file_id, status);

CREATE TABLE IF NOT EXISTS shipments (
    shipment_id           TEXT PRIMARY KEY,
    arrival_date          TEXT NOT NULL,
    declared_value_usd    REAL NOT NULL,
    shipper_name          TEXT NOT NULL,
    consignee_name        TEXT NOT NULL,
    entry_number          TEXT NOT NULL,
    entry_type            TEXT NOT NULL,
    port_of_entry         TEXT NOT NULL,
    carrier               TEXT NOT NULL,
    mode                  TEXT NOT NULL,
    master_bill           TEXT NOT NULL,
    country_of_origin     TEXT NOT NULL,
    hts_code              TEXT NOT NULL,
    description           TEXT NOT NULL,
    quantity              INTEGER,
    weight_kg             REAL,
    shipper_address       TEXT NOT NULL,
    shipper_city          TEXT NOT NULL,
    shipper_country       TEXT NOT NULL,
    shipper_phone         TEXT NOT NULL,
    shipper_email         TEXT NOT NULL,
    consignee_address     TEXT NOT NULL,
    consignee_city        TEXT NOT NULL,
    consignee_state       TEXT NOT NULL,
    consignee_postal_code TEXT NOT NULL,
    consignee_country     TEXT NOT NULL,
    consignee_phone       TEXT NOT NULL,
    consignee_email       TEXT NOT NULL,
    seller_name           TEXT NOT NULL,
    seller_id             TEXT NOT NULL,
    marketplace           TEXT NOT NULL,
    payment_method        TEXT NOT NULL,
    payment_account       TEXT NOT NULL,
    buyer_ip              TEXT NOT NULL,
    inspection_outcome    TEXT NOT NULL,
    seizure_category      TEXT NOT NULL,
    extra                 TEXT NOT NULL,
    file_id               TEXT NOT NULL,
    row_number            INTEGER NOT NULL,
    load_id               TEXT NOT NULL REFERENCES loads (load_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS shipments_by_source ON shipments (file_id, row_number);
CREATE INDEX IF NOT EXISTS shipments_by_date ON shipments (arrival_date);
-- a daily resolution reads only the shipments of the loads its saved state has not seen
CREATE INDEX IF NOT EXISTS shipments_by_load ON shipments (load_id);

CREATE TABLE IF NOT EXISTS quarantine (
    id          INTEGER PRIMARY KEY,
    load_id     TEXT NOT NULL REFERENCES loads (load_id),
    file_id     TEXT NOT NULL,
    file_path   TEXT NOT NULL,
    row_number  INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    reason      TEXT NOT NULL,
    raw         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quarantine_by_load ON quarantine (load_id, row_number);

CREATE TABLE IF NOT EXISTS nodes (
    id    TEXT PRIMARY KEY,
    kind  TEXT NOT NULL,
    label TEXT NOT NULL,
    props TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_by_kind ON nodes (kind);
CREATE INDEX IF NOT EXISTS nodes_by_label ON nodes (label COLLATE NOCASE);

CREATE TABLE IF NOT EXISTS edges (
    source TEXT NOT NULL,
    kind   TEXT NOT NULL,
    target TEXT NOT NULL,
    weight REAL NOT NULL,
    props  TEXT NOT NULL,
    PRIMARY KEY (source, kind, target)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_by_target ON edges (target, kind);

CREATE TABLE IF NOT EXISTS mentions (
    shipment_id TEXT NOT NULL,
    role        TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (shipment_id, role)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_by_entity ON mentions (entity_id);

CREATE TABLE IF NOT EXISTS merge_evidence (
    id         INTEGER PRIMARY KEY,
    entity_id  TEXT NOT NULL,
    mention_a  TEXT NOT NULL,
    mention_b  TEXT NOT NULL,
    field      TEXT NOT NULL,
    value_a    TEXT NOT NULL,
    value_b    TEXT NOT NULL,
    similarity REAL NOT NULL,
    weight     REAL NOT NULL,
    rule       TEXT NOT NULL,
    level      INTEGER NOT NULL DEFAULT 0,
    tf_count   INTEGER NOT NULL DEFAULT 0
);
-- an entity's rows, and a merge's (a day removes the rows of the merges that changed)
CREATE INDEX IF NOT EXISTS merge_evidence_by_merge ON merge_evidence (entity_id, mention_a, mention_b);

CREATE TABLE IF NOT EXISTS runs (
    run_id      TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    params      TEXT NOT NULL,
    versions    TEXT NOT NULL,
    counts      TEXT NOT NULL,
    message     TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS networks (
    run_id       TEXT NOT NULL REFERENCES runs (run_id),
    network_id   TEXT NOT NULL,
    rank         INTEGER NOT NULL,
    score        REAL NOT NULL,
    reasons      TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    typologies   TEXT NOT NULL,
    first_date   TEXT NOT NULL,
    last_date    TEXT NOT NULL,
    seized_count INTEGER NOT NULL,
    n_shipments  INTEGER NOT NULL,
    n_entities   INTEGER NOT NULL,
    countries    TEXT NOT NULL DEFAULT '[]', -- JSON list, origin countries by shipments
    name         TEXT NOT NULL DEFAULT '',   -- human name (analytics/naming.py)
    points       TEXT NOT NULL DEFAULT '{}', -- JSON object, reason -> points
    PRIMARY KEY (run_id, network_id)
);
CREATE INDEX IF NOT EXISTS networks_by_rank ON networks (run_id, rank);

CREATE TABLE IF NOT EXISTS network_members (
    run_id     TEXT NOT NULL,
    network_id TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    is_shipment INTEGER NOT NULL,
    PRIMARY KEY (run_id, network_id, node_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS network_members_by_node ON network_members (run_id, node_id);

-- Investigator workspace: saved cases (payload is the app's JSON) and notes on nodes.
CREATE TABLE IF NOT EXISTS cases (
    case_id    TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notes (
    node_id    TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Investigator judgements on resolution ("same" / "different"), re-applied by every resolve.
CREATE TABLE IF NOT EXISTS judgements (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    left_id    TEXT NOT NULL,
    right_id   TEXT NOT NULL,
    verdict    TEXT NOT NULL CHECK (verdict IN ('same', 'different')),
    user_name  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    withdrawn_by TEXT NOT NULL DEFAULT '',  -- a withdrawn judgement stays, marked, never re-applied
    withdrawn_at TEXT NOT NULL DEFAULT ''
);

-- What the last resolution saved for the next, incremental one: named binary parts
-- (Arrow IPC streams of the normalized mention table and the compared pairs), chunked.
CREATE TABLE IF NOT EXISTS resolver_state (
    name  TEXT NOT NULL,
    chunk INTEGER NOT NULL,
    data  BLOB NOT NULL,
    PRIMARY KEY (name, chunk)
) WITHOUT ROWID;

-- Audit log: who searched, viewed, judged and exported what, and when (append only).
CREATE TABLE IF NOT EXISTS audit_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name  TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_by_user ON audit_log (user_name, seq);

-- Watchlists: known bad or trusted parties, one row per source row (provenance: file, row).
CREATE TABLE IF NOT EXISTS watchlists (
    name       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('bad', 'trusted')),
    file_path  TEXT NOT NULL,
    file_id    TEXT NOT NULL,
    added_at   TEXT NOT NULL,
    entries    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watchlist_entries (
    list_name       TEXT NOT NULL REFERENCES watchlists (name) ON DELETE CASCADE,
    row_number      INTEGER NOT NULL,
    name            TEXT NOT NULL,
    country         TEXT NOT NULL,
    address         TEXT NOT NULL,
    phone           TEXT NOT NULL,
    email           TEXT NOT NULL,
    payment_account TEXT NOT NULL,
    ip              TEXT NOT NULL,
    note            TEXT NOT NULL,
    PRIMARY KEY (list_name, row_number)
) WITHOUT ROWID;

-- Daily operation: how each analysis run's networks changed against the run before
-- (graphintel.daily.identity), and the alerts runs raised, open until acknowledged.
CREATE TABLE IF NOT EXISTS network_lineage (
    run_id       TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    network_id   TEXT NOT NULL,
    event        TEXT NOT NULL,
    related      TEXT NOT NULL,  -- JSON list of network ids
    added        INTEGER NOT NULL,
    removed      INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    previous_run TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alerts (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id        TEXT NOT NULL UNIQUE,
    run_id          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    reasons         TEXT NOT NULL,  -- JSON lists
    shipment_ids    TEXT NOT NULL,
    network_ids     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    acknowledged_by TEXT NOT NULL DEFAULT '',
    acknowledged_at TEXT NOT NULL DEFAULT ''
);

-- Schema version 1 of the goproxy database. Statements are separated by lines holding only ';'.
-- A released version is never edited: changes go into schema-2.sql and so on (PostgresDatabase applies them in
-- order, once, under a lock, whichever node starts first).

-- The version ledger (PostgresLedger): first writer of (module_path, version) wins for ever.
CREATE TABLE goproxy_ledger (
    module_path    text   NOT NULL,
    version        text   NOT NULL,
    commit_hex     text   NOT NULL,
    repository_key text,
    mod_h1         text,
    zip_h1         text,
    recorded_at    bigint NOT NULL,
    origin         text,
    PRIMARY KEY (module_path, version)
)
;
-- The checksum database (PostgresChecksumLog, PostgresSumdbKey): one tree for every node. An append locks the
-- tree's one row, so appends are serialized across nodes; records, times and stored hashes are never updated.
CREATE TABLE goproxy_sumdb_tree (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    size        bigint  NOT NULL,
    root        bytea   NOT NULL,
    last_micros bigint  NOT NULL
)
;
INSERT INTO goproxy_sumdb_tree (size, root, last_micros) VALUES (0, decode(repeat('00', 32), 'hex'), 0)
;
CREATE TABLE goproxy_sumdb_records (
    id          bigint PRIMARY KEY,
    module_path text   NOT NULL,
    version     text   NOT NULL,
    body        text   NOT NULL,
    micros      bigint NOT NULL UNIQUE,
    UNIQUE (module_path, version)
)
;
-- x/mod's tlog stored hashes, by their stored index.
CREATE TABLE goproxy_sumdb_hashes (
    stored_index bigint PRIMARY KEY,
    hash         bytea  NOT NULL CHECK (length(hash) = 32)
)
;
-- The signer key (Ed25519, x/mod's note format): whoever reads this table can sign as the database.
CREATE TABLE goproxy_sumdb_key (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    signer_key text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
)
;

-- The administrators' audit log (PostgresAuditLog): one row per act, read back in seq order.
CREATE TABLE goproxy_audit (
    seq     bigserial PRIMARY KEY,
    at      text NOT NULL,
    who     text NOT NULL,
    action  text NOT NULL,
    target  text NOT NULL,
    outcome text NOT NULL
)
;

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
-- The checksum database (PostgresChecksumLog): tables follow.

-- The administrators' audit log: table follows.

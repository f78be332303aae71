package com.gitblit.plugin.goproxy.cache;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;

import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresLedger;
import com.gitblit.plugin.goproxy.testing.PostgresServer;

/** The ledger compliance test on a real PostgreSQL server: each open() is another pool on the same database. */
class PostgresLedgerTest extends VersionLedgerCompliance {
    private final PostgresServer server = PostgresServer.shared();
    private final String url = server.newDatabase();
    private final List<PostgresDatabase> opened = new ArrayList<>();

    @Override
    VersionLedger open() throws Exception {
        PostgresDatabase db = PostgresDatabase.open(url, server.passwordFile().toFile(), 4);
        opened.add(db);
        return new PostgresLedger(db);
    }

    @AfterEach
    void closePools() {
        for (PostgresDatabase db : opened) {
            db.close();
        }
    }
}

package com.gitblit.plugin.goproxy.cache.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.StorageException;
import com.gitblit.plugin.goproxy.testing.PostgresServer;

/** The pool and the schema on a real PostgreSQL server. */
class PostgresDatabaseTest {
    private final PostgresServer server = PostgresServer.shared();

    @Test
    void nodesStartingTogetherCreateTheSchemaOnce() throws Exception {
        String url = server.newDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<PostgresDatabase>> opening = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            opening.add(pool.submit((Callable<PostgresDatabase>) () -> PostgresDatabase.open(url,
                    server.passwordFile().toFile(), 2)));
        }
        for (Future<PostgresDatabase> f : opening) {
            try (PostgresDatabase db = f.get()) {
                assertEquals(Integer.valueOf(PostgresDatabase.SCHEMA_VERSION), db.call("v", c -> {
                    try (ResultSet r = c.createStatement().executeQuery("SELECT count(*), max(version) FROM goproxy_schema")) {
                        r.next();
                        assertEquals(PostgresDatabase.SCHEMA_VERSION, r.getInt(1), "one row per applied version");
                        return r.getInt(2);
                    }
                }));
            }
        }
        pool.shutdown();
    }

    @Test
    void refusesADatabaseWrittenByANewerVersion() throws Exception {
        String url = server.newDatabase();
        PostgresDatabase.open(url, server.passwordFile().toFile(), 2).close();
        String db = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        server.sql(db, "INSERT INTO goproxy_schema VALUES (" + (PostgresDatabase.SCHEMA_VERSION + 1) + ")");
        IOException e = assertThrows(IOException.class,
                () -> PostgresDatabase.open(url, server.passwordFile().toFile(), 2));
        assertTrue(e.getMessage().contains("newer than this version knows"), e.getMessage());
    }

    @Test
    void aWrongPasswordIsAPlainStorageFault(@TempDir Path tmp) throws Exception {
        Path wrong = Files.write(tmp.resolve("pw"), "not-it\n".getBytes());
        IOException e = assertThrows(IOException.class,
                () -> PostgresDatabase.open(server.newDatabase(), wrong.toFile(), 2));
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
    }

    @Test
    void anUnreachableDatabaseStartsAndSaysTryAgain() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (PostgresDatabase db = PostgresDatabase.open("jdbc:postgresql://127.0.0.1:" + closedPort + "/x?user=u",
                null, 2)) {
            StorageException e = assertThrows(StorageException.class, () -> db.call("find", c -> null));
            assertTrue(e instanceof DatabaseUnavailableException, e.toString());
        }
    }

    @Test
    void refusesAnotherKindOfUrl() {
        IOException e = assertThrows(IOException.class,
                () -> PostgresDatabase.open("jdbc:mysql://localhost/x", (File) null, 2));
        assertTrue(e.getMessage().startsWith("the ledger URL must be jdbc:postgresql://"), e.getMessage());
    }
}

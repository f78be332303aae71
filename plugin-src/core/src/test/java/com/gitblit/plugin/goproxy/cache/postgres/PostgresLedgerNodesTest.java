package com.gitblit.plugin.goproxy.cache.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.FileVersionLedger;
import com.gitblit.plugin.goproxy.cache.LedgerConflictException;
import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.PinOrigin;
import com.gitblit.plugin.goproxy.testing.PostgresServer;

/** Two nodes (two pools) on one real PostgreSQL database, and a node's copy while the database is away. */
class PostgresLedgerNodesTest {
    private final PostgresServer server = PostgresServer.shared();

    private PostgresDatabase open(String url) throws Exception {
        return PostgresDatabase.open(url, server.passwordFile().toFile(), 8);
    }

    @Test
    void twoNodesRacingPinsAgreeOnEveryWinner() throws Exception {
        String url = server.newDatabase();
        int versions = 200;
        int threadsPerNode = 8;
        try (PostgresDatabase a = open(url); PostgresDatabase b = open(url)) {
            PostgresLedger[] nodes = {new PostgresLedger(a), new PostgresLedger(b)};
            ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode);
            CountDownLatch start = new CountDownLatch(1);
            Map<String, Set> seen = new ConcurrentHashMap<>();
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                for (int t = 0; t < threadsPerNode; t++) {
                    final PostgresLedger node = nodes[n];
                    final String writer = n + "-" + t;
                    done.add(pool.submit((Callable<Void>) () -> {
                        start.await();
                        for (int v = 0; v < versions; v++) {
                            String version = "v1.0." + v;
                            LedgerEntry e = node.recordCommit("example.com/race", version, "commit-" + writer,
                                    "r.git", PinOrigin.REQUEST);
                            seen.computeIfAbsent(version, k -> new Set()).add(e.commit());
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertEquals(versions, seen.size());
            for (Map.Entry<String, Set> s : seen.entrySet()) {
                assertEquals(1, s.getValue().size(), s.getKey() + ": every caller must be told the one winner, was "
                        + s.getValue());
                assertEquals(s.getValue().iterator().next(), nodes[1].find("example.com/race", s.getKey()).commit());
            }
            assertEquals(versions, nodes[0].count());
            String db = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
            assertEquals(Integer.toString(versions), server.sql(db, "SELECT count(*) FROM goproxy_ledger"));
        }
    }

    @Test
    void hashesRecordedByOneNodeAreSettledForTheOther() throws Exception {
        String url = server.newDatabase();
        try (PostgresDatabase a = open(url); PostgresDatabase b = open(url)) {
            PostgresLedger one = new PostgresLedger(a);
            PostgresLedger two = new PostgresLedger(b);
            one.recordCommit("example.com/m", "v1.0.0", "aaaa", "m.git", PinOrigin.PUSH);
            two.recordZipHash("example.com/m", "v1.0.0", "h1:zip");
            assertThrows(LedgerConflictException.class, () -> one.recordZipHash("example.com/m", "v1.0.0", "h1:other"));
            LedgerEntry e = one.find("example.com/m", "v1.0.0");
            assertEquals("h1:zip", e.zipH1());
            assertEquals(PinOrigin.PUSH, e.origin());
            assertTrue(e.recordedAt() > 0);
            assertThrows(java.io.IOException.class, () -> two.recordModHash("example.com/m", "v9.0.0", "h1:x"));
        }
    }

    @Test
    void theCopyServesPinnedVersionsWhileTheDatabaseIsAwayAndNeverPins(@TempDir Path tmp) throws Exception {
        String url = server.newDatabase();
        String db = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        try (PostgresDatabase pg = open(url)) {
            ReadThroughLedger ledger = new ReadThroughLedger(new PostgresLedger(pg),
                    new FileVersionLedger(tmp.resolve("ledger-copy")));
            ledger.recordCommit("example.com/m", "v1.0.0", "aaaa", "m.git");
            ledger.recordZipHash("example.com/m", "v1.0.0", "h1:zip");
            // Pinned by another node: this node learns it when it reads it.
            server.sql(db, "INSERT INTO goproxy_ledger (module_path, version, commit_hex, recorded_at)"
                    + " VALUES ('example.com/m', 'v1.1.0', 'bbbb', 1)");
            assertEquals("bbbb", ledger.find("example.com/m", "v1.1.0").commit());
            server.sql(db, "INSERT INTO goproxy_ledger (module_path, version, commit_hex, recorded_at)"
                    + " VALUES ('example.com/m', 'v1.2.0', 'cccc', 1)");
            assertEquals(3, ledger.list("example.com/m").size());
            // Forgotten by an administrator on another node: the copy follows the reachable database.
            server.sql(db, "DELETE FROM goproxy_ledger WHERE version = 'v1.2.0'");
            assertNull(ledger.find("example.com/m", "v1.2.0"));

            server.stop();
            try {
                assertEquals("aaaa", ledger.find("example.com/m", "v1.0.0").commit());
                assertEquals("h1:zip", ledger.find("example.com/m", "v1.0.0").zipH1());
                assertEquals("bbbb", ledger.find("example.com/m", "v1.1.0").commit());
                assertNull(ledger.find("example.com/m", "v1.2.0"));
                assertEquals(2, ledger.list("example.com/m").size());
                assertEquals(java.util.Collections.singletonList("example.com/m"), ledger.modules());
                assertThrows(DatabaseUnavailableException.class,
                        () -> ledger.recordCommit("example.com/m", "v2.0.0", "dddd", "m.git"));
                assertThrows(DatabaseUnavailableException.class,
                        () -> ledger.recordZipHash("example.com/m", "v1.1.0", "h1:new"));
                // A hash the copy holds is confirmed or refused from it: the database can only hold the same.
                assertEquals("aaaa", ledger.recordZipHash("example.com/m", "v1.0.0", "h1:zip").commit());
                assertThrows(LedgerConflictException.class,
                        () -> ledger.recordZipHash("example.com/m", "v1.0.0", "h1:other"));
                assertThrows(DatabaseUnavailableException.class, () -> ledger.forget("example.com/m", "v1.0.0"));
                assertNull(ledger.find("example.com/m", "v2.0.0"), "nothing was pinned locally");
            } finally {
                server.startAgain();
            }
            // Another node pinned v2.0.0 meanwhile; the database decides, not what this node tried.
            server.sql(db, "INSERT INTO goproxy_ledger (module_path, version, commit_hex, recorded_at)"
                    + " VALUES ('example.com/m', 'v2.0.0', 'eeee', 1)");
            LedgerEntry back = eventually(() -> ledger.recordCommit("example.com/m", "v2.0.0", "dddd", "m.git"));
            assertEquals("eeee", back.commit());
            assertEquals("eeee", new FileVersionLedger(tmp.resolve("ledger-copy")).find("example.com/m", "v2.0.0").commit());
        }
    }

    @Test
    void aCopyThatCannotBeWrittenLeavesTheDatabasesAnswerStanding(@TempDir Path tmp) throws Exception {
        try (PostgresDatabase pg = open(server.newDatabase())) {
            Path copy = tmp.resolve("ledger-copy");
            ReadThroughLedger ledger = new ReadThroughLedger(new PostgresLedger(pg), new FileVersionLedger(copy));
            // Where the copy's folder was, a file stands now: every write there fails, as on a full disk.
            java.nio.file.Files.delete(copy);
            java.nio.file.Files.write(copy, new byte[] {1});
            assertEquals("aaaa", ledger.recordCommit("example.com/m", "v1.0.0", "aaaa", "m.git").commit());
            assertEquals("h1:z", ledger.recordZipHash("example.com/m", "v1.0.0", "h1:z").zipH1());
            assertEquals("aaaa", ledger.find("example.com/m", "v1.0.0").commit());
            assertEquals(1, ledger.list("example.com/m").size());
            assertTrue(ledger.forget("example.com/m", "v1.0.0"));
        }
    }

    @Test
    void adoptingEntriesIsFirstWriterWinsAndRerunnable() throws Exception {
        String url = server.newDatabase();
        try (PostgresDatabase pg = open(url)) {
            PostgresLedger ledger = new PostgresLedger(pg);
            LedgerEntry old = new LedgerEntry("example.com/m", "v1.0.0", "aaaa", "m.git", "h1:mod", "h1:zip", 1234L,
                    PinOrigin.ADMIN);
            assertEquals(PostgresLedger.Adopted.COPIED, ledger.adopt(old));
            assertEquals(PostgresLedger.Adopted.ALREADY_THERE, ledger.adopt(old));
            LedgerEntry e = ledger.find("example.com/m", "v1.0.0");
            assertEquals(1234L, e.recordedAt());
            assertEquals(PinOrigin.ADMIN, e.origin());
            assertEquals("h1:mod", e.modH1());
            assertEquals(PostgresLedger.Adopted.CONFLICT, ledger.adopt(new LedgerEntry("example.com/m", "v1.0.0",
                    "bbbb", "m.git", null, null, 1L)));
            assertEquals(PostgresLedger.Adopted.CONFLICT, ledger.adopt(new LedgerEntry("example.com/m", "v1.0.0",
                    "aaaa", "m.git", null, "h1:other", 1L)));
            assertEquals("aaaa", ledger.find("example.com/m", "v1.0.0").commit());
            // The same commit pinned here without hashes takes the migrated ones.
            ledger.recordCommit("example.com/m", "v1.1.0", "cccc", "m.git");
            assertEquals(PostgresLedger.Adopted.ALREADY_THERE, ledger.adopt(new LedgerEntry("example.com/m", "v1.1.0",
                    "cccc", "m.git", "h1:m", "h1:z", 1L)));
            assertEquals("h1:z", ledger.find("example.com/m", "v1.1.0").zipH1());
            assertNotNull(ledger.find("example.com/m", "v1.1.0").modH1());
        }
    }

    private static <T> T eventually(Callable<T> call) throws Exception {
        long end = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                return call.call();
            } catch (DatabaseUnavailableException e) {
                if (System.currentTimeMillis() > end) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** The commits one version was answered with. */
    private static final class Set extends java.util.concurrent.CopyOnWriteArraySet<String> {
        private static final long serialVersionUID = 1L;
    }
}

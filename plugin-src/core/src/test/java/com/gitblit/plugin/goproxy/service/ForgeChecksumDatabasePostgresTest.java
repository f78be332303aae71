package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.postgres.DatabaseUnavailableException;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;
import com.gitblit.plugin.goproxy.sumdb.NoteVerifier;
import com.gitblit.plugin.goproxy.sumdb.SignedNote;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;
import com.gitblit.plugin.goproxy.sumdb.TilePath;
import com.gitblit.plugin.goproxy.sumdb.Tlog;
import com.gitblit.plugin.goproxy.testing.PostgresServer;

/**
 * Several nodes over one PostgreSQL database are one checksum database: one key (created once), one tree, and so
 * byte-identical signed heads, lookups, tiles and index pages whichever node answers.
 */
class ForgeChecksumDatabasePostgresTest {
    private static final String NAME = "git.example.com";
    private final PostgresServer server = PostgresServer.shared();

    private PostgresDatabase open(String url) throws Exception {
        return PostgresDatabase.open(url, server.passwordFile().toFile(), 4);
    }

    @Test
    void twoNodesAnswerTheSameBytes() throws Exception {
        String url = server.newDatabase();
        try (PostgresDatabase dbA = open(url); PostgresDatabase dbB = open(url);
                ForgeChecksumDatabase a = ForgeChecksumDatabase.open(dbA, NAME, null, null);
                ForgeChecksumDatabase b = ForgeChecksumDatabase.open(dbB, NAME, null, null)) {
            assertEquals(a.verifierKey(), b.verifierKey(), "one key, created by the first node");
            Random random = new Random(5);
            List<String[]> versions = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String path = NAME + "/team/m" + (i % 13);
                String version = "v1." + i + ".0";
                String zip = "h1:" + Long.toHexString(random.nextLong()) + "=";
                String mod = "h1:" + Long.toHexString(random.nextLong()) + "=";
                ForgeChecksumDatabase node = i % 2 == 0 ? a : b;
                long id = node.add(path, version, zip, mod);
                assertEquals(i, id);
                // The other node offering the same version (it pinned it too) gets the same record.
                assertEquals(id, (i % 2 == 0 ? b : a).add(path, version, zip, mod));
                versions.add(new String[] {path, version});
                if (i % 50 == 49) {
                    assertArrayEquals(a.latest(), b.latest(), "signed heads at " + (i + 1));
                }
            }
            byte[] head = a.latest();
            assertArrayEquals(head, b.latest());
            // Signed with the key clients trust, over the tree of every version either node added.
            assertTrue(SignedNote.open(head, NoteVerifier.parse(b.verifierKey()))
                    .startsWith("go.sum database tree\n300\n"));
            for (int i = 0; i < 300; i += 7) {
                String[] v = versions.get(i);
                byte[] fromA = a.lookup(null, v[0], v[1]);
                assertArrayEquals(fromA, b.lookup(null, v[0], v[1]), v[0] + "@" + v[1]);
                assertTrue(new String(fromA, java.nio.charset.StandardCharsets.UTF_8).startsWith(i + "\n" + v[0]));
                assertTrue(a.contains(v[0], v[1]) && b.contains(v[0], v[1]));
            }
            assertFalse(a.contains(NAME + "/team/other", "v1.0.0"));
            for (String tile : new String[] {Tlog.tilePath(8, 0, 0, 256), Tlog.tilePath(8, 0, 1, 44),
                    Tlog.tilePath(8, 1, 0, 1)}) {
                TilePath t = TilePath.parse(tile);
                assertArrayEquals(a.tile(t), b.tile(t), tile);
                assertEquals(t.width() * Tlog.HASH_SIZE, a.tile(t).length);
            }
            List<ForgeChecksumDatabase.IndexEntry> indexA = a.index(0, 2000, 100_000, p -> true);
            List<ForgeChecksumDatabase.IndexEntry> indexB = b.index(0, 2000, 100_000, p -> true);
            assertEquals(300, indexA.size());
            long last = 0;
            for (int i = 0; i < 300; i++) {
                assertEquals(indexA.get(i).path + indexA.get(i).version + indexA.get(i).micros,
                        indexB.get(i).path + indexB.get(i).version + indexB.get(i).micros);
                assertEquals(versions.get(i)[1], indexA.get(i).version);
                assertTrue(indexA.get(i).micros > last);
                last = indexA.get(i).micros;
            }
            List<ForgeChecksumDatabase.IndexEntry> page = b.index(indexA.get(120).micros, 10, 100_000, p -> true);
            assertEquals(versions.get(120)[1], page.get(0).version, "since is inclusive");
            assertEquals(10, page.size());
        }
    }

    @Test
    void nodesStartingTogetherShareOneKeyAndAKeyForAnotherNameIsRefused() throws Exception {
        String url = server.newDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<PostgresDatabase> dbs = new ArrayList<>();
        try {
            List<Future<String>> keys = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                PostgresDatabase db = open(url);
                dbs.add(db);
                keys.add(pool.submit((Callable<String>) () -> ForgeChecksumDatabase.open(db, NAME, null, null)
                        .verifierKey()));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> f : keys) {
                distinct.add(f.get());
            }
            assertEquals(1, distinct.size(), distinct.toString());
            SumdbException e = assertThrows(SumdbException.class,
                    () -> ForgeChecksumDatabase.open(dbs.get(0), "example.com/git", null, null));
            assertTrue(e.getMessage().contains("is for " + NAME), e.getMessage());
        } finally {
            pool.shutdown();
            for (PostgresDatabase db : dbs) {
                db.close();
            }
        }
    }

    @Test
    void whileTheDatabaseIsDownAppendsSayTryAgainAndNothingIsLoggedTwiceAfter() throws Exception {
        String url = server.newDatabase();
        try (PostgresDatabase db = open(url); ForgeChecksumDatabase sums = ForgeChecksumDatabase.open(db, NAME, null,
                null)) {
            sums.add(NAME + "/a", "v1.0.0", "h1:a=", "h1:am=");
            byte[] before = sums.latest();
            PostgresDatabase late = null;
            ForgeChecksumDatabase lateSums;
            server.stop();
            try {
                assertThrows(DatabaseUnavailableException.class,
                        () -> sums.add(NAME + "/b", "v1.0.0", "h1:b=", "h1:bm="));
                // A node starting now starts its database without a key: no GOSUMDB line on its pages yet.
                late = open(url);
                lateSums = ForgeChecksumDatabase.open(late, NAME, null, null);
                assertEquals(NAME, lateSums.name());
                assertNull(lateSums.verifierKey());
            } finally {
                server.startAgain();
            }
            try {
                assertArrayEquals(before, sums.latest(), "the same tree, the same signed head");
                assertEquals(sums.verifierKey(), lateSums.verifierKey(), "read once the database is back");
                assertEquals(1, lateSums.add(NAME + "/b", "v1.0.0", "h1:b=", "h1:bm="));
                assertEquals(0, sums.add(NAME + "/a", "v1.0.0", "h1:a=", "h1:am="));
                assertTrue(new String(sums.latest(), java.nio.charset.StandardCharsets.UTF_8)
                        .startsWith("go.sum database tree\n2\n"));
                assertArrayEquals(sums.latest(), lateSums.latest());
            } finally {
                late.close();
            }
        }
    }

    @Test
    void theWiringAttachesTheSharedDatabaseOrTurnsItOffForAnotherName(@TempDir Path data) throws Exception {
        String url = server.newDatabase();
        try (PostgresDatabase db = open(url)) {
            ForgeChecksumDatabase.open(db, NAME, null, null).close();
            try (GitModuleService git = (GitModuleService) ModuleServices.create(
                    ProxySettings.builder().dataDirectory(data.resolve("a").toFile()).build())) {
                ModuleServices.attachSharedChecksumDatabase(git, db, NAME, null);
                assertEquals(NAME, git.checksumDatabase().name());
                assertEquals(ForgeChecksumDatabase.open(db, NAME, null, null).verifierKey(),
                        git.checksumDatabase().verifierKey());
            }
            try (GitModuleService git = (GitModuleService) ModuleServices.create(
                    ProxySettings.builder().dataDirectory(data.resolve("b").toFile()).build())) {
                ModuleServices.attachSharedChecksumDatabase(git, db, "example.com/git", null);
                assertNull(git.checksumDatabase(), "a key made for another name is refused");
            }
        }
    }

    @Test
    void aNodesOwnDatabaseMovesIntoTheSharedOneWithTheSameKeyTreeAndTimes(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("own");
        Random random = new Random(9);
        List<String[]> versions = new ArrayList<>();
        byte[] head;
        String key;
        try (ForgeChecksumDatabase own = ForgeChecksumDatabase.open(data.toFile(), NAME, null)) {
            for (int i = 0; i < 700; i++) {
                String[] v = {NAME + "/team/m" + (i % 11), "v1." + i + ".0"};
                own.add(v[0], v[1], "h1:" + Long.toHexString(random.nextLong()) + "=",
                        "h1:" + Long.toHexString(random.nextLong()) + "=");
                versions.add(v);
            }
            head = own.latest();
            key = own.verifierKey();
        }
        String url = server.newDatabase();
        try (PostgresDatabase db = open(url)) {
            assertEquals(700, ForgeChecksumDatabase.copyToDatabase(data.toFile(), db));
            assertEquals(0, ForgeChecksumDatabase.copyToDatabase(data.toFile(), db), "copying again changes nothing");
            try (ForgeChecksumDatabase own = ForgeChecksumDatabase.open(data.toFile(), NAME, null);
                    ForgeChecksumDatabase shared = ForgeChecksumDatabase.open(db, NAME, null, null)) {
                assertEquals(key, shared.verifierKey());
                assertArrayEquals(head, shared.latest());
                for (int i = 0; i < 700; i += 23) {
                    String[] v = versions.get(i);
                    assertArrayEquals(own.lookup(null, v[0], v[1]), shared.lookup(null, v[0], v[1]));
                }
                for (String tile : new String[] {Tlog.tilePath(8, 0, 1, 256), Tlog.tilePath(8, 0, 2, 188),
                        Tlog.tilePath(8, 1, 0, 2)}) {
                    assertArrayEquals(own.tile(TilePath.parse(tile)), shared.tile(TilePath.parse(tile)), tile);
                }
                List<ForgeChecksumDatabase.IndexEntry> a = own.index(0, 2000, 100_000, p -> true);
                List<ForgeChecksumDatabase.IndexEntry> b = shared.index(0, 2000, 100_000, p -> true);
                for (int i = 0; i < 700; i++) {
                    assertEquals(a.get(i).path + a.get(i).version + a.get(i).micros,
                            b.get(i).path + b.get(i).version + b.get(i).micros);
                }
                assertEquals(700, shared.add(NAME + "/team/new", "v1.0.0", "h1:n=", "h1:nm="));
                assertTrue(shared.index(a.get(699).micros + 1, 10, 100, p -> true).get(0).path
                        .equals(NAME + "/team/new"));
            }
            // Another node's own database cannot be copied over a shared one that has grown its own tree.
            Path other = tmp.resolve("other");
            try (ForgeChecksumDatabase node = ForgeChecksumDatabase.open(other.toFile(), NAME, null)) {
                node.add(NAME + "/x", "v1.0.0", "h1:x=", "h1:xm=");
            }
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> ForgeChecksumDatabase.copyToDatabase(other.toFile(), db));
            assertTrue(e.getMessage().contains("already holds another checksum database key"), e.getMessage());
        }
    }
}

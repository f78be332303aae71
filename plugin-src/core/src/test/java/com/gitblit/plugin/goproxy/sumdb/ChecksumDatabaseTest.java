package com.gitblit.plugin.goproxy.sumdb;

import com.gitblit.plugin.goproxy.testing.RequiresGo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.SumdbServer;

/**
 * The verifying client against a real checksum database (x/mod/sumdb's server, built by the test): proofs for
 * trees across tile boundaries, and every kind of tampering in between refused.
 */
@RequiresGo
class ChecksumDatabaseTest {
    @TempDir
    static Path work;
    private static SumdbServer db;

    @BeforeAll
    static void start() throws Exception {
        db = SumdbServer.start("sum.test.example", work);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            lines.append(line(i));
        }
        db.add(lines.toString());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void tilePathsAsXmodWritesThem() {
        assertEquals("tile/4/0/001.p/5", Tlog.tilePath(4, 0, 1, 5));
        assertEquals("tile/3/5/x123/x456/078.p/2", Tlog.tilePath(3, 5, 123456078, 2));
        assertEquals("tile/8/1/000", Tlog.tilePath(8, 1, 0, 256));
    }

    @Test
    void everyRecordIsProvenAndEachTreeExtendsTheLast() throws Exception {
        ChecksumDatabase client = new ChecksumDatabase(NoteVerifier.parse(db.verifierKey()), ChecksumDatabaseTest::get);
        // 300 records: each lookup grows the log by one, so this proves inclusion at every size up to 300 and
        // consistency from each size to the next, across the first level-1 tile (256 leaves).
        for (int i = 0; i < 300; i++) {
            String text = client.lookup("example.com/m" + i, "v1.0.0");
            assertEquals(line(i), text);
            assertEquals(h1(i), ChecksumDatabase.hashIn(text, "example.com/m" + i, "v1.0.0"));
        }
        assertEquals(300, client.latestKnown().size());
        assertEquals(line(7), client.lookup("example.com/m7", "v1.0.0"));
        assertNull(client.lookup("example.com/unknown", "v1.0.0"));
    }

    @Test
    void aClientThatSawASmallTreeProvesTheJumpToALargeOne() throws Exception {
        ChecksumDatabase early = new ChecksumDatabase(NoteVerifier.parse(db.verifierKey()), ChecksumDatabaseTest::get);
        early.lookup("example.com/m0", "v1.0.0");
        ChecksumDatabase fresh = new ChecksumDatabase(NoteVerifier.parse(db.verifierKey()), ChecksumDatabaseTest::get);
        for (int i = 0; i < 300; i++) {
            fresh.lookup("example.com/m" + i, "v1.0.0");
        }
        assertEquals(line(299), early.lookup("example.com/m299", "v1.0.0"));
        assertTrue(early.latestKnown().size() >= 300);
    }

    @Test
    void aChangedRecordIsNotInTheTree() throws Exception {
        ChecksumDatabase client = new ChecksumDatabase(NoteVerifier.parse(db.verifierKey()), path -> {
            byte[] b = get(path);
            return path.startsWith("lookup/") ? new String(b, StandardCharsets.UTF_8).replace(h1(3), h1(4))
                    .getBytes(StandardCharsets.UTF_8) : b;
        });
        SumdbException e = assertThrows(SumdbException.class, () -> client.lookup("example.com/m3", "v1.0.0"));
        assertEquals("sum.test.example: the record of example.com/m3@v1.0.0 is not in the signed tree", e.getMessage());
    }

    @Test
    void aChangedTileBreaksTheProof() throws Exception {
        ChecksumDatabase client = new ChecksumDatabase(NoteVerifier.parse(db.verifierKey()), path -> {
            byte[] b = get(path);
            if (path.startsWith("tile/") && b != null && b.length > 0) {
                b[0] ^= 1;
            }
            return b;
        });
        assertThrows(SumdbException.class, () -> client.lookup("example.com/m150", "v1.0.0"));
    }

    @Test
    void anotherDatabasesKeyIsRefused() throws Exception {
        try (SumdbServer other = SumdbServer.start("sum.test.example", work)) {
            ChecksumDatabase client = new ChecksumDatabase(NoteVerifier.parse(other.verifierKey()),
                    ChecksumDatabaseTest::get);
            SumdbException e = assertThrows(SumdbException.class, () -> client.lookup("example.com/m1", "v1.0.0"));
            assertEquals("note has no verifiable signature by sum.test.example", e.getMessage());
        }
    }

    @Test
    void aDatabaseShowingAnotherHistoryIsCaughtAcrossRestarts() throws Exception {
        byte[][] saved = new byte[1][];
        ChecksumDatabase.TreeMemory memory = new ChecksumDatabase.TreeMemory() {
            @Override
            public byte[] load() {
                return saved[0];
            }

            @Override
            public void save(byte[] note) {
                saved[0] = note;
            }
        };
        NoteVerifier key = NoteVerifier.parse(db.verifierKey());
        new ChecksumDatabase(key, ChecksumDatabaseTest::get, memory).lookup("example.com/m5", "v1.0.0");
        long seen = new ChecksumDatabase(key, ChecksumDatabaseTest::get, memory).latestKnown().size();
        assertTrue(seen > 0 && seen < 400, "seen " + seen);
        try (SumdbServer forked = SumdbServer.withKeyOf(db, work)) {
            StringBuilder other = new StringBuilder();
            for (int i = 0; i < 400; i++) {
                other.append(line(1000 + i));
            }
            forked.add(other.toString());
            // Grow the other log past the remembered tree (plain lookups add records), then ask it once.
            for (int i = 0; i < 400; i++) {
                get(forked.url(), "lookup/example.com/m" + (1000 + i) + "@v1.0.0");
            }
            ChecksumDatabase restarted = new ChecksumDatabase(key, path -> get(forked.url(), path), memory);
            SumdbException e = assertThrows(SumdbException.class,
                    () -> restarted.lookup("example.com/m1000", "v1.0.0"));
            assertTrue(e.getMessage().endsWith("the database shows two histories"), e.getMessage());
            assertEquals(seen, restarted.latestKnown().size(), "the remembered tree stays");
        }
    }

    static String line(int i) {
        return "example.com/m" + i + " v1.0.0 " + h1(i) + "\nexample.com/m" + i + " v1.0.0/go.mod " + h1(-i - 1) + "\n";
    }

    static String h1(int i) {
        try {
            return "h1:" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] get(String path) throws IOException {
        return get(db.url(), path);
    }

    static byte[] get(String base, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(base + "/" + path).openConnection();
        try {
            if (c.getResponseCode() == 404) {
                return null;
            }
            if (c.getResponseCode() != 200) {
                throw new IOException(path + ": " + c.getResponseCode());
            }
            try (InputStream in = c.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0;) {
                    out.write(buf, 0, n);
                }
                return out.toByteArray();
            }
        } finally {
            c.disconnect();
        }
    }
}

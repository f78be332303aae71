package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the admin view reads beside the ledger's promise: how a version was pinned, kept across restarts and
 * absent (not invented) for entries written before it was recorded; and the store's hits, misses, evictions and
 * last use.
 */
class PinOriginAndActivityTest {
    @TempDir
    Path tmp;

    @Test
    void theOriginSurvivesARestartAndOlderEntriesHaveNone() throws Exception {
        FileVersionLedger ledger = new FileVersionLedger(tmp.resolve("ledger"));
        ledger.recordCommit("example.com/m", "v1.0.0", "aaaa", "m.git", PinOrigin.PUSH);
        ledger.recordCommit("example.com/m", "v1.1.0", "bbbb", "m.git");
        ledger.recordZipHash("example.com/m", "v1.0.0", "h1:zip");
        // The first writer's origin holds, like its commit.
        assertEquals(PinOrigin.PUSH,
                ledger.recordCommit("example.com/m", "v1.0.0", "cccc", "m.git", PinOrigin.REQUEST).origin());

        FileVersionLedger reopened = new FileVersionLedger(tmp.resolve("ledger"));
        LedgerEntry pushed = reopened.find("example.com/m", "v1.0.0");
        assertEquals(PinOrigin.PUSH, pushed.origin());
        assertEquals("h1:zip", pushed.zipH1(), "recording a hash keeps the origin");
        assertNull(reopened.find("example.com/m", "v1.1.0").origin());
        String older = new String(FileVersionLedger.serialize(reopened.find("example.com/m", "v1.1.0")),
                StandardCharsets.UTF_8);
        assertFalse(older.contains("pinnedBy"), "an entry without origin is written as before: " + older);
        assertTrue(new String(FileVersionLedger.serialize(pushed), StandardCharsets.UTF_8).contains("pinnedBy=push"));
    }

    @Test
    void aFileWrittenBeforeOriginsOrByANewerVersionReadsWithoutOne() throws Exception {
        Path f = tmp.resolve("entry.properties");
        Files.write(f, "module=example.com/m\nversion=v1.0.0\ncommit=aaaa\nrepository=m.git\nrecordedAt=5\n"
                .getBytes(StandardCharsets.UTF_8));
        LedgerEntry old = FileVersionLedger.read(f);
        assertNull(old.origin());
        assertEquals(5, old.recordedAt());
        Files.write(f, "module=example.com/m\nversion=v1.0.0\ncommit=aaaa\npinnedBy=mirror\n"
                .getBytes(StandardCharsets.UTF_8));
        assertNull(FileVersionLedger.read(f).origin(), "an origin this version does not know");
        for (PinOrigin o : PinOrigin.values()) {
            assertEquals(o, PinOrigin.parse(o.word()));
        }
    }

    @Test
    void theStoreCountsHitsMissesAndEvictionsAndKnowsLastUse() throws Exception {
        FileArtifactStore store = new FileArtifactStore(tmp.resolve("artifacts"), 1500);
        ArtifactKey a = new ArtifactKey("r.git", "example.com/m", "v1.0.0", "aaaa", ArtifactKey.Kind.ZIP);
        ArtifactKey b = new ArtifactKey("r.git", "example.com/m", "v1.1.0", "bbbb", ArtifactKey.Kind.ZIP);
        assertNull(store.get(a));
        assertEquals(-1, store.lastUsedMillis(a));
        long before = System.currentTimeMillis();
        put(store, a, 1000);
        assertTrue(store.lastUsedMillis(a) >= before);
        assertTrue(store.get(a) != null);
        assertEquals(1, store.activity().hits());
        assertEquals(1, store.activity().misses());
        assertEquals(0, store.activity().evictions());

        put(store, b, 1000);
        assertEquals(1, store.activity().evictions(), "the older artifact made room");
        assertEquals(-1, store.lastUsedMillis(a));
        assertNull(store.get(a));
        assertEquals(2, store.activity().misses());

        FileArtifactStore reopened = new FileArtifactStore(tmp.resolve("artifacts"), 1500);
        long written = Files.getLastModifiedTime(tmp.resolve("artifacts").resolve(b.repositoryDirectory())
                .resolve(b.fileName())).toMillis();
        assertEquals(written, reopened.lastUsedMillis(b), "after a restart, last use is when it was written");
        assertEquals(0, reopened.activity().hits(), "counted since start");
    }

    private static void put(ArtifactStore store, ArtifactKey key, int size) throws Exception {
        try (ArtifactDraft draft = store.create(key, size)) {
            draft.output().write(new byte[size]);
            draft.publish("h1:x");
        }
    }
}

package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** What every {@link ArtifactStore} must do; each implementation's test extends this class. */
abstract class ArtifactStoreCompliance {

    /** A store over this test's storage with the given limit; called again, it reopens the same storage. */
    abstract ArtifactStore open(long maxBytes) throws Exception;

    static ArtifactKey key(String repository, String version) {
        return new ArtifactKey(repository, "example.com/m", version, "c0ffee", ArtifactKey.Kind.ZIP);
    }

    static StoredArtifact put(ArtifactStore store, ArtifactKey key, byte[] body, String h1) throws Exception {
        try (ArtifactDraft draft = store.create(key, body.length)) {
            draft.output().write(body);
            return draft.publish(h1);
        }
    }

    static byte[] read(StoredArtifact a) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = a.open()) {
            byte[] b = new byte[8192];
            int n;
            while ((n = in.read(b)) > 0) {
                out.write(b, 0, n);
            }
        }
        return out.toByteArray();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void absentUntilPublishedThenTheSameBytesAfterReopening() throws Exception {
        ArtifactStore store = open(1 << 30);
        ArtifactKey k = key("team/lib.git", "v1.0.0");
        assertNull(store.get(k));
        byte[] body = bytes(300_000, 1);
        try (ArtifactDraft draft = store.create(k, body.length)) {
            draft.output().write(body);
            assertNull(store.get(k), "a draft is not visible");
            draft.publish("h1:x");
        }
        StoredArtifact stored = open(1 << 30).get(k);
        assertNotNull(stored);
        assertEquals(body.length, stored.length());
        assertEquals("h1:x", stored.h1());
        assertArrayEquals(body, read(stored));
    }

    @Test
    void anAbandonedDraftLeavesNothing() throws Exception {
        ArtifactStore store = open(1 << 30);
        ArtifactKey k = key("team/lib.git", "v1.0.0");
        try (ArtifactDraft draft = store.create(k, 10)) {
            draft.output().write(new byte[10]);
        }
        assertNull(store.get(k));
        assertEquals(0, store.size());
    }

    @Test
    void listForgetAndPurgeKeepRepositoriesApart() throws Exception {
        ArtifactStore store = open(1 << 30);
        put(store, key("one/two.git", "v1.0.0"), bytes(10, 2), "h1:a");
        put(store, key("one/two.git", "v1.1.0"), bytes(10, 3), "h1:b");
        put(store, key("one/two-suffix.git", "v1.0.0"), bytes(10, 4), "h1:c");
        assertEquals(2, store.list("one/two.git").size());
        assertTrue(store.forget(key("one/two.git", "v1.1.0")));
        assertFalse(store.forget(key("one/two.git", "v1.1.0")));
        assertNull(store.get(key("one/two.git", "v1.1.0")));
        store.purgeRepository("one/two.git");
        assertNull(store.get(key("one/two.git", "v1.0.0")));
        assertNotNull(store.get(key("one/two-suffix.git", "v1.0.0")));
        assertEquals(1, open(1 << 30).list("one/two-suffix.git").size());
    }

    @Test
    void theLimitHoldsAtInsertDraftsIncluded() throws Exception {
        ArtifactStore store = open(100_000);
        put(store, key("r.git", "v1.0.0"), bytes(40_000, 5), null);
        put(store, key("r.git", "v1.1.0"), bytes(40_000, 6), null);
        store.get(key("r.git", "v1.0.0")); // most recently used now
        try (ArtifactDraft draft = store.create(key("r.git", "v1.2.0"), 40_000)) {
            assertTrue(store.size() <= 100_000, "room is made before the build writes: " + store.size());
            assertNull(store.get(key("r.git", "v1.1.0")), "the least recently used artifact made room");
            assertNotNull(store.get(key("r.git", "v1.0.0")));
            draft.output().write(bytes(40_000, 7));
            draft.publish(null);
        }
        assertTrue(store.size() <= 100_000);
        assertThrows(StorageException.class, () -> store.create(key("r.git", "v9.0.0"), 200_000),
                "an artifact larger than the whole cache is refused, not stored beyond the limit");
        assertEquals(Arrays.asList(true, true), Arrays.asList(store.get(key("r.git", "v1.0.0")) != null,
                store.get(key("r.git", "v1.2.0")) != null));
    }
}

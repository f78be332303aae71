package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compliance test, plus damage planted on disk: replaced, truncated and emptied files are never served. */
class FileArtifactStoreTest extends ArtifactStoreCompliance {
    @TempDir
    Path tmp;

    @Override
    ArtifactStore open(long maxBytes) throws Exception {
        return new FileArtifactStore(tmp.resolve("artifacts"), maxBytes);
    }

    @Test
    void aTruncatedFileIsDiscardedBeforeItsFirstByte() throws Exception {
        ArtifactStore store = open(1 << 30);
        StoredArtifact a = put(store, key("r.git", "v1.0.0"), bytes(1_000_000, 1), "h1:x");
        try (RandomAccessFile f = new RandomAccessFile(a.file().toFile(), "rw")) {
            f.setLength(500_000);
        }
        assertNull(store.get(key("r.git", "v1.0.0")));
        assertFalse(Files.exists(a.file()), "a damaged artifact is deleted so that it is rebuilt");
    }

    @Test
    void anEmptiedFileIsDiscarded() throws Exception {
        ArtifactStore store = open(1 << 30);
        StoredArtifact a = put(store, key("r.git", "v1.0.0"), bytes(1000, 1), "h1:x");
        Files.write(a.file(), new byte[0]);
        assertNull(open(1 << 30).get(key("r.git", "v1.0.0")));
    }

    @Test
    void aSmallReplacedFileOfTheSameSizeIsDiscardedBeforeItIsServed() throws Exception {
        ArtifactStore store = open(1 << 30);
        StoredArtifact a = put(store, key("r.git", "v1.0.0"), bytes(1000, 1), "h1:x");
        Files.write(a.file(), bytes(1000, 2));
        assertNull(store.get(key("r.git", "v1.0.0")));
        assertFalse(Files.exists(a.file()));
    }

    @Test
    void aLargeReplacedFileFailsItsReadAtTheEndAndIsDiscarded() throws Exception {
        ArtifactStore store = open(1 << 30);
        byte[] good = bytes(2_000_000, 1);
        StoredArtifact a = put(store, key("r.git", "v1.0.0"), good, "h1:x");
        Files.write(a.file(), bytes(good.length, 2));
        StoredArtifact found = store.get(key("r.git", "v1.0.0"));
        IOException e = assertThrows(IOException.class, () -> read(found));
        assertTrue(e.getMessage().contains("rebuilt"), e.getMessage());
        assertNull(store.get(key("r.git", "v1.0.0")));
        // Rebuilt afresh, it serves again.
        assertArrayEquals(good, read(put(store, key("r.git", "v1.0.0"), good, "h1:x")));
    }

    @Test
    void anUnwritableFolderIsAStorageFault() throws Exception {
        ArtifactStore store = open(1 << 30);
        ArtifactKey k = key("r.git", "v1.0.0");
        // The repository's folder is a file: every write under it fails, as on a read-only or broken disk.
        Files.write(tmp.resolve("artifacts").resolve(k.repositoryDirectory()), new byte[] {1});
        assertThrows(StorageException.class, () -> store.create(k, 10));
    }
}

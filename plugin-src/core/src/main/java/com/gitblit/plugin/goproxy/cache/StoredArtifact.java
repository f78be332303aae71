package com.gitblit.plugin.goproxy.cache;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * A finished artifact on disk, with the size and CRC-32 taken when it was written. Reading checks both: a
 * small artifact is checked whole before its first byte is handed out; a large one while it streams, and a
 * mismatch at the end fails the read (the response is then aborted, never completed with wrong bytes) and
 * discards the file so that the next request rebuilds it. Reading while it is evicted is safe: an open file
 * outlives its unlinking.
 */
public final class StoredArtifact {
    /** Up to this size an artifact is verified before it is served; beyond it, while it is served. */
    static final int VERIFY_FIRST_LIMIT = 256 * 1024;

    /** What the store does with an artifact found damaged. */
    interface DamageHandler {
        void damaged(StoredArtifact artifact, String why);
    }

    private final ArtifactKey key;
    private final Path file;
    private final long length;
    private final long crc32;
    private final String h1;
    private final DamageHandler onDamage;
    /** The bytes of a small artifact, once checked: served from here, not read and checked a second time. */
    private volatile byte[] checked;

    StoredArtifact(ArtifactKey key, Path file, long length, long crc32, String h1, DamageHandler onDamage) {
        this.key = key;
        this.file = file;
        this.length = length;
        this.crc32 = crc32;
        this.h1 = h1;
        this.onDamage = onDamage;
    }

    public ArtifactKey key() {
        return key;
    }

    public Path file() {
        return file;
    }

    public long length() {
        return length;
    }

    /** The h1 of the contents, as recorded when it was built; {@code null} for artifacts without one. */
    public String h1() {
        return h1;
    }

    /**
     * Checks a small artifact whole, now, and keeps its bytes for {@link #open()}. Returns false (and discards it)
     * when it is damaged; large artifacts are taken on trust here and checked by {@link #open()} as they stream.
     */
    boolean verifiedUpFront() throws IOException {
        if (length > VERIFY_FIRST_LIMIT) {
            return true;
        }
        try {
            checked = readChecked();
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
        return checked != null;
    }

    /** The bytes, checked against the size and CRC-32 recorded when they were written. */
    public InputStream open() throws IOException {
        if (length <= VERIFY_FIRST_LIMIT) {
            byte[] bytes = checked != null ? checked : readChecked();
            if (bytes == null) {
                throw new IOException("the cached artifact " + key + " is damaged; it will be rebuilt");
            }
            return new ByteArrayInputStream(bytes);
        }
        return new CheckedInput(Files.newInputStream(file));
    }

    /** A small artifact's bytes, or {@code null} when they differ from what was written (it is then discarded). */
    private byte[] readChecked() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length);
        if (bytes.length != length || crc.getValue() != crc32) {
            onDamage.damaged(this, "size or checksum differs from when it was written");
            return null;
        }
        return bytes;
    }

    /**
     * Counts and checksums what is read, and checks both before the last bytes are handed out: a reader that
     * stops at the recorded length has to learn here whether the file ends there and matches, because the
     * client of a response with that Content-Length would already count the download as complete.
     */
    private final class CheckedInput extends FilterInputStream {
        private final CRC32 crc = new CRC32();
        private long read;
        private boolean checked;

        CheckedInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (checked) {
                return -1;
            }
            int n = in.read(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                read += n;
                if (read > length) {
                    fail("is longer than when it was written");
                }
                if (read == length) {
                    check();
                }
            } else if (n < 0) {
                check();
            }
            return n;
        }

        private void check() throws IOException {
            checked = true;
            if (read != length) {
                fail("is shorter than when it was written");
            }
            if (in.read() >= 0) {
                fail("is longer than when it was written");
            }
            if (crc.getValue() != crc32) {
                fail("has other bytes than when it was written");
            }
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("a checked artifact is read in full");
        }

        private void fail(String why) throws IOException {
            onDamage.damaged(StoredArtifact.this, why);
            throw new IOException("the cached artifact " + key + " " + why + "; it will be rebuilt");
        }
    }
}

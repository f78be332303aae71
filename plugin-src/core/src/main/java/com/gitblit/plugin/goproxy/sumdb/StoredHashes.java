package com.gitblit.plugin.goproxy.sumdb;

import java.io.IOException;

/**
 * Where a log keeps its hashes: every complete subtree's hash, once, in the order they become known. Appending
 * record {@code n} stores its leaf hash and then the hash of each subtree it completes (one per trailing 1 bit
 * of {@code n}), so the hashes of a tree of {@code n} records are exactly the first {@code count(n)} stored
 * ones: a log file of hashes is append-only and its prefix is every earlier tree. This is the layout of x/mod's
 * tlog package (StoredHashIndex), which makes tiles a matter of reading stored hashes.
 */
public final class StoredHashes {
    /** Reads stored hashes by their {@link #index}. */
    public interface Reader {
        byte[] read(long storedIndex) throws IOException;
    }

    private StoredHashes() {
    }

    /** The position of the hash of subtree {@code n} at {@code level} (leaves {@code n<<level ...}). */
    public static long index(int level, long n) {
        // The level-0 record that completes this subtree is (n+1)<<level - 1; count the hashes stored before it.
        for (int l = level; l > 0; l--) {
            n = 2 * n + 1;
        }
        long i = 0;
        for (; n > 0; n >>= 1) {
            i += n;
        }
        return i + level;
    }

    /** How many hashes a tree of {@code n} records stores. */
    public static long count(long n) {
        if (n == 0) {
            return 0;
        }
        long count = index(0, n - 1) + 1;
        for (long i = n - 1; (i & 1) != 0; i >>= 1) {
            count++;
        }
        return count;
    }

    /**
     * The hashes to store when record {@code n} with leaf hash {@code leaf} is appended: the leaf, then the root of
     * each subtree it completes, reading the left siblings from what is already stored.
     */
    public static byte[][] forRecord(long n, byte[] leaf, Reader stored) throws IOException {
        int completed = Long.numberOfTrailingZeros(n + 1);
        byte[][] out = new byte[completed + 1][];
        out[0] = leaf;
        byte[] h = leaf;
        for (int level = 0; level < completed; level++) {
            byte[] left = stored.read(index(level, (n >> level) - 1));
            h = Tlog.nodeHash(left, h);
            out[level + 1] = h;
        }
        return out;
    }
}

package com.gitblit.plugin.goproxy.sumdb;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The checksum database's transparency log (RFC 6962 hashing): leaf and node hashes, and the two proofs a
 * client needs, both done the same way: recompute the signed root from hashes read from tiles. Whatever those
 * hashes are, a root that comes out equal to the signed one proves them (SHA-256 collisions aside), so tiles
 * need no separate check.
 */
public final class Tlog {
    public static final int HASH_SIZE = 32;

    /** The hash of the complete subtree of {@code 2^level} leaves starting at leaf {@code index << level}. */
    public interface HashSource {
        byte[] stored(int level, long index) throws IOException, SumdbException;
    }

    private Tlog() {
    }

    /** SHA-256(0x00 || data): the leaf hash of a record. */
    public static byte[] recordHash(byte[] data) {
        MessageDigest sha = sha256();
        sha.update((byte) 0);
        return sha.digest(data);
    }

    /** SHA-256(0x01 || left || right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 1);
        sha.update(left);
        return sha.digest(right);
    }

    /** The root of the tree of {@code size} records. */
    public static byte[] treeHash(long size, HashSource hashes) throws IOException, SumdbException {
        if (size <= 0) {
            // x/mod's tlog (and so the go command) gives the empty tree 32 zero bytes, not SHA-256 of nothing.
            return new byte[HASH_SIZE];
        }
        return plain(0, size, hashes);
    }

    /**
     * The root of the tree of {@code size} records whose record {@code index} has leaf hash {@code leaf}: equal
     * to the signed root exactly when the record is in that tree.
     */
    public static byte[] rootWithRecord(long size, long index, byte[] leaf, HashSource hashes)
            throws IOException, SumdbException {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("record " + index + " is outside a tree of " + size);
        }
        return withLeaf(0, size, index, leaf, hashes);
    }

    /**
     * The roots of the trees of {@code newSize} and {@code oldSize} records, the second computed only from
     * subtrees the first uses: both equal to signed roots proves that the newer tree extends the older one.
     * Returns {newRoot, oldRoot}.
     */
    public static byte[][] consistentRoots(long newSize, long oldSize, HashSource hashes)
            throws IOException, SumdbException {
        if (oldSize <= 0 || oldSize > newSize) {
            throw new IllegalArgumentException("no consistency proof from " + oldSize + " to " + newSize);
        }
        List<byte[]> inside = new ArrayList<>();
        byte[] newRoot = splitAt(0, newSize, oldSize, hashes, inside);
        byte[] oldRoot = inside.get(inside.size() - 1);
        for (int i = inside.size() - 2; i >= 0; i--) {
            oldRoot = nodeHash(inside.get(i), oldRoot);
        }
        return new byte[][] {newRoot, oldRoot};
    }

    private static byte[] plain(long lo, long hi, HashSource hashes) throws IOException, SumdbException {
        long size = hi - lo;
        if (Long.bitCount(size) == 1) {
            int level = Long.numberOfTrailingZeros(size);
            return hashes.stored(level, lo >> level);
        }
        long k = Long.highestOneBit(size - 1);
        return nodeHash(plain(lo, lo + k, hashes), plain(lo + k, hi, hashes));
    }

    private static byte[] withLeaf(long lo, long hi, long index, byte[] leaf, HashSource hashes)
            throws IOException, SumdbException {
        if (hi - lo == 1) {
            return leaf;
        }
        long k = Long.highestOneBit(hi - lo - 1);
        if (index < lo + k) {
            return nodeHash(withLeaf(lo, lo + k, index, leaf, hashes), plain(lo + k, hi, hashes));
        }
        return nodeHash(plain(lo, lo + k, hashes), withLeaf(lo + k, hi, index, leaf, hashes));
    }

    private static byte[] splitAt(long lo, long hi, long boundary, HashSource hashes, List<byte[]> inside)
            throws IOException, SumdbException {
        if (hi <= boundary && Long.bitCount(hi - lo) == 1) {
            byte[] h = plain(lo, hi, hashes);
            inside.add(h);
            return h;
        }
        if (lo >= boundary) {
            return plain(lo, hi, hashes);
        }
        long k = Long.highestOneBit(hi - lo - 1);
        byte[] left = splitAt(lo, lo + k, boundary, hashes, inside);
        return nodeHash(left, splitAt(lo + k, hi, boundary, hashes, inside));
    }

    /** The path of a tile: {@code tile/H/L/NNN[.p/W]}, the index in groups of three digits, {@code x}-prefixed but the last. */
    public static String tilePath(int height, int level, long index, int width) {
        StringBuilder n = new StringBuilder(String.format("%03d", index % 1000));
        for (long i = index / 1000; i > 0; i /= 1000) {
            n.insert(0, String.format("x%03d/", i % 1000));
        }
        String partial = width == (1 << height) ? "" : ".p/" + width;
        return "tile/" + height + "/" + (level == TilePath.DATA ? "data" : Integer.toString(level)) + "/" + n + partial;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}

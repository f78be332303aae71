package com.gitblit.plugin.goproxy.sumdb;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Stored hashes of one tree, read from the database's tiles (each tile holds {@code 2^height} hashes of one
 * level, {@code height} levels apart; the last tile of a level is partial and named by its width). Hashes above
 * a tile's own row are computed from that row. Tiles are kept for the life of this object: one proof.
 */
public final class TileHashes implements Tlog.HashSource {

    /** Reads one tile by its path below the database's URL ({@code tile/8/0/x001/234.p/5}). */
    public interface TileReader {
        byte[] read(String tilePath) throws IOException, SumdbException;
    }

    private final int height;
    private final long treeSize;
    private final TileReader reader;
    private final Map<String, byte[]> tiles = new HashMap<>();

    public TileHashes(int height, long treeSize, TileReader reader) {
        this.height = height;
        this.treeSize = treeSize;
        this.reader = reader;
    }

    @Override
    public byte[] stored(int level, long index) throws IOException, SumdbException {
        int tileLevel = level / height;
        int within = level % height;
        long first = index << within;
        long tileIndex = first >> height;
        long rowSize = treeSize >> (tileLevel * height);
        long width = Math.min(1L << height, rowSize - (tileIndex << height));
        long offset = first - (tileIndex << height);
        if (width <= 0 || offset + (1L << within) > width) {
            throw new SumdbException("hash " + level + "/" + index + " is outside the tree of " + treeSize);
        }
        byte[] tile = tile(tileLevel, tileIndex, (int) width);
        return merkle(tile, (int) offset, 1 << within);
    }

    private byte[] tile(int level, long index, int width) throws IOException, SumdbException {
        String path = Tlog.tilePath(height, level, index, width);
        byte[] data = tiles.get(path);
        if (data == null) {
            data = reader.read(path);
            if (data.length != width * Tlog.HASH_SIZE) {
                throw new SumdbException("tile " + path + " has " + data.length + " bytes, want "
                        + width * Tlog.HASH_SIZE);
            }
            tiles.put(path, data);
        }
        return data;
    }

    private static byte[] merkle(byte[] tile, int offset, int count) {
        if (count == 1) {
            int at = offset * Tlog.HASH_SIZE;
            return Arrays.copyOfRange(tile, at, at + Tlog.HASH_SIZE);
        }
        int half = count / 2;
        return Tlog.nodeHash(merkle(tile, offset, half), merkle(tile, offset + half, half));
    }
}

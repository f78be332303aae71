package com.gitblit.plugin.goproxy.sumdb;

/**
 * A tile named in a request path: {@code tile/H/L/NNN[.p/W]} ({@code L} = {@code data} for record data). Only
 * the canonical spelling parses, as in x/mod: a path that formats differently names no tile.
 */
public final class TilePath {
    /** The level of data tiles. */
    public static final int DATA = -1;
    private static final int MAX_HEIGHT = 30;

    private final int height;
    private final int level;
    private final long index;
    private final int width;

    private TilePath(int height, int level, long index, int width) {
        this.height = height;
        this.level = level;
        this.index = index;
        this.width = width;
    }

    /** The tile, or null when {@code path} is not a canonical tile path. */
    public static TilePath parse(String path) {
        String[] f = path.split("/", -1);
        if (f.length < 4 || !"tile".equals(f[0])) {
            return null;
        }
        try {
            int h = Integer.parseInt(f[1]);
            int l = "data".equals(f[2]) ? DATA : Integer.parseInt(f[2]);
            if (h < 1 || h > MAX_HEIGHT || (l < 0 && l != DATA) || l > 63 / h) {
                return null;
            }
            int w = 1 << h;
            int last = f.length;
            if (f[f.length - 2].endsWith(".p")) {
                w = Integer.parseInt(f[f.length - 1]);
                if (w <= 0 || w >= 1 << h) {
                    return null;
                }
                f[f.length - 2] = f[f.length - 2].substring(0, f[f.length - 2].length() - 2);
                last = f.length - 1;
            }
            long n = 0;
            for (int i = 3; i < last; i++) {
                String part = f[i].startsWith("x") ? f[i].substring(1) : f[i];
                if (part.length() != 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                        || n > (Long.MAX_VALUE - 999) / 1000) {
                    return null;
                }
                n = n * 1000 + Integer.parseInt(part);
            }
            TilePath t = new TilePath(h, l, n, w);
            return t.toString().equals(path) ? t : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public int height() {
        return height;
    }

    /** {@link #DATA} for a data tile. */
    public int level() {
        return level;
    }

    public long index() {
        return index;
    }

    /** Hashes (or records) in the tile: {@code 2^height} for a full one. */
    public int width() {
        return width;
    }

    @Override
    public String toString() {
        return Tlog.tilePath(height, level, index, width);
    }
}

package com.gitblit.plugin.goproxy.sumdb;

import java.util.Arrays;
import java.util.Base64;

/** A signed tree's size and root hash, from a note's text {@code "go.sum database tree\nN\nbase64(root)\n"}. */
public final class TreeHead {
    private static final String PREFIX = "go.sum database tree\n";

    private final long size;
    private final byte[] root;

    public TreeHead(long size, byte[] root) {
        this.size = size;
        this.root = root.clone();
    }

    /** Parses a verified note's text; later lines are ignored, as cmd/go ignores them. */
    public static TreeHead parse(String text) throws SumdbException {
        String[] lines = text.split("\n", 4);
        if (!text.startsWith(PREFIX) || lines.length < 4) {
            throw new SumdbException("malformed tree note");
        }
        long size;
        byte[] root;
        try {
            size = Long.parseLong(lines[1]);
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new SumdbException("malformed tree note");
        }
        if (size < 0 || !lines[1].equals(Long.toString(size)) || root.length != Tlog.HASH_SIZE) {
            throw new SumdbException("malformed tree note");
        }
        return new TreeHead(size, root);
    }

    public long size() {
        return size;
    }

    public byte[] root() {
        return root.clone();
    }

    /** The note text a signed tree head signs: {@code go.sum database tree\nN\nbase64(root)\n}. */
    public String noteText() {
        return PREFIX + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    boolean sameRoot(byte[] other) {
        return Arrays.equals(root, other);
    }

    @Override
    public String toString() {
        return "tree " + size + " " + Base64.getEncoder().encodeToString(root);
    }
}

package com.gitblit.plugin.goproxy.token;

import java.util.regex.Pattern;

/**
 * What is kept of one token: never the token, only its SHA-256. {@code owner} is the owner's user name as last
 * seen; {@code anchor} is a host's fingerprint of the owner's account that survives a rename (empty when the host
 * has none). Times are milliseconds since the epoch; 0 means never (no expiry, not used yet).
 */
public final class TokenRecord {
    /** What a token's name may be: short, printable, no tab or line break (the store is line-based). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._@:/+-]{0,63}");

    private final String id;
    private final String owner;
    private final String anchor;
    private final String name;
    private final long created;
    private final long expires;
    private final long lastUsed;
    private final String hash;

    TokenRecord(String id, String owner, String anchor, String name, long created, long expires, long lastUsed,
            String hash) {
        this.id = id;
        this.owner = owner;
        this.anchor = anchor == null ? "" : anchor;
        this.name = name;
        this.created = created;
        this.expires = expires;
        this.lastUsed = lastUsed;
        this.hash = hash;
    }

    /** Null when {@code name} is a valid token name, else why not. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.endsWith(" ")) {
            return "a token name is 1 to 64 letters, digits, spaces or ._@:/+- and starts with a letter or digit";
        }
        return null;
    }

    public String id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public String anchor() {
        return anchor;
    }

    public String name() {
        return name;
    }

    public long created() {
        return created;
    }

    /** When it stops working, or 0 for never. */
    public long expires() {
        return expires;
    }

    /** When it was last accepted (to about a minute), or 0 for never. */
    public long lastUsed() {
        return lastUsed;
    }

    String hash() {
        return hash;
    }

    public boolean isExpired(long now) {
        return expires != 0 && now >= expires;
    }

    TokenRecord withOwner(String newOwner, String newAnchor) {
        return new TokenRecord(id, newOwner, newAnchor, name, created, expires, lastUsed, hash);
    }

    TokenRecord withLastUsed(long time) {
        return new TokenRecord(id, owner, anchor, name, created, expires, Math.max(lastUsed, time), hash);
    }

    /** One line of the store: tab-separated fields, in the order of the constructor. */
    String toLine() {
        return id + '\t' + owner + '\t' + (anchor.isEmpty() ? "-" : anchor) + '\t' + name + '\t' + created + '\t'
                + expires + '\t' + lastUsed + '\t' + hash;
    }

    static TokenRecord fromLine(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 8) {
            throw new IllegalArgumentException("want 8 tab-separated fields");
        }
        return new TokenRecord(f[0], f[1], f[2].equals("-") ? "" : f[2], f[3], Long.parseLong(f[4]),
                Long.parseLong(f[5]), Long.parseLong(f[6]), f[7]);
    }

    /** Never the hash: it is enough to test guesses offline. */
    @Override
    public String toString() {
        return "TokenRecord[" + id + " of " + owner + " \"" + name + "\"]";
    }
}

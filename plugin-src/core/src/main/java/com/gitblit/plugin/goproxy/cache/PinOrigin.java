package com.gitblit.plugin.goproxy.cache;

import java.util.Locale;

/**
 * How a version came to be pinned, kept in its ledger entry for the administrator: a download resolved it
 * ({@link #REQUEST}); a download resolved it and was served the zip pre-built when its tag was pushed
 * ({@link #PUSH}, the pre-build itself pins nothing); the dependency proxy fetched it ({@link #UPSTREAM}); an
 * administrator asked for it to be built now ({@link #ADMIN}). Entries written before this was recorded have none.
 */
public enum PinOrigin {
    REQUEST, PUSH, UPSTREAM, ADMIN;

    /** The word stored in the ledger and shown on pages. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The origin a stored word names, or null (absent, or written by a newer version that knows more origins). */
    public static PinOrigin parse(String word) {
        if (word == null) {
            return null;
        }
        for (PinOrigin o : values()) {
            if (o.word().equals(word)) {
                return o;
            }
        }
        return null;
    }
}

package com.gitblit.plugin.goproxy.proxy;

/**
 * Cache lifetimes, in one place. Version files never change once served (the ledger guarantees it), so
 * they may be cached for long; lists, @latest and queries such as a branch name move with the
 * repository. Anything from a repository that anonymous callers cannot read is {@code private}, so that
 * no shared cache hands it to someone else; errors are never stored, since a 404 turns into a 200 as soon as
 * the tag is pushed, and a 401 depends on who asks.
 */
final class CachePolicy {
    static final int VERSION_SECONDS = 7 * 24 * 3600;
    static final int MOVING_SECONDS = 60;

    private CachePolicy() {
    }

    /** For a successful answer. */
    static String forAnswer(boolean immutable, boolean anonymousReadable) {
        String age = immutable ? "max-age=" + VERSION_SECONDS + ", immutable" : "max-age=" + MOVING_SECONDS;
        return anonymousReadable ? "public, " + age : "private, " + age;
    }

    /** For an error answer. */
    static String forError() {
        return "no-store";
    }
}

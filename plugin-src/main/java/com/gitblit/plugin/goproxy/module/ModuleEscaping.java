package com.gitblit.plugin.goproxy.module;

/**
 * The case-encoding of module paths and versions in proxy URLs and cache paths (x/mod EscapePath,
 * UnescapePath, EscapeVersion, UnescapeVersion): upper-case ASCII {@code X} is written {@code !x}.
 * Unescaping rejects raw upper case, a {@code !} not followed by a–z, and non-ASCII, and re-checks the result.
 */
public final class ModuleEscaping {
    private ModuleEscaping() {
    }

    public static String escapePath(String path) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }

    public static String unescapePath(String escaped) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }

    public static String escapeVersion(String version) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }

    public static String unescapeVersion(String escaped) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }
}

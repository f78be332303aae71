package com.gitblit.plugin.goproxy.module;

/**
 * UTF-8 as Go sees it ({@code unicode/utf8}): strict validity (no surrogates, no overlong forms, nothing
 * above U+10FFFF) and Go's string order, which is byte order of the UTF-8 encoding. Java's
 * {@code String.compareTo} orders by UTF-16 units and differs for characters above U+FFFF.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** True iff {@code bytes} is valid UTF-8 by Go's {@code utf8.Valid}. */
    public static boolean isValid(byte[] bytes) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Decodes valid UTF-8; returns {@code null} when {@code bytes} is not valid UTF-8 by Go's rules. */
    public static String decodeStrict(byte[] bytes) {
        throw new UnsupportedOperationException("TODO");
    }

    /** UTF-8 encoding of a string (unpaired surrogates are not expected; they encode as U+FFFD). */
    public static byte[] encode(String s) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Go's string comparison: lexicographic over the UTF-8 bytes, unsigned. */
    public static int compare(String a, String b) {
        throw new UnsupportedOperationException("TODO");
    }
}

package com.gitblit.plugin.goproxy.module;

/**
 * The case folding x/mod uses to detect file paths that collide on case-insensitive file systems
 * ({@code strToFold}): every rune becomes the smallest rune of its {@code unicode.SimpleFold} orbit, then
 * ASCII upper case becomes lower case. Tables come from Go's {@code unicode} package (see UnicodeTables),
 * never from {@link Character}, whose Unicode version depends on the JVM.
 */
public final class CaseFold {
    private CaseFold() {
    }

    /** The folded form of {@code s}; two paths collide iff their folded forms are equal. */
    public static String fold(String s) {
        throw new UnsupportedOperationException("TODO");
    }
}

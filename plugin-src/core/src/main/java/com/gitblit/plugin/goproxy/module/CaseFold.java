package com.gitblit.plugin.goproxy.module;

import java.util.Arrays;

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
        boolean simple = true;
        for (int i = 0; i < s.length() && simple; i++) {
            char c = s.charAt(i);
            simple = c < 0x80 && !(c >= 'A' && c <= 'Z');
        }
        if (simple) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            out.appendCodePoint(foldRune(cp));
        }
        return out.toString();
    }

    /** The fold of one code point. */
    public static int foldRune(int cp) {
        int k = Arrays.binarySearch(UnicodeTables.FOLD_FROM, cp);
        return k >= 0 ? UnicodeTables.FOLD_TO[k] : cp;
    }
}

package com.gitblit.plugin.goproxy.module;

/** Character classes from Go's unicode tables (see {@link UnicodeTables}). */
final class UnicodeClass {
    private UnicodeClass() {
    }

    /** Go's {@code unicode.IsLetter}. */
    static boolean isLetter(int cp) {
        return in(UnicodeTables.LETTER_RANGES, cp);
    }

    /** Go's {@code unicode.IsPrint}. */
    static boolean isPrint(int cp) {
        return in(UnicodeTables.PRINT_RANGES, cp);
    }

    /** Go's {@code unicode.IsSpace}. */
    static boolean isSpace(int cp) {
        return in(UnicodeTables.SPACE_RANGES, cp);
    }

    private static boolean in(int[] ranges, int cp) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (cp > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}

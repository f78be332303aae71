package com.gitblit.plugin.goproxy.module;

import java.util.Collections;
import java.util.List;

/**
 * Go's semantic versions (golang.org/x/mod/semver): always with a leading {@code v}, shorthands
 * {@code v1} and {@code v1.2}, prereleases and build metadata. Invalid input gives {@code ""} where Go
 * gives {@code ""}; invalid versions compare below all valid ones and equal to each other.
 *
 * <p>Numbers have no leading zeros (except {@code 0} itself), prerelease identifiers are non-empty
 * {@code [0-9A-Za-z-]} with no leading zero when numeric, build identifiers the same with leading zeros
 * allowed. A shorthand cannot carry a prerelease or build suffix.
 */
public final class SemVer {
    private SemVer() {
    }

    /** The parts of a valid version; {@code shortSuffix} is what a shorthand lacks (".0.0" or ".0"). */
    private static final class Parsed {
        String major;
        String minor;
        String patch;
        String shortSuffix = "";
        String prerelease = "";
        String build = "";
    }

    public static boolean isValid(String v) {
        return parse(v) != null;
    }

    /** {@code vMAJOR.MINOR.PATCH[-pre]}, build metadata dropped; {@code ""} if invalid. */
    public static String canonical(String v) {
        Parsed p = parse(v);
        if (p == null) {
            return "";
        }
        if (!p.build.isEmpty()) {
            return v.substring(0, v.length() - p.build.length());
        }
        return v + p.shortSuffix;
    }

    /** {@code "v2"} for {@code v2.1.0}; {@code ""} if invalid. */
    public static String major(String v) {
        Parsed p = parse(v);
        return p == null ? "" : v.substring(0, 1 + p.major.length());
    }

    /** {@code "v2.1"} for {@code v2.1.0}; {@code ""} if invalid. */
    public static String majorMinor(String v) {
        Parsed p = parse(v);
        if (p == null) {
            return "";
        }
        int i = 1 + p.major.length();
        int j = i + 1 + p.minor.length();
        if (j <= v.length() && v.charAt(i) == '.' && v.substring(i + 1, j).equals(p.minor)) {
            return v.substring(0, j);
        }
        return v.substring(0, i) + "." + p.minor;
    }

    /** {@code "-rc.1"} (with the dash) or {@code ""}. */
    public static String prerelease(String v) {
        Parsed p = parse(v);
        return p == null ? "" : p.prerelease;
    }

    /** {@code "+meta"} (with the plus) or {@code ""}. */
    public static String build(String v) {
        Parsed p = parse(v);
        return p == null ? "" : p.build;
    }

    /** -1, 0 or +1; invalid versions sort first and equal each other; build metadata is ignored. */
    public static int compare(String v, String w) {
        return compare(parse(v), parse(w));
    }

    private static int compare(Parsed pv, Parsed pw) {
        if (pv == null && pw == null) {
            return 0;
        }
        if (pv == null) {
            return -1;
        }
        if (pw == null) {
            return 1;
        }
        int c = compareInt(pv.major, pw.major);
        if (c == 0) {
            c = compareInt(pv.minor, pw.minor);
        }
        if (c == 0) {
            c = compareInt(pv.patch, pw.patch);
        }
        if (c == 0) {
            c = comparePrerelease(pv.prerelease, pw.prerelease);
        }
        return c;
    }

    /** The larger of two versions, canonicalized; when they compare equal, {@code w}'s canonical form. */
    public static String max(String v, String w) {
        String cv = canonical(v);
        String cw = canonical(w);
        return compare(cv, cw) > 0 ? cv : cw;
    }

    /** Ascending by {@link #compare}, ties broken by plain string order (x/mod's ByVersion). */
    public static void sort(List<String> versions) {
        Collections.sort(versions, (a, b) -> {
            int c = compare(a, b);
            return c != 0 ? c : Utf8.compare(a, b);
        });
    }

    /**
     * Sorts {@code items} newest version first by {@link #compare} (stable: equal versions keep their order), each
     * version parsed once: a page of ten thousand versions would otherwise parse each one a few dozen times.
     */
    public static <T> void sortNewestFirst(List<T> items, java.util.function.Function<? super T, String> version) {
        final java.util.IdentityHashMap<T, Parsed> parsed = new java.util.IdentityHashMap<>();
        for (T item : items) {
            parsed.put(item, parse(version.apply(item)));
        }
        Collections.sort(items, (a, b) -> compare(parsed.get(b), parsed.get(a)));
    }

    private static Parsed parse(String v) {
        if (v == null || v.isEmpty() || v.charAt(0) != 'v') {
            return null;
        }
        Parsed p = new Parsed();
        int[] pos = {1};
        p.major = number(v, pos);
        if (p.major == null) {
            return null;
        }
        if (pos[0] == v.length()) {
            p.minor = "0";
            p.patch = "0";
            p.shortSuffix = ".0.0";
            return p;
        }
        if (v.charAt(pos[0]) != '.') {
            return null;
        }
        pos[0]++;
        p.minor = number(v, pos);
        if (p.minor == null) {
            return null;
        }
        if (pos[0] == v.length()) {
            p.patch = "0";
            p.shortSuffix = ".0";
            return p;
        }
        if (v.charAt(pos[0]) != '.') {
            return null;
        }
        pos[0]++;
        p.patch = number(v, pos);
        if (p.patch == null) {
            return null;
        }
        if (pos[0] < v.length() && v.charAt(pos[0]) == '-') {
            int end = suffixEnd(v, pos[0], true);
            if (end < 0) {
                return null;
            }
            p.prerelease = v.substring(pos[0], end);
            pos[0] = end;
        }
        if (pos[0] < v.length() && v.charAt(pos[0]) == '+') {
            int end = suffixEnd(v, pos[0], false);
            if (end < 0) {
                return null;
            }
            p.build = v.substring(pos[0], end);
            pos[0] = end;
        }
        return pos[0] == v.length() ? p : null;
    }

    /** A decimal number without leading zeros at {@code pos[0]}; advances; {@code null} when absent or bad. */
    private static String number(String v, int[] pos) {
        int start = pos[0];
        int i = start;
        while (i < v.length() && isDigit(v.charAt(i))) {
            i++;
        }
        if (i == start || v.charAt(start) == '0' && i != start + 1) {
            return null;
        }
        pos[0] = i;
        return v.substring(start, i);
    }

    /**
     * End of a {@code -pre} or {@code +build} suffix starting at {@code start} (its sign); -1 when an
     * identifier is empty, has a bad character, or (prerelease only) is numeric with a leading zero.
     */
    private static int suffixEnd(String v, int start, boolean prerelease) {
        int i = start + 1;
        int identStart = i;
        while (i < v.length() && (prerelease ? v.charAt(i) != '+' : true)) {
            char c = v.charAt(i);
            if (c == '.') {
                if (!identOk(v, identStart, i, prerelease)) {
                    return -1;
                }
                identStart = i + 1;
            } else if (!(isDigit(c) || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-')) {
                return -1;
            }
            i++;
        }
        return identOk(v, identStart, i, prerelease) ? i : -1;
    }

    private static boolean identOk(String v, int start, int end, boolean prerelease) {
        if (start == end) {
            return false;
        }
        if (prerelease && v.charAt(start) == '0' && end - start > 1) {
            for (int i = start; i < end; i++) {
                if (!isDigit(v.charAt(i))) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private static int compareInt(String x, String y) {
        if (x.length() != y.length()) {
            return x.length() < y.length() ? -1 : 1;
        }
        int c = x.compareTo(y);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }

    private static int comparePrerelease(String x, String y) {
        if (x.equals(y)) {
            return 0;
        }
        if (x.isEmpty()) {
            return 1;
        }
        if (y.isEmpty()) {
            return -1;
        }
        String[] xs = x.substring(1).split("\\.", -1);
        String[] ys = y.substring(1).split("\\.", -1);
        for (int i = 0; i < xs.length && i < ys.length; i++) {
            String a = xs[i];
            String b = ys[i];
            if (a.equals(b)) {
                continue;
            }
            boolean an = isNumeric(a);
            boolean bn = isNumeric(b);
            if (an != bn) {
                return an ? -1 : 1;
            }
            if (an) {
                return compareInt(a, b);
            }
            return a.compareTo(b) < 0 ? -1 : 1;
        }
        return Integer.compare(xs.length, ys.length) < 0 ? -1 : xs.length == ys.length ? 0 : 1;
    }

    private static boolean isNumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}

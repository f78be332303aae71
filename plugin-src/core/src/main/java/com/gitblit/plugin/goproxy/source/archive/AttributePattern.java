package com.gitblit.plugin.goproxy.source.archive;

import java.util.Arrays;

/**
 * The path pattern of one gitattributes line and how git 2.39 matches it against a FILE path
 * ({@code parse_path_pattern}, {@code match_basename}, {@code match_pathname}):
 * <ul>
 *   <li>A leading {@code !} makes a negative pattern; gitattributes rejects the whole line
 *       ({@link #isNegative()}).</li>
 *   <li>A trailing {@code /} makes a directory-only pattern, which never matches a file (attributes of a
 *       directory are not inherited by the files in it).</li>
 *   <li>Without any other {@code /}, the pattern matches the base name of the path, in any directory at
 *       or below the {@code .gitattributes} that holds it; {@code *} may then also match {@code /}.</li>
 *   <li>With a {@code /} (leading, inner), the pattern is anchored at the directory of the
 *       {@code .gitattributes} file and matched against the rest of the path with {@link WildMatch#PATHNAME}
 *       ({@code **} for any number of directories). The literal prefix (up to the first of
 *       {@code * ? [ \}) is compared first, and only the remainder goes to wildmatch, so e.g. {@code a**}{@code /b}
 *       lets {@code **} act as a whole element — git's behaviour, kept.</li>
 *   <li>Case-sensitive (no {@code core.ignorecase} on a Linux clone).</li>
 * </ul>
 */
final class AttributePattern {
    private final byte[] pattern;
    private final int nowildcardLength;
    private final boolean negative;
    private final boolean mustBeDirectory;
    private final boolean noDirectory;
    private final boolean endsWith;

    private AttributePattern(byte[] pattern, int nowildcardLength, boolean negative, boolean mustBeDirectory,
            boolean noDirectory, boolean endsWith) {
        this.pattern = pattern;
        this.nowildcardLength = nowildcardLength;
        this.negative = negative;
        this.mustBeDirectory = mustBeDirectory;
        this.noDirectory = noDirectory;
        this.endsWith = endsWith;
    }

    /** Parses a pattern given as C-string bytes (anything from a NUL on is ignored, as git does). */
    static AttributePattern parse(byte[] raw) {
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        int start = 0;
        boolean negative = false;
        if (end > 0 && raw[0] == '!') {
            negative = true;
            start = 1;
        }
        int len = end - start;
        boolean mustBeDir = false;
        if (len > 0 && raw[start + len - 1] == '/') {
            len--;
            mustBeDir = true;
        }
        boolean noDir = true;
        for (int i = 0; i < len; i++) {
            if (raw[start + i] == '/') {
                noDir = false;
                break;
            }
        }
        int simple = simpleLength(raw, start, end);
        int nowildcard = Math.min(simple, len);
        // git tests "no wildcard after the star" on the string including a trailing slash
        boolean endsWith = end - start > 0 && raw[start] == '*' && simpleLength(raw, start + 1, end) == end - start - 1;
        return new AttributePattern(Arrays.copyOfRange(raw, start, start + len), nowildcard, negative, mustBeDir, noDir,
                endsWith);
    }

    private static int simpleLength(byte[] raw, int from, int end) {
        int i = from;
        while (i < end && !WildMatch.isGlobSpecial(raw[i] & 0xff)) {
            i++;
        }
        return i - from;
    }

    boolean isNegative() {
        return negative;
    }

    /**
     * Whether the file at {@code path} (full path from the repository root, no trailing slash; its base name
     * starts at {@code basenameOffset}) matches, for a pattern read from the {@code .gitattributes} of
     * directory {@code base} ("" for the root).
     */
    boolean matchesFile(byte[] path, int basenameOffset, byte[] base) {
        if (mustBeDirectory) {
            return false;
        }
        if (noDirectory) {
            return matchBasename(path, basenameOffset);
        }
        return matchPathname(path, base);
    }

    private boolean matchBasename(byte[] path, int basenameOffset) {
        int baseLen = path.length - basenameOffset;
        int patternLen = pattern.length;
        if (nowildcardLength == patternLen) {
            return patternLen == baseLen && regionEquals(pattern, 0, path, basenameOffset, baseLen);
        } else if (endsWith) {
            return patternLen - 1 <= baseLen
                    && regionEquals(pattern, 1, path, basenameOffset + baseLen - (patternLen - 1), patternLen - 1);
        }
        return WildMatch.matches(pattern, Arrays.copyOfRange(path, basenameOffset, path.length), 0);
    }

    private boolean matchPathname(byte[] path, byte[] base) {
        int p = 0;
        int patternLen = pattern.length;
        int prefix = nowildcardLength;
        if (patternLen > 0 && pattern[0] == '/') {
            p = 1;
            patternLen--;
            prefix--;
        }
        int baseLen = base.length;
        if (path.length < baseLen + 1 || (baseLen > 0 && path[baseLen] != '/')
                || !regionEquals(path, 0, base, 0, baseLen)) {
            return false;
        }
        int nameLen = baseLen > 0 ? path.length - baseLen - 1 : path.length;
        int name = path.length - nameLen;
        if (prefix > 0) {
            if (prefix > nameLen) {
                return false;
            }
            if (!regionEquals(pattern, p, path, name, prefix)) {
                return false;
            }
            p += prefix;
            patternLen -= prefix;
            name += prefix;
            nameLen -= prefix;
            if (patternLen == 0 && nameLen == 0) {
                return true;
            }
        }
        return WildMatch.matches(Arrays.copyOfRange(pattern, p, p + patternLen),
                Arrays.copyOfRange(path, name, name + nameLen), WildMatch.PATHNAME);
    }

    private static boolean regionEquals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        for (int i = 0; i < len; i++) {
            if (a[aOff + i] != b[bOff + i]) {
                return false;
            }
        }
        return true;
    }
}

package com.gitblit.plugin.goproxy.source.archive;

/**
 * git's {@code wildmatch()} (git 2.39), the glob engine behind gitattributes patterns, over raw bytes.
 * <ul>
 *   <li>{@code ?} any byte, {@code *} any run of bytes, {@code [...]} a class ({@code !} or {@code ^}
 *       negates; ranges; {@code [:alpha:]}-style classes with git's locale-free ASCII tables),
 *       {@code \} quotes the next byte.</li>
 *   <li>With {@link #PATHNAME}: {@code ?}, {@code *} and classes never match {@code /}; {@code **} matches
 *       across {@code /} only when it is a whole path element ({@code **}{@code /}, {@code /**},
 *       {@code /**}{@code /}), where {@code a/**}{@code /b} also matches {@code a/b}; elsewhere
 *       {@code **} is {@code *}. "Whole element" is judged from the start of the pattern as passed in,
 *       which matters because callers strip a literal prefix first.</li>
 *   <li>Without it, {@code *} and {@code **} both cross {@code /}.</li>
 *   <li>Case-sensitive: git only folds case when {@code core.ignorecase} is set, which a Linux clone
 *       (cmd/go's, and the checksum database's) never has.</li>
 * </ul>
 * Patterns and texts are NUL-free (git handles them as C strings), so the end of the array plays the
 * role of the terminating NUL.
 */
final class WildMatch {
    static final int PATHNAME = 2;

    private static final int MATCH = 0;
    private static final int NOMATCH = 1;
    private static final int ABORT_ALL = -1;
    private static final int ABORT_TO_STARSTAR = -2;

    private WildMatch() {
    }

    /** True iff {@code text} matches {@code pattern}. */
    static boolean matches(byte[] pattern, byte[] text, int flags) {
        return dowild(pattern, 0, text, 0, flags) == MATCH;
    }

    private static int at(byte[] a, int i) {
        return i < a.length ? a[i] & 0xff : 0;
    }

    private static int dowild(byte[] pat, int p, byte[] text, int t, int flags) {
        final int patternStart = p;
        for (int pc; (pc = at(pat, p)) != 0; t++, p++) {
            int tc = at(text, t);
            if (tc == 0 && pc != '*') {
                return ABORT_ALL;
            }
            switch (pc) {
                case '\\':
                    // A trailing backslash compares the text against NUL, which fails below.
                    pc = at(pat, ++p);
                    if (tc != pc) {
                        return NOMATCH;
                    }
                    continue;
                case '?':
                    if ((flags & PATHNAME) != 0 && tc == '/') {
                        return NOMATCH;
                    }
                    continue;
                case '*': {
                    boolean matchSlash;
                    if (at(pat, ++p) == '*') {
                        int prev = p - 2;
                        while (at(pat, ++p) == '*') {
                            // skip the whole run of stars
                        }
                        if ((flags & PATHNAME) == 0) {
                            matchSlash = true;
                        } else if ((prev < patternStart || at(pat, prev) == '/')
                                && (at(pat, p) == 0 || at(pat, p) == '/'
                                    || (at(pat, p) == '\\' && at(pat, p + 1) == '/'))) {
                            if (at(pat, p) == '/' && dowild(pat, p + 1, text, t, flags) == MATCH) {
                                return MATCH;
                            }
                            matchSlash = true;
                        } else {
                            matchSlash = false;
                        }
                    } else {
                        matchSlash = (flags & PATHNAME) == 0;
                    }
                    if (at(pat, p) == 0) {
                        if (!matchSlash && indexOf(text, t, '/') >= 0) {
                            return NOMATCH;
                        }
                        return MATCH;
                    } else if (!matchSlash && at(pat, p) == '/') {
                        int slash = indexOf(text, t, '/');
                        if (slash < 0) {
                            return NOMATCH;
                        }
                        // the slash itself is consumed by the loop's increment
                        t = slash;
                        break;
                    }
                    while (true) {
                        if (tc == 0) {
                            break;
                        }
                        if (!isGlobSpecial(at(pat, p))) {
                            int literal = at(pat, p);
                            while ((tc = at(text, t)) != 0 && (matchSlash || tc != '/')) {
                                if (tc == literal) {
                                    break;
                                }
                                t++;
                            }
                            if (tc != literal) {
                                return NOMATCH;
                            }
                        }
                        int matched = dowild(pat, p, text, t, flags);
                        if (matched != NOMATCH) {
                            if (!matchSlash || matched != ABORT_TO_STARSTAR) {
                                return matched;
                            }
                        } else if (!matchSlash && tc == '/') {
                            return ABORT_TO_STARSTAR;
                        }
                        tc = at(text, ++t);
                    }
                    return ABORT_ALL;
                }
                case '[': {
                    pc = at(pat, ++p);
                    if (pc == '^') {
                        pc = '!';
                    }
                    boolean negated = pc == '!';
                    if (negated) {
                        pc = at(pat, ++p);
                    }
                    int prevCh = 0;
                    boolean matched = false;
                    do {
                        if (pc == 0) {
                            return ABORT_ALL;
                        }
                        if (pc == '\\') {
                            pc = at(pat, ++p);
                            if (pc == 0) {
                                return ABORT_ALL;
                            }
                            if (tc == pc) {
                                matched = true;
                            }
                        } else if (pc == '-' && prevCh != 0 && at(pat, p + 1) != 0 && at(pat, p + 1) != ']') {
                            pc = at(pat, ++p);
                            if (pc == '\\') {
                                pc = at(pat, ++p);
                                if (pc == 0) {
                                    return ABORT_ALL;
                                }
                            }
                            if (tc <= pc && tc >= prevCh) {
                                matched = true;
                            }
                            pc = 0; // so that the previous character is "none" for the next round
                        } else if (pc == '[' && at(pat, p + 1) == ':') {
                            int s = p + 2;
                            p = s;
                            while ((pc = at(pat, p)) != 0 && pc != ']') {
                                p++;
                            }
                            if (pc == 0) {
                                return ABORT_ALL;
                            }
                            int len = p - s - 1;
                            if (len < 0 || at(pat, p - 1) != ':') {
                                // no ":]": the '[' is an ordinary member of the class
                                p = s - 2;
                                pc = '[';
                                if (tc == pc) {
                                    matched = true;
                                }
                                prevCh = pc;
                                pc = at(pat, ++p);
                                continue;
                            }
                            Boolean inClass = characterClass(pat, s, len, tc);
                            if (inClass == null) {
                                return ABORT_ALL;
                            }
                            if (inClass) {
                                matched = true;
                            }
                            pc = 0;
                        } else if (tc == pc) {
                            matched = true;
                        }
                        prevCh = pc;
                        pc = at(pat, ++p);
                    } while (pc != ']');
                    if (matched == negated || ((flags & PATHNAME) != 0 && tc == '/')) {
                        return NOMATCH;
                    }
                    continue;
                }
                default:
                    if (tc != pc) {
                        return NOMATCH;
                    }
                    continue;
            }
        }
        return at(text, t) != 0 ? NOMATCH : MATCH;
    }

    /**
     * Whether {@code c} is in the named class, {@code null} for an unknown class name (which makes
     * the whole pattern fail, as in git).
     */
    private static Boolean characterClass(byte[] pat, int start, int len, int c) {
        String name = new String(pat, start, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        switch (name) {
            case "alnum":
                return isAlpha(c) || isDigit(c);
            case "alpha":
                return isAlpha(c);
            case "blank":
                return c == ' ' || c == '\t';
            case "cntrl":
                return c < 0x20 || c == 0x7f;
            case "digit":
                return isDigit(c);
            case "graph":
                return c > 0x20 && c < 0x7f;
            case "lower":
                return c >= 'a' && c <= 'z';
            case "print":
                return c >= 0x20 && c <= 0x7e;
            case "punct":
                return c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c);
            case "space":
                // git's own ctype: only TAB, LF, CR and space (not VT, FF)
                return c == ' ' || c == '\t' || c == '\n' || c == '\r';
            case "upper":
                return c >= 'A' && c <= 'Z';
            case "xdigit":
                return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            default:
                return null;
        }
    }

    private static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isGlobSpecial(int c) {
        return c == '*' || c == '?' || c == '[' || c == '\\';
    }

    private static int indexOf(byte[] a, int from, int b) {
        for (int i = from; i < a.length; i++) {
            if ((a[i] & 0xff) == b) {
                return i;
            }
        }
        return -1;
    }
}

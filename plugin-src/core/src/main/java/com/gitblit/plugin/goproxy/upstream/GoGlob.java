package com.gitblit.plugin.goproxy.upstream;

/**
 * Go's {@code path.Match}: {@code *} any run of non-{@code /} characters, {@code ?} one non-{@code /}
 * character, {@code [...]} a class with ranges and a leading {@code ^} to negate, {@code \} quotes.
 */
final class GoGlob {
    private GoGlob() {
    }

    static void check(String glob) {
        try {
            matches(glob, "");
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '\\') {
                    if (++i >= glob.length()) {
                        throw new IllegalArgumentException();
                    }
                } else if (c == '[') {
                    int end = classEnd(glob, i);
                    if (end < 0) {
                        throw new IllegalArgumentException();
                    }
                    i = end;
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed pattern " + glob);
        }
    }

    static boolean matches(String glob, String name) {
        return match(glob, 0, name, 0);
    }

    private static boolean match(String g, int gi, String s, int si) {
        while (gi < g.length()) {
            char c = g.charAt(gi);
            if (c == '*') {
                for (int k = si; ; k++) {
                    if (match(g, gi + 1, s, k)) {
                        return true;
                    }
                    if (k >= s.length() || s.charAt(k) == '/') {
                        return false;
                    }
                }
            }
            if (si >= s.length()) {
                return false;
            }
            char sc = s.charAt(si);
            if (c == '?') {
                if (sc == '/') {
                    return false;
                }
                gi++;
            } else if (c == '[') {
                int end = classEnd(g, gi);
                if (end < 0 || sc == '/' || !inClass(g.substring(gi + 1, end), sc)) {
                    return false;
                }
                gi = end + 1;
            } else {
                if (c == '\\' && gi + 1 < g.length()) {
                    c = g.charAt(++gi);
                }
                if (c != sc) {
                    return false;
                }
                gi++;
            }
            si++;
        }
        return si == s.length();
    }

    private static int classEnd(String g, int open) {
        int i = open + 1;
        if (i < g.length() && g.charAt(i) == '^') {
            i++;
        }
        int bodyStart = i;
        for (; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ']') {
                // An empty class is malformed in Go, as here.
                return i == bodyStart ? -1 : i;
            }
        }
        return -1;
    }

    private static boolean inClass(String body, char c) {
        boolean negate = body.startsWith("^");
        int i = negate ? 1 : 0;
        boolean found = false;
        while (i < body.length()) {
            char lo = body.charAt(i);
            if (lo == '\\') {
                lo = body.charAt(++i);
            }
            i++;
            char hi = lo;
            if (i + 1 < body.length() && body.charAt(i) == '-') {
                hi = body.charAt(i + 1);
                if (hi == '\\') {
                    hi = body.charAt(i + 2);
                    i++;
                }
                i += 2;
            }
            if (lo <= c && c <= hi) {
                found = true;
            }
        }
        return found != negate;
    }
}

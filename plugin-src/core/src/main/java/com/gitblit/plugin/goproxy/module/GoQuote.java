package com.gitblit.plugin.goproxy.module;

import java.util.Locale;

/** Go string literals as strconv reads and writes them (Unquote of "..." and `...`, Quote). */
public final class GoQuote {
    private GoQuote() {
    }

    static String unquote(String s) throws ModuleRuleException {
        int n = s.length();
        if (n < 2) {
            throw syntax();
        }
        char q = s.charAt(0);
        if (q != s.charAt(n - 1)) {
            throw syntax();
        }
        String body = s.substring(1, n - 1);
        if (q == '`') {
            if (body.indexOf('`') >= 0) {
                throw syntax();
            }
            return body.replace("\r", "");
        }
        if (q != '"' || body.indexOf('\n') >= 0) {
            throw syntax();
        }
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); ) {
            char c = body.charAt(i);
            if (c == '"') {
                throw syntax();
            }
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= body.length()) {
                throw syntax();
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a': out.append('\u0007'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'v': out.append('\u000b'); break;
                case '\\': out.append('\\'); break;
                case '"': out.append('"'); break;
                case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
                    if (i + 2 > body.length()) {
                        throw syntax();
                    }
                    int v = e - '0';
                    for (int k = 0; k < 2; k++) {
                        int d = body.charAt(i + k) - '0';
                        if (d < 0 || d > 7) {
                            throw syntax();
                        }
                        v = v * 8 + d;
                    }
                    if (v > 255) {
                        throw syntax();
                    }
                    i += 2;
                    // A byte escape: in Go it is one raw byte; as text it can only stand for itself if ASCII.
                    out.appendCodePoint(v < 0x80 ? v : 0xFFFD);
                    break;
                }
                case 'x': {
                    int v = hex(body, i, 2);
                    i += 2;
                    out.appendCodePoint(v < 0x80 ? v : 0xFFFD);
                    break;
                }
                case 'u':
                case 'U': {
                    int len = e == 'u' ? 4 : 8;
                    int v = hex(body, i, len);
                    i += len;
                    if (v > 0x10FFFF || v >= 0xD800 && v < 0xE000) {
                        throw syntax();
                    }
                    out.appendCodePoint(v);
                    break;
                }
                default:
                    throw syntax();
            }
        }
        return out.toString();
    }

    private static int hex(String s, int at, int len) throws ModuleRuleException {
        if (at + len > s.length()) {
            throw syntax();
        }
        int v = 0;
        for (int k = 0; k < len; k++) {
            int d = Character.digit(s.charAt(at + k), 16);
            if (d < 0 || s.charAt(at + k) > 'f') {
                throw syntax();
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** strconv.Quote, Go's {@code %q} of a string: printable runes as they are, the rest escaped. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"': out.append("\\\""); continue;
                case '\\': out.append("\\\\"); continue;
                case 7: out.append("\\a"); continue;
                case '\b': out.append("\\b"); continue;
                case '\f': out.append("\\f"); continue;
                case '\n': out.append("\\n"); continue;
                case '\r': out.append("\\r"); continue;
                case '\t': out.append("\\t"); continue;
                case 0x0b: out.append("\\v"); continue;
                default:
            }
            if (UnicodeClass.isPrint(c)) {
                out.appendCodePoint(c);
            } else if (c < 0x80) {
                out.append(String.format(Locale.ROOT, "\\x%02x", c));
            } else if (c < 0x10000) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.append(String.format(Locale.ROOT, "\\U%08x", c));
            }
        }
        return out.append('"').toString();
    }

    private static ModuleRuleException syntax() {
        return new ModuleRuleException("invalid syntax");
    }
}

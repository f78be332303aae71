package com.gitblit.plugin.goproxy.source.archive;

import java.io.ByteArrayOutputStream;

/**
 * git's {@code unquote_c_style}: a gitattributes pattern may be written as a C-style quoted string
 * ({@code "a b.txt"}), with the escapes {@code \a \b \f \n \r \t \v \\ \"} and three-digit octal
 * {@code \ooo} whose first digit is 0-3. Anything else (another escape, a missing closing quote) makes the
 * quoting invalid, and git then reads the token unquoted, quotes included.
 */
final class CQuote {
    /** The unquoted bytes and the index just after the closing quote. */
    static final class Result {
        final byte[] value;
        final int end;

        Result(byte[] value, int end) {
            this.value = value;
            this.end = end;
        }
    }

    private CQuote() {
    }

    /** Unquotes {@code line[start..limit)} (starting at the opening quote), or {@code null} when invalid. */
    static Result unquote(byte[] line, int start, int limit) {
        if (start >= limit || line[start] != '"') {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = start + 1;
        while (true) {
            if (i >= limit) {
                return null;
            }
            int c = line[i++] & 0xff;
            if (c == '"') {
                return new Result(out.toByteArray(), i);
            }
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (i >= limit) {
                return null;
            }
            int e = line[i++] & 0xff;
            switch (e) {
                case 'a':
                    out.write(7);
                    break;
                case 'b':
                    out.write('\b');
                    break;
                case 'f':
                    out.write('\f');
                    break;
                case 'n':
                    out.write('\n');
                    break;
                case 'r':
                    out.write('\r');
                    break;
                case 't':
                    out.write('\t');
                    break;
                case 'v':
                    out.write(11);
                    break;
                case '\\':
                case '"':
                    out.write(e);
                    break;
                case '0':
                case '1':
                case '2':
                case '3': {
                    int value = (e - '0') << 6;
                    for (int k = 0; k < 2; k++) {
                        int d = i < limit ? line[i++] & 0xff : 0;
                        if (d < '0' || d > '7') {
                            return null;
                        }
                        value |= (d - '0') << (k == 0 ? 3 : 0);
                    }
                    out.write(value);
                    break;
                }
                default:
                    return null;
            }
        }
    }
}

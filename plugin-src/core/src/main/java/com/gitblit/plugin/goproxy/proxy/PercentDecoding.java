package com.gitblit.plugin.goproxy.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.gitblit.plugin.goproxy.module.Utf8;

/**
 * Strict percent-decoding of a URL path, done exactly once per request: {@code %} must start two hex digits,
 * the result must be UTF-8, and an encoded slash is refused (it would turn one path element into two, and
 * {@code %252f} must stay {@code %2f}, never become a slash). {@code +} is a literal plus in a path (versions
 * such as {@code v2.0.0+incompatible} use it).
 */
public final class PercentDecoding {
    private PercentDecoding() {
    }

    /** The decoded path, or {@code null} when it is malformed, not UTF-8, or holds an encoded slash. */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                return null;
            }
            int b = hi * 16 + lo;
            if (b == '/' || b == '\\') {
                return null;
            }
            bytes.write(b);
            i += 2;
        }
        return Utf8.decodeStrict(bytes.toByteArray());
    }
}

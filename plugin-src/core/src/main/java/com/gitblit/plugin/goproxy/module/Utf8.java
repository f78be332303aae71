package com.gitblit.plugin.goproxy.module;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as Go sees it ({@code unicode/utf8}): strict validity (no surrogates, no overlong forms, nothing
 * above U+10FFFF) and Go's string order, which is byte order of the UTF-8 encoding. Java's
 * {@code String.compareTo} orders by UTF-16 units and differs for characters above U+FFFF.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** True iff {@code bytes} is valid UTF-8 by Go's {@code utf8.Valid}. */
    public static boolean isValid(byte[] bytes) {
        return decodeStrict(bytes) != null;
    }

    /** Decodes valid UTF-8; returns {@code null} when {@code bytes} is not valid UTF-8 by Go's rules. */
    public static String decodeStrict(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            // The JDK decoder rejects overlong forms, surrogates and values above U+10FFFF, as Go does.
            return decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** UTF-8 encoding of a string (unpaired surrogates are not expected; they encode as U+FFFD). */
    public static byte[] encode(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Go's string comparison: lexicographic over the UTF-8 bytes, unsigned. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                // UTF-8 byte order equals code point order.
                return ca < cb ? -1 : 1;
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        boolean aDone = i >= a.length();
        boolean bDone = j >= b.length();
        return aDone == bDone ? 0 : aDone ? -1 : 1;
    }
}

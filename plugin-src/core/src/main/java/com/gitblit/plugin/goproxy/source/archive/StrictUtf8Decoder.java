package com.gitblit.plugin.goproxy.source.archive;

/**
 * UTF-8 decoding as glibc's iconv does it when git re-encodes a file for {@code working-tree-encoding}
 * (verified against iconv on Debian's glibc): shortest forms only, no surrogates (U+D800-U+DFFF), nothing
 * above U+10FFFF; noncharacters such as U+FFFE are fine and a BOM is an ordinary U+FEFF. Any invalid or
 * truncated sequence makes the whole conversion fail.
 */
final class StrictUtf8Decoder {
    static final int MORE = -1;
    static final int INVALID = -2;

    private int needed;
    private int codePoint;
    private int lower = 0x80;
    private int upper = 0xBF;

    /** Feeds one byte: a complete code point, {@link #MORE} or {@link #INVALID}. */
    int feed(int b) {
        if (needed == 0) {
            if (b < 0x80) {
                return b;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
                codePoint = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                needed = 2;
                codePoint = b & 0x0F;
                if (b == 0xE0) {
                    lower = 0xA0;
                } else if (b == 0xED) {
                    upper = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                needed = 3;
                codePoint = b & 0x07;
                if (b == 0xF0) {
                    lower = 0x90;
                } else if (b == 0xF4) {
                    upper = 0x8F;
                }
            } else {
                return INVALID;
            }
            return MORE;
        }
        if (b < lower || b > upper) {
            return INVALID;
        }
        lower = 0x80;
        upper = 0xBF;
        codePoint = (codePoint << 6) | (b & 0x3F);
        return --needed == 0 ? codePoint : MORE;
    }

    /** True when the bytes fed so far end inside a sequence (invalid at the end of the input). */
    boolean inSequence() {
        return needed != 0;
    }
}

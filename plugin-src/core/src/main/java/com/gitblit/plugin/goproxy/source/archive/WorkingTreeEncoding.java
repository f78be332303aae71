package com.gitblit.plugin.goproxy.source.archive;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The target of a {@code working-tree-encoding} attribute, as git 2.39 on Linux (glibc iconv) writes it
 * into {@code git archive} output: the blob is taken as UTF-8 and re-encoded after the other conversions.
 * <ul>
 *   <li>An empty value, and every spelling git treats as UTF-8 ({@code UTF-8}, {@code utf8}, any case),
 *       mean no re-encoding ({@link #isUtf8}).</li>
 *   <li>{@code UTF-16LE-BOM} / {@code UTF-16BE-BOM} (git's own names, spelled with or without the dash after
 *       UTF) write a BOM then little/big-endian UTF-16.</li>
 *   <li>Plain {@code UTF-16} and {@code UTF-32} are glibc's: a BOM, then LITTLE-endian (glibc writes the
 *       host's order; the checksum database and practically every Linux host are little-endian).</li>
 *   <li>{@code UTF-16LE/BE}, {@code UTF-32LE/BE}: no BOM.</li>
 *   <li>A few single-byte charsets, under the spellings glibc accepts, whose encoding table the tests prove
 *       equal between glibc and the JDK for every code point; plus {@code latin-1}, which glibc rejects and
 *       git then retries as ISO-8859-1.</li>
 *   <li>Anything else is not supported ({@link #forName} returns null): glibc's tables for multi-byte
 *       charsets differ from the JDK's, and an unknown name may or may not be known to some glibc. The caller
 *       refuses such files rather than guess.</li>
 * </ul>
 * If the content is not valid UTF-8 or holds a character the target cannot represent, git keeps the
 * content as it was before this step (that is decided by {@link ConvertedBlob}). An empty file stays empty
 * (no BOM).
 */
final class WorkingTreeEncoding {

    /** Encodes one code point; returns the number of bytes written, or -1 if it is not representable. */
    interface CodePointEncoder {
        int encode(int codePoint, byte[] out, int off);
    }

    private static final Map<String, String> SINGLE_BYTE_SPELLINGS = new HashMap<>();
    private static final Map<String, byte[]> SINGLE_BYTE_TABLES = new ConcurrentHashMap<>();

    static {
        single("ISO-8859-1", "ISO-8859-1", "ISO8859-1", "ISO_8859-1", "ISO88591", "LATIN1", "L1", "CP819", "IBM819",
                "LATIN-1");
        single("US-ASCII", "US-ASCII", "ASCII", "ANSI_X3.4-1968");
        for (int n : new int[] {2, 3, 4, 5, 6, 7, 8, 9, 13, 15, 16}) {
            String canonical = "ISO-8859-" + n;
            single(canonical, canonical, "ISO8859-" + n);
            if (n != 13) {
                single(canonical, "ISO_8859-" + n); // glibc has no such alias for -13
            }
        }
        single("ISO-8859-2", "LATIN2");
        single("ISO-8859-15", "LATIN-9", "LATIN9");
        for (int n : new int[] {1250, 1251, 1252, 1253, 1254, 1256, 1257}) {
            single("windows-" + n, "WINDOWS-" + n, "CP" + n);
        }
        single("KOI8-R", "KOI8-R");
        single("KOI8-U", "KOI8-U");
    }

    private static void single(String javaName, String... spellings) {
        for (String s : spellings) {
            SINGLE_BYTE_SPELLINGS.put(s, javaName);
        }
    }

    /** The single-byte spellings this reader accepts (upper case), for the tests that check them against glibc. */
    static java.util.Set<String> singleByteSpellings() {
        return java.util.Collections.unmodifiableSet(SINGLE_BYTE_SPELLINGS.keySet());
    }

    private final String name;
    private final byte[] bom;
    private final CodePointEncoder encoder;
    private final int crLength;

    private WorkingTreeEncoding(String name, byte[] bom, CodePointEncoder encoder, int crLength) {
        this.name = name;
        this.bom = bom;
        this.encoder = encoder;
        this.crLength = crLength;
    }

    /** git's {@code same_encoding(value, "UTF-8")}: no re-encoding at all. */
    static boolean isUtf8(String value) {
        return sameUtf(value, "UTF-8") || value.equalsIgnoreCase("UTF-8");
    }

    /**
     * git's {@code same_utf_encoding}: both start with "utf" (any case), an optional dash follows, and the
     * rests are equal ignoring ASCII case.
     */
    private static boolean sameUtf(String a, String b) {
        if (!startsWithIgnoreCase(a, "utf") || !startsWithIgnoreCase(b, "utf")) {
            return false;
        }
        String ra = a.substring(3);
        String rb = b.substring(3);
        if (ra.startsWith("-")) {
            ra = ra.substring(1);
        }
        if (rb.startsWith("-")) {
            rb = rb.substring(1);
        }
        return asciiUpper(ra).equals(asciiUpper(rb));
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.length() >= prefix.length() && asciiUpper(s.substring(0, prefix.length())).equals(asciiUpper(prefix));
    }

    static String asciiUpper(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'a' && c[i] <= 'z') {
                c[i] = (char) (c[i] - 32);
            }
        }
        return new String(c);
    }

    /** The encoding for an attribute value that is not UTF-8, or {@code null} when it cannot be reproduced. */
    static WorkingTreeEncoding forName(String value) {
        if (sameUtf(value, "UTF-16LE-BOM")) {
            return utf16(value, new byte[] {(byte) 0xFF, (byte) 0xFE}, true);
        }
        if (sameUtf(value, "UTF-16BE-BOM")) {
            return utf16(value, new byte[] {(byte) 0xFE, (byte) 0xFF}, false);
        }
        String upper = asciiUpper(value);
        switch (upper) {
            case "UTF-16":
            case "UTF16":
                return utf16(value, new byte[] {(byte) 0xFF, (byte) 0xFE}, true);
            case "UTF-16LE":
            case "UTF16LE":
                return utf16(value, new byte[0], true);
            case "UTF-16BE":
            case "UTF16BE":
                return utf16(value, new byte[0], false);
            case "UTF-32":
            case "UTF32":
                return utf32(value, new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, true);
            case "UTF-32LE":
            case "UTF32LE":
                return utf32(value, new byte[0], true);
            case "UTF-32BE":
            case "UTF32BE":
                return utf32(value, new byte[0], false);
            default:
                break;
        }
        String javaName = SINGLE_BYTE_SPELLINGS.get(upper);
        if (javaName == null) {
            return null;
        }
        byte[] table = singleByteTable(javaName);
        if (table == null) {
            return null;
        }
        return new WorkingTreeEncoding(value, new byte[0], new SingleByte(table), 1);
    }

    private static WorkingTreeEncoding utf16(String name, byte[] bom, final boolean little) {
        return new WorkingTreeEncoding(name, bom, new CodePointEncoder() {
            @Override
            public int encode(int cp, byte[] out, int off) {
                if (cp < 0x10000) {
                    unit(cp, out, off);
                    return 2;
                }
                int v = cp - 0x10000;
                unit(0xD800 | (v >> 10), out, off);
                unit(0xDC00 | (v & 0x3FF), out, off + 2);
                return 4;
            }

            private void unit(int u, byte[] out, int off) {
                out[off + (little ? 0 : 1)] = (byte) u;
                out[off + (little ? 1 : 0)] = (byte) (u >> 8);
            }
        }, 2);
    }

    private static WorkingTreeEncoding utf32(String name, byte[] bom, final boolean little) {
        return new WorkingTreeEncoding(name, bom, new CodePointEncoder() {
            @Override
            public int encode(int cp, byte[] out, int off) {
                for (int i = 0; i < 4; i++) {
                    out[off + (little ? i : 3 - i)] = (byte) (cp >> (8 * i));
                }
                return 4;
            }
        }, 4);
    }

    /** For each BMP code point the byte it encodes to, or 0 with the "unmappable" bit in a second half. */
    private static byte[] singleByteTable(String javaName) {
        byte[] cached = SINGLE_BYTE_TABLES.get(javaName);
        if (cached != null) {
            return cached;
        }
        if (!Charset.isSupported(javaName)) {
            return null;
        }
        CharsetEncoder enc = Charset.forName(javaName).newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // two bytes per code point: [mapped flag, byte]
        byte[] table = new byte[2 * 0x10000];
        char[] one = new char[1];
        for (int c = 0; c < 0x10000; c++) {
            if (c >= 0xD800 && c <= 0xDFFF) {
                continue;
            }
            one[0] = (char) c;
            try {
                ByteBuffer b = enc.reset().encode(CharBuffer.wrap(one));
                if (b.remaining() == 1) {
                    table[2 * c] = 1;
                    table[2 * c + 1] = b.get();
                } else if (b.remaining() > 1) {
                    // not a single-byte charset after all: refuse it
                    return null;
                }
            } catch (CharacterCodingException e) {
                // unmappable: flag stays 0
            }
        }
        SINGLE_BYTE_TABLES.put(javaName, table);
        return table;
    }

    private static final class SingleByte implements CodePointEncoder {
        private final byte[] table;

        SingleByte(byte[] table) {
            this.table = table;
        }

        @Override
        public int encode(int cp, byte[] out, int off) {
            if (cp >= 0x10000 || table[2 * cp] == 0) {
                return -1;
            }
            out[off] = table[2 * cp + 1];
            return 1;
        }
    }

    /** The attribute value as written. */
    String name() {
        return name;
    }

    byte[] bom() {
        return Arrays.copyOf(bom, bom.length);
    }

    int bomLength() {
        return bom.length;
    }

    CodePointEncoder encoder() {
        return encoder;
    }

    /** Bytes the target uses for CR (and for LF, or any ASCII character). */
    int crLength() {
        return crLength;
    }

    /** The largest number of bytes one code point takes. */
    static int maxBytesPerCodePoint() {
        return 4;
    }

    @Override
    public String toString() {
        return name;
    }
}

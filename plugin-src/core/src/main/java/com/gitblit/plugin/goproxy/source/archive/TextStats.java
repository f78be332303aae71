package com.gitblit.plugin.goproxy.source.archive;

/**
 * git 2.39's {@code gather_stats} and {@code convert_is_binary}, fed in chunks: counts of NUL, lone CR,
 * lone LF, CRLF, and "printable" versus "non-printable" bytes.
 * <ul>
 *   <li>CR followed by LF is one CRLF; any other CR is a lone CR (also one at the very end).</li>
 *   <li>DEL and control bytes other than BS, TAB, ESC, FF, CR, LF are non-printable (NUL too); all other
 *       bytes, including every byte from 0x80, are printable. A final 0x1A (DOS end of file) is not
 *       counted as non-printable.</li>
 *   <li>Binary: any lone CR, any NUL, or fewer than 128 printable bytes per non-printable one
 *       ({@code printable / 128 < nonprintable}).</li>
 * </ul>
 */
final class TextStats {
    private long nul;
    private long loneCr;
    private long loneLf;
    private long crlf;
    private long printable;
    private long nonPrintable;
    private boolean pendingCr;
    private int last = -1;

    void update(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            last = c;
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    crlf++;
                    continue;
                }
                loneCr++;
            }
            if (c == '\r') {
                pendingCr = true;
            } else if (c == '\n') {
                loneLf++;
            } else if (c == 127) {
                nonPrintable++;
            } else if (c < 32) {
                if (c == '\b' || c == '\t' || c == 033 || c == 014) {
                    printable++;
                } else {
                    if (c == 0) {
                        nul++;
                    }
                    nonPrintable++;
                }
            } else {
                printable++;
            }
        }
    }

    /** Call once after the last chunk. */
    TextStats finish() {
        if (pendingCr) {
            pendingCr = false;
            loneCr++;
        }
        if (last == 032) {
            nonPrintable--;
        }
        return this;
    }

    long loneLf() {
        return loneLf;
    }

    long loneCr() {
        return loneCr;
    }

    long crlf() {
        return crlf;
    }

    boolean isBinary() {
        return loneCr > 0 || nul > 0 || (printable >> 7) < nonPrintable;
    }
}

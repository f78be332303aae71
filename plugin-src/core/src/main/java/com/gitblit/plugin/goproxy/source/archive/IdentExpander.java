package com.gitblit.plugin.goproxy.source.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code ident} attribute on checkout/archive, as git 2.39's {@code ident_to_worktree}, streamed:
 * <ul>
 *   <li>{@code $Id$} becomes {@code $Id: <40-hex blob id> $} (the id of the blob as stored).</li>
 *   <li>An already expanded {@code $Id:...$} is replaced the same way when no LF comes before the next
 *       {@code $} and no space appears in it except right after the colon or right before the closing
 *       {@code $} (otherwise it is kept: "probably an id from some other versioning system"). There is no
 *       limit on its length. {@code $Id:$} is replaced too.</li>
 *   <li>After a kept {@code $Id:...}, scanning resumes right after its {@code $}, so a {@code $} inside can
 *       start a keyword.</li>
 * </ul>
 * Deciding an expanded form needs to look ahead up to the next {@code $} or LF, which may be far away. The
 * first {@value #WINDOW} bytes are looked at in memory; beyond that a second stream over the same blob
 * ("scout", only ever moving forward) is used, so memory stays constant.
 */
final class IdentExpander extends InputStream {
    /** Opens the raw blob again, from its first byte. */
    interface Reopen {
        InputStream open() throws IOException;
    }

    static final int WINDOW = 64 * 1024;

    private final InputStream in;
    private final Reopen reopen;
    private final byte[] replacement;
    private final byte[] buf = new byte[WINDOW];
    private int pos;
    private int limit;
    /** Absolute offset in the raw blob of {@code buf[0]}. */
    private long bufStart;
    private boolean eof;

    private byte[] pending;
    private int pendingPos;
    private boolean afterDollar;

    private InputStream scout;
    private long scoutPos;
    /** Where the scout found the end of the blob (an upper bound until then). */
    private long scoutEnd = Long.MAX_VALUE;

    IdentExpander(InputStream in, Reopen reopen, String blobHex) {
        this.in = in;
        this.reopen = reopen;
        this.replacement = ("Id: " + blobHex + " $").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (pending != null) {
                int c = Math.min(len - n, pending.length - pendingPos);
                System.arraycopy(pending, pendingPos, b, off + n, c);
                n += c;
                pendingPos += c;
                if (pendingPos == pending.length) {
                    pending = null;
                }
                continue;
            }
            if (afterDollar) {
                afterDollar = false;
                expandKeyword();
                continue;
            }
            if (pos == limit && !ensure(1)) {
                break;
            }
            int max = Math.min(limit, pos + (len - n));
            int i = pos;
            while (i < max && buf[i] != '$') {
                i++;
            }
            if (i < max) {
                i++;
                afterDollar = true;
            }
            System.arraycopy(buf, pos, b, off + n, i - pos);
            n += i - pos;
            pos = i;
        }
        return n == 0 ? -1 : n;
    }

    /** Positioned right after a '$': replaces a keyword that starts here, if any. */
    private void expandKeyword() throws IOException {
        if (peek(0) != 'I' || peek(1) != 'd') {
            return;
        }
        int third = peek(2);
        if (third == '$') {
            consume(3);
            pending = replacement;
            pendingPos = 0;
        } else if (third == ':') {
            long closing = findClosingDollar();
            if (closing >= 0) {
                consume(closing + 1);
                pending = replacement;
                pendingPos = 0;
            }
        }
    }

    /** Offset of the '$' closing an expanded {@code Id:...} that git would replace, or -1. */
    private long findClosingDollar() throws IOException {
        long spaceAt = -1;
        for (long k = 3;; k++) {
            int c = peek(k);
            if (c < 0 || c == '\n') {
                return -1;
            }
            if (c == '$') {
                return k; // a space, if any, is right before it
            }
            if (spaceAt >= 0) {
                return -1; // a space with something other than the closing '$' after it
            }
            if (c == ' ' && k >= 4) {
                spaceAt = k;
            }
        }
    }

    /** The byte {@code k} positions ahead of the current one, or -1 past the end. */
    private int peek(long k) throws IOException {
        if (k < WINDOW) {
            ensure((int) k + 1);
            return pos + k < limit ? buf[pos + (int) k] & 0xff : -1;
        }
        return scoutAt(bufStart + pos + k);
    }

    /** Tries to have {@code count} bytes buffered from {@code pos}; false if fewer are left. */
    private boolean ensure(int count) throws IOException {
        if (limit - pos >= count) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            bufStart += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit < count && !eof) {
            int r = in.read(buf, limit, WINDOW - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= count;
    }

    private void consume(long count) throws IOException {
        long inBuffer = Math.min(count, limit - pos);
        pos += (int) inBuffer;
        long rest = count - inBuffer;
        if (rest > 0) {
            // everything buffered is consumed: skip the rest in the main stream
            bufStart += limit;
            pos = 0;
            limit = 0;
            skipFully(in, rest);
            bufStart += rest;
        }
    }

    private int scoutAt(long absolute) throws IOException {
        if (absolute >= scoutEnd) {
            return -1;
        }
        if (scout == null || absolute < scoutPos) {
            // lookaheads only move forward, so this (re)opens once in practice
            if (scout != null) {
                scout.close();
            }
            scout = new BufferedInputStream(reopen.open(), 8192);
            scoutPos = 0;
        }
        long gap = absolute - scoutPos;
        if (gap > 0 && !skipUpTo(scout, gap)) {
            scoutEnd = absolute;
            return -1;
        }
        int c = scout.read();
        if (c < 0) {
            scoutEnd = absolute;
            return -1;
        }
        scoutPos = absolute + 1;
        return c;
    }

    private static boolean skipUpTo(InputStream s, long count) throws IOException {
        byte[] scratch = new byte[8192];
        long left = count;
        while (left > 0) {
            int r = s.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (r < 0) {
                return false;
            }
            left -= r;
        }
        return true;
    }

    private static void skipFully(InputStream s, long count) throws IOException {
        if (!skipUpTo(s, count)) {
            throw new IOException("blob ended inside an $Id$ keyword it was measured to contain");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            if (scout != null) {
                scout.close();
            }
        }
    }
}

package com.gitblit.plugin.goproxy.source.archive;

import java.io.IOException;
import java.io.InputStream;

/**
 * git 2.39's {@code crlf_to_worktree} output: every LF not immediately preceded by CR becomes CRLF;
 * existing CRLF, lone CR and everything else pass unchanged. Whether to apply it at all is decided
 * elsewhere ({@link ConvertedBlob}).
 */
final class LfToCrlfStream extends InputStream {
    private final InputStream in;
    private final byte[] chunk = new byte[8192];
    private final byte[] out = new byte[2 * 8192];
    private int outPos;
    private int outLimit;
    private int previous = -1;

    LfToCrlfStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        if (outPos == outLimit && !refill()) {
            return -1;
        }
        return out[outPos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (outPos == outLimit && !refill()) {
            return -1;
        }
        int n = Math.min(len, outLimit - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    private boolean refill() throws IOException {
        int r;
        do {
            r = in.read(chunk, 0, chunk.length);
        } while (r == 0);
        if (r < 0) {
            return false;
        }
        int o = 0;
        for (int i = 0; i < r; i++) {
            byte c = chunk[i];
            if (c == '\n' && previous != '\r') {
                out[o++] = '\r';
            }
            out[o++] = c;
            previous = c;
        }
        outPos = 0;
        outLimit = o;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

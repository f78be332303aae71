package com.gitblit.plugin.goproxy.source.archive;

import java.io.IOException;
import java.io.InputStream;

/**
 * Re-encodes UTF-8 into a {@link WorkingTreeEncoding}, BOM first. Only used on content already measured as
 * convertible by {@link EncodingMeter}; meeting an error here means the blob changed, which is reported as
 * an I/O error rather than producing other bytes.
 */
final class TranscodingStream extends InputStream {
    private static final int CHUNK = 8192;

    private final InputStream in;
    private final WorkingTreeEncoding.CodePointEncoder encoder;
    private final StrictUtf8Decoder decoder = new StrictUtf8Decoder();
    private final byte[] chunk = new byte[CHUNK];
    private final byte[] out;
    private int outPos;
    private int outLimit;
    private boolean eof;

    TranscodingStream(InputStream in, WorkingTreeEncoding encoding) {
        this.in = in;
        this.encoder = encoding.encoder();
        this.out = new byte[Math.max(CHUNK * WorkingTreeEncoding.maxBytesPerCodePoint(), 16)];
        byte[] bom = encoding.bom();
        System.arraycopy(bom, 0, out, 0, bom.length);
        outLimit = bom.length;
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
        outPos = 0;
        outLimit = 0;
        while (outLimit == 0) {
            if (eof) {
                return false;
            }
            int r = in.read(chunk, 0, CHUNK);
            if (r < 0) {
                eof = true;
                if (decoder.inSequence()) {
                    throw new IOException("content is no longer valid UTF-8 for working-tree-encoding");
                }
                return false;
            }
            for (int i = 0; i < r; i++) {
                int cp = decoder.feed(chunk[i] & 0xff);
                if (cp == StrictUtf8Decoder.MORE) {
                    continue;
                }
                int n = cp < 0 ? -1 : encoder.encode(cp, out, outLimit);
                if (n < 0) {
                    throw new IOException("content no longer converts to working-tree-encoding");
                }
                outLimit += n;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

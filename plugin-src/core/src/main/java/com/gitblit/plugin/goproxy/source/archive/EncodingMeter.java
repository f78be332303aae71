package com.gitblit.plugin.goproxy.source.archive;

/**
 * Measures, without producing it, what re-encoding UTF-8 input into a {@link WorkingTreeEncoding} would
 * give: whether every byte decodes and every character is representable (otherwise git keeps the input),
 * and how many bytes the output has (BOM excluded).
 */
final class EncodingMeter {
    private final StrictUtf8Decoder decoder = new StrictUtf8Decoder();
    private final WorkingTreeEncoding.CodePointEncoder encoder;
    private final byte[] scratch = new byte[WorkingTreeEncoding.maxBytesPerCodePoint()];
    private boolean failed;
    private long encodedLength;

    EncodingMeter(WorkingTreeEncoding encoding) {
        this.encoder = encoding.encoder();
    }

    void update(byte[] b, int off, int len) {
        if (failed) {
            return;
        }
        for (int i = off; i < off + len; i++) {
            int cp = decoder.feed(b[i] & 0xff);
            if (cp == StrictUtf8Decoder.MORE) {
                continue;
            }
            if (cp == StrictUtf8Decoder.INVALID) {
                failed = true;
                return;
            }
            int n = encoder.encode(cp, scratch, 0);
            if (n < 0) {
                failed = true;
                return;
            }
            encodedLength += n;
        }
    }

    /** True iff the whole input converts; call after the last chunk. */
    boolean convertible() {
        return !failed && !decoder.inSequence();
    }

    long encodedLength() {
        return encodedLength;
    }
}

package com.gitblit.plugin.goproxy.source.archive;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * A blob as git 2.39 writes it into cmd/go's archive under a {@link CheckoutConversion}, with its exact
 * size known before the content is read. Steps, in git's order, each on the previous one's output:
 * <ol>
 *   <li>ident expansion;</li>
 *   <li>LF → CRLF ({@link LfToCrlfStream}): for text-crlf whenever there is a lone LF; for auto-crlf only
 *       when there is a lone LF, no CRLF, no lone CR and the content is not binary ({@link TextStats});
 *       never for an empty file;</li>
 *   <li>re-encoding, kept only if the whole content converts, never for an empty file.</li>
 * </ol>
 * {@link #measure} makes one streaming pass (plus a forward-only second stream for far-reaching
 * {@code $Id:} keywords) and decides every step; {@link #open} streams the result. Nothing is held in
 * memory beyond fixed buffers (JGit itself keeps blobs under its stream threshold in memory).
 */
final class ConvertedBlob {
    private final ObjectId blob;
    private final boolean ident;
    private final boolean addCr;
    private final WorkingTreeEncoding encoding;
    private final long size;

    private ConvertedBlob(ObjectId blob, boolean ident, boolean addCr, WorkingTreeEncoding encoding, long size) {
        this.blob = blob;
        this.ident = ident;
        this.addCr = addCr;
        this.encoding = encoding;
        this.size = size;
    }

    static ConvertedBlob measure(ObjectReader reader, ObjectId blob, CheckoutConversion conversion) throws IOException {
        ObjectLoader loader = reader.open(blob, Constants.OBJ_BLOB);
        TextStats stats = conversion.mayAddCr() ? new TextStats() : null;
        EncodingMeter meter = conversion.encoding() != null ? new EncodingMeter(conversion.encoding()) : null;
        long length = 0;
        try (InputStream in = firstStep(loader, blob, conversion.ident())) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                length += n;
                if (stats != null) {
                    stats.update(buf, 0, n);
                }
                if (meter != null) {
                    meter.update(buf, 0, n);
                }
            }
        }
        boolean addCr = false;
        long crAdded = 0;
        if (stats != null && length > 0) {
            stats.finish();
            addCr = stats.loneLf() > 0;
            if (conversion.crlfAction() == CheckoutConversion.CrlfAction.AUTO_CRLF
                    && (stats.loneCr() > 0 || stats.crlf() > 0 || stats.isBinary())) {
                addCr = false;
            }
            crAdded = addCr ? stats.loneLf() : 0;
        }
        long size = length + crAdded;
        WorkingTreeEncoding encoding = null;
        if (meter != null && length > 0 && meter.convertible()) {
            encoding = conversion.encoding();
            byte[] cr = new byte[WorkingTreeEncoding.maxBytesPerCodePoint()];
            if (encoding.encoder().encode('\r', cr, 0) != encoding.crLength()) {
                throw new IllegalStateException("CR must encode in " + encoding.crLength() + " bytes in " + encoding);
            }
            size = encoding.bomLength() + meter.encodedLength() + crAdded * encoding.crLength();
        }
        return new ConvertedBlob(blob, conversion.ident(), addCr, encoding, size);
    }

    private static InputStream firstStep(final ObjectLoader loader, ObjectId blob, boolean ident) throws IOException {
        InputStream raw = loader.openStream();
        if (!ident) {
            return raw;
        }
        return new IdentExpander(raw, new IdentExpander.Reopen() {
            @Override
            public InputStream open() throws IOException {
                return loader.openStream();
            }
        }, blob.name());
    }

    /** Exact number of bytes {@link #open} yields. */
    long size() {
        return size;
    }

    /** True when the output differs from the blob (for reports and tests). */
    boolean changesContent() {
        return ident || addCr || encoding != null;
    }

    InputStream open(ObjectReader reader) throws IOException {
        ObjectLoader loader = reader.open(blob, Constants.OBJ_BLOB);
        InputStream in = firstStep(loader, blob, ident);
        if (addCr) {
            in = new LfToCrlfStream(in);
        }
        if (encoding != null) {
            in = new TranscodingStream(in, encoding);
        }
        return in;
    }

    @Override
    public String toString() {
        return (ident ? "ident " : "") + (addCr ? "lf-to-crlf " : "") + (encoding != null ? "encoding=" + encoding : "")
                + " size=" + size;
    }
}

package com.gitblit.plugin.goproxy.module.zip;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A {@link PreparedZip} that writes one entry at a time through a fixed buffer: memory does not grow with
 * the module. Each file must yield exactly the size it declared when it was checked; anything else fails
 * the write, because a zip whose contents differ from what was validated must never be completed.
 */
final class StreamingZip implements PreparedZip {
    /** Entries carry a fixed time: zip bytes are then reproducible for equal inputs (h1 ignores times). */
    private static final long ENTRY_TIME = 315532800000L + 86400000L; // 1980-01-02, inside DOS date range

    private final String prefix;
    private final List<ModuleFile> files;
    private final int level;

    StreamingZip(String prefix, List<ModuleFile> files, int level) {
        this.prefix = prefix;
        this.files = Collections.unmodifiableList(new ArrayList<>(files));
        this.level = level;
    }

    @Override
    public List<ModuleFile> files() {
        return files;
    }

    @Override
    public String writeTo(OutputStream out) throws IOException {
        List<DirHash.Entry> hashes = new ArrayList<>(files.size());
        // ZipOutputStream writes its headers a byte or two at a time and deflated data in 512-byte pieces.
        // Unbuffered, a 100 MiB module reached the cache file as ~600,000 writes, each waking the readers of
        // the build in progress: CPU spent on hand-offs, and a build time at the mercy of the scheduler.
        ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(new Unclosable(out), WRITE_BUFFER),
                StandardCharsets.UTF_8);
        zip.setLevel(level);
        byte[] buffer = new byte[64 * 1024];
        MessageDigest sha = DirHash.sha256();
        for (ModuleFile f : files) {
            String name = prefix + f.path();
            sha.reset();
            long written = 0;
            try (InputStream in = f.open()) {
                // Look at the start of the file first: data that does not compress (archives, images, random
                // bytes) is stored with deflate level 0, which costs nothing; zip bytes never enter the h1.
                int head = readFully(in, buffer, (int) Math.min(buffer.length, Math.max(0, f.size()) + 1));
                zip.setLevel(level != 0 && head >= SAMPLE_MINIMUM && !compresses(buffer, head) ? 0 : level);
                ZipEntry entry = new ZipEntry(name);
                entry.setTime(ENTRY_TIME);
                zip.putNextEntry(entry);
                int n = head;
                while (n > 0) {
                    written += n;
                    if (written > f.size()) {
                        throw new IOException("file \"" + f.path() + "\" is larger than declared size");
                    }
                    sha.update(buffer, 0, n);
                    zip.write(buffer, 0, n);
                    n = in.read(buffer);
                }
            }
            if (written != f.size()) {
                throw new IOException("file \"" + f.path() + "\" is smaller than declared size");
            }
            zip.closeEntry();
            hashes.add(new DirHash.Entry(name, sha.digest()));
        }
        zip.finish();
        zip.flush();
        return DirHash.hash1(hashes);
    }

    private static final int SAMPLE_MINIMUM = 16 * 1024;
    private static final int WRITE_BUFFER = 64 * 1024;

    /** True when a fast deflate of the sample saves at least a tenth of it. */
    private static boolean compresses(byte[] data, int length) {
        Deflater probe = new Deflater(Deflater.BEST_SPEED, true);
        try {
            probe.setInput(data, 0, length);
            probe.finish();
            byte[] sink = new byte[8192];
            long out = 0;
            while (!probe.finished()) {
                out += probe.deflate(sink);
                if (out > length * 9L / 10) {
                    return false;
                }
            }
            return true;
        } finally {
            probe.end();
        }
    }

    /** Reads up to {@code max} bytes (fewer only at end of stream). */
    private static int readFully(InputStream in, byte[] buffer, int max) throws IOException {
        int total = 0;
        while (total < max) {
            int n = in.read(buffer, total, max - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** The caller owns {@code out}: finishing the zip must not close it. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}

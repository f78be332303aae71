package com.gitblit.plugin.goproxy.module.zip;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
        ZipOutputStream zip = new ZipOutputStream(new Unclosable(out), StandardCharsets.UTF_8);
        zip.setLevel(level);
        byte[] buffer = new byte[64 * 1024];
        MessageDigest sha = DirHash.sha256();
        for (ModuleFile f : files) {
            String name = prefix + f.path();
            ZipEntry entry = new ZipEntry(name);
            entry.setTime(ENTRY_TIME);
            zip.putNextEntry(entry);
            sha.reset();
            long written = 0;
            try (InputStream in = f.open()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    written += n;
                    if (written > f.size()) {
                        throw new IOException("file \"" + f.path() + "\" is larger than declared size");
                    }
                    sha.update(buffer, 0, n);
                    zip.write(buffer, 0, n);
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

package com.gitblit.plugin.goproxy.source.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a zip written by {@code git archive} through its central directory, keeping what java.util.zip
 * hides: raw name bytes (git writes non-UTF-8 names as they are) and the Unix mode (symlinks). Content is
 * inflated on demand, or only digested for large entries.
 */
final class ZipCentralDirectory {
    record Entry(byte[] name, int unixMode, int method, long compressedSize, long size, long localOffset) {
        boolean isSymlink() {
            return (unixMode & 0170000) == 0120000;
        }
    }

    private final RandomAccessFile file;
    private final List<Entry> entries = new ArrayList<>();

    ZipCentralDirectory(RandomAccessFile file) throws IOException {
        this.file = file;
        long len = file.length();
        int tail = (int) Math.min(len, 65557);
        byte[] end = new byte[tail];
        file.seek(len - tail);
        file.readFully(end);
        int eocd = -1;
        for (int i = tail - 22; i >= 0; i--) {
            if (u32(end, i) == 0x06054b50L) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new IOException("no end of central directory");
        }
        int count = u16(end, eocd + 10);
        long cdSize = u32(end, eocd + 12);
        long cdOffset = u32(end, eocd + 16);
        if (count == 0xFFFF || cdOffset == 0xFFFFFFFFL) {
            throw new IOException("zip64 archives are not expected in these tests");
        }
        byte[] cd = new byte[(int) cdSize];
        file.seek(cdOffset);
        file.readFully(cd);
        int p = 0;
        for (int i = 0; i < count; i++) {
            if (u32(cd, p) != 0x02014b50L) {
                throw new IOException("bad central directory entry");
            }
            int method = u16(cd, p + 10);
            long csize = u32(cd, p + 20);
            long usize = u32(cd, p + 24);
            int n = u16(cd, p + 28);
            int x = u16(cd, p + 30);
            int c = u16(cd, p + 32);
            long ext = u32(cd, p + 38);
            long off = u32(cd, p + 42);
            byte[] name = java.util.Arrays.copyOfRange(cd, p + 46, p + 46 + n);
            entries.add(new Entry(name, (int) (ext >>> 16), method, csize, usize, off));
            p += 46 + n + x + c;
        }
    }

    List<Entry> entries() {
        return entries;
    }

    byte[] content(Entry e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream(e, (b, off, len) -> out.write(b, off, len));
        return out.toByteArray();
    }

    byte[] sha256(Entry e) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            stream(e, md::update);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    interface Sink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    private void stream(Entry e, Sink sink) throws IOException {
        byte[] local = new byte[30];
        file.seek(e.localOffset());
        file.readFully(local);
        long data = e.localOffset() + 30 + u16(local, 26) + u16(local, 28);
        file.seek(data);
        long left = e.compressedSize();
        byte[] buf = new byte[65536];
        byte[] out = new byte[65536];
        Inflater inflater = e.method() == 8 ? new Inflater(true) : null;
        try {
            while (left > 0) {
                int r = file.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw new IOException("truncated zip");
                }
                left -= r;
                if (inflater == null) {
                    sink.accept(buf, 0, r);
                    continue;
                }
                inflater.setInput(buf, 0, r);
                int m;
                while ((m = inflater.inflate(out)) > 0) {
                    sink.accept(out, 0, m);
                }
            }
            if (inflater != null) {
                inflater.setInput(new byte[1], 0, 1); // zlib may want one more byte to finish a raw stream
                int m;
                while ((m = inflater.inflate(out)) > 0) {
                    sink.accept(out, 0, m);
                }
            }
        } catch (DataFormatException ex) {
            throw new IOException(ex);
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int i) {
        return (u16(b, i) | (long) u16(b, i + 2) << 16) & 0xFFFFFFFFL;
    }
}

package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.gitblit.plugin.goproxy.sumdb.StoredHashes;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;
import com.gitblit.plugin.goproxy.sumdb.Tlog;
import com.gitblit.plugin.goproxy.sumdb.TreeHead;

/**
 * The forge's checksum database log on disk (one node's): append-only, crash-safe, never rewritten.
 *
 * <p>Four data files grow by appending: {@code records} (each record's text behind its 4-byte length),
 * {@code offsets} (8 bytes per record: where it starts), {@code times} (8 bytes per record: when) and
 * {@code hashes} (the stored hashes of {@link StoredHashes}, 32 bytes each). The file {@code tree} says how many records are committed and their root;
 * it is replaced (write, fsync, rename) only after the data files were forced to disk. Opening cuts the data
 * files back to what {@code tree} commits, so a crash at any moment loses at most appends that were never
 * committed, and those were never signed: heads are signed only for committed trees, and a committed tree's
 * hashes never change, so no signed head can be contradicted by a later one.
 */
public final class FileChecksumLog implements ChecksumLog {
    private static final String TREE = "tree";

    private final Path dir;
    private final FileChannel records;
    private final FileChannel offsets;
    private final FileChannel hashes;
    /** 8 bytes per record: when it was appended (epoch microseconds, strictly increasing), for the index feed. */
    private final FileChannel times;
    /** "path version" of each committed record → its id. */
    private final Map<String, Long> ids = new HashMap<>();
    private volatile TreeHead committed;
    /** Records written (committed or not) and the time of the last one. */
    private long size;
    private long lastTime;

    private FileChecksumLog(Path dir, FileChannel records, FileChannel offsets, FileChannel hashes, FileChannel times) {
        this.dir = dir;
        this.records = records;
        this.offsets = offsets;
        this.hashes = hashes;
        this.times = times;
    }

    /** Opens (or creates) the log in {@code dir}; a log whose files contradict its committed root is refused. */
    public static FileChecksumLog open(Path dir) throws IOException, SumdbException {
        Files.createDirectories(dir);
        FileChecksumLog log = new FileChecksumLog(dir, channel(dir.resolve("records")), channel(dir.resolve("offsets")),
                channel(dir.resolve("hashes")), channel(dir.resolve("times")));
        try {
            log.recover();
        } catch (IOException | SumdbException | RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    private static FileChannel channel(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private void recover() throws IOException, SumdbException {
        Path tree = dir.resolve(TREE);
        TreeHead head = Files.exists(tree)
                ? TreeHead.parse(new String(Files.readAllBytes(tree), StandardCharsets.UTF_8))
                : new TreeHead(0, Tlog.treeHash(0, null));
        long n = head.size();
        long hashBytes = StoredHashes.count(n) * Tlog.HASH_SIZE;
        if (offsets.size() < n * 8 || hashes.size() < hashBytes || times.size() < n * 8) {
            throw new SumdbException("checksum database log in " + dir + " is shorter than its committed tree of "
                    + n + " records: restore it from a backup");
        }
        long recordBytes = n == 0 ? 0 : end(n - 1);
        if (records.size() < recordBytes) {
            throw new SumdbException("checksum database log in " + dir + ": records end before record " + (n - 1));
        }
        // Appends that were never committed (a crash between writing and committing) are dropped.
        offsets.truncate(n * 8);
        times.truncate(n * 8);
        hashes.truncate(hashBytes);
        records.truncate(recordBytes);
        byte[] root = Tlog.treeHash(n, (level, index) -> hash(StoredHashes.index(level, index)));
        if (!Arrays.equals(root, head.root())) {
            throw new SumdbException("checksum database log in " + dir + ": its hashes do not give the committed root");
        }
        // Every record against its stored hashes: a record or hash changed on disk is found here, before the
        // server signs anything, instead of by the first client that checks a proof.
        for (long id = 0; id < n; id++) {
            String text = read(id);
            long position = StoredHashes.count(id);
            for (byte[] h : StoredHashes.forRecord(id, Tlog.recordHash(text.getBytes(StandardCharsets.UTF_8)),
                    this::hash)) {
                if (!Arrays.equals(h, hash(position++))) {
                    throw new SumdbException("checksum database log in " + dir + ": record " + id
                            + " does not match its stored hashes: restore the log from a backup");
                }
            }
            ids.put(ChecksumLog.key(text), id);
        }
        committed = head;
        size = n;
        lastTime = n == 0 ? 0 : time(n - 1);
    }

    /** The committed tree: its size and root. */
    public TreeHead tree() {
        return committed;
    }

    /** The id of the record for {@code modulePath@version}, or -1. */
    public synchronized long find(String modulePath, String version) {
        Long id = ids.get(modulePath + " " + version);
        return id == null ? -1 : id;
    }

    /**
     * Appends records (each the go.sum lines of one module version, ending in a newline) and commits them in one
     * step; a record whose module version is already in the log is not added again. Returns the ids, in order.
     */
    public synchronized long[] append(List<String> texts) throws IOException {
        long[] ids = add(texts);
        commit();
        return ids;
    }

    /**
     * Writes records without committing them: they count for {@link #find} at once but enter the tree (and so a
     * signed head) at the next {@link #commit}, which makes many appends cost one set of fsyncs. A crash before
     * that loses them, harmlessly: they were never signed, and the ledger they came from adds them again.
     */
    public synchronized long[] add(List<String> texts) throws IOException {
        long[] out = new long[texts.size()];
        long n = size;
        long recordEnd = records.size();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            String key = ChecksumLog.key(text);
            Long known = ids.get(key);
            if (known != null) {
                out[i] = known;
                continue;
            }
            byte[] data = text.getBytes(StandardCharsets.UTF_8);
            long now = Math.max(System.currentTimeMillis() * 1000, lastTime + 1);
            writeAt(records, recordEnd, (ByteBuffer) ByteBuffer.allocate(4 + data.length).putInt(data.length)
                    .put(data).flip());
            writeAt(offsets, n * 8, (ByteBuffer) ByteBuffer.allocate(8).putLong(recordEnd).flip());
            writeAt(times, n * 8, (ByteBuffer) ByteBuffer.allocate(8).putLong(now).flip());
            recordEnd += 4 + data.length;
            // The left siblings it needs were stored before it (perhaps just now: same channel).
            long position = StoredHashes.count(n) * Tlog.HASH_SIZE;
            for (byte[] h : StoredHashes.forRecord(n, Tlog.recordHash(data), this::hash)) {
                writeAt(hashes, position, ByteBuffer.wrap(h));
                position += Tlog.HASH_SIZE;
            }
            ids.put(key, n);
            lastTime = now;
            out[i] = n;
            n++;
            size = n;
        }
        return out;
    }

    @Override
    public synchronized Added add(String text) throws IOException {
        long before = size;
        long id = add(java.util.Collections.singletonList(text))[0];
        return new Added(id, id >= before);
    }

    /** Makes every record written so far part of the committed tree (forced to disk first); cheap when none. */
    public synchronized void commit() throws IOException {
        long n = size;
        if (n == committed.size()) {
            return;
        }
        records.force(false);
        offsets.force(false);
        hashes.force(false);
        times.force(false);
        TreeHead head;
        try {
            head = new TreeHead(n, Tlog.treeHash(n, (level, index) -> hash(StoredHashes.index(level, index))));
        } catch (SumdbException e) {
            throw new IOException("checksum database log: " + e.getMessage(), e);
        }
        writeTree(head);
        committed = head;
    }

    /** Records written, committed or not. */
    public synchronized long size() {
        return size;
    }

    /**
     * Records {@code [from, from + count)} with their times, read in a few large reads (the index feed reads a page
     * of them at once). {@code from + count} must not pass {@link #size}.
     */
    public synchronized List<Entry> entries(long from, int count) throws IOException {
        List<Entry> out = new java.util.ArrayList<>(count);
        if (count <= 0) {
            return out;
        }
        ByteBuffer offs = ByteBuffer.allocate(count * 8);
        readAt(offsets, from * 8, offs);
        ByteBuffer when = ByteBuffer.allocate(count * 8);
        readAt(times, from * 8, when);
        long start = offs.getLong(0);
        long end = end(from + count - 1);
        ByteBuffer data = ByteBuffer.allocate((int) (end - start));
        readAt(records, start, data);
        for (int i = 0; i < count; i++) {
            int at = (int) (offs.getLong(i * 8) - start);
            int len = data.getInt(at);
            out.add(new Entry(from + i, new String(data.array(), at + 4, len, StandardCharsets.UTF_8),
                    when.getLong(i * 8)));
        }
        return out;
    }

    /**
     * The stored hashes {@code [from, from + count)} in one read (a hash tile is a subset of a short run of them).
     */
    public byte[] hashes(long from, int count) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(count * Tlog.HASH_SIZE);
        readAt(hashes, from * Tlog.HASH_SIZE, b);
        return b.array();
    }

    /** The text of record {@code id} (written; committed or not). */
    public synchronized String record(long id) throws IOException {
        if (id < 0 || id >= size) {
            throw new IllegalArgumentException("no record " + id);
        }
        return read(id);
    }

    /** When committed record {@code id} was appended, in microseconds since the epoch; later records are later. */
    public long time(long id) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8);
        readAt(times, id * 8, b);
        return b.getLong(0);
    }

    /** The first committed record appended at or after {@code micros} (binary search: times only grow). */
    public long firstAtOrAfter(long micros) throws IOException {
        long lo = 0;
        long hi = committed.size();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (time(mid) < micros) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** A stored hash of the committed tree (see {@link StoredHashes#index}). */
    public byte[] hash(long storedIndex) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Tlog.HASH_SIZE);
        readAt(hashes, storedIndex * Tlog.HASH_SIZE, b);
        return b.array();
    }

    private String read(long id) throws IOException {
        long start = start(id);
        ByteBuffer data = ByteBuffer.allocate(length(start));
        readAt(records, start + 4, data);
        return new String(data.array(), StandardCharsets.UTF_8);
    }

    /** Where record {@code id} ends in {@code records} (its length prefix included). */
    private long end(long id) throws IOException {
        long start = start(id);
        return start + 4 + length(start);
    }

    private long start(long id) throws IOException {
        ByteBuffer off = ByteBuffer.allocate(8);
        readAt(offsets, id * 8, off);
        return off.getLong(0);
    }

    private int length(long start) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(4);
        readAt(records, start, len);
        return len.getInt(0);
    }

    /** The tree file, replaced atomically once everything it commits is on disk. */
    private void writeTree(TreeHead head) throws IOException {
        Path target = dir.resolve(TREE);
        Path tmp = dir.resolve(TREE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAt(ch, 0, ByteBuffer.wrap(head.noteText().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        AtomicFiles.publish(tmp, target);
    }

    private static void writeAt(FileChannel ch, long position, ByteBuffer b) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }

    private static void readAt(FileChannel ch, long position, ByteBuffer b) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new IOException("checksum database log ends early at " + p);
            }
            p += r;
        }
    }

    /** Commits what was written (a clean stop loses no pin's record), then releases the files. */
    @Override
    public synchronized void close() throws IOException {
        try (FileChannel a = records; FileChannel b = offsets; FileChannel c = hashes; FileChannel d = times) {
            if (committed != null) {
                commit();
            }
        }
    }
}

package com.gitblit.plugin.goproxy.cache.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.gitblit.plugin.goproxy.cache.ChecksumLog;
import com.gitblit.plugin.goproxy.sumdb.StoredHashes;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;
import com.gitblit.plugin.goproxy.sumdb.Tlog;
import com.gitblit.plugin.goproxy.sumdb.TreeHead;

/**
 * The checksum database's log in the shared database: one tree for every node. An append is one transaction that
 * locks the tree's single row, so appends from all nodes are serialized: it reads the size, computes the new
 * stored hashes from hashes it reads back, inserts records and hashes and writes the new size and root. Nothing
 * is ever held back uncommitted, so {@link #commit} has nothing to do, and every read sees committed records only.
 * A module version is logged once whichever node adds it (checked under the lock, and unique in the table), and
 * record times are unique and increasing along the log even when the nodes' clocks disagree.
 */
public final class PostgresChecksumLog implements ChecksumLog {
    /** Records or hashes per batch when a node's log is copied in. */
    private static final int COPY_CHUNK = 2000;

    private final PostgresDatabase db;

    public PostgresChecksumLog(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public TreeHead tree() throws IOException {
        return db.call("reading the checksum database tree", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT size, root FROM goproxy_sumdb_tree");
                    ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IOException("the checksum database tree row is missing");
                }
                return new TreeHead(r.getLong(1), r.getBytes(2));
            }
        });
    }

    @Override
    public long find(String modulePath, String version) throws IOException {
        return db.call("finding a checksum database record", c -> find(c, modulePath, version));
    }

    private static long find(Connection c, String modulePath, String version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id FROM goproxy_sumdb_records WHERE module_path = ? AND version = ?")) {
            s.setString(1, modulePath);
            s.setString(2, version);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    @Override
    public long[] add(List<String> texts) throws IOException {
        Added[] added = append(texts, true);
        long[] ids = new long[added.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = added[i].id;
        }
        return ids;
    }

    @Override
    public Added add(String text) throws IOException {
        return append(java.util.Collections.singletonList(text), false)[0];
    }

    @Override
    public long[] append(List<String> texts) throws IOException {
        return add(texts);
    }

    private Added[] append(List<String> texts, boolean batch) throws IOException {
        for (String text : texts) {
            ChecksumLog.key(text);
        }
        if (!batch) {
            // Most adds are of versions logged already (every pin of every node offers its version): no lock then.
            String[] key = ChecksumLog.key(texts.get(0)).split(" ");
            long known = find(key[0], key[1]);
            if (known >= 0) {
                return new Added[] {new Added(known, false)};
            }
        }
        return db.transaction("appending to the checksum database", c -> appendLocked(c, texts));
    }

    private Added[] appendLocked(Connection c, List<String> texts) throws SQLException, IOException {
        long size;
        long lastMicros;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT size, last_micros FROM goproxy_sumdb_tree FOR UPDATE");
                ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                throw new IOException("the checksum database tree row is missing");
            }
            size = r.getLong(1);
            lastMicros = r.getLong(2);
        }
        Added[] out = new Added[texts.size()];
        Map<String, Long> inBatch = new HashMap<>();
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String key = ChecksumLog.key(texts.get(i));
            Long id = inBatch.get(key);
            if (id == null) {
                int sp = key.indexOf(' ');
                long known = find(c, key.substring(0, sp), key.substring(sp + 1));
                if (known >= 0) {
                    out[i] = new Added(known, false);
                    inBatch.put(key, known);
                    continue;
                }
                id = size + fresh.size();
                fresh.add(texts.get(i));
                inBatch.put(key, id);
                out[i] = new Added(id, true);
            } else {
                out[i] = new Added(id, false);
            }
        }
        if (fresh.isEmpty()) {
            return out;
        }
        Map<Long, byte[]> hashes = new HashMap<>();
        long newSize = size + fresh.size();
        // Which stored hashes the new ones need depends on the sizes only: find them with a dry run, read them
        // in one query, then compute for real.
        Set<Long> wanted = new LinkedHashSet<>();
        long n = size;
        for (int k = 0; k < fresh.size(); k++) {
            StoredHashes.forRecord(n, new byte[Tlog.HASH_SIZE], i -> {
                wanted.add(i);
                return new byte[Tlog.HASH_SIZE];
            });
            n++;
        }
        long stored = StoredHashes.count(size);
        read(c, wanted, stored, hashes);

        try (PreparedStatement records = c.prepareStatement("INSERT INTO goproxy_sumdb_records"
                + " (id, module_path, version, body, micros) VALUES (?, ?, ?, ?, ?)");
                PreparedStatement hashRows = c.prepareStatement(
                        "INSERT INTO goproxy_sumdb_hashes (stored_index, hash) VALUES (?, ?)")) {
            n = size;
            for (String text : fresh) {
                String key = ChecksumLog.key(text);
                int sp = key.indexOf(' ');
                // Times order the index feed: unique and increasing along the log whatever the nodes' clocks say.
                lastMicros = Math.max(System.currentTimeMillis() * 1000, lastMicros + 1);
                records.setLong(1, n);
                records.setString(2, key.substring(0, sp));
                records.setString(3, key.substring(sp + 1));
                records.setString(4, text);
                records.setLong(5, lastMicros);
                records.addBatch();
                long position = StoredHashes.count(n);
                for (byte[] h : StoredHashes.forRecord(n, Tlog.recordHash(text.getBytes(StandardCharsets.UTF_8)),
                        i -> known(hashes, i))) {
                    hashes.put(position, h);
                    hashRows.setLong(1, position);
                    hashRows.setBytes(2, h);
                    hashRows.addBatch();
                    position++;
                }
                n++;
            }
            records.executeBatch();
            hashRows.executeBatch();
        }
        byte[] root = root(c, newSize, hashes);
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE goproxy_sumdb_tree SET size = ?, root = ?, last_micros = ?")) {
            s.setLong(1, newSize);
            s.setBytes(2, root);
            s.setLong(3, lastMicros);
            s.executeUpdate();
        }
        return out;
    }

    /** The root of the tree of {@code size} records, reading the few stored hashes it needs in one query. */
    private static byte[] root(Connection c, long size, Map<Long, byte[]> hashes) throws SQLException, IOException {
        Set<Long> wanted = new LinkedHashSet<>();
        try {
            Tlog.treeHash(size, (level, index) -> {
                wanted.add(StoredHashes.index(level, index));
                return new byte[Tlog.HASH_SIZE];
            });
            read(c, wanted, Long.MAX_VALUE, hashes);
            return Tlog.treeHash(size, (level, index) -> known(hashes, StoredHashes.index(level, index)));
        } catch (SumdbException e) {
            throw new IOException("checksum database log: " + e.getMessage(), e);
        }
    }

    private static byte[] known(Map<Long, byte[]> hashes, long index) throws IOException {
        byte[] h = hashes.get(index);
        if (h == null) {
            throw new IOException("checksum database log: stored hash " + index + " is missing");
        }
        return h;
    }

    /** Reads into {@code into} the wanted stored hashes below {@code below} that it does not hold yet. */
    private static void read(Connection c, Set<Long> wanted, long below, Map<Long, byte[]> into)
            throws SQLException {
        List<Long> missing = new ArrayList<>();
        for (Long i : wanted) {
            if (i < below && !into.containsKey(i)) {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT stored_index, hash FROM goproxy_sumdb_hashes WHERE stored_index = ANY (?)")) {
            s.setArray(1, c.createArrayOf("bigint", missing.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    into.put(r.getLong(1), r.getBytes(2));
                }
            }
        }
    }

    /**
     * Copies a node's own log (its committed tree) into the shared one, which must be empty: the same records, ids,
     * times and stored hashes, so that the tree, and with the same key every signed head, stays what clients have
     * seen. Copying the same log again changes nothing; a shared log that holds another tree is refused.
     *
     * @return the records copied (0 when the shared log already held this tree)
     */
    public static long copy(ChecksumLog from, PostgresDatabase db) throws IOException {
        TreeHead tree = from.tree();
        long n = tree.size();
        return db.transaction("copying the checksum database log", c -> {
            long size;
            try (PreparedStatement s = c.prepareStatement("SELECT size, root FROM goproxy_sumdb_tree FOR UPDATE");
                    ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IOException("the checksum database tree row is missing");
                }
                size = r.getLong(1);
                if (size == n && java.util.Arrays.equals(r.getBytes(2), tree.root())) {
                    return 0L;
                }
            }
            if (size != 0) {
                throw new IOException("the shared checksum database already holds another log (" + size
                        + " records): a log is copied only into an empty one");
            }
            long lastMicros = 0;
            try (PreparedStatement records = c.prepareStatement("INSERT INTO goproxy_sumdb_records"
                    + " (id, module_path, version, body, micros) VALUES (?, ?, ?, ?, ?)")) {
                for (long at = 0; at < n; at += COPY_CHUNK) {
                    for (Entry e : from.entries(at, (int) Math.min(COPY_CHUNK, n - at))) {
                        String key = ChecksumLog.key(e.text);
                        int sp = key.indexOf(' ');
                        records.setLong(1, e.id);
                        records.setString(2, key.substring(0, sp));
                        records.setString(3, key.substring(sp + 1));
                        records.setString(4, e.text);
                        records.setLong(5, e.micros);
                        records.addBatch();
                        lastMicros = e.micros;
                    }
                    records.executeBatch();
                }
            }
            long hashes = StoredHashes.count(n);
            try (PreparedStatement rows = c.prepareStatement(
                    "INSERT INTO goproxy_sumdb_hashes (stored_index, hash) VALUES (?, ?)")) {
                for (long at = 0; at < hashes; at += COPY_CHUNK) {
                    int count = (int) Math.min(COPY_CHUNK, hashes - at);
                    byte[] run = from.hashes(at, count);
                    for (int i = 0; i < count; i++) {
                        rows.setLong(1, at + i);
                        rows.setBytes(2, java.util.Arrays.copyOfRange(run, i * Tlog.HASH_SIZE, (i + 1) * Tlog.HASH_SIZE));
                        rows.addBatch();
                    }
                    rows.executeBatch();
                }
            }
            // What was copied must give the root the node signed: read back from the tables, not from the files.
            if (!java.util.Arrays.equals(root(c, n, new HashMap<>()), tree.root())) {
                throw new IOException("the copied checksum database log does not give its root; nothing was copied");
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE goproxy_sumdb_tree SET size = ?, root = ?, last_micros = ?")) {
                s.setLong(1, n);
                s.setBytes(2, tree.root());
                s.setLong(3, lastMicros);
                s.executeUpdate();
            }
            return n;
        });
    }

    /** Nothing is held back: every append was committed by its own transaction. */
    @Override
    public void commit() {
    }

    @Override
    public long size() throws IOException {
        return tree().size();
    }

    @Override
    public List<Entry> entries(long from, int count) throws IOException {
        return db.call("reading the checksum database log", c -> {
            List<Entry> out = new ArrayList<>(Math.max(0, count));
            try (PreparedStatement s = c.prepareStatement("SELECT id, body, micros FROM goproxy_sumdb_records"
                    + " WHERE id >= ? AND id < ? ORDER BY id")) {
                s.setLong(1, from);
                s.setLong(2, from + count);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Entry(r.getLong(1), r.getString(2), r.getLong(3)));
                    }
                }
            }
            if (out.size() != Math.max(0, count)) {
                throw new IOException("checksum database log: records " + from + ".." + (from + count - 1)
                        + " are not all there");
            }
            return out;
        });
    }

    @Override
    public byte[] hashes(long from, int count) throws IOException {
        return db.call("reading checksum database hashes", c -> {
            byte[] out = new byte[count * Tlog.HASH_SIZE];
            int found = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT stored_index, hash FROM goproxy_sumdb_hashes"
                    + " WHERE stored_index >= ? AND stored_index < ? ORDER BY stored_index")) {
                s.setLong(1, from);
                s.setLong(2, from + count);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        byte[] h = r.getBytes(2);
                        System.arraycopy(h, 0, out, (int) (r.getLong(1) - from) * Tlog.HASH_SIZE, Tlog.HASH_SIZE);
                        found++;
                    }
                }
            }
            if (found != count) {
                throw new IOException("checksum database log: stored hashes " + from + ".." + (from + count - 1)
                        + " are not all there");
            }
            return out;
        });
    }

    @Override
    public String record(long id) throws IOException {
        return db.call("reading a checksum database record", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM goproxy_sumdb_records WHERE id = ?")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalArgumentException("no record " + id);
                    }
                    return r.getString(1);
                }
            }
        });
    }

    @Override
    public long firstAtOrAfter(long micros) throws IOException {
        return db.call("searching the checksum database log", c -> {
            // One statement, one snapshot: the records it sees are exactly those of the tree it sees.
            try (PreparedStatement s = c.prepareStatement("SELECT coalesce((SELECT min(id) FROM goproxy_sumdb_records"
                    + " WHERE micros >= ?), (SELECT size FROM goproxy_sumdb_tree))")) {
                s.setLong(1, micros);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    /** The database belongs to whoever opened it (it also holds the ledger): nothing to release here. */
    @Override
    public void close() {
    }
}

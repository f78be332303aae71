package com.gitblit.plugin.goproxy.token;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The tokens of one host, in one text file ({@code access-tokens}: a comment line, then one tab-separated
 * {@link TokenRecord} per line). Rules:
 * <ul>
 *   <li>Only a token's SHA-256 is stored. A presented token is found by its public id and its hash compared in
 *       constant time ({@link MessageDigest#isEqual}).</li>
 *   <li>Every change is a read-modify-write under an exclusive lock on {@code access-tokens.lock}, written to a
 *       temporary file that is flushed to disk and then renamed over the old one: a crash leaves the old file or
 *       the new one, and a server and the command line ({@code token create}) can change it at the same time.</li>
 *   <li>The file is read again when it changed on disk, looked at no more than once a second, and at once for a
 *       token id not known yet: a token created by another process ({@code token create}) works at once, one it
 *       revoked stops within a second.</li>
 *   <li>Last-used times are kept in memory and written with the next change, or at most once a minute when a
 *       token is used ({@link #FLUSH_MILLIS}); a use less than a minute after the recorded one is not news. No
 *       request writes to disk on its own.</li>
 * </ul>
 */
public final class TokenStore {
    public static final String FILE_NAME = "access-tokens";
    static final long FLUSH_MILLIS = 60_000;
    static final long STAT_MILLIS = 1_000;
    private static final String HEADER = "# Go access tokens (goproxy). One token per line, tab-separated: id owner"
            + " anchor name created expires last-used sha256. Only hashes are stored.";

    private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final LongSupplier clock;
    private final Map<String, Long> pendingUse = new ConcurrentHashMap<>();
    private volatile Map<String, TokenRecord> records = Collections.emptyMap();
    private volatile String stamp = "";
    private volatile long lastStat;
    private volatile long lastFlush;

    private TokenStore(Path folder, LongSupplier clock) {
        this.file = folder.resolve(FILE_NAME);
        this.lockFile = folder.resolve(FILE_NAME + ".lock");
        this.clock = clock;
    }

    /** The store in {@code folder} (created when missing), read now. */
    public static TokenStore open(Path folder) throws IOException {
        return open(folder, System::currentTimeMillis);
    }

    /** With a clock in milliseconds, for tests. */
    public static TokenStore open(Path folder, LongSupplier clock) throws IOException {
        Files.createDirectories(folder);
        TokenStore store = new TokenStore(folder, clock);
        synchronized (store) {
            store.reload();
        }
        return store;
    }

    /** A token just made: its record and, once only, its text. */
    public static final class Created {
        public final TokenRecord record;
        public final GoToken token;

        Created(TokenRecord record, GoToken token) {
            this.record = record;
            this.token = token;
        }
    }

    /**
     * A new token for {@code owner}. {@code expires} is a time in milliseconds or 0 for never.
     *
     * @throws IllegalArgumentException for a bad name, an owner name with a tab or line break, or an expiry in the
     *         past
     */
    public Created create(final String owner, final String anchor, final String name, final long expires)
            throws IOException {
        String bad = TokenRecord.checkName(name);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        if (owner == null || owner.isEmpty() || owner.matches(".*[\\t\\r\\n].*")) {
            throw new IllegalArgumentException("a token needs an owner's user name");
        }
        final long now = clock.getAsLong();
        if (expires != 0 && expires <= now) {
            throw new IllegalArgumentException("the expiry must be in the future");
        }
        final GoToken token = GoToken.generate();
        final TokenRecord record = new TokenRecord(token.id(), owner, anchor, name, now, expires, 0, token.hash());
        change(new Change() {
            @Override
            public void apply(Map<String, TokenRecord> all) {
                all.put(record.id(), record);
            }
        });
        return new Created(record, token);
    }

    /** Every token, oldest first. */
    public List<TokenRecord> list() {
        refreshIfChanged();
        List<TokenRecord> out = new ArrayList<>();
        for (TokenRecord r : records.values()) {
            out.add(withPendingUse(r));
        }
        return out;
    }

    /** The tokens whose owner is {@code owner} (compared as the host names users: {@code ignoreCase}). */
    public List<TokenRecord> list(String owner, boolean ignoreCase) {
        List<TokenRecord> out = new ArrayList<>();
        for (TokenRecord r : list()) {
            if (ignoreCase ? r.owner().equalsIgnoreCase(owner) : r.owner().equals(owner)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The token with this id, or null. */
    public TokenRecord get(String id) {
        refreshIfChanged();
        TokenRecord r = records.get(id);
        return r == null ? null : withPendingUse(r);
    }

    /** Removes a token; false when there was none with this id. */
    public boolean revoke(final String id) throws IOException {
        final boolean[] removed = new boolean[1];
        change(new Change() {
            @Override
            public void apply(Map<String, TokenRecord> all) {
                removed[0] = all.remove(id) != null;
            }
        });
        return removed[0];
    }

    /** Removes every token of {@code owner}; returns how many there were. */
    public int revokeAll(final String owner, final boolean ignoreCase) throws IOException {
        final int[] removed = new int[1];
        change(new Change() {
            @Override
            public void apply(Map<String, TokenRecord> all) {
                for (java.util.Iterator<TokenRecord> it = all.values().iterator(); it.hasNext();) {
                    TokenRecord r = it.next();
                    if (ignoreCase ? r.owner().equalsIgnoreCase(owner) : r.owner().equals(owner)) {
                        it.remove();
                        removed[0]++;
                    }
                }
            }
        });
        return removed[0];
    }

    /** Records that the tokens of {@code oldOwner} now belong to the account named {@code newOwner}. */
    public void renameOwner(final String oldOwner, final String newOwner, final String anchor) throws IOException {
        change(new Change() {
            @Override
            public void apply(Map<String, TokenRecord> all) {
                for (Map.Entry<String, TokenRecord> e : all.entrySet()) {
                    if (e.getValue().owner().equals(oldOwner)) {
                        e.setValue(e.getValue().withOwner(newOwner, anchor));
                    }
                }
            }
        });
    }

    /**
     * The record of a presented token, when it is known, its hash matches and it has not expired; else null.
     * Counts as a use.
     */
    public TokenRecord check(GoToken token) {
        refreshIfChanged();
        long now = clock.getAsLong();
        TokenRecord r = records.get(token.id());
        if (r == null) {
            lastStat = 0;
            refreshIfChanged();
            r = records.get(token.id());
        }
        // Compared even for an unknown id, so that both cost the same.
        String want = r == null ? GoToken.sha256Hex("") : r.hash();
        boolean same = MessageDigest.isEqual(want.getBytes(StandardCharsets.US_ASCII),
                token.hash().getBytes(StandardCharsets.US_ASCII));
        if (r == null || !same || r.isExpired(now)) {
            return null;
        }
        noteUse(r, now);
        return withPendingUse(r);
    }

    private void noteUse(TokenRecord r, long now) {
        Long pending = pendingUse.get(r.id());
        long known = Math.max(r.lastUsed(), pending == null ? 0 : pending);
        if (now - known < FLUSH_MILLIS) {
            return;
        }
        pendingUse.put(r.id(), now);
        if (now - lastFlush >= FLUSH_MILLIS) {
            try {
                flush();
            } catch (IOException e) {
                // Kept pending: the next change or flush writes it. A use is never refused for this.
            }
        }
    }

    /** Writes pending last-used times, if any. Hosts call it when they stop. */
    public void flush() throws IOException {
        if (pendingUse.isEmpty()) {
            return;
        }
        change(new Change() {
            @Override
            public void apply(Map<String, TokenRecord> all) {
                // mergePendingUse does the work.
            }
        });
    }

    private TokenRecord withPendingUse(TokenRecord r) {
        Long used = pendingUse.get(r.id());
        return used == null ? r : r.withLastUsed(used);
    }

    private interface Change {
        void apply(Map<String, TokenRecord> all);
    }

    private synchronized void change(Change change) throws IOException {
        // File locks are per process: two stores on one file in the same JVM (a test's server and command line)
        // must also take turns here, or the second lock would fail instead of waiting.
        synchronized (JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new Object())) {
            changeLocked(change);
        }
    }

    private void changeLocked(Change change) throws IOException {
        try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = lock.lock()) {
            reload();
            Map<String, TokenRecord> all = new LinkedHashMap<>(records);
            Map<String, Long> written = new LinkedHashMap<>(pendingUse);
            for (Map.Entry<String, Long> e : written.entrySet()) {
                TokenRecord r = all.get(e.getKey());
                if (r != null) {
                    all.put(r.id(), r.withLastUsed(e.getValue()));
                }
            }
            change.apply(all);
            write(all);
            for (Map.Entry<String, Long> e : written.entrySet()) {
                pendingUse.remove(e.getKey(), e.getValue());
            }
            lastFlush = clock.getAsLong();
            records = Collections.unmodifiableMap(all);
            stamp = stampOf();
        }
    }

    private void refreshIfChanged() {
        long now = System.nanoTime() / 1_000_000L;
        if (now - lastStat < STAT_MILLIS) {
            return;
        }
        lastStat = now;
        synchronized (this) {
            try {
                if (!stampOf().equals(stamp)) {
                    reload();
                }
            } catch (IOException e) {
                // Keep what was read last: a file being replaced cannot make every token fail.
            }
        }
    }

    /** Reads the file; the caller holds this object's lock. */
    private void reload() throws IOException {
        String before = stampOf();
        Map<String, TokenRecord> all = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = Collections.emptyList();
        }
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                TokenRecord r = TokenRecord.fromLine(line);
                all.put(r.id(), r);
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + n + ": not a token line (" + e.getMessage() + ")");
            }
        }
        records = Collections.unmodifiableMap(all);
        stamp = before;
    }

    private String stampOf() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (NoSuchFileException e) {
            return "absent";
        }
    }

    private void write(Map<String, TokenRecord> all) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (TokenRecord r : all.values()) {
            sb.append(r.toLine()).append('\n');
        }
        Path tmp = Files.createTempFile(file.getParent(), "." + FILE_NAME, ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

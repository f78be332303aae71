package com.gitblit.plugin.goproxy.cache.postgres;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.cache.FileVersionLedger;
import com.gitblit.plugin.goproxy.cache.LedgerConflictException;
import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.PinOrigin;
import com.gitblit.plugin.goproxy.cache.VersionLedger;

/**
 * The shared ledger with this node's own copy of what it read or wrote there, so that pinned versions keep being
 * served while the database cannot be reached. The rules:
 * <ol>
 * <li>The database decides. Every entry read from or written to it is copied when the copy lacks something it
 * holds; a version the reachable database no longer has was forgotten by an administrator, and leaves the
 * copy.</li>
 * <li>While the database is unreachable, {@link #find}, {@link #list} and {@link #modules} answer from the copy;
 * pins, new hashes and forgetting fail with {@link DatabaseUnavailableException} (the service answers "try again"):
 * the copy never pins, so nothing can be pinned twice differently when the database returns. A hash the copy
 * already holds is confirmed (or refused) from it, since the database can only hold the same.</li>
 * <li>One log line when the database goes away, one when it is back: not one per request.</li>
 * <li>The copy is a convenience: when it cannot be written (disk full), the database's answer still stands, and
 * the failure is logged once.</li>
 * <li>While it is away, one caller at a time tries it again, every {@value #PROBE_MILLIS} ms; the others answer
 * from the copy at once instead of each waiting for a connection that will not come.</li>
 * </ol>
 */
public final class ReadThroughLedger implements VersionLedger {
    private static final Logger LOG = LoggerFactory.getLogger(ReadThroughLedger.class);
    static final long PROBE_MILLIS = 2000;

    private final PostgresLedger database;
    private final FileVersionLedger copy;
    private final Object[] stripes = new Object[64];
    private final Object outageLock = new Object();
    private boolean down;
    private long probeAtMillis;
    private DatabaseUnavailableException outage;
    private volatile boolean copyFailureLogged;

    /** One call to the database. */
    private interface Call<T> {
        T run() throws IOException, LedgerConflictException;
    }

    public ReadThroughLedger(PostgresLedger database, FileVersionLedger copy) {
        this.database = database;
        this.copy = copy;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /** False from a call that found the database unreachable until one that reached it again. */
    @Override
    public boolean reachable() {
        synchronized (outageLock) {
            return !down;
        }
    }

    /** The shared ledger itself. */
    public PostgresLedger database() {
        return database;
    }

    @Override
    public LedgerEntry find(String modulePath, String version) throws IOException {
        LedgerEntry e;
        try {
            e = call(() -> database.find(modulePath, version));
        } catch (DatabaseUnavailableException u) {
            return copy.find(modulePath, version);
        }
        if (e == null) {
            dropFromCopy(modulePath, version);
            return null;
        }
        keep(e);
        return e;
    }

    @Override
    public LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey)
            throws IOException {
        return recordCommit(modulePath, version, commitHex, repositoryKey, null);
    }

    @Override
    public LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey,
            PinOrigin origin) throws IOException {
        LedgerEntry e = call(() -> database.recordCommit(modulePath, version, commitHex, repositoryKey, origin));
        keep(e);
        return e;
    }

    @Override
    public LedgerEntry recordModHash(String modulePath, String version, String h1)
            throws IOException, LedgerConflictException {
        return recordHash(modulePath, version, h1, true);
    }

    @Override
    public LedgerEntry recordZipHash(String modulePath, String version, String h1)
            throws IOException, LedgerConflictException {
        return recordHash(modulePath, version, h1, false);
    }

    private LedgerEntry recordHash(String modulePath, String version, String h1, boolean mod)
            throws IOException, LedgerConflictException {
        LedgerEntry e;
        try {
            e = callHash(() -> mod ? database.recordModHash(modulePath, version, h1)
                    : database.recordZipHash(modulePath, version, h1));
        } catch (DatabaseUnavailableException u) {
            LedgerEntry known = copy.find(modulePath, version);
            String recorded = known == null ? null : mod ? known.modH1() : known.zipH1();
            if (recorded == null) {
                throw u;
            }
            // The database holds this hash too (it was copied from there), and it never changes: no write needed.
            if (!recorded.equals(h1)) {
                throw new LedgerConflictException(modulePath + "@" + version + ": " + (mod ? "go.mod" : "zip")
                        + " hash " + h1 + " differs from the recorded " + recorded);
            }
            return known;
        }
        keep(e);
        return e;
    }

    @Override
    public List<LedgerEntry> list(String modulePath) throws IOException {
        List<LedgerEntry> entries;
        try {
            entries = call(() -> database.list(modulePath));
        } catch (DatabaseUnavailableException u) {
            return copy.list(modulePath);
        }
        Set<String> held = new HashSet<>();
        for (LedgerEntry e : entries) {
            held.add(e.version());
            keep(e);
        }
        for (LedgerEntry old : copy.list(modulePath)) {
            if (!held.contains(old.version())) {
                dropFromCopy(modulePath, old.version());
            }
        }
        return entries;
    }

    @Override
    public List<String> modules() throws IOException {
        try {
            return call(database::modules);
        } catch (DatabaseUnavailableException u) {
            return copy.modules();
        }
    }

    @Override
    public boolean forget(String modulePath, String version) throws IOException {
        boolean forgotten = call(() -> database.forget(modulePath, version));
        dropFromCopy(modulePath, version);
        return forgotten;
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** The database's count; while it is away, the copy's (what this node can still serve). */
    @Override
    public long count() throws IOException {
        try {
            return call(database::count);
        } catch (DatabaseUnavailableException u) {
            return copy.count();
        }
    }

    /** Copies {@code e} when the copy lacks what it holds (absent, another commit, a hash not yet copied). */
    private void keep(LedgerEntry e) {
        synchronized (stripe(e.modulePath(), e.version())) {
            try {
                LedgerEntry held = copy.find(e.modulePath(), e.version());
                if (held == null || !held.commit().equals(e.commit()) || lacks(held.modH1(), e.modH1())
                        || lacks(held.zipH1(), e.zipH1())) {
                    copy.replace(e);
                }
            } catch (IOException | RuntimeException x) {
                copyFailed(x);
            }
        }
    }

    /** Forgotten in the database: not to be served from the copy either. */
    private void dropFromCopy(String modulePath, String version) {
        synchronized (stripe(modulePath, version)) {
            try {
                copy.forget(modulePath, version);
            } catch (IOException | RuntimeException x) {
                copyFailed(x);
            }
        }
    }

    private void copyFailed(Exception e) {
        if (!copyFailureLogged) {
            copyFailureLogged = true;
            LOG.error("goproxy: this node's copy of the ledger cannot be written ({}): pinned versions it lacks will not"
                    + " be served while the database is unreachable", e.toString());
        }
    }

    private static boolean lacks(String held, String truth) {
        return truth != null && !Objects.equals(held, truth);
    }

    private Object stripe(String modulePath, String version) {
        return stripes[((modulePath.hashCode() * 31 + version.hashCode()) & 0x7fffffff) % stripes.length];
    }

    private <T> T call(Call<T> call) throws IOException {
        try {
            return callHash(call);
        } catch (LedgerConflictException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T callHash(Call<T> call) throws IOException, LedgerConflictException {
        synchronized (outageLock) {
            if (down) {
                long now = System.currentTimeMillis();
                if (now < probeAtMillis) {
                    throw new DatabaseUnavailableException("the ledger database " + database.database().description()
                            + " is unreachable", outage);
                }
                // This caller tries the database; the others keep answering from the copy meanwhile.
                probeAtMillis = now + PROBE_MILLIS + 60_000;
            }
        }
        T result;
        try {
            result = call.run();
        } catch (DatabaseUnavailableException e) {
            wentDown(e);
            throw e;
        } catch (LedgerConflictException e) {
            markReachable();
            throw e;
        } catch (IOException | RuntimeException e) {
            // Another fault: the next caller may try again soon, as after an outage.
            synchronized (outageLock) {
                probeAtMillis = Math.min(probeAtMillis, System.currentTimeMillis() + PROBE_MILLIS);
            }
            throw e;
        }
        markReachable();
        return result;
    }

    private void wentDown(DatabaseUnavailableException e) {
        synchronized (outageLock) {
            outage = e;
            probeAtMillis = System.currentTimeMillis() + PROBE_MILLIS;
            if (down) {
                return;
            }
            down = true;
        }
        LOG.error("goproxy: the ledger database {} is unreachable ({}): pinned versions are served from this node's"
                + " copy; new versions answer 503 until it is back", database.database().description(), e.getMessage());
    }

    private void markReachable() {
        synchronized (outageLock) {
            if (!down) {
                return;
            }
            down = false;
        }
        LOG.info("goproxy: the ledger database {} is reachable again: new versions are pinned again",
                database.database().description());
    }
}

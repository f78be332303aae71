package com.gitblit.plugin.goproxy.cache.postgres;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.cache.LedgerConflictException;
import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.PinOrigin;
import com.gitblit.plugin.goproxy.cache.VersionLedger;

/**
 * The {@link VersionLedger} in the {@code goproxy_ledger} table, shared by every node. Each write is one statement,
 * so the database alone decides who came first:
 * <ul>
 * <li>a pin is an insert that, on conflict, touches the existing row without changing it and returns it: every
 * caller gets the row that holds, whether it wrote it or lost the race (an insert that does nothing on conflict
 * would return nothing, and a select after it may not see a winner still committing);</li>
 * <li>a hash is set only where none is recorded ({@code coalesce}), and the row returned says which holds: a
 * different one is a conflict, and nothing was overwritten.</li>
 * </ul>
 */
public final class PostgresLedger implements VersionLedger {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLedger.class);
    private static final String COLUMNS = "module_path, version, commit_hex, repository_key, mod_h1, zip_h1, recorded_at, origin";

    private final PostgresDatabase database;

    public PostgresLedger(PostgresDatabase database) {
        this.database = database;
    }

    /** How {@link #adopt} found an entry of another ledger. */
    public enum Adopted {
        /** It was not in this ledger: it is now, as it was. */
        COPIED,
        /** This ledger holds the same commit and hashes (or the same commit, and now the hashes too). */
        ALREADY_THERE,
        /** This ledger holds another commit or another hash for that version: left as it was. */
        CONFLICT
    }

    @Override
    public LedgerEntry find(String modulePath, String version) throws IOException {
        return database.call("reading the ledger", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM goproxy_ledger WHERE module_path = ? AND version = ?")) {
                s.setString(1, modulePath);
                s.setString(2, version);
                return one(s);
            }
        });
    }

    @Override
    public LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey)
            throws IOException {
        return recordCommit(modulePath, version, commitHex, repositoryKey, null);
    }

    @Override
    public LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey,
            PinOrigin origin) throws IOException {
        return database.call("pinning " + modulePath + "@" + version, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO goproxy_ledger"
                    + " (module_path, version, commit_hex, repository_key, recorded_at, origin) VALUES (?, ?, ?, ?, ?, ?)"
                    // The no-op update locks and returns the row that holds, ours or the first writer's.
                    + " ON CONFLICT (module_path, version) DO UPDATE SET module_path = goproxy_ledger.module_path"
                    + " RETURNING " + COLUMNS)) {
                s.setString(1, modulePath);
                s.setString(2, version);
                s.setString(3, commitHex);
                s.setString(4, repositoryKey);
                s.setLong(5, System.currentTimeMillis());
                s.setString(6, origin == null ? null : origin.word());
                return one(s);
            }
        });
    }

    @Override
    public LedgerEntry recordModHash(String modulePath, String version, String h1)
            throws IOException, LedgerConflictException {
        return recordHash(modulePath, version, h1, "mod_h1", "go.mod");
    }

    @Override
    public LedgerEntry recordZipHash(String modulePath, String version, String h1)
            throws IOException, LedgerConflictException {
        return recordHash(modulePath, version, h1, "zip_h1", "zip");
    }

    private LedgerEntry recordHash(String modulePath, String version, String h1, String column, String what)
            throws IOException, LedgerConflictException {
        LedgerEntry e = database.call("recording the " + what + " hash of " + modulePath + "@" + version, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE goproxy_ledger SET " + column + " = coalesce("
                    + column + ", ?) WHERE module_path = ? AND version = ? RETURNING " + COLUMNS)) {
                s.setString(1, h1);
                s.setString(2, modulePath);
                s.setString(3, version);
                return one(s);
            }
        });
        if (e == null) {
            throw new IOException(modulePath + "@" + version + " has no recorded commit");
        }
        String recorded = column.equals("mod_h1") ? e.modH1() : e.zipH1();
        if (!h1.equals(recorded)) {
            LOG.error("goproxy: {}@{}: the {} built now has {}, but {} was first served; refusing it", modulePath,
                    version, what, h1, recorded);
            throw new LedgerConflictException(modulePath + "@" + version + ": " + what + " hash " + h1
                    + " differs from the recorded " + recorded);
        }
        return e;
    }

    @Override
    public List<LedgerEntry> list(String modulePath) throws IOException {
        return database.call("listing the ledger", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM goproxy_ledger WHERE module_path = ?")) {
                s.setString(1, modulePath);
                return all(s);
            }
        });
    }

    @Override
    public List<String> modules() throws IOException {
        List<String> out = database.call("listing the ledger", c -> {
            List<String> paths = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT module_path FROM goproxy_ledger");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    paths.add(r.getString(1));
                }
            }
            return paths;
        });
        // Sorted here: the database's collation may not order strings as Java (and the file ledger) does.
        Collections.sort(out);
        return out;
    }

    @Override
    public boolean forget(String modulePath, String version) throws IOException {
        return database.call("forgetting " + modulePath + "@" + version, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM goproxy_ledger WHERE module_path = ? AND version = ?")) {
                s.setString(1, modulePath);
                s.setString(2, version);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** Versions pinned, for the metrics. */
    @Override
    public long count() throws IOException {
        return database.call("counting the ledger", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM goproxy_ledger");
                    ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /**
     * Takes an entry of another ledger (a migration) as it is, first writer wins: absent here, it is inserted with
     * its own time, origin and hashes; present with the same commit, hashes this ledger lacks are filled in; present
     * with another commit or another hash, nothing changes and the answer is {@link Adopted#CONFLICT}.
     */
    public Adopted adopt(LedgerEntry e) throws IOException {
        return database.call("copying " + e.modulePath() + "@" + e.version(), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO goproxy_ledger (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (module_path, version) DO UPDATE SET"
                    + " mod_h1 = " + fillIn("mod_h1") + ", zip_h1 = " + fillIn("zip_h1")
                    // xmax is 0 only in a row this statement inserted.
                    + " RETURNING commit_hex, mod_h1, zip_h1, (xmax = 0) AS inserted")) {
                s.setString(1, e.modulePath());
                s.setString(2, e.version());
                s.setString(3, e.commit());
                setNullable(s, 4, e.repositoryKey());
                setNullable(s, 5, e.modH1());
                setNullable(s, 6, e.zipH1());
                s.setLong(7, e.recordedAt());
                setNullable(s, 8, e.origin() == null ? null : e.origin().word());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getBoolean(4)) {
                        return Adopted.COPIED;
                    }
                    boolean same = e.commit().equals(r.getString(1)) && agrees(e.modH1(), r.getString(2))
                            && agrees(e.zipH1(), r.getString(3));
                    return same ? Adopted.ALREADY_THERE : Adopted.CONFLICT;
                }
            }
        });
    }

    /** A hash this ledger lacks is taken from the same commit's entry, never from another commit's. */
    private static String fillIn(String column) {
        return "CASE WHEN goproxy_ledger.commit_hex = EXCLUDED.commit_hex THEN coalesce(goproxy_ledger." + column
                + ", EXCLUDED." + column + ") ELSE goproxy_ledger." + column + " END";
    }

    private static boolean agrees(String theirs, String ours) {
        return theirs == null || theirs.equals(ours);
    }

    private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null || value.isEmpty()) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    private static LedgerEntry one(PreparedStatement s) throws SQLException {
        List<LedgerEntry> rows = all(s);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<LedgerEntry> all(PreparedStatement s) throws SQLException {
        List<LedgerEntry> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rows.add(new LedgerEntry(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), r.getString(6), r.getLong(7), PinOrigin.parse(r.getString(8))));
            }
        }
        return rows;
    }

    /** The database this ledger lives in (its pool is closed by whoever opened it). */
    public PostgresDatabase database() {
        return database;
    }
}

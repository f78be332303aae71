package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.util.List;

/**
 * The permanent record of what was first served for each module version: the commit, and the h1 of its go.mod
 * and of its zip. It is not a cache: nothing evicts it, and a later build that disagrees with it is refused,
 * because go.sum files everywhere already hold the first answer. Forgetting a version is an administrator's act.
 *
 * <p>Every implementation (the file ledger today, a database later) passes the same compliance test: the first
 * writer of a version's commit wins, for ever, whatever the concurrency; a recorded hash is never replaced;
 * entries survive a restart; {@link #forget} is the only way back.
 */
public interface VersionLedger {

    /** The entry for a version, or {@code null} if it was never pinned. */
    LedgerEntry find(String modulePath, String version) throws IOException;

    /**
     * Pins {@code version} to {@code commitHex} unless it is pinned already; returns the entry that holds,
     * which is the older one when another writer came first.
     *
     * @throws StorageException when the pin cannot be written (the version must then not be served)
     */
    LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey)
            throws IOException;

    /**
     * {@link #recordCommit(String, String, String, String)} that also keeps how the version came to be pinned
     * (shown to administrators). A ledger that cannot keep it pins all the same.
     */
    default LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey,
            PinOrigin origin) throws IOException {
        return recordCommit(modulePath, version, commitHex, repositoryKey);
    }

    /** Records the go.mod's h1 once; a different h1 later is a {@link LedgerConflictException}. */
    LedgerEntry recordModHash(String modulePath, String version, String h1) throws IOException, LedgerConflictException;

    /** Records the zip's h1 once; a different h1 later is a {@link LedgerConflictException}. */
    LedgerEntry recordZipHash(String modulePath, String version, String h1) throws IOException, LedgerConflictException;

    /** The pinned versions of one module path, in no particular order. */
    List<LedgerEntry> list(String modulePath) throws IOException;

    /** Every module path with at least one pinned version. */
    List<String> modules() throws IOException;

    /**
     * True when other proxy nodes pin into this same ledger (a database). A node then cannot tell a pinned commit
     * that is gone for ever from one its own copy of the repository has not received yet, so it answers "try
     * again" rather than "not found".
     */
    default boolean shared() {
        return false;
    }

    /** How many versions are pinned, for the metrics; -1 when this ledger cannot say. */
    default long count() throws IOException {
        return -1;
    }

    /**
     * False while a shared ledger's database is away and only the node's own copy answers: pins and first hashes
     * cannot be written then, and what lives in the same database cannot be reached either. A ledger of the node's
     * own is always reachable.
     */
    default boolean reachable() {
        return true;
    }

    /** Administrator's act: the next request for this version resolves it afresh. True if it was pinned. */
    boolean forget(String modulePath, String version) throws IOException;
}

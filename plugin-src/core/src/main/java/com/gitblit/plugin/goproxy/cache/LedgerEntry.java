package com.gitblit.plugin.goproxy.cache;

/** What the proxy first served for one module version: the commit, and the h1 of its go.mod and zip once known. */
public final class LedgerEntry {
    private final String modulePath;
    private final String version;
    private final String commit;
    private final String repositoryKey;
    private final String modH1;
    private final String zipH1;
    private final long recordedAt;
    private final PinOrigin origin;

    public LedgerEntry(String modulePath, String version, String commit, String repositoryKey, String modH1,
            String zipH1, long recordedAt) {
        this(modulePath, version, commit, repositoryKey, modH1, zipH1, recordedAt, null);
    }

    public LedgerEntry(String modulePath, String version, String commit, String repositoryKey, String modH1,
            String zipH1, long recordedAt, PinOrigin origin) {
        this.modulePath = modulePath;
        this.version = version;
        this.commit = commit;
        this.repositoryKey = repositoryKey;
        this.modH1 = modH1;
        this.zipH1 = zipH1;
        this.recordedAt = recordedAt;
        this.origin = origin;
    }

    public String modulePath() {
        return modulePath;
    }

    public String version() {
        return version;
    }

    public String commit() {
        return commit;
    }

    public String repositoryKey() {
        return repositoryKey;
    }

    /** Null until the go.mod was first served. */
    public String modH1() {
        return modH1;
    }

    /** Null until the zip was first built. */
    public String zipH1() {
        return zipH1;
    }

    public long recordedAt() {
        return recordedAt;
    }

    /** How the version was first pinned; null for entries written before this was recorded. */
    public PinOrigin origin() {
        return origin;
    }

    LedgerEntry withModH1(String h1) {
        return new LedgerEntry(modulePath, version, commit, repositoryKey, h1, zipH1, recordedAt, origin);
    }

    LedgerEntry withZipH1(String h1) {
        return new LedgerEntry(modulePath, version, commit, repositoryKey, modH1, h1, recordedAt, origin);
    }
}

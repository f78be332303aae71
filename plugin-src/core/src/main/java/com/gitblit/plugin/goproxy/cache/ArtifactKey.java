package com.gitblit.plugin.goproxy.cache;

/**
 * Names one cached artifact: a repository, a module version, the commit it was built from, and the kind.
 * The commit is part of the key, so an artifact can never be mistaken for one built from another commit.
 */
public final class ArtifactKey {
    public enum Kind { ZIP, MOD, INFO }

    private final String repositoryKey;
    private final String modulePath;
    private final String version;
    private final String commit;
    private final Kind kind;

    public ArtifactKey(String repositoryKey, String modulePath, String version, String commit, Kind kind) {
        this.repositoryKey = repositoryKey;
        this.modulePath = modulePath;
        this.version = version;
        this.commit = commit;
        this.kind = kind;
    }

    public String repositoryKey() {
        return repositoryKey;
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

    public Kind kind() {
        return kind;
    }

    /** File-system-safe, collision-free name of the artifact within its repository's directory. */
    String fileName() {
        return FileVersionLedger.sha256Hex(modulePath + "@" + version + "@" + commit + "@" + kind) + "." + kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The directory of the repository's artifacts (hashed: repository names may hold any characters). */
    String repositoryDirectory() {
        return FileVersionLedger.sha256Hex(repositoryKey);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ArtifactKey)) {
            return false;
        }
        ArtifactKey k = (ArtifactKey) o;
        return repositoryKey.equals(k.repositoryKey) && modulePath.equals(k.modulePath) && version.equals(k.version)
                && commit.equals(k.commit) && kind == k.kind;
    }

    @Override
    public int hashCode() {
        return ((repositoryKey.hashCode() * 31 + modulePath.hashCode()) * 31 + version.hashCode()) * 31
                + commit.hashCode() * 7 + kind.hashCode();
    }

    @Override
    public String toString() {
        return repositoryKey + ":" + modulePath + "@" + version + "(" + commit + ")." + kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}

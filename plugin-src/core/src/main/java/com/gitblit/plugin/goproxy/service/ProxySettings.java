package com.gitblit.plugin.goproxy.service;

import java.io.File;

import com.gitblit.plugin.goproxy.source.SourceSettings;
import com.gitblit.plugin.goproxy.upstream.UpstreamSettings;

/**
 * The one settings model of the module service, the same for both hosts (Gitblit reads them from {@code goproxy.*} in
 * gitblit.properties, the standalone host from its command line). Immutable; build with {@link #builder()}.
 */
public final class ProxySettings {
    private final boolean serveLegacyVersions;
    private final boolean serveForeignModulePaths;
    private final File dataDirectory;
    private final long cacheMaxBytes;
    private final int maxConcurrentBuilds;
    private final long buildQueueTimeoutMillis;
    private final int prebuildQueueLength;
    private final UpstreamSettings upstream;
    private final String ledgerUrl;
    private final File ledgerPasswordFile;

    private ProxySettings(Builder b) {
        this.serveLegacyVersions = b.serveLegacyVersions;
        this.serveForeignModulePaths = b.serveForeignModulePaths;
        this.dataDirectory = b.dataDirectory;
        this.cacheMaxBytes = b.cacheMaxBytes;
        this.maxConcurrentBuilds = b.maxConcurrentBuilds;
        this.buildQueueTimeoutMillis = b.buildQueueTimeoutMillis;
        this.prebuildQueueLength = b.prebuildQueueLength;
        this.upstream = b.upstream;
        this.ledgerUrl = b.ledgerUrl;
        this.ledgerPasswordFile = b.ledgerPasswordFile;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Versions without a go.mod (pre-module tags), served as direct mode serves them. Default true. */
    public boolean serveLegacyVersions() {
        return serveLegacyVersions;
    }

    /**
     * Explicit requests for versions whose go.mod declares another module path (forks used through
     * {@code replace}); such versions are never listed either way. Default false (rules digest, 19.1).
     */
    public boolean serveForeignModulePaths() {
        return serveForeignModulePaths;
    }

    /** What the git source needs of these settings: derived here, so that no setting can miss the source. */
    public SourceSettings sourceSettings() {
        return SourceSettings.builder()
                .serveLegacyVersions(serveLegacyVersions)
                .serveForeignModulePaths(serveForeignModulePaths)
                .build();
    }

    /** Where the version ledger and the artifact cache live; {@code null} = no ledger, no cache. */
    public File dataDirectory() {
        return dataDirectory;
    }

    /** Size limit of the artifact cache in bytes. */
    public long cacheMaxBytes() {
        return cacheMaxBytes;
    }

    /** How many zips may be built at once. */
    public int maxConcurrentBuilds() {
        return maxConcurrentBuilds;
    }

    /** How long a request waits for a build slot before it gets 503 with Retry-After. */
    public long buildQueueTimeoutMillis() {
        return buildQueueTimeoutMillis;
    }

    /** How many pushed versions may wait for their zip to be built ahead of the first download; 0: none. */
    public int prebuildQueueLength() {
        return prebuildQueueLength;
    }

    /** The dependency proxy ({@code goproxy.upstream}); {@code null} = off. It needs a data folder. */
    public UpstreamSettings upstream() {
        return upstream;
    }

    /**
     * The shared version ledger ({@code jdbc:postgresql://host:port/database?user=NAME}) several nodes pin into;
     * {@code null} = the file ledger in the data folder (the default). It needs a data folder all the same.
     */
    public String ledgerUrl() {
        return ledgerUrl;
    }

    /** The file holding the ledger database's password (one trailing newline ignored); {@code null} = none. */
    public File ledgerPasswordFile() {
        return ledgerPasswordFile;
    }

    public static final class Builder {
        private boolean serveLegacyVersions = true;
        private boolean serveForeignModulePaths = false;
        private File dataDirectory;
        private long cacheMaxBytes = 2L * 1024 * 1024 * 1024;
        private int maxConcurrentBuilds = Math.max(2, Runtime.getRuntime().availableProcessors());
        private long buildQueueTimeoutMillis = 30_000;
        private int prebuildQueueLength = 100;
        private UpstreamSettings upstream;
        private String ledgerUrl;
        private File ledgerPasswordFile;

        private Builder() {
        }

        public Builder serveLegacyVersions(boolean value) {
            this.serveLegacyVersions = value;
            return this;
        }

        public Builder serveForeignModulePaths(boolean value) {
            this.serveForeignModulePaths = value;
            return this;
        }

        public Builder dataDirectory(File value) {
            this.dataDirectory = value;
            return this;
        }

        public Builder cacheMaxBytes(long value) {
            this.cacheMaxBytes = value;
            return this;
        }

        public Builder maxConcurrentBuilds(int value) {
            this.maxConcurrentBuilds = value;
            return this;
        }

        public Builder buildQueueTimeoutMillis(long value) {
            this.buildQueueTimeoutMillis = value;
            return this;
        }

        public Builder prebuildQueueLength(int value) {
            this.prebuildQueueLength = value;
            return this;
        }

        public Builder upstream(UpstreamSettings value) {
            this.upstream = value;
            return this;
        }

        /** Empty or null: the file ledger. */
        public Builder ledger(String url, File passwordFile) {
            this.ledgerUrl = url == null || url.trim().isEmpty() ? null : url.trim();
            this.ledgerPasswordFile = passwordFile;
            return this;
        }

        public ProxySettings build() {
            return new ProxySettings(this);
        }
    }
}

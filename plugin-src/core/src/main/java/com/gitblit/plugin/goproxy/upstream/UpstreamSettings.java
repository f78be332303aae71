package com.gitblit.plugin.goproxy.upstream;

import java.util.Collections;
import java.util.List;

/**
 * The dependency proxy's settings, the same for both hosts. Immutable; {@link #builder(UpstreamList)}.
 */
public final class UpstreamSettings {
    private final UpstreamList proxies;
    private final boolean anonymousAccess;
    private final ModulePatterns allow;
    private final ModulePatterns deny;
    private final long metadataTtlMillis;
    private final List<SumdbSetting> sumdbs;
    private final ModulePatterns noSumCheck;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    private UpstreamSettings(Builder b) {
        this.proxies = b.proxies;
        this.anonymousAccess = b.anonymousAccess;
        this.allow = b.allow;
        this.deny = b.deny;
        this.metadataTtlMillis = b.metadataTtlMillis;
        this.sumdbs = b.sumdbs;
        this.noSumCheck = b.noSumCheck;
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.readTimeoutMillis = b.readTimeoutMillis;
    }

    public static Builder builder(UpstreamList proxies) {
        if (proxies == null) {
            throw new IllegalArgumentException("no upstream proxies");
        }
        return new Builder(proxies);
    }

    public UpstreamList proxies() {
        return proxies;
    }

    /** {@code goproxy.upstreamAccess = anonymous}: callers without credentials may use it too. */
    public boolean anonymousAccess() {
        return anonymousAccess;
    }

    public ModulePatterns allow() {
        return allow;
    }

    public ModulePatterns deny() {
        return deny;
    }

    public long metadataTtlMillis() {
        return metadataTtlMillis;
    }

    /** The checksum databases modules are verified against and {@code /sumdb/} passes through; the first verifies. */
    public List<SumdbSetting> sumdbs() {
        return sumdbs;
    }

    /** Modules not verified against a checksum database (GONOSUMDB syntax). */
    public ModulePatterns noSumCheck() {
        return noSumCheck;
    }

    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    public static final class Builder {
        private final UpstreamList proxies;
        private boolean anonymousAccess;
        private ModulePatterns allow = ModulePatterns.parse("");
        private ModulePatterns deny = ModulePatterns.parse("");
        private long metadataTtlMillis = 10 * 60 * 1000L;
        private List<SumdbSetting> sumdbs = SumdbSetting.parseList(SumdbSetting.DEFAULT);
        private ModulePatterns noSumCheck = ModulePatterns.parse("");
        private int connectTimeoutMillis = 10_000;
        private int readTimeoutMillis = 60_000;

        private Builder(UpstreamList proxies) {
            this.proxies = proxies;
        }

        public Builder anonymousAccess(boolean value) {
            this.anonymousAccess = value;
            return this;
        }

        public Builder allow(ModulePatterns value) {
            this.allow = value;
            return this;
        }

        public Builder deny(ModulePatterns value) {
            this.deny = value;
            return this;
        }

        public Builder metadataTtlMillis(long value) {
            this.metadataTtlMillis = value;
            return this;
        }

        public Builder sumdbs(List<SumdbSetting> value) {
            this.sumdbs = Collections.unmodifiableList(value);
            return this;
        }

        public Builder noSumCheck(ModulePatterns value) {
            this.noSumCheck = value;
            return this;
        }

        public Builder timeouts(int connectMillis, int readMillis) {
            this.connectTimeoutMillis = connectMillis;
            this.readTimeoutMillis = readMillis;
            return this;
        }

        public UpstreamSettings build() {
            return new UpstreamSettings(this);
        }
    }
}

package com.gitblit.plugin.goproxy.source;

import com.gitblit.plugin.goproxy.module.zip.ModuleZip;

/** What the git source serves beyond direct mode's defaults (rules digest, section 19). Immutable. */
public final class SourceSettings {
    private final boolean serveLegacyVersions;
    private final boolean serveForeignModulePaths;
    private final int zipCompressionLevel;

    private SourceSettings(Builder b) {
        this.serveLegacyVersions = b.serveLegacyVersions;
        this.serveForeignModulePaths = b.serveForeignModulePaths;
        this.zipCompressionLevel = b.zipCompressionLevel;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Versions without a go.mod, served with the go.mod direct mode synthesizes. */
    public boolean serveLegacyVersions() {
        return serveLegacyVersions;
    }

    /** Explicit requests for versions whose go.mod declares another module path (never listed either way). */
    public boolean serveForeignModulePaths() {
        return serveForeignModulePaths;
    }

    public int zipCompressionLevel() {
        return zipCompressionLevel;
    }

    public static final class Builder {
        private boolean serveLegacyVersions = true;
        private boolean serveForeignModulePaths;
        private int zipCompressionLevel = ModuleZip.DEFAULT_COMPRESSION_LEVEL;

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

        public Builder zipCompressionLevel(int value) {
            this.zipCompressionLevel = value;
            return this;
        }

        public SourceSettings build() {
            return new SourceSettings(this);
        }
    }
}

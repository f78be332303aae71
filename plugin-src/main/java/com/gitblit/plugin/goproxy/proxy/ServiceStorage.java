package com.gitblit.plugin.goproxy.proxy;

import java.io.File;
import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.cache.ArtifactKey;
import com.gitblit.plugin.goproxy.cache.ArtifactStore;
import com.gitblit.plugin.goproxy.cache.BuildCoordinator;
import com.gitblit.plugin.goproxy.cache.LedgerConflictException;
import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.StoredArtifact;
import com.gitblit.plugin.goproxy.cache.VersionLedger;
import com.gitblit.plugin.goproxy.module.ModuleVersion;
import com.gitblit.plugin.goproxy.module.SemVer;
import com.gitblit.plugin.goproxy.source.Revision;

/**
 * The ledger and the artifact cache under the data directory, or nothing at all when the host gave none
 * (then every lookup misses and every record is dropped: answers come straight from git).
 */
final class ServiceStorage {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceStorage.class);

    private final VersionLedger ledger;
    private final ArtifactStore store;
    private final BuildCoordinator coordinator;

    private ServiceStorage(VersionLedger ledger, ArtifactStore store, BuildCoordinator coordinator) {
        this.ledger = ledger;
        this.store = store;
        this.coordinator = coordinator;
    }

    static ServiceStorage open(ProxySettings settings) throws IOException {
        File data = settings.dataDirectory();
        if (data == null) {
            return new ServiceStorage(null, null, null);
        }
        VersionLedger ledger = new VersionLedger(new File(data, "ledger").toPath());
        ArtifactStore store = new ArtifactStore(new File(data, "artifacts").toPath(), settings.cacheMaxBytes());
        BuildCoordinator coordinator = new BuildCoordinator(store, Math.max(1, settings.maxConcurrentBuilds()),
                settings.buildQueueTimeoutMillis());
        return new ServiceStorage(ledger, store, coordinator);
    }

    /** Stops the build threads; the ledger and the store hold no open file between calls. */
    void close() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    boolean enabled() {
        return ledger != null;
    }

    BuildCoordinator coordinator() {
        return coordinator;
    }

    /** A request names a version (not a branch or hash query) when it is already canonical. */
    boolean isCanonicalRequest(String query) {
        return SemVer.isValid(query) && query.equals(ModuleVersion.canonical(query));
    }

    LedgerEntry recorded(String modulePath, String version) throws IOException {
        return ledger == null ? null : ledger.find(modulePath, version);
    }

    /** Records the commit first served for a version; returns the entry that holds (maybe an older one). */
    LedgerEntry recordCommit(String modulePath, String version, String commit, String repositoryName)
            throws IOException {
        return ledger == null ? null : ledger.recordCommit(modulePath, version, commit, repositoryName);
    }

    void recordModHash(String modulePath, String version, String h1) throws IOException, ProxyError {
        if (ledger == null) {
            return;
        }
        try {
            ledger.recordModHash(modulePath, version, h1);
        } catch (LedgerConflictException e) {
            LOG.error("goproxy: refusing to serve {}@{} go.mod: {}", modulePath, version, e.getMessage());
            throw ProxyError.notFound(modulePath + "@" + version
                    + ": go.mod differs from the one first served; refusing to serve it");
        }
    }

    /** Inside a build: a zip whose h1 contradicts the ledger must fail the build, so nothing is stored. */
    void recordZipHashOrFail(String modulePath, String version, String h1) throws IOException {
        if (ledger == null) {
            return;
        }
        try {
            ledger.recordZipHash(modulePath, version, h1);
        } catch (LedgerConflictException e) {
            LOG.error("goproxy: refusing to serve {}@{} zip: {}", modulePath, version, e.getMessage());
            throw new IOException(modulePath + "@" + version + ": zip differs from the one first served", e);
        }
    }

    ArtifactKey zipKey(HostedRepository repository, String modulePath, Revision revision) {
        return new ArtifactKey(repository.name(), modulePath, revision.version(), revision.commit(),
                ArtifactKey.Kind.ZIP);
    }

    StoredArtifact stored(ArtifactKey key) throws IOException {
        return store == null ? null : store.get(key);
    }

    void purgeRepository(String repositoryName) throws IOException {
        if (store != null) {
            store.purgeRepository(repositoryName);
        }
    }
}

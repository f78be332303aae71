package com.gitblit.plugin.goproxy.service;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

import com.gitblit.plugin.goproxy.cache.ArtifactKey;
import com.gitblit.plugin.goproxy.cache.ArtifactStore;
import com.gitblit.plugin.goproxy.cache.BuildCoordinator;
import com.gitblit.plugin.goproxy.cache.BuildSlots;
import com.gitblit.plugin.goproxy.cache.DataFolderFormat;
import com.gitblit.plugin.goproxy.cache.FileArtifactStore;
import com.gitblit.plugin.goproxy.cache.FileVersionLedger;
import com.gitblit.plugin.goproxy.cache.StoredArtifact;
import com.gitblit.plugin.goproxy.cache.VersionLedger;
import com.gitblit.plugin.goproxy.metrics.MetricsSources;
import com.gitblit.plugin.goproxy.metrics.ProxyMetrics;

/**
 * The ledger, the artifact store and the one build cap the service runs on. Without a data folder there is no
 * ledger and no store (every answer comes straight from git), but the same build cap.
 */
final class ServiceStorage implements Closeable, MetricsSources {
    final VersionLedger ledger;
    final ArtifactStore store;
    final BuildSlots slots;
    final BuildCoordinator coordinator;
    private final ProxyMetrics metrics;
    final RecentFailures failures = new RecentFailures(50);

    ServiceStorage(VersionLedger ledger, ArtifactStore store, BuildSlots slots) {
        this(ledger, store, slots, ProxyMetrics.NONE);
    }

    ServiceStorage(VersionLedger ledger, ArtifactStore store, BuildSlots slots, ProxyMetrics metrics) {
        this.ledger = ledger;
        this.store = store;
        this.slots = slots;
        this.metrics = metrics;
        this.coordinator = store == null ? null : new BuildCoordinator(store, slots, metrics);
    }

    /** Opens (and if needed migrates) the data folder the settings name. */
    static ServiceStorage open(ProxySettings settings) throws IOException {
        return open(settings, ProxyMetrics.NONE);
    }

    static ServiceStorage open(ProxySettings settings, ProxyMetrics metrics) throws IOException {
        BuildSlots slots = new BuildSlots(settings.maxConcurrentBuilds(), settings.buildQueueTimeoutMillis());
        if (settings.dataDirectory() == null) {
            return new ServiceStorage(null, null, slots, metrics);
        }
        Path data = settings.dataDirectory().toPath();
        org.slf4j.LoggerFactory.getLogger(ServiceStorage.class).info("goproxy: {}", DataFolderFormat.prepare(data));
        FileArtifactStore store = new FileArtifactStore(DataFolderFormat.artifacts(data), settings.cacheMaxBytes());
        store.evictions(metrics);
        return new ServiceStorage(new FileVersionLedger(DataFolderFormat.ledger(data)), store, slots, metrics);
    }

    boolean enabled() {
        return ledger != null;
    }

    StoredArtifact stored(ArtifactKey key) throws IOException {
        if (store == null) {
            return null;
        }
        StoredArtifact found = store.get(key);
        metrics.cacheLookup(key.kind().name().toLowerCase(java.util.Locale.ROOT), found != null);
        return found;
    }

    @Override
    public long cacheBytes() {
        return store == null ? -1 : store.size();
    }

    @Override
    public long cacheLimitBytes() {
        return store == null ? -1 : store.maxBytes();
    }

    @Override
    public long ledgerVersions() {
        return ledger instanceof FileVersionLedger ? ((FileVersionLedger) ledger).count() : -1;
    }

    @Override
    public long buildsRunning() {
        return slots.capacity() - slots.available();
    }

    @Override
    public long buildsWaiting() {
        return slots.waiting();
    }

    @Override
    public void close() {
        if (coordinator != null) {
            coordinator.close();
        }
    }
}

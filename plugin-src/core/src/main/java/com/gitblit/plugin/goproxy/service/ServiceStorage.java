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
import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresLedger;
import com.gitblit.plugin.goproxy.cache.postgres.ReadThroughLedger;
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
    private final PostgresDatabase database;
    final RecentFailures failures = new RecentFailures(50);

    ServiceStorage(VersionLedger ledger, ArtifactStore store, BuildSlots slots) {
        this(ledger, store, slots, ProxyMetrics.NONE);
    }

    ServiceStorage(VersionLedger ledger, ArtifactStore store, BuildSlots slots, ProxyMetrics metrics) {
        this(ledger, store, slots, metrics, null);
    }

    private ServiceStorage(VersionLedger ledger, ArtifactStore store, BuildSlots slots, ProxyMetrics metrics,
            PostgresDatabase database) {
        this.database = database;
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
            if (settings.ledgerUrl() != null) {
                throw new IOException("a ledger database needs a data folder as well: each node keeps its artifact"
                        + " cache and its own copy of the ledger there");
            }
            return new ServiceStorage(null, null, slots, metrics);
        }
        Path data = settings.dataDirectory().toPath();
        org.slf4j.LoggerFactory.getLogger(ServiceStorage.class).info("goproxy: {}", DataFolderFormat.prepare(data));
        FileArtifactStore store = new FileArtifactStore(DataFolderFormat.artifacts(data), settings.cacheMaxBytes());
        store.evictions(metrics);
        if (settings.ledgerUrl() == null) {
            return new ServiceStorage(new FileVersionLedger(DataFolderFormat.ledger(data)), store, slots, metrics);
        }
        PostgresDatabase database = PostgresDatabase.open(settings.ledgerUrl(), settings.ledgerPasswordFile(),
                Math.max(8, 2 * settings.maxConcurrentBuilds()));
        ReadThroughLedger ledger;
        try {
            ledger = new ReadThroughLedger(new PostgresLedger(database),
                    new FileVersionLedger(DataFolderFormat.ledgerCopy(data)));
        } catch (IOException | RuntimeException e) {
            database.close();
            throw e;
        }
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServiceStorage.class);
        log.info("goproxy: version ledger in the database {}, this node's copy in {}", database.description(),
                DataFolderFormat.ledgerCopy(data));
        long left = java.nio.file.Files.exists(DataFolderFormat.ledgerMigrated(data)) ? 0
                : new FileVersionLedger(DataFolderFormat.ledger(data)).count();
        if (left > 0) {
            log.warn("goproxy: {} holds {} versions pinned before the ledger database was set, which this node no"
                    + " longer reads: copy them into the database (docs/postgresql.md, ledger migrate)",
                    DataFolderFormat.ledger(data), left);
        }
        return new ServiceStorage(ledger, store, slots, metrics, database);
    }

    /** The shared database the ledger lives in (for the checksum database and the audit log); null: the file ledger. */
    PostgresDatabase database() {
        return database;
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
        try {
            return ledger == null ? -1 : ledger.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
        if (database != null) {
            database.close();
        }
    }
}

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

/**
 * The ledger, the artifact store and the one build cap the service runs on. Without a data folder there is no
 * ledger and no store (every answer comes straight from git), but the same build cap.
 */
final class ServiceStorage implements Closeable {
    final VersionLedger ledger;
    final ArtifactStore store;
    final BuildSlots slots;
    final BuildCoordinator coordinator;
    final RecentFailures failures = new RecentFailures(50);

    ServiceStorage(VersionLedger ledger, ArtifactStore store, BuildSlots slots) {
        this.ledger = ledger;
        this.store = store;
        this.slots = slots;
        this.coordinator = store == null ? null : new BuildCoordinator(store, slots);
    }

    /** Opens (and if needed migrates) the data folder the settings name. */
    static ServiceStorage open(ProxySettings settings) throws IOException {
        BuildSlots slots = new BuildSlots(settings.maxConcurrentBuilds(), settings.buildQueueTimeoutMillis());
        if (settings.dataDirectory() == null) {
            return new ServiceStorage(null, null, slots);
        }
        Path data = settings.dataDirectory().toPath();
        org.slf4j.LoggerFactory.getLogger(ServiceStorage.class).info("goproxy: {}", DataFolderFormat.prepare(data));
        return new ServiceStorage(new FileVersionLedger(DataFolderFormat.ledger(data)),
                new FileArtifactStore(DataFolderFormat.artifacts(data), settings.cacheMaxBytes()), slots);
    }

    boolean enabled() {
        return ledger != null;
    }

    StoredArtifact stored(ArtifactKey key) throws IOException {
        return store == null ? null : store.get(key);
    }

    @Override
    public void close() {
        if (coordinator != null) {
            coordinator.close();
        }
    }
}

package com.gitblit.plugin.goproxy.service;

import java.util.List;

import com.gitblit.plugin.goproxy.cache.ArtifactStore;
import com.gitblit.plugin.goproxy.cache.VersionLedger;

/**
 * A read-only window on what the service runs on, for the administrator's view: the ledger and the artifact store
 * (to list, never to write: every change goes through the service, which also drops what it holds in memory), the
 * builds running and waiting, the recent failures and the dependency proxy. Null parts: no data folder.
 */
public final class ServiceState {
    private final ServiceStorage storage;
    private final Prebuilder prebuilder;
    private final ThirdPartyModules thirdParty;

    ServiceState(ServiceStorage storage, Prebuilder prebuilder, ThirdPartyModules thirdParty) {
        this.storage = storage;
        this.prebuilder = prebuilder;
        this.thirdParty = thirdParty;
    }

    /** Null without a data folder. Read it only: {@link ModuleService#forgetVersion} is how a pin goes. */
    public VersionLedger ledger() {
        return storage.ledger;
    }

    /** The database the nodes share (ledger, checksum log, audit log), or null when this node keeps its own. */
    public com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase database() {
        return storage.database();
    }

    /**
     * Whether the shared database answered the ledger's last call: null when there is none, false during an outage
     * (pinned versions are then served from the node's copy, new ones refused).
     */
    public Boolean sharedDatabaseReachable() {
        return storage.ledger != null && storage.ledger.shared() ? storage.ledger.reachable() : null;
    }

    /** Null without a data folder. Read it only: {@link ModuleService#purgeModule} is how artifacts go. */
    public ArtifactStore store() {
        return storage.store;
    }

    /** Builds holding a slot now (cached or streamed straight from git, pre-builds included). */
    public int buildsRunning() {
        return storage.slots.capacity() - storage.slots.available();
    }

    /** The cap on builds running at once. */
    public int buildCapacity() {
        return storage.slots.capacity();
    }

    /** Requests waiting for a build slot now. */
    public int buildsWaiting() {
        return storage.slots.waiting();
    }

    /** Pre-builds of pushed versions queued or running. */
    public int prebuildsQueued() {
        return prebuilder == null ? 0 : prebuilder.pending();
    }

    /** Newest first. */
    public List<RecentFailures.Failure> recentFailures() {
        return storage.failures.list();
    }

    /** The dependency proxy, or null when it is off. */
    public ThirdPartyModules thirdParty() {
        return thirdParty;
    }
}

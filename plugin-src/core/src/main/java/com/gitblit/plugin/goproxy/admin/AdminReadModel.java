package com.gitblit.plugin.goproxy.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.gitblit.plugin.goproxy.cache.ArtifactStore;
import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.StoreActivity;
import com.gitblit.plugin.goproxy.cache.StoredArtifact;
import com.gitblit.plugin.goproxy.cache.VersionLedger;
import com.gitblit.plugin.goproxy.module.SemVer;
import com.gitblit.plugin.goproxy.service.ServiceState;
import com.gitblit.plugin.goproxy.service.ThirdPartyModules;
import com.gitblit.plugin.goproxy.upstream.UpstreamModules;

/**
 * What the admin view shows, read from the ledger, the artifact store and the service's counters; changes
 * nothing. Rules:
 * <ul>
 *   <li>a module is listed per repository that pinned versions of it (the ledger keeps a pin after its
 *       repository is renamed, under the old name: that is where go.sum's promise came from);</li>
 *   <li>an artifact belongs to a pinned version only when built from the pinned commit; every other artifact of
 *       the module (a pre-build not downloaded yet, a forgotten pin's) is listed apart, as unpinned;</li>
 *   <li>third-party modules kept by the dependency proxy are listed apart: their artifacts are kept for good,
 *       outside the cache and its limit;</li>
 *   <li>without a data folder there is nothing pinned or cached: empty lists and zero totals, not a failure.</li>
 * </ul>
 */
public final class AdminReadModel {
    private static final Comparator<PinnedVersion> NEWEST_FIRST =
            (a, b) -> SemVer.compare(b.version(), a.version());

    private final ServiceState state;

    public AdminReadModel(ServiceState state) {
        this.state = state;
    }

    public AdminOverview overview() throws IOException {
        InstanceTotals totals = totals();
        List<ModuleInventory> forge = new ArrayList<>();
        List<ModuleInventory> thirdParty = new ArrayList<>();
        VersionLedger ledger = state.ledger();
        if (ledger != null) {
            Map<String, List<StoredArtifact>> stored = new HashMap<>();
            for (String module : ledger.modules()) {
                for (Map.Entry<String, List<LedgerEntry>> byRepository : byRepository(ledger.list(module)).entrySet()) {
                    String repository = byRepository.getKey();
                    if (UpstreamModules.REPOSITORY_KEY.equals(repository)) {
                        thirdParty.add(inventory(repository, module, byRepository.getValue(),
                                Collections.<StoredArtifact>emptyList()));
                        continue;
                    }
                    List<StoredArtifact> artifacts = stored.get(repository);
                    if (artifacts == null) {
                        artifacts = state.store() == null ? Collections.<StoredArtifact>emptyList()
                                : state.store().list(repository);
                        stored.put(repository, artifacts);
                    }
                    forge.add(inventory(repository, module, byRepository.getValue(), artifacts));
                }
            }
        }
        forge.sort(Comparator.comparing(ModuleInventory::repositoryKey).thenComparing(ModuleInventory::modulePath));
        thirdParty.sort(Comparator.comparing(ModuleInventory::modulePath));
        totals.modules = forge.size();
        for (ModuleInventory m : forge) {
            totals.pinnedVersions += m.versions().size();
        }
        return new AdminOverview(totals, forge, thirdParty);
    }

    /** One module of one repository; its lists are empty when nothing of it is pinned or cached. */
    public ModuleInventory module(String repositoryKey, String modulePath) throws IOException {
        List<LedgerEntry> entries = new ArrayList<>();
        if (state.ledger() != null) {
            for (LedgerEntry e : state.ledger().list(modulePath)) {
                if (repositoryKey.equals(e.repositoryKey())) {
                    entries.add(e);
                }
            }
        }
        List<StoredArtifact> artifacts = state.store() == null ? Collections.<StoredArtifact>emptyList()
                : state.store().list(repositoryKey);
        return inventory(repositoryKey, modulePath, entries, artifacts);
    }

    public InstanceTotals totals() {
        InstanceTotals t = new InstanceTotals();
        ArtifactStore store = state.store();
        if (store != null) {
            StoreActivity activity = store.activity();
            t.cacheBytes = store.size();
            t.cacheLimit = store.maxBytes();
            t.hits = activity.hits();
            t.misses = activity.misses();
            t.evictions = activity.evictions();
        }
        t.buildsRunning = state.buildsRunning();
        t.buildCapacity = state.buildCapacity();
        t.buildsWaiting = state.buildsWaiting();
        t.prebuildsQueued = state.prebuildsQueued();
        t.failures = state.recentFailures();
        ThirdPartyModules thirdParty = state.thirdParty();
        t.thirdPartyOn = thirdParty != null;
        t.thirdPartyBytes = thirdParty == null ? 0 : thirdParty.storedBytes();
        return t;
    }

    private static Map<String, List<LedgerEntry>> byRepository(List<LedgerEntry> entries) {
        Map<String, List<LedgerEntry>> out = new TreeMap<>();
        for (LedgerEntry e : entries) {
            String key = e.repositoryKey() == null ? "" : e.repositoryKey();
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    private ModuleInventory inventory(String repositoryKey, String modulePath, List<LedgerEntry> entries,
            List<StoredArtifact> repositoryArtifacts) {
        List<StoredArtifact> mine = new ArrayList<>();
        for (StoredArtifact a : repositoryArtifacts) {
            if (a.key().modulePath().equals(modulePath)) {
                mine.add(a);
            }
        }
        List<PinnedVersion> versions = new ArrayList<>();
        for (LedgerEntry e : entries) {
            List<CachedArtifact> at = new ArrayList<>();
            for (java.util.Iterator<StoredArtifact> it = mine.iterator(); it.hasNext();) {
                StoredArtifact a = it.next();
                if (a.key().version().equals(e.version()) && a.key().commit().equals(e.commit())) {
                    at.add(cached(a));
                    it.remove();
                }
            }
            at.sort(Comparator.comparing(CachedArtifact::kind));
            versions.add(new PinnedVersion(e, at));
        }
        versions.sort(NEWEST_FIRST);
        List<CachedArtifact> unpinned = new ArrayList<>();
        for (StoredArtifact a : mine) {
            unpinned.add(cached(a));
        }
        unpinned.sort(Comparator.comparing(CachedArtifact::version).thenComparing(CachedArtifact::kind));
        return new ModuleInventory(repositoryKey, modulePath, versions, unpinned);
    }

    private CachedArtifact cached(StoredArtifact a) {
        return new CachedArtifact(a.key(), a.length(), state.store().lastUsedMillis(a.key()));
    }
}

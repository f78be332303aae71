package com.gitblit.plugin.goproxy.admin;

import java.util.Collections;
import java.util.List;

import com.gitblit.plugin.goproxy.service.RecentFailures;

/** The instance's numbers at one moment: the cache against its limit, its use since start, builds, failures. */
public final class InstanceTotals {
    long cacheBytes;
    long cacheLimit;
    long hits;
    long misses;
    long evictions;
    int buildsRunning;
    int buildCapacity;
    int buildsWaiting;
    int prebuildsQueued;
    int pinnedVersions;
    int modules;
    boolean thirdPartyOn;
    long thirdPartyBytes;
    List<RecentFailures.Failure> failures = Collections.emptyList();

    InstanceTotals() {
    }

    public long cacheBytes() {
        return cacheBytes;
    }

    public long cacheLimit() {
        return cacheLimit;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    /** Hits over lookups since start, 0 to 1; -1 before the first lookup. */
    public double hitRatio() {
        long lookups = hits + misses;
        return lookups == 0 ? -1 : (double) hits / lookups;
    }

    public long evictions() {
        return evictions;
    }

    public int buildsRunning() {
        return buildsRunning;
    }

    public int buildCapacity() {
        return buildCapacity;
    }

    public int buildsWaiting() {
        return buildsWaiting;
    }

    public int prebuildsQueued() {
        return prebuildsQueued;
    }

    /** Versions pinned for the forge's own modules (third-party ones not counted). */
    public int pinnedVersions() {
        return pinnedVersions;
    }

    public int modules() {
        return modules;
    }

    public boolean thirdPartyOn() {
        return thirdPartyOn;
    }

    public long thirdPartyBytes() {
        return thirdPartyBytes;
    }

    /** Newest first. */
    public List<RecentFailures.Failure> failures() {
        return failures;
    }
}

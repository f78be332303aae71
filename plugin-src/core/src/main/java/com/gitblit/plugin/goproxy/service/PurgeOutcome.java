package com.gitblit.plugin.goproxy.service;

/**
 * What purging a module's cached artifacts did: how many went (and their bytes), and how many were kept because
 * their commit has left the repository, so that the stored copy is the only one left and could not be rebuilt.
 */
public final class PurgeOutcome {
    private final int removed;
    private final long bytes;
    private final int kept;

    PurgeOutcome(int removed, long bytes, int kept) {
        this.removed = removed;
        this.bytes = bytes;
        this.kept = kept;
    }

    public int removed() {
        return removed;
    }

    public long bytes() {
        return bytes;
    }

    public int kept() {
        return kept;
    }

    @Override
    public String toString() {
        return removed + " artifact(s) removed (" + bytes + " bytes)"
                + (kept == 0 ? "" : ", " + kept + " kept: their commit left the repository, they cannot be rebuilt");
    }
}

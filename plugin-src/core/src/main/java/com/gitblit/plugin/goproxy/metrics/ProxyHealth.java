package com.gitblit.plugin.goproxy.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The answer to a load balancer's "can this proxy serve?". In order: {@code down} when the host says the service
 * is not running (not started, failed to start, stopping); {@code degraded} while it serves with a fault: a data
 * folder (ledger or cache) where no file can be written, so nothing new is pinned or cached, or an upstream
 * whose last request got no answer; else {@code ok}. Writability is probed by writing a file, not by reading
 * permission bits, which say nothing to a process running as root or on a read-only mount.
 */
public final class ProxyHealth {
    /** What the host knows: null while the service runs, else why it does not. */
    private final Supplier<String> downReason;
    private final Path ledgerFolder;
    private final Path cacheFolder;
    private final Supplier<Boolean> upstreamReached;
    private final Supplier<Boolean> sharedDatabaseReached;

    /**
     * @param ledgerFolder the ledger's folder, or null when the proxy keeps no data folder
     * @param cacheFolder the artifact cache's folder, or null likewise
     * @param upstreamReached whether the upstream's last request was answered (null: none yet), or null when
     *        there is no upstream
     */
    public ProxyHealth(Supplier<String> downReason, Path ledgerFolder, Path cacheFolder,
            Supplier<Boolean> upstreamReached) {
        this(downReason, ledgerFolder, cacheFolder, upstreamReached, null);
    }

    /**
     * @param sharedDatabaseReached whether the database several nodes share (ledger, checksum log) answered its last
     *        call, or null when this node keeps its own ledger. Unreachable is {@code degraded}, not {@code down}: the
     *        node still serves every pinned version from its own copy.
     */
    public ProxyHealth(Supplier<String> downReason, Path ledgerFolder, Path cacheFolder,
            Supplier<Boolean> upstreamReached, Supplier<Boolean> sharedDatabaseReached) {
        this.downReason = downReason;
        this.ledgerFolder = ledgerFolder;
        this.cacheFolder = cacheFolder;
        this.upstreamReached = upstreamReached;
        this.sharedDatabaseReached = sharedDatabaseReached;
    }

    public Report check() {
        String down = downReason.get();
        if (down != null) {
            return new Report(Report.Status.DOWN, down);
        }
        List<String> faults = new ArrayList<>();
        if (ledgerFolder != null && !writable(ledgerFolder)) {
            faults.add("ledger folder not writable");
        }
        if (cacheFolder != null && !writable(cacheFolder)) {
            faults.add("cache folder not writable");
        }
        if (upstreamReached != null && Boolean.FALSE.equals(upstreamReached.get())) {
            faults.add("upstream unreachable");
        }
        if (sharedDatabaseReached != null && Boolean.FALSE.equals(sharedDatabaseReached.get())) {
            faults.add("ledger database unreachable (pinned versions only)");
        }
        return faults.isEmpty() ? new Report(Report.Status.OK, null)
                : new Report(Report.Status.DEGRADED, String.join(", ", faults));
    }

    private static boolean writable(Path folder) {
        try {
            Path probe = Files.createTempFile(folder, ".health", ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** One health answer: its status line is the whole body. */
    public static final class Report {
        public enum Status {
            OK, DEGRADED, DOWN
        }

        private final Status status;
        private final String reason;

        public Report(Status status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        public Status status() {
            return status;
        }

        /** 503 only when it cannot serve: a degraded proxy still answers most requests. */
        public int httpStatus() {
            return status == Status.DOWN ? 503 : 200;
        }

        /** {@code ok}, {@code degraded: <reason>} or {@code down: <reason>}. */
        public String line() {
            return status == Status.OK ? "ok" : status.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
        }
    }
}

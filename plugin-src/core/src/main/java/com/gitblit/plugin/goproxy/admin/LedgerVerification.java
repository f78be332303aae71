package com.gitblit.plugin.goproxy.admin;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.service.LedgerVerifier;

/**
 * The administrator's "verify the ledger": one run at a time on its own thread (a forge's ledger can take minutes
 * to re-derive, far longer than a page request may wait), with an audit line when it starts and one with its
 * counts when it ends, and the last result kept for the admin view. Reads only, like {@link LedgerVerifier}.
 */
public final class LedgerVerification implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerVerification.class);
    /** The audit log's name for the act and its target. */
    public static final String ACTION = "verify";
    public static final String TARGET = "the ledger";

    /** What a run re-derives: {@link LedgerVerifier#verify()}, or a stand-in in tests. */
    public interface Run {
        List<LedgerVerifier.Finding> verify() throws IOException;
    }

    /** A finished run: who asked, when it ended, counts per outcome, and the rows that break the ledger's promise. */
    public static final class Report {
        private final String who;
        private final long finishedAtMillis;
        private final Map<LedgerVerifier.Outcome, Integer> counts;
        private final List<LedgerVerifier.Finding> problems;
        private final String failure;

        Report(String who, long finishedAtMillis, List<LedgerVerifier.Finding> findings, String failure) {
            this.who = who;
            this.finishedAtMillis = finishedAtMillis;
            this.failure = failure;
            Map<LedgerVerifier.Outcome, Integer> c = new EnumMap<>(LedgerVerifier.Outcome.class);
            List<LedgerVerifier.Finding> p = new ArrayList<>();
            for (LedgerVerifier.Finding f : findings) {
                c.merge(f.outcome(), 1, Integer::sum);
                if (f.outcome().isProblem()) {
                    p.add(f);
                }
            }
            this.counts = Collections.unmodifiableMap(c);
            this.problems = Collections.unmodifiableList(p);
        }

        public String who() {
            return who;
        }

        public long finishedAtMillis() {
            return finishedAtMillis;
        }

        /** Only outcomes that occurred, in {@link LedgerVerifier.Outcome} order. */
        public Map<LedgerVerifier.Outcome, Integer> counts() {
            return counts;
        }

        public int count(LedgerVerifier.Outcome outcome) {
            Integer n = counts.get(outcome);
            return n == null ? 0 : n;
        }

        public List<LedgerVerifier.Finding> problems() {
            return problems;
        }

        /** Why the run could not list the ledger at all; null when it went through every version. */
        public String failure() {
            return failure;
        }

        /** One line, for the audit log: "12 pinned versions, 11 ok, 1 mismatch", or the failure. */
        public String summary() {
            if (failure != null) {
                return "failed: " + failure;
            }
            int total = 0;
            for (int n : counts.values()) {
                total += n;
            }
            StringBuilder s = new StringBuilder().append(total).append(" pinned versions");
            for (Map.Entry<LedgerVerifier.Outcome, Integer> c : counts.entrySet()) {
                s.append(", ").append(c.getValue()).append(' ').append(c.getKey().name().toLowerCase(Locale.ROOT));
            }
            return s.toString();
        }
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "goproxy-ledger-verify");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private String runningFor;
    private long runningSince;
    private Report last;

    /**
     * Starts a run for {@code who} unless one is running; returns the sentence the page shows. The audit line of
     * the start is written before this returns; the one with the result when the run ends.
     */
    public String start(final String who, final AuditLog audit, final Run run) throws IOException {
        synchronized (lock) {
            if (runningFor != null) {
                audit.append(who, ACTION, TARGET, "refused: a verification started by " + runningFor + " is running");
                return "A verification started by " + runningFor + " is still running; its result shows here when"
                        + " it ends.";
            }
            audit.append(who, ACTION, TARGET, "started");
            runningFor = who;
            runningSince = System.currentTimeMillis();
            try {
                thread.execute(() -> finish(who, audit, run));
            } catch (RejectedExecutionException e) {
                runningFor = null;
                audit.append(who, ACTION, TARGET, "failed: the proxy is stopping");
                return "Not started: the proxy is stopping.";
            }
        }
        return "Verification started: every pinned version's hashes are re-derived from git in the background;"
                + " nothing is changed. Reload this page for the result.";
    }

    private void finish(String who, AuditLog audit, Run run) {
        Report report;
        try {
            report = new Report(who, System.currentTimeMillis(), run.verify(), null);
        } catch (IOException | RuntimeException e) {
            report = new Report(who, System.currentTimeMillis(), Collections.<LedgerVerifier.Finding>emptyList(),
                    String.valueOf(e.getMessage()));
        }
        // The audit line first: once the page shows the result, the log has it too.
        try {
            audit.append(who, ACTION, TARGET, report.summary());
        } catch (IOException e) {
            LOG.error("goproxy: could not write the ledger verification's result to the audit log: {}", e.toString());
        }
        synchronized (lock) {
            last = report;
            runningFor = null;
        }
    }

    /** Who started the run going on now, or null when none runs. */
    public String runningFor() {
        synchronized (lock) {
            return runningFor;
        }
    }

    /** When the run going on now started (epoch millis); meaningful while {@link #runningFor()} is not null. */
    public long runningSinceMillis() {
        synchronized (lock) {
            return runningSince;
        }
    }

    /** The last finished run, or null before the first. */
    public Report last() {
        synchronized (lock) {
            return last;
        }
    }

    /** Stops with the service: a run still going is interrupted, its result dropped. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package com.gitblit.plugin.goproxy.source;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator about damaged repositories without flooding the log: one error line per repository and
 * kind of damage, repeated at most hourly while the damage lasts, however many requests run into it. A truncated
 * pack may make thousands of objects unreadable; the administrator needs the first report, with the cause, not
 * one per request or per object.
 */
public final class RepositoryFaultLog {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryFaultLog.class);
    static final long REPEAT_MILLIS = 3600_000L;
    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, Long> lastReported = new LinkedHashMap<String, Long>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /**
     * Logs {@code fault} of {@code repository} unless that repository's same kind of damage was logged within the
     * hour; returns whether it logged.
     */
    public boolean report(String repository, RepositoryFaultException fault) {
        return report(repository, fault, System.currentTimeMillis());
    }

    boolean report(String repository, RepositoryFaultException fault, long now) {
        String key = repository + '\u0000' + fault.kind();
        synchronized (lastReported) {
            Long last = lastReported.get(key);
            if (last != null && now - last < REPEAT_MILLIS) {
                return false;
            }
            lastReported.put(key, now);
        }
        LOG.error("goproxy: repository {} is damaged: {} ({}). Answers that need it are 503 until it is repaired"
                + " (git fsck shows what is broken); reported once an hour per kind of damage. JGit said: {}",
                repository, fault.kind().text(), fault.detail(),
                fault.getCause() == null ? "-" : String.valueOf(fault.getCause()));
        return true;
    }
}

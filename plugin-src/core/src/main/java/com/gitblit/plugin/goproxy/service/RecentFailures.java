package com.gitblit.plugin.goproxy.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * The last failures the service met that an administrator should see (builds that failed or were refused, a data
 * folder it could not use, pre-builds given up), newest first, a fixed number of them: the log has them all, this
 * is what the admin view shows without anyone reading the log.
 */
public final class RecentFailures {
    private final int capacity;
    private final Deque<Failure> failures = new ArrayDeque<>();

    /** One failure: when, what it was about (a module version, "storage"), and the reason in the service's words. */
    public static final class Failure {
        private final long at;
        private final String subject;
        private final String reason;

        Failure(long at, String subject, String reason) {
            this.at = at;
            this.subject = subject;
            this.reason = reason;
        }

        public long at() {
            return at;
        }

        public String subject() {
            return subject;
        }

        public String reason() {
            return reason;
        }
    }

    RecentFailures(int capacity) {
        this.capacity = capacity;
    }

    void record(String subject, String reason) {
        Failure f = new Failure(System.currentTimeMillis(), subject, reason == null ? "(no reason given)" : reason);
        synchronized (failures) {
            failures.addFirst(f);
            while (failures.size() > capacity) {
                failures.removeLast();
            }
        }
    }

    /** Newest first. */
    public List<Failure> list() {
        synchronized (failures) {
            return Collections.unmodifiableList(new ArrayList<>(failures));
        }
    }
}

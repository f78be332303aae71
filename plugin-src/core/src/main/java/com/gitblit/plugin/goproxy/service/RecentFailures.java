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

    /**
     * One failure: when it last happened, what it was about (a module version, "repository", "data folder"), the
     * reason in the service's words, and how many times in a row it came back (a damaged repository fails every
     * request: one row, not fifty).
     */
    public static final class Failure {
        private final long at;
        private final String subject;
        private final String reason;
        private final int times;

        Failure(long at, String subject, String reason, int times) {
            this.at = at;
            this.subject = subject;
            this.reason = reason;
            this.times = times;
        }

        public long at() {
            return at;
        }

        public int times() {
            return times;
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
        String why = reason == null ? "(no reason given)" : reason;
        synchronized (failures) {
            int times = 1;
            for (java.util.Iterator<Failure> it = failures.iterator(); it.hasNext();) {
                Failure known = it.next();
                if (known.subject.equals(subject) && known.reason.equals(why)) {
                    times += known.times;
                    it.remove();
                    break;
                }
            }
            failures.addFirst(new Failure(System.currentTimeMillis(), subject, why, times));
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

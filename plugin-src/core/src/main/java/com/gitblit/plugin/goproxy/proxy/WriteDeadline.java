package com.gitblit.plugin.goproxy.proxy;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * How long one asynchronous write (a chunk of {@link AsyncBody}) may wait for the client to take it: the same
 * bound a container's blocking timeout puts on a thread's write, which does not apply to non-blocking output.
 * Without it a client taking a byte now and then, never silent long enough for the idle timeout, would hold
 * its connection, download slot and open file for as long as it liked. One timer thread serves every write.
 */
public final class WriteDeadline implements AutoCloseable {
    private final long millis;
    private final ScheduledThreadPoolExecutor timer;

    /** {@code millis} per write; 0 for none. */
    public WriteDeadline(long millis) {
        this.millis = millis;
        if (millis > 0) {
            timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "goproxy-write-deadline");
                t.setDaemon(true);
                return t;
            });
            // Nearly every deadline is cancelled (the client took the chunk): drop those at once, not when due.
            timer.setRemoveOnCancelPolicy(true);
        } else {
            timer = null;
        }
    }

    public long millis() {
        return millis;
    }

    /** Runs {@code expired} when the deadline of a write begun now passes; null when there is no deadline. */
    ScheduledFuture<?> arm(Runnable expired) {
        return timer == null ? null : timer.schedule(expired, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}

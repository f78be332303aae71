package com.gitblit.plugin.goproxy.standalone;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Closes a connection whose request line and headers take longer than a deadline to arrive. Jetty 9.4's idle
 * timeout only counts silence, so a client trickling a byte now and then (slowloris) would keep a connection
 * forever; Jetty has no limit on the total time for headers. A sweeper looks at every open HTTP connection a
 * few times a second: from the first look that finds its parser inside a request head, the deadline runs; the
 * connection is closed when it passes, and the clock is reset once the head is complete. Connections idle
 * between requests are left to the idle timeout.
 */
final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener {
    private final long deadlineNanos;
    private final long sweepMillis;
    private final Map<HttpConnection, Long> open = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;
    private ScheduledFuture<?> task;

    HeaderDeadline(long deadlineMillis) {
        this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        this.sweepMillis = Math.max(50, Math.min(500, deadlineMillis / 4));
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection) {
            open.put((HttpConnection) connection, 0L);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection) {
            open.remove(connection);
        }
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "goproxy-header-deadline");
            t.setDaemon(true);
            return t;
        });
        task = sweeper.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        task.cancel(false);
        sweeper.shutdownNow();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<HttpConnection, Long> e : open.entrySet()) {
            HttpParser parser = e.getKey().getParser();
            boolean inHead = parser.inHeaderState() && !parser.isState(HttpParser.State.START);
            if (!inHead) {
                if (e.getValue() != 0L) {
                    e.setValue(0L);
                }
                continue;
            }
            long since = e.getValue();
            if (since == 0L) {
                e.setValue(now);
            } else if (now - since > deadlineNanos) {
                open.remove(e.getKey());
                e.getKey().getEndPoint().close();
            }
        }
    }
}

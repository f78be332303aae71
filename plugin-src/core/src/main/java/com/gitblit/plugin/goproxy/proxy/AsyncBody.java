package com.gitblit.plugin.goproxy.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a complete body (a stored artifact) with Servlet 3.1 non-blocking output: a chunk whenever the client
 * has taken the previous one, and no server thread in between. A client reading a large zip at 1 KB/s then
 * costs a connection and an open file, not one of the container's worker threads.
 *
 * <p>A body whose read fails (a stored file found damaged: the check runs before its last bytes are handed
 * out) is broken off: the response completes with fewer bytes than its Content-Length, which the container
 * answers by closing the connection, so the client sees a failed download, never a complete one with other
 * bytes. A client that has not taken a chunk within the {@link WriteDeadline} is cut off the same way. The body
 * and its artifact are closed once the response is done, however it ends.
 */
public final class AsyncBody implements WriteListener, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncBody.class);
    /** The container's own response buffer is 32 KiB; a chunk of that size fills it in one write. */
    private static final int CHUNK = 32 * 1024;

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final InputStream body;
    private final Closeable owner;
    private final String what;
    private final WriteDeadline deadline;
    private final byte[] buffer = new byte[CHUNK];
    private final AtomicBoolean released = new AtomicBoolean();
    private boolean ended;
    private ScheduledFuture<?> pending;

    private AsyncBody(AsyncContext async, ServletOutputStream out, InputStream body, Closeable owner, String what,
            WriteDeadline deadline) {
        this.async = async;
        this.deadline = deadline;
        this.out = out;
        this.body = body;
        this.owner = owner;
        this.what = what;
    }

    /**
     * Starts writing {@code body} without blocking; from here on the body and {@code owner} belong to the
     * response and are closed when it is done. The request must support asynchronous processing. With a
     * {@code deadline}, a client that has not taken a chunk by then is cut off.
     */
    static void start(HttpServletRequest request, HttpServletResponse response, InputStream body, Closeable owner,
            WriteDeadline deadline) throws IOException {
        AsyncBody writer;
        try {
            AsyncContext async = request.startAsync();
            // No limit on the whole response: the write deadline (per chunk) and the idle timeout bound a slow client.
            async.setTimeout(0);
            writer = new AsyncBody(async, response.getOutputStream(), body, owner,
                    request.getMethod() + " " + request.getRequestURI(), deadline);
            async.addListener(writer);
        } catch (IOException | RuntimeException e) {
            closeQuietly(body);
            throw e;
        }
        writer.out.setWriteListener(writer);
    }

    /**
     * Runs {@code release} once the response to {@code request} is done: now, unless the response went on
     * asynchronously, then when it completes or fails. For what a request holds beyond its handler (a
     * download slot). Call it from inside the request's dispatch.
     */
    public static void whenDone(HttpServletRequest request, final Runnable release) {
        if (!request.isAsyncStarted()) {
            release.run();
            return;
        }
        request.getAsyncContext().addListener(new AsyncListener() {
            private final AtomicBoolean ran = new AtomicBoolean();

            private void run() {
                if (ran.compareAndSet(false, true)) {
                    release.run();
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
                run();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                run();
            }

            @Override
            public void onError(AsyncEvent event) {
                run();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
    }

    @Override
    public synchronized void onWritePossible() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        if (released.get()) {
            return;
        }
        try {
            while (out.isReady()) {
                if (ended) {
                    finish();
                    return;
                }
                int n = body.read(buffer);
                if (n < 0) {
                    ended = true;
                } else if (n > 0) {
                    out.write(buffer, 0, n);
                }
            }
            if (deadline != null) {
                pending = deadline.arm(this::expired);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: response broke off: {}", what, e.toString());
            // Fewer bytes than the Content-Length: completing now makes the container close the connection.
            finish();
        }
    }

    /** The client did not take the last chunk within the deadline. */
    private synchronized void expired() {
        if (pending == null || released.get()) {
            return;
        }
        pending = null;
        LOG.debug("{}: cut off, the client took no chunk for {} ms", what, deadline.millis());
        finish();
    }

    /** The client went away, or stopped reading for longer than the connection's idle timeout. */
    @Override
    public synchronized void onError(Throwable failure) {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        LOG.debug("{}: client gone: {}", what, failure.toString());
        finish();
    }

    private void finish() {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // Completed already (by the container, after an error): only the release below is left to do.
        } finally {
            release();
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            closeQuietly(body);
            closeQuietly(owner);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing a response body: {}", e.toString());
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        release();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}

package com.gitblit.plugin.goproxy.guard;

import java.util.HashMap;
import java.util.Map;

/**
 * How many module downloads ({@code .zip}, {@code .mod}) may be streaming at once, in all and per client. A
 * download written by a thread (inside Gitblit, or a zip streamed while it is built) holds it for as long as the
 * client takes to read it, so clients reading slowly on purpose could otherwise hold every thread; these bounds
 * keep threads free for everything else ({@code .info}, lists, other clients). A stored download the standalone
 * server writes asynchronously holds no thread, but still a connection, an open file and buffers, so it keeps
 * its slot to the end too. Beyond them a download is refused at once, never queued.
 */
public final class DownloadSlots {
    private final int max;
    private final int perClient;
    private final Map<String, Integer> byClient = new HashMap<>();
    private int total;

    /** {@code max} in all, {@code perClient} for one client address; both at least 1. */
    public DownloadSlots(int max, int perClient) {
        if (max < 1 || perClient < 1) {
            throw new IllegalArgumentException("download limits must be at least 1");
        }
        this.max = max;
        this.perClient = perClient;
    }

    /** Why a download may not start now. */
    /** Downloads streaming at once, in all. */
    public int max() {
        return max;
    }

    /** Downloads streaming at once for one client. */
    public int perClient() {
        return perClient;
    }

    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean thisClient;

        Refused(String message, boolean thisClient) {
            super(message);
            this.thisClient = thisClient;
        }

        /** 429 when this client holds too many, 503 when the server as a whole is at its limit. */
        public int status() {
            return thisClient ? 429 : 503;
        }

        public int retryAfterSeconds() {
            return thisClient ? 5 : 2;
        }
    }

    /** A slot held until closed. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** True for request paths that stream a module file: {@code .../@v/<version>.zip} or {@code .mod}. */
    public static boolean isDownload(String path) {
        return path != null && path.contains("/@v/") && (path.endsWith(".zip") || path.endsWith(".mod"));
    }

    public Slot enter(final String client) throws Refused {
        synchronized (this) {
            int mine = byClient.containsKey(client) ? byClient.get(client) : 0;
            if (mine >= perClient) {
                throw new Refused("too many downloads at once from this address (" + perClient + "): try again shortly", true);
            }
            if (total >= max) {
                throw new Refused("the server is busy with " + max + " downloads: try again shortly", false);
            }
            byClient.put(client, mine + 1);
            total++;
        }
        return new Slot() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (DownloadSlots.this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    total--;
                    int left = byClient.get(client) - 1;
                    if (left == 0) {
                        byClient.remove(client);
                    } else {
                        byClient.put(client, left);
                    }
                }
            }
        };
    }
}

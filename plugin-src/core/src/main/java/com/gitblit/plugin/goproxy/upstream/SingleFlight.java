package com.gitblit.plugin.goproxy.upstream;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** One run per key at a time: callers that arrive while it runs wait for its result instead of running it again. */
final class SingleFlight<T> {
    interface Work<T> {
        T run() throws Exception;
    }

    private final ConcurrentHashMap<String, FutureTask<T>> running = new ConcurrentHashMap<>();

    T run(String key, Work<T> work) throws UpstreamException {
        FutureTask<T> mine = new FutureTask<>(work::run);
        FutureTask<T> task = running.putIfAbsent(key, mine);
        if (task == null) {
            task = mine;
            try {
                mine.run();
            } finally {
                running.remove(key, mine);
            }
        }
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamException.unavailable("interrupted while waiting for " + key);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UpstreamException) {
                throw (UpstreamException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw UpstreamException.unavailable(key + ": " + cause);
        }
    }
}

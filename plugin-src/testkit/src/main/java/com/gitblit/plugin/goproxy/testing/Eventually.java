package com.gitblit.plugin.goproxy.testing;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one way tests wait: poll a condition until a deadline, and fail with {@link AssertionError} naming what was
 * awaited (and the last state seen) when it does not come. A wait that gives up silently lets the assertion after
 * it fail for the wrong reason, or pass without having waited; a fixed sleep is either too short on a busy machine
 * or wastes time on an idle one.
 *
 * <p>An exception from the condition counts as "not yet" (a server not listening, a file not written) and is
 * reported if the wait times out; an {@link Error} (e.g. an {@link AssertionError} for "the process died") ends the
 * wait at once.
 *
 * <pre>{@code
 * Eventually.within(Duration.ofSeconds(5)).until("no temp files under " + dir, () -> tempFiles(dir).isEmpty());
 * Path log = Eventually.within(Duration.ofSeconds(10)).value("the access log", () -> Files.exists(f) ? f : null);
 * }</pre>
 */
public final class Eventually {
    /** A condition that may throw while the thing it looks at is not there yet (that counts as "not yet"). */
    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }

    /** A value that is null while not there yet. */
    @FunctionalInterface
    public interface Sample<T> {
        T get() throws Exception;
    }

    private static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(250);

    private final Duration timeout;
    private final Supplier<String> state;

    private Eventually(Duration timeout, Supplier<String> state) {
        this.timeout = timeout;
        this.state = state;
    }

    /** Polls for at most {@code timeout}. */
    public static Eventually within(Duration timeout) {
        return new Eventually(timeout, null);
    }

    /** The same wait, describing the state it last saw in the failure message (e.g. a log tail, a file listing). */
    public Eventually describing(Supplier<String> lastState) {
        return new Eventually(timeout, lastState);
    }

    /** Returns once {@code check} holds; throws {@link AssertionError} "timed out after ... waiting for: what". */
    public void until(String what, Check check) {
        value(what, () -> check.holds() ? Boolean.TRUE : null);
    }

    /** Returns the first non-null {@code sample}; throws {@link AssertionError} when none came in time. */
    public <T> T value(String what, Sample<T> sample) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE.toMillis();
        Exception lastFailure = null;
        while (true) {
            try {
                T value = sample.get();
                if (value != null) {
                    return value;
                }
                lastFailure = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            } catch (Exception e) {
                lastFailure = e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw timedOut(what, lastFailure);
            }
            try {
                Thread.sleep(Math.max(1, Math.min(pause, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE.toMillis());
        }
    }

    private AssertionError timedOut(String what, Exception lastFailure) {
        StringBuilder message = new StringBuilder("timed out after ").append(seconds(timeout))
                .append(" waiting for: ").append(what);
        if (lastFailure != null) {
            message.append("\nlast attempt failed: ").append(lastFailure);
        }
        if (state != null) {
            String seen;
            try {
                seen = state.get();
            } catch (RuntimeException e) {
                seen = "(cannot describe: " + e + ")";
            }
            message.append("\nlast seen: ").append(seen);
        }
        AssertionError error = new AssertionError(message.toString());
        if (lastFailure != null) {
            error.initCause(lastFailure);
        }
        return error;
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
